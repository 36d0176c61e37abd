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
        // Room for a record's usual reach: growing the set was a seventh of the walk.
        var ids = Set<Identifier>(minimumCapacity: 48)
        ids.insert(record.by.council)
        var extra: [String] = []
        ids.formUnion(event.councils)
        ids.formUnion([event.post, event.proposal, event.agreement].compactMap { $0 })
        switch event {
        case .recordRetracted:
            return .everything
        case .proposalTabled(let e):
            ids.formUnion(e.terminates)
        case .contractRegistered(let e):
            ids.insert(e.contract)
        case .withdrawalCosted(let e):
            // SG-6 accepts a notice on any post of the agreement as standing notice.
            for notice in world.notices.values where notice.council == e.council {
                if case .post(let id) = notice.subject { ids.insert(id) }
            }
        case .noticeServed:
            // Applying it records who served it, under the notice's own name.
            extra.append(Self.noticeKey(record.seq))
        case .noticeRescinded(let e):
            extra.append(Self.noticeKey(e.notice))
            if let owner = noticeOwners[e.notice] { ids.insert(owner) }
            if case .post(let id)? = world.notices[e.notice]?.subject { ids.insert(id) }
        default:
            break
        }
        // A proposal leads to the councils it affects, its agreement and the
        // contracts it would end; a post to its agreement, employer and every
        // council that has shared it; an agreement to its members (whose
        // notices say who is still a party); a contract to its council.
        // Councils lead nowhere, so this ends within three steps.
        var queue = Array(ids)
        func reach(_ name: Identifier) { if ids.insert(name).inserted { queue.append(name) } }
        while let id = queue.popLast() {
            if let proposal = world.proposals[id] {
                (proposal.tabled.affects + proposal.tabled.terminates).forEach(reach)
                proposal.tabled.agreement.map(reach)
            }
            if let post = world.posts[id] {
                reach(post.agreement)
                reach(post.employer)
                // Every sharer over all its years.
                assert(
                    post.shares.entries.allSatisfy { $0.value.weights.allSatisfy { sharers[id]?.contains($0.council) == true } },
                    "post \(id)'s sharers are not all indexed")
                sharers[id]?.forEach(reach)
            }
            if let agreement = world.agreements[id] {
                agreement.members.forEach { reach($0.council) }
                agreement.established.parties.forEach(reach)
            }
            if let contract = world.contracts[id] { reach(contract.registered.council) }
        }
        return .named(ids.map(\.raw) + extra)
    }
}
