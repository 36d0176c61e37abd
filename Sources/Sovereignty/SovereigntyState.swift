import Events
import Ledger
import Projections

/// The state an append judges events by: the `World` so far, kept current
/// record by record beside the ledger so an append never replays the history.
///
/// Councils, agreements, notices and retractions (few, and read by most
/// rules) form the core; proposals, posts and contracts, which grow with the
/// history, are kept in shards by name, and an append loads only those its
/// event names (`keys(for:)`): the rules never look further than that.
public struct SovereigntyState: ReplayState {
    public private(set) var world = World()

    public init() { world.keepsMoney = false }

    public mutating func apply(_ record: Record) { world.apply(record) }

    public func check(_ candidate: Record) -> [Finding] { Validator.findings(for: candidate, in: world) }

    public func keys(for record: Record) -> StateKeys {
        let event = record.event
        var names: [Identifier] = [event.post, event.proposal].compactMap { $0 }
        switch event {
        case .recordRetracted:
            return .everything
        case .proposalTabled(let e):
            names += e.terminates
        case .contractRegistered(let e):
            names.append(e.contract)
        case .withdrawalCosted(let e):
            // SG-6 accepts a notice on any post of the agreement as standing notice.
            for notice in world.notices.values where notice.council == e.council {
                if case .post(let id) = notice.subject { names.append(id) }
            }
        case .noticeRescinded(let e):
            if case .post(let id)? = world.notices[e.notice]?.subject { names.append(id) }
        default:
            break
        }
        // A proposal leads to the contracts it would end (SG-1, SG-5); known once it is loaded.
        for proposal in [event.proposal].compactMap({ $0 }) {
            names += world.proposals[proposal]?.tabled.terminates ?? []
        }
        return .named(names.map(\.raw))
    }

    public func checkpoint() -> JSONValue {
        var core = world
        core.proposals = [:]
        core.posts = [:]
        core.contracts = [:]
        return core.checkpointJSON()
    }

    public init?(checkpoint: JSONValue) {
        guard var world = World(checkpointJSON: checkpoint), world.proposals.isEmpty, world.posts.isEmpty,
            world.contracts.isEmpty
        else { return nil }
        world.keepsMoney = false
        self.world = world
    }

    public func shards(_ indices: Set<Int>, of count: Int) -> [Int: JSONValue] {
        var parts: [Int: World] = [:]
        func part(_ id: Identifier) -> Int? {
            let index = StateKeys.shard(of: id.raw, count: count)
            guard indices.contains(index) else { return nil }
            if parts[index] == nil {
                var empty = World()
                empty.head = world.head
                parts[index] = empty
            }
            return index
        }
        for (id, entry) in world.proposals { if let index = part(id) { parts[index]!.proposals[id] = entry } }
        for (id, entry) in world.posts { if let index = part(id) { parts[index]!.posts[id] = entry } }
        for (id, entry) in world.contracts { if let index = part(id) { parts[index]!.contracts[id] = entry } }
        return parts.mapValues { $0.checkpointJSON() }
    }

    public mutating func load(shard: JSONValue) -> Bool {
        if shard == .null { return true }  // a shard holding only idempotency keys
        guard let part = World(checkpointJSON: shard), part.head <= world.head, part.councils.isEmpty,
            part.agreements.isEmpty, part.notices.isEmpty, part.retracted.isEmpty
        else { return false }
        for (id, entry) in part.proposals {
            guard world.proposals[id] == nil else { return false }
            world.proposals[id] = entry
        }
        for (id, entry) in part.posts {
            guard world.posts[id] == nil else { return false }
            world.posts[id] = entry
        }
        for (id, entry) in part.contracts {
            guard world.contracts[id] == nil else { return false }
            world.contracts[id] = entry
        }
        return true
    }
}
