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
        // The entries reached as a proposal, post, agreement or contract, to
        // be walked on from, each in its own kind's dictionary: the rules read
        // an entry by the kind that names it. A name reached only as a council
        // is not walked: councils lead nowhere. A handful a record, so a scan
        // beats hashing; past a few dozen (a proposal ending thousands of
        // contracts) a set, or the scans would grow with the square of them.
        var walked: [Reached] = []
        var walkedSet: Set<Reached>?
        var queue: [Reached] = []
        func reach(council name: Identifier) { names.append(name.raw) }
        func reach(_ kind: Reached.Kind, _ name: Identifier) {
            names.append(name.raw)
            let entry = Reached(kind: kind, name: name)
            if walkedSet == nil, walked.count >= Reached.scannedAtMost { walkedSet = Set(walked) }
            let isNew: Bool
            if walkedSet != nil {
                isNew = walkedSet!.insert(entry).inserted
            } else {
                isNew = !walked.contains(entry)
                if isNew { walked.append(entry) }
            }
            if isNew { queue.append(entry) }
        }
        reach(council: record.by.council)
        event.councils.forEach { reach(council: $0) }
        event.post.map { reach(.post, $0) }
        event.proposal.map { reach(.proposal, $0) }
        event.agreement.map { reach(.agreement, $0) }
        switch event {
        case .recordRetracted:
            return .everything
        case .proposalTabled(let e):
            e.terminates.forEach { reach(.contract, $0) }
        case .contractRegistered(let e):
            reach(.contract, e.contract)
        case .withdrawalCosted(let e):
            // SG-6 accepts a notice on any post of the agreement as standing notice.
            for notice in world.notices.values where notice.council == e.council {
                if case .post(let id) = notice.subject { reach(.post, id) }
            }
        case .noticeServed:
            // Applying it records who served it, under the notice's own name.
            names.append(Self.noticeKey(record.seq))
        case .noticeRescinded(let e):
            names.append(Self.noticeKey(e.notice))
            if let owner = noticeOwners[e.notice] { reach(council: owner) }
            if case .post(let id)? = world.notices[e.notice]?.subject { reach(.post, id) }
        default:
            break
        }
        // A proposal leads to the councils it affects, its agreement and the
        // contracts it would end; a post to its agreement, employer and every
        // council that has shared it; an agreement to its members (whose
        // notices say who is still a party); a contract to its council. So
        // this ends within three steps (post → agreement → councils).
        while let next = queue.popLast() {
            let id = next.name
            switch next.kind {
            case .proposal:
                guard let proposal = world.proposals[id] else { break }
                proposal.tabled.affects.forEach { reach(council: $0) }
                proposal.tabled.terminates.forEach { reach(.contract, $0) }
                proposal.tabled.agreement.map { reach(.agreement, $0) }
            case .post:
                guard let post = world.posts[id] else { break }
                reach(.agreement, post.agreement)
                reach(council: post.employer)
                // Every sharer over all its years.
                assert(
                    post.shares.entries.allSatisfy { $0.value.weights.allSatisfy { sharers[id]?.contains($0.council) == true } },
                    "post \(id)'s sharers are not all indexed")
                sharers[id]?.forEach { reach(council: $0) }
            case .agreement:
                guard let agreement = world.agreements[id] else { break }
                agreement.members.forEach { reach(council: $0.council) }
                agreement.established.parties.forEach { reach(council: $0) }
            case .contract:
                world.contracts[id].map { reach(council: $0.registered.council) }
            }
        }
        return .named(names)
    }
}

/// An entry `keys(for:)` reached and walks on from, with the kind it was named as.
private struct Reached: Hashable {
    enum Kind { case proposal, post, agreement, contract }
    static let scannedAtMost = 32
    var kind: Kind
    var name: Identifier
}
