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
        var walk = Walk()
        walk.council(record.by.council)
        for council in event.councils { walk.council(council) }
        if let post = event.post { walk.reach(.post, post) }
        if let proposal = event.proposal { walk.reach(.proposal, proposal) }
        if let agreement = event.agreement { walk.reach(.agreement, agreement) }
        switch event {
        case .recordRetracted:
            return .everything
        case .proposalTabled(let e):
            for contract in e.terminates { walk.reach(.contract, contract) }
        case .contractRegistered(let e):
            walk.reach(.contract, e.contract)
        case .withdrawalCosted(let e):
            // SG-6 accepts a notice on any post of the agreement as standing notice.
            for notice in world.notices.values where notice.council == e.council {
                if case .post(let id) = notice.subject { walk.reach(.post, id) }
            }
        case .noticeServed:
            // Applying it records who served it, under the notice's own name.
            walk.names.append(Self.noticeKey(record.seq))
        case .noticeRescinded(let e):
            walk.names.append(Self.noticeKey(e.notice))
            if let owner = noticeOwners[e.notice] { walk.council(owner) }
            if case .post(let id)? = world.notices[e.notice]?.subject { walk.reach(.post, id) }
        default:
            break
        }
        // A proposal leads to the councils it affects, its agreement and the
        // contracts it would end; a post to its agreement, employer and every
        // council that has shared it; an agreement to its members (whose
        // notices say who is still a party); a contract to its council. So
        // this ends within three steps (post → agreement → councils).
        while let next = walk.next() {
            let id = next.name
            switch next.kind {
            case .proposal:
                guard let proposal = world.proposals[id] else { break }
                for council in proposal.tabled.affects { walk.council(council) }
                for contract in proposal.tabled.terminates { walk.reach(.contract, contract) }
                if let agreement = proposal.tabled.agreement { walk.reach(.agreement, agreement) }
            case .post:
                guard let post = world.posts[id] else { break }
                walk.reach(.agreement, post.agreement)
                walk.council(post.employer)
                // Every sharer over all its years.
                assert(
                    post.shares.entries.allSatisfy { $0.value.weights.allSatisfy { sharers[id]?.contains($0.council) == true } },
                    "post \(id)'s sharers are not all indexed")
                for council in sharers[id] ?? [] { walk.council(council) }
            case .agreement:
                guard let agreement = world.agreements[id] else { break }
                for member in agreement.members { walk.council(member.council) }
                for party in agreement.established.parties { walk.council(party) }
            case .contract:
                if let contract = world.contracts[id] { walk.council(contract.registered.council) }
            }
        }
        return .named(walk.names)
    }
}

/// The names `keys(for:)` has reached, and the entries it has still to walk
/// on from. A value with mutating methods rather than local variables shared
/// by nested functions: those were boxed, and every touch of them checked for
/// overlapping access at run time (2.9 million checks, a fifth of the walk,
/// on the 10th batch onto 900,000 records).
private struct Walk {
    /// Every name reached, some perhaps twice: the cache turns names into
    /// shard numbers and keeps each number once, so a set of names here
    /// only hashed every name a second time (a quarter of the walk).
    var names: [String] = []
    /// The entries reached as a proposal, post, agreement or contract, in
    /// the order reached, each to be walked on from once, in its own kind's
    /// dictionary: the rules read an entry by the kind that names it. A name
    /// reached only as a council is not walked: councils lead nowhere. A
    /// handful a record, so a scan beats hashing; past a few dozen (a
    /// proposal ending thousands of contracts) a set as well, or the scans
    /// would grow with the square of them.
    var walked: [Reached] = []
    var walkedSet: Set<Reached>?
    /// How many of `walked` have been walked on from: the rest are the
    /// queue (a second array for it was a third of the allocations here).
    var walkedOn = 0

    init() {
        names.reserveCapacity(64)
        walked.reserveCapacity(16)
    }

    /// The next entry reached and not yet walked on from.
    mutating func next() -> Reached? {
        guard walkedOn < walked.count else { return nil }
        walkedOn += 1
        return walked[walkedOn - 1]
    }

    mutating func council(_ name: Identifier) { names.append(name.raw) }

    mutating func reach(_ kind: Reached.Kind, _ name: Identifier) {
        names.append(name.raw)
        let entry = Reached(kind: kind, name: name)
        if walkedSet == nil, walked.count >= Reached.scannedAtMost { walkedSet = Set(walked) }
        let isNew = walkedSet != nil ? walkedSet!.insert(entry).inserted : !walked.contains(entry)
        if isNew { walked.append(entry) }
    }
}

/// An entry `keys(for:)` reached and walks on from, with the kind it was named as.
private struct Reached: Hashable {
    enum Kind { case proposal, post, agreement, contract }
    static let scannedAtMost = 32
    var kind: Kind
    var name: Identifier
}
