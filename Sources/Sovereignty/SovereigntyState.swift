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
    /// The notices each council served, as applied or loaded (`NoticesServed`).
    var noticesServed = NoticesServed()
    /// Proposals read from shards and left packed, because no event of the
    /// batch names them (`expect(_:)`, `PackedProposal`). A shard written
    /// back carries them as they were read, unless a record reached one after
    /// all, which `unpack(for:)` then decoded into the world.
    var packedProposals: [Identifier: PackedProposal] = [:]

    public static var checkpointKind: String { "sovereignty" }

    public init() { world.keepsMoney = false }

    public mutating func apply(_ record: Record) {
        assert(ownProposalIsUnpacked(record), "record \(record.seq) applied with its proposal packed")
        world.apply(record)
        if case .noticeServed(let e) = record.event, world.notices[record.seq] != nil {
            noticeOwners[record.seq] = e.council
        }
        noticesServed.add(record, appliedTo: world)
    }

    public func check(_ candidate: Record) -> [Finding] {
        // The rules read no proposal but the record's own (`expect(_:)`), and the
        // cache unpacks that one first. Checked in every build: judged with it
        // still packed, a rule would find it missing and could let a breach through.
        precondition(ownProposalIsUnpacked(candidate), "record \(candidate.seq) judged with its proposal packed")
        return Validator.findings(for: candidate, in: world, noticesServed: noticesServed)
    }

    /// Whether the proposal `record` names, if any, is decoded rather than packed.
    private func ownProposalIsUnpacked(_ record: Record) -> Bool {
        guard !packedProposals.isEmpty, let proposal = record.event.proposal else { return true }
        return packedProposals[proposal] == nil
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
        reserve(&packedProposals)
    }

    /// The proposals the inputs name: the only proposal a record reaches
    /// (`keys(for:)`), and the only one the rules read, is its event's own
    /// `proposal`. Only proposals are left packed, so nothing else need be
    /// named. Every proposal the batch decodes or tables is among them, so
    /// the table of proposals is made that large once, not grown by doubling.
    public mutating func expect(_ inputs: [PositionedEvent]) -> Set<Identifier>? {
        var named = Set<Identifier>(minimumCapacity: inputs.count / 2)
        // By index: binding each input copied it whole, on the judging thread before the first record.
        for index in inputs.indices {
            if let proposal = inputs[index].event.envelope.event.proposal { named.insert(proposal) }
        }
        let wanted = world.proposals.count + named.count
        if wanted > world.proposals.capacity { world.proposals.reserveCapacity(wanted) }
        return named
    }

    public mutating func unpack(for record: Record) -> Unpacking {
        guard !packedProposals.isEmpty else { return .nothing }
        if case .recordRetracted = record.event {
            // A retraction can undo anything, and finds what by walking every proposal.
            for (id, packed) in packedProposals where !decode(packed, as: id) { return .unreadable }
            packedProposals = [:]
            return .unpacked
        }
        guard let id = record.event.proposal, let packed = packedProposals.removeValue(forKey: id) else { return .nothing }
        return decode(packed, as: id) ? .unpacked : .unreadable
    }

    /// Puts a packed proposal into the world, decoded; false if its bytes do not decode.
    private mutating func decode(_ packed: PackedProposal, as id: Identifier) -> Bool {
        guard let entry = packed.unpacked(id: id) else { return false }
        world.proposals[id] = entry
        return true
    }

    /// Adds one shard's world and notice owners, moving the world's entries
    /// out of `part`; false if the shard could not be this state's (an entry
    /// twice, a later head), and then the state is for throwing away.
    mutating func merge(_ part: inout World, packed: PackedProposals, owners: [(seq: Int, council: Identifier)]) -> Bool {
        guard part.head <= world.head, part.retracted.isEmpty, part.ownCosts.isEmpty else { return false }
        // A proposal is decoded or packed, and in one shard: never twice.
        if !packedProposals.isEmpty {
            for id in part.proposals.keys where packedProposals[id] != nil { return false }
        }
        for index in 0..<packed.count {
            let (id, proposal) = packed[index]
            guard world.proposals[id] == nil, packedProposals.updateValue(proposal, forKey: id) == nil else {
                return false
            }
        }
        for (seq, notice) in part.notices { noticesServed.add(seq, notice.notice) }
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
}
