import Events
import Projections

/// SG-2: a reserved matter (council tax, budget, constitution, name,
/// elections, spending priorities, service policy) is one council's alone.
enum SG2ReservedMatters: Rule {
    static let id = "SG-2"

    static func judge(_ j: Judgement) -> [Finding] {
        switch j.record.event {
        case .proposalTabled(let e) where e.matter.isReserved && e.affects.count != 1:
            return [j.finding(
                id, councils: e.affects, field: "data.affects",
                "proposal \(e.proposal) is a reserved matter (\(e.matter)) but affects \(e.affects.count) councils (\(j.names(e.affects))); it may affect only the council whose matter it is: \(Promise.reserved)")]
        case .councilDecided(let e):
            // A reserved proposal is decided only by the council it is reserved to.
            guard let tabled = j.world.proposals[e.proposal]?.tabled, tabled.matter.isReserved,
                !tabled.affects.contains(e.council)
            else { return [] }
            return [j.finding(
                id, councils: [e.council] + tabled.affects, field: "data.council",
                "\(j.name(e.council)) cannot decide proposal \(e.proposal): it is reserved to \(j.names(tabled.affects)) (\(tabled.matter)): \(Promise.reserved)")]
        case .committeeVoted(let e):
            guard let tabled = j.world.proposals[e.proposal]?.tabled, tabled.matter.isReserved else { return [] }
            return [j.finding(
                id, councils: tabled.affects, field: "data.proposal",
                "proposal \(e.proposal) is reserved to \(j.names(tabled.affects)) (\(tabled.matter)); a joint committee cannot vote on it: \(Promise.reserved)")]
        default:
            return []
        }
    }
}
