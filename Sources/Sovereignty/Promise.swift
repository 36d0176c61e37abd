/// The sentence of the Sovereignty Guarantee (seeds/000) each rule protects,
/// quoted so a finding tells a governance officer what is at stake.
enum Promise {
    static let outVoting =
        "no council can be out-voted in a way which requires it to adopt a policy, accept a cost or change a priority that its decision makers are not willing to support (SG-1)"
    static let reserved =
        "each council continues to set its own council tax, budget, constitution, name, elections, spending priorities and service policy (SG-2)"
    static let authorship =
        "each council retains its own constitution, setting out how it makes decisions (SG-3)"
    static let apportionment =
        "costs are fairly attributed and shared to the satisfaction of all the councils, on a basis agreed before it takes effect (SG-4)"
    static let contracts = "no council will be obliged to break an existing contract (SG-5)"
    static let withdrawal =
        "any council may withdraw on notice, though a council withdrawing is responsible for its own consequent costs (SG-6)"
    static let assurance =
        "a shared Director of Children's or Adult Services is tested for assurance before starting and at each review (SG-7)"
    static let references = "the record refers only to things the ledger holds, in date order (SG-8)"
}
