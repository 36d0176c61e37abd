import Events
import Ledger
import Projections

extension SovereigntyState {
    /// The names of the entries the validator reads to judge `record`, and
    /// the world reads to apply it: what the event names, then what those
    /// entries lead to as far as they are loaded (the cache asks again after
    /// each round of loading, until nothing new is named).
    public func keys(for record: Record) -> StateKeys {
        let event = record.event
        // Every name reached, some perhaps twice: the cache turns names into
        // shard numbers and keeps each number once, so a set of names here
        // only hashed every name a second time (a quarter of the walk).
        var names: [String] = []
        names.reserveCapacity(64)
        // The names reached as a proposal, post, agreement or contract, to be
        // walked on from. A name reached only as a council is not: councils
        // lead nowhere, and asking four dictionaries about each of an
        // agreement's members, for every record that reached it, was most of
        // the walk. A handful a record: a scan beats hashing.
        var walked: [Identifier] = []
        var queue: [Identifier] = []
        func reach(council name: Identifier) { names.append(name.raw) }
        func reach(entry name: Identifier) {
            names.append(name.raw)
            if !walked.contains(name) {
                walked.append(name)
                queue.append(name)
            }
        }
        reach(council: record.by.council)
        event.councils.forEach { reach(council: $0) }
        for name in [event.post, event.proposal, event.agreement] { name.map { reach(entry: $0) } }
        switch event {
        case .recordRetracted:
            return .everything
        case .proposalTabled(let e):
            e.terminates.forEach { reach(entry: $0) }
        case .contractRegistered(let e):
            reach(entry: e.contract)
        case .withdrawalCosted(let e):
            // SG-6 accepts a notice on any post of the agreement as standing notice.
            for notice in world.notices.values where notice.council == e.council {
                if case .post(let id) = notice.subject { reach(entry: id) }
            }
        case .noticeServed:
            // Applying it records who served it, under the notice's own name.
            names.append(Self.noticeKey(record.seq))
        case .noticeRescinded(let e):
            names.append(Self.noticeKey(e.notice))
            if let owner = noticeOwners[e.notice] { reach(council: owner) }
            if case .post(let id)? = world.notices[e.notice]?.subject { reach(entry: id) }
        default:
            break
        }
        // A proposal leads to the councils it affects, its agreement and the
        // contracts it would end; a post to its agreement, employer and every
        // council that has shared it; an agreement to its members (whose
        // notices say who is still a party); a contract to its council. So
        // this ends within three steps (post → agreement → councils).
        while let id = queue.popLast() {
            if let proposal = world.proposals[id] {
                proposal.tabled.affects.forEach { reach(council: $0) }
                proposal.tabled.terminates.forEach { reach(entry: $0) }
                proposal.tabled.agreement.map { reach(entry: $0) }
            }
            if let post = world.posts[id] {
                reach(entry: post.agreement)
                reach(council: post.employer)
                // Every sharer over all its years.
                assert(
                    post.shares.entries.allSatisfy { $0.value.weights.allSatisfy { sharers[id]?.contains($0.council) == true } },
                    "post \(id)'s sharers are not all indexed")
                sharers[id]?.forEach { reach(council: $0) }
            }
            if let agreement = world.agreements[id] {
                agreement.members.forEach { reach(council: $0.council) }
                agreement.established.parties.forEach { reach(council: $0) }
            }
            if let contract = world.contracts[id] { reach(council: contract.registered.council) }
        }
        return .named(names)
    }
}
