import Events
import Ledger
import Projections
import Testing
import TestSupport

@testable import Sovereignty

/// A batch reads whole shards to reach the few entries its records name;
/// the proposals in them that no event of the batch names are left packed
/// (`PackedProposal`) and written back as the bytes they were read from.
/// These tests hold a state read so to the state read whole: the same
/// shards written back, the same world once unpacked, and damaged bytes
/// refused when they are unpacked, or else exactly what they decode to.
@Suite struct PackedProposalTests {
    /// Which proposals a batch names, and so which are decoded as shards are read.
    enum Naming: CaseIterable, Sendable {
        /// None: every proposal is left packed.
        case none
        /// Every other one, in id order.
        case alternate
        /// Every one: nothing is left packed.
        case all

        func named(in state: SovereigntyState) -> Set<Identifier> {
            let ids = Identifier.sorted(state.world.proposals.keys)
            switch self {
            case .none: return []
            case .alternate: return Set(ids.enumerated().filter { $0.offset % 2 == 0 }.map(\.element))
            case .all: return Set(ids)
            }
        }
    }

    /// `state`'s shards, of `count`, read into its core leaving packed what `named` does not name.
    static func read(_ state: SovereigntyState, count: Int, named: Set<Identifier>) throws -> SovereigntyState {
        var read = try #require(SovereigntyState(checkpoint: state.checkpoint()))
        for (_, bytes) in state.shards(Array(0..<count), in: state.shardMap(of: count)).sorted(by: { $0.key < $1.key }) {
            let loaded = bytes.withUnsafeBytes { read.load(shard: $0, named: named) }
            try #require(loaded)
        }
        return read
    }

    static func record(_ line: String, seq: Int) throws -> Record {
        let input = try EventDecoder.decodeInput(Array(line.utf8)[...])
        return Record(
            seq: seq, recorded: Instant(rfc3339: "2026-01-05T09:00:00Z")!, envelope: input.envelope, prev: Record.genesisPrev)
    }

    @Test(arguments: [1, 64, 4096], Naming.allCases)
    func shardsWriteBackAsTheyWereRead(_ count: Int, _ naming: Naming) throws {
        for (name, state) in try ShardMapTests.states() {
            let named = naming.named(in: state)
            let read = try Self.read(state, count: count, named: named)
            #expect(read.world.proposals.count == named.count, "\(name)")
            #expect(read.packedProposals.count == state.world.proposals.count - named.count, "\(name)")
            let all = Array(0..<count)
            let again = read.shards(all, in: read.shardMap(of: count))
            let expected = state.shards(all, in: state.shardMap(of: count))
            #expect(ShardMapTests.difference(again, expected) == nil, "\(name), \(naming), \(count) shards")
        }
    }

    /// A record's own proposal is unpacked once, as the whole state has it;
    /// a proposal no record names stays packed.
    @Test func aRecordUnpacksItsProposalOnce() throws {
        for (name, state) in try ShardMapTests.states() {
            var read = try Self.read(state, count: 64, named: [])
            for (index, id) in Identifier.sorted(state.world.proposals.keys).enumerated() {
                let decision = try Self.record(E.decide(id.raw, "darlington", "approve", "2020-01-01"), seq: state.world.head + 1)
                let first = read.unpack(for: decision)
                let second = read.unpack(for: decision)
                #expect(first == .unpacked, "\(name), \(id)")
                #expect(second == .nothing, "\(name), \(id) unpacked twice")
                #expect(read.packedProposals.count == state.world.proposals.count - index - 1, "\(name)")
            }
            let unrelated = try Self.record(E.register("elsewhere"), seq: state.world.head + 1)
            let none = read.unpack(for: unrelated)
            #expect(none == .nothing)
            #expect(read.world.checkpointBytes() == state.world.checkpointBytes() ? true : false, "\(name)")
        }
    }

    /// A retraction can undo anything, so it unpacks everything.
    @Test func aRetractionUnpacksEveryProposal() throws {
        for (name, state) in try ShardMapTests.states() where !state.world.proposals.isEmpty {
            var read = try Self.read(state, count: 16, named: [])
            let retraction = try Self.record(E.retract(1, "2020-01-01"), seq: state.world.head + 1)
            let first = read.unpack(for: retraction)
            #expect(first == .unpacked, "\(name)")
            #expect(read.packedProposals.isEmpty, "\(name)")
            let second = read.unpack(for: retraction)
            #expect(second == .nothing, "\(name)")
            #expect(read.world.checkpointBytes() == state.world.checkpointBytes() ? true : false, "\(name)")
        }
    }

    /// A packed proposal is held to the head of the shard it came from, as
    /// reading that shard whole holds it: a seq past it (possible only in bytes
    /// made so) is refused when unpacked, though the state's own head is later.
    @Test func aPackedProposalIsHeldToItsOwnShardsHead() throws {
        let state = try #require(try ShardMapTests.states().first { !$0.state.world.proposals.isEmpty }?.state)
        let id = Identifier.sorted(state.world.proposals.keys)[0]
        var late = state.world.proposals[id]!
        late.seq = state.world.head - 2
        var listing = World.CheckpointListing(head: state.world.head - 5)
        listing.proposals = [(id, late)]
        let bytes = SovereigntyState.shardBytes(listing, owners: [(seq: Int, council: Identifier)]())
        #expect(ShardPartTests.part(bytes, named: nil) == nil, "read whole, the shard is refused")
        var read = try #require(SovereigntyState(checkpoint: state.checkpoint()))
        let loaded = bytes.withUnsafeBytes { read.load(shard: $0, named: []) }
        try #require(loaded, "read with the proposal packed, it is stepped over")
        let decision = try Self.record(E.decide(id.raw, "darlington", "approve", "2020-01-01"), seq: state.world.head + 1)
        let unpacked = read.unpack(for: decision)
        #expect(unpacked == .unreadable)
    }

    /// A proposal read packed from one part and decoded from another (a
    /// shard taken twice) is refused, as any entry taken twice is.
    @Test func aProposalPackedAndDecodedIsRefused() throws {
        var refused = 0
        for (name, state) in try ShardMapTests.states() {
            for (index, bytes) in state.shards(Array(0..<4), in: state.shardMap(of: 4)) {
                var read = try #require(SovereigntyState(checkpoint: state.checkpoint()))
                var packed = try #require(ShardPartTests.part(bytes, named: []))
                var decoded = try #require(ShardPartTests.part(bytes, named: nil))
                guard packed.packed.count > 0 else { continue }
                let first = read.merge(&packed)
                let second = read.merge(&decoded)
                #expect(first, "\(name), shard \(index)")
                #expect(!second, "\(name), shard \(index): a proposal both packed and decoded")
                refused += 1
            }
        }
        #expect(refused > 0, "no sample shard held a proposal")
    }

    /// Seeded: 10,000 shards damaged inside a proposal. Reading steps over a
    /// packed proposal, so damage inside one is found only when it is
    /// unpacked: then it is refused, or it decodes to a proposal that writes
    /// back as exactly the damaged bytes (another whole value, which the
    /// shard's seal is there to catch). Nothing is changed silently.
    @Test(arguments: [UInt64(0x9A4C_0001), 0x9A4C_0002])
    func damageInAPackedProposalIsFoundWhenUnpacked(_ seed: UInt64) throws {
        var pool: [(state: SovereigntyState, bytes: [UInt8], proposals: [Range<Int>])] = []
        for (_, state) in try ShardMapTests.states() {
            for (_, bytes) in state.shards(Array(0..<8), in: state.shardMap(of: 8)) {
                let proposals = Self.proposalRanges(in: bytes)
                if !proposals.isEmpty { pool.append((state, bytes, proposals)) }
            }
        }
        try #require(!pool.isEmpty)
        var random = SplitMix64(seed: seed)
        var refused = 0, taken = 0
        for round in 0..<5_000 {
            let (state, original, proposals) = random.pick(pool)
            var bytes = original
            let range = random.pick(proposals)
            let at = random.int(range.lowerBound...(range.upperBound - 1))
            bytes[at] ^= UInt8(1) << UInt8(random.int(0...7))
            var read = try #require(SovereigntyState(checkpoint: state.checkpoint()))
            guard bytes.withUnsafeBytes({ read.load(shard: $0, named: []) }) else { continue }
            let retraction = try Self.record(E.retract(1, "2020-01-01"), seq: state.world.head + 1)
            switch read.unpack(for: retraction) {
            case .unreadable:
                refused += 1
            case .unpacked, .nothing:
                taken += 1
                // Written whole rather than through the shard map: damage to an id can
                // make one that falls in another shard, which is still no silent change.
                let owners = read.noticeOwners.keys.sorted().map { (seq: $0, council: read.noticeOwners[$0]!) }
                // The shard's own entries: the core's latest date and retractions are not written in shards.
                var listing = World.CheckpointListing(read.world)
                listing.latestEffective = nil
                listing.retracted = []
                guard SovereigntyState.shardBytes(listing, owners: owners) == bytes else {
                    Issue.record("seed \(seed), round \(round): a damaged packed proposal unpacked as something else")
                    return
                }
            }
        }
        // About 1,550 refused and 3,250 taken a seed: both sides are exercised.
        #expect(refused > 1_000 && taken > 1_000, "seed \(seed): \(refused) damaged proposals refused, \(taken) taken")
    }

    /// Where each proposal lies in a shard's bytes, found by reading the
    /// shard with every proposal packed and locating each one's bytes.
    static func proposalRanges(in bytes: [UInt8]) -> [Range<Int>] {
        guard let part = ShardPartTests.part(bytes, named: []) else { return [] }
        var ranges: [Range<Int>] = []
        for index in 0..<part.packed.count {
            let (_, proposal) = part.packed[index]
            var written: [UInt8] = []
            var writer = PackedWriter(appendingTo: &written)
            proposal.write(into: &writer)
            writer.finish(into: &written)
            guard let start = Self.firstIndex(of: written, in: bytes) else { continue }
            ranges.append(start..<(start + written.count))
        }
        return ranges
    }

    static func firstIndex(of needle: [UInt8], in haystack: [UInt8]) -> Int? {
        guard needle.count <= haystack.count else { return nil }
        for start in 0...(haystack.count - needle.count) where haystack[start..<(start + needle.count)].elementsEqual(needle) {
            return start
        }
        return nil
    }
}
