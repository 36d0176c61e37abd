import Events
import Ledger
import Projections

extension SovereigntyState {
    /// The names of the entries the validator reads to judge `record`, and
    /// the world reads to apply it: what the event names, then what those
    /// entries lead to as far as they are loaded (the cache asks again after
    /// each round of loading, until nothing new is named).
    public func keys(for record: Record) -> StateKeys {
        var names = NameList()
        return walk(record, into: &names) ? .named(names.names) : .everything
    }

    /// The shards of the names `keys(for:)` gives, each hashed as it is reached.
    public func reach(of record: Record, into reach: inout ShardReach) {
        if !walk(record, into: &reach) { reach.everything() }
    }

    /// Walks from `record` to every entry it reaches, giving `sink` each
    /// name; false, having given it none, if the record reaches everything.
    private func walk<Sink: NameSink>(_ record: Record, into sink: inout Sink) -> Bool {
        let event = record.event
        if case .recordRetracted = event { return false }
        var walk = Walk()
        walk.council(record.by.council, &sink)
        event.forEachCouncil { walk.council($0, &sink) }
        if let post = event.post { walk.reach(.post, post, &sink) }
        if let proposal = event.proposal { walk.reach(.proposal, proposal, &sink) }
        if let agreement = event.agreement { walk.reach(.agreement, agreement, &sink) }
        switch event {
        case .proposalTabled(let e):
            for contract in e.terminates { walk.reach(.contract, contract, &sink) }
        case .contractRegistered(let e):
            walk.reach(.contract, e.contract, &sink)
        case .withdrawalCosted(let e):
            // SG-6 accepts a notice on any post of the agreement as standing notice.
            for notice in world.notices.values where notice.council == e.council {
                if case .post(let id) = notice.subject { walk.reach(.post, id, &sink) }
            }
        case .noticeServed:
            // Applying it records who served it, under the notice's own name.
            sink.name(Self.noticeKey(record.seq))
        case .noticeRescinded(let e):
            sink.name(Self.noticeKey(e.notice))
            if let owner = noticeOwners[e.notice] { walk.council(owner, &sink) }
            if case .post(let id)? = world.notices[e.notice]?.subject { walk.reach(.post, id, &sink) }
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
                for council in proposal.tabled.affects { walk.council(council, &sink) }
                for contract in proposal.tabled.terminates { walk.reach(.contract, contract, &sink) }
                if let agreement = proposal.tabled.agreement { walk.reach(.agreement, agreement, &sink) }
            case .post:
                guard let post = world.posts[id] else { break }
                walk.reach(.agreement, post.agreement, &sink)
                walk.council(post.employer, &sink)
                // Every council it has been shared with over all its years,
                // kept with its apportionments so that their history is not read.
                for council in post.shares.councils { walk.council(council, &sink) }
            case .agreement:
                guard let agreement = world.agreements[id] else { break }
                for member in agreement.members { walk.council(member.council, &sink) }
                // The parties it was made with are its first members, unless a
                // checkpoint says otherwise: named again, each was hashed and
                // looked up again, a quarter of the names a decision reaches.
                for party in agreement.established.parties
                where !agreement.members.contains(where: { $0.council == party }) {
                    walk.council(party, &sink)
                }
            case .contract:
                if let contract = world.contracts[id] { walk.council(contract.registered.council, &sink) }
            }
        }
        return true
    }
}

/// Where a walk puts the names it reaches: a list of them (`keys(for:)`),
/// or straight into shard numbers (`ShardReach`, for the appender).
private protocol NameSink {
    mutating func name(_ key: String)
}

extension ShardReach: NameSink {}

private struct NameList: NameSink {
    /// Every name reached, some perhaps twice: the cache turns names into
    /// shard numbers and keeps each number once, so a set of names here
    /// only hashed every name a second time (a quarter of the walk).
    var names: [String] = []
    mutating func name(_ key: String) { names.append(key) }
}

/// The entries a walk from a record has reached and has still to walk on
/// from (the names go to its sink as they are reached). A value with mutating methods rather than local variables shared
/// by nested functions: those were boxed, and every touch of them checked for
/// overlapping access at run time (2.9 million checks, a fifth of the walk,
/// on the 10th batch onto 900,000 records).
private struct Walk {
    /// The entries reached as a proposal, post, agreement or contract, in
    /// the order reached, each to be walked on from once, in its own kind's
    /// dictionary: the rules read an entry by the kind that names it. A name
    /// reached only as a council is not walked: councils lead nowhere.
    ///
    /// A handful a record: the first few are kept in place, without the
    /// allocation an array made for every record, and scanned; the rest in
    /// `more`. Past a few dozen (a proposal ending thousands of contracts) a
    /// set as well, or the scans would grow with the square of them.
    var first = InlineArray<8, Reached?>(repeating: nil)
    var more: [Reached] = []
    var count = 0
    var walkedSet: Set<Reached>?
    /// How many of those reached have been walked on from: the rest are the
    /// queue (a second list for it was a third of the allocations here).
    var walkedOn = 0

    subscript(position: Int) -> Reached {
        position < first.count ? first[position]! : more[position - first.count]
    }

    /// The next entry reached and not yet walked on from.
    mutating func next() -> Reached? {
        guard walkedOn < count else { return nil }
        walkedOn += 1
        return self[walkedOn - 1]
    }

    func council<Sink: NameSink>(_ name: Identifier, _ sink: inout Sink) { sink.name(name.raw) }

    mutating func reach<Sink: NameSink>(_ kind: Reached.Kind, _ name: Identifier, _ sink: inout Sink) {
        sink.name(name.raw)
        let entry = Reached(kind: kind, name: name)
        if walkedSet == nil, count >= Reached.scannedAtMost { walkedSet = Set((0..<count).map { self[$0] }) }
        let isNew = walkedSet != nil ? walkedSet!.insert(entry).inserted : !(0..<count).contains { self[$0] == entry }
        guard isNew else { return }
        if count < first.count { first[count] = entry } else { more.append(entry) }
        count += 1
    }
}

/// An entry `keys(for:)` reached and walks on from, with the kind it was named as.
private struct Reached: Hashable {
    enum Kind { case proposal, post, agreement, contract }
    static let scannedAtMost = 32
    var kind: Kind
    var name: Identifier
}
