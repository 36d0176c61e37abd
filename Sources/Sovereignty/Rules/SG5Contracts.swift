import Events
import Projections

/// SG-5: a proposal that would terminate a council's existing contract binds
/// only if that council approved it.
enum SG5Contracts: Rule {
    static let id = "SG-5"

    static func judge(_ j: Judgement) -> [Finding] {
        switch j.record.event {
        case .proposalTabled(let e):
            // The contract's council must be among those the proposal is put to.
            return e.terminates.compactMap { contract in
                guard let owner = j.world.contracts[contract]?.registered.council, !e.affects.contains(owner) else {
                    return nil
                }
                return j.finding(
                    id, councils: [owner], field: "data.terminates",
                    "proposal \(e.proposal) would end \(j.name(owner))'s contract \(contract) but is not put to \(j.name(owner)): \(Promise.contracts)")
            }
        default:
            guard let proposal = SG1OutVoting.cited(j),
                let terminates = j.world.proposals[proposal]?.tabled.terminates, !terminates.isEmpty
            else { return [] }
            let what = SG1OutVoting.action(j)
            let owners = terminates.compactMap { j.world.contracts[$0] }
            return owners.flatMap { contract in
                SG1OutVoting.unapprovedWithReasons(j, proposal: proposal, councils: [contract.registered.council]).map { council, reason in
                    j.finding(
                        id, councils: [council], field: "data.proposal",
                        "\(j.says(council, reason)); \(what) under proposal \(proposal) would end its contract \(contract.registered.contract) with \(contract.registered.counterparty): \(Promise.contracts)",
                        also: [contract.seq])
                }
            }
        }
    }
}
