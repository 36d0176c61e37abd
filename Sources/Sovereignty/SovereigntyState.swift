import Events
import Ledger
import Projections

/// The state an append judges events by: the `World` so far, kept current
/// record by record beside the ledger so an append never replays the history.
///
/// Only what every judgement needs and that grows with corrections alone
/// (retractions, the head) is the core. Councils (with their notices),
/// agreements, proposals, posts and contracts are kept in shards by name, and
/// an append loads only those its event reaches (`keys(for:)`, in
/// `SovereigntyState+Reach.swift`): the rules never look further than that.
public struct SovereigntyState: ReplayState {
    public private(set) var world = World()
    /// Notice seq → the council that served it, so that a rescinding can find
    /// the notice, which is kept with its council.
    var noticeOwners: [Int: Identifier] = [:]
    /// Post → every council its apportionments have named, added to as they
    /// are applied or loaded and never trimmed, so `keys(for:)` reaches a
    /// post's sharers without walking every year's apportionment: on a long
    /// history that walk, a cache miss per year, was most of working out
    /// which shards a record reaches. A council no longer named only loads
    /// a shard more.
    var sharers: [Identifier: [Identifier]] = [:]
    /// The notices each council served, as applied or loaded (`NoticesServed`).
    var noticesServed = NoticesServed()

    public static var checkpointKind: String { "sovereignty" }

    public init() { world.keepsMoney = false }

    public mutating func apply(_ record: Record) {
        world.apply(record)
        if case .noticeServed(let e) = record.event, world.notices[record.seq] != nil {
            noticeOwners[record.seq] = e.council
        }
        noticesServed.add(record, appliedTo: world)
        if case .costsApportioned(let e) = record.event { addSharers(e.weights, of: e.post) }
    }

    public func check(_ candidate: Record) -> [Finding] {
        Validator.findings(for: candidate, in: world, noticesServed: noticesServed)
    }

    public func checkpoint() -> JSONValue {
        var core = world
        core.councils = [:]
        core.agreements = [:]
        core.notices = [:]
        core.proposals = [:]
        core.posts = [:]
        core.contracts = [:]
        return core.checkpointJSON()
    }

    public init?(checkpoint: JSONValue) {
        guard var world = World(checkpointJSON: checkpoint), world.councils.isEmpty, world.agreements.isEmpty,
            world.notices.isEmpty, world.proposals.isEmpty, world.posts.isEmpty, world.contracts.isEmpty,
            world.ownCosts.isEmpty
        else { return nil }
        world.keepsMoney = false
        self.world = world
    }

    static func noticeKey(_ seq: Int) -> String { "notice #\(seq)" }

    public mutating func reserveRoom(growing growth: Growth) {
        func reserve<Key, Value>(_ table: inout [Key: Value]) {
            let wanted = growth.applied(to: table.count)
            if wanted > table.capacity, wanted < Int(Int32.max) { table.reserveCapacity(wanted) }
        }
        reserve(&world.councils)
        reserve(&world.notices)
        reserve(&world.agreements)
        reserve(&world.proposals)
        reserve(&world.posts)
        reserve(&world.contracts)
        reserve(&noticeOwners)
        reserve(&sharers)
    }

    /// Adds one shard's world and notice owners, moving the world's entries
    /// out of `part`; false if the shard could not be this state's (an entry
    /// twice, a later head), and then the state is for throwing away.
    mutating func merge(_ part: inout World, owners: [(seq: Int, council: Identifier)]) -> Bool {
        guard part.head <= world.head, part.retracted.isEmpty, part.ownCosts.isEmpty else { return false }
        for (seq, notice) in part.notices { noticesServed.add(seq, by: notice.council) }
        for (id, post) in part.posts {
            for share in post.shares.entries { addSharers(share.value.weights, of: id) }
        }
        // Moved, not copied: a copy retained every string and array in every
        // entry on the judging thread, and the part's release on the reading
        // thread let each go again. A shard holds a handful of each, so
        // taking the first each time costs nothing to find.
        func move<Key, Value>(_ from: inout [Key: Value], into: inout [Key: Value]) -> Bool {
            for _ in 0..<from.count {
                guard let (key, value) = from.popFirst(), into.updateValue(value, forKey: key) == nil else { return false }
            }
            return true
        }
        guard move(&part.councils, into: &world.councils), move(&part.notices, into: &world.notices),
            move(&part.agreements, into: &world.agreements), move(&part.proposals, into: &world.proposals),
            move(&part.posts, into: &world.posts), move(&part.contracts, into: &world.contracts)
        else { return false }
        for (seq, council) in owners {
            guard noticeOwners[seq] == nil else { return false }
            noticeOwners[seq] = council
        }
        return true
    }

    private mutating func addSharers(_ weights: [Weight], of post: Identifier) {
        // A handful of councils a post: a scan beats hashing.
        for weight in weights where sharers[post]?.contains(weight.council) != true {
            sharers[post, default: []].append(weight.council)
        }
    }
}
