import Events
import Ledger
import Projections
import Testing
import TestSupport

@testable import Sovereignty

/// An append reads the shards it needs apart from the state
/// (`SovereigntyState+ShardPart.swift`), from the packed layout. Every shard
/// a save writes must read back into the same state; damaged bytes must be
/// refused, or be exactly the bytes of whatever they read as, so that nothing
/// in a shard is dropped or changed silently.
@Suite struct ShardPartTests {
    /// Every shard of every sample state, at three shard counts, read into
    /// the state's core, makes a state whose shards are the same bytes.
    @Test(arguments: [1, 64, 4096])
    func everyShardReadsBackIntoTheSameState(_ count: Int) throws {
        for (name, state) in try ShardMapTests.states() {
            var read = try #require(SovereigntyState(checkpoint: state.checkpoint()))
            let shards = state.shards(Array(0..<count), in: state.shardMap(of: count))
            for (index, bytes) in shards.sorted(by: { $0.key < $1.key }) {
                #expect(bytes.withUnsafeBytes { read.load(shard: $0) }, "\(name), shard \(index)")
            }
            let all = Array(0..<count)
            #expect(read.shards(all, in: read.shardMap(of: count)) == shards, "\(name), \(count) shards")
            #expect(read.world.checkpointBytes() == state.world.checkpointBytes(), "\(name), \(count) shards")
            #expect(read.noticeOwners == state.noticeOwners, "\(name), \(count) shards")
        }
    }

    /// Every byte counts: a shard cut short anywhere, or with a byte added at
    /// the end, is refused.
    @Test func aShardCutShortOrRunOnIsRefused() throws {
        for (name, state) in try ShardMapTests.states() {
            for (index, bytes) in state.shards(Array(0..<8), in: state.shardMap(of: 8)) {
                for end in 0..<bytes.count {
                    #expect(Self.part(Array(bytes[..<end])) == nil, "\(name), shard \(index) cut to \(end) bytes")
                }
                #expect(Self.part(bytes + [0]) == nil, "\(name), shard \(index) with a byte added")
            }
        }
    }

    /// Seeded: 20,000 damaged shards. Whatever the reader takes is written
    /// back as exactly the damaged bytes: the reader takes only what the
    /// writer would write, so damage is refused or is another whole value
    /// (which the shard's seal is there to catch).
    @Test(arguments: [UInt64(0x5A4D_0001), 0x5A4D_0002])
    func damagedShardsAreRefusedOrReadExactly(_ seed: UInt64) throws {
        var pool: [[UInt8]] = []
        for (_, state) in try ShardMapTests.states() {
            pool += state.shards(Array(0..<8), in: state.shardMap(of: 8)).values
        }
        var random = SplitMix64(seed: seed)
        var taken = 0
        for round in 0..<10_000 {
            let original = random.pick(pool)
            var bytes = LineDamage.damaged(original, &random)
            if random.int(0...1) == 0 {  // and a flipped bit, the damage binary meets most
                let at = random.int(0...(bytes.count - 1))
                bytes[at] ^= UInt8(1) << UInt8(random.int(0...7))
            }
            guard let part = Self.part(bytes) else { continue }
            taken += 1
            let again = SovereigntyState.shardBytes(World.CheckpointListing(part.world), owners: part.owners)
            guard again == bytes else {
                Issue.record("seed \(seed), round \(round): read a damaged shard that writes back otherwise")
                return
            }
        }
        #expect(taken > 100, "seed \(seed): only \(taken) damaged shards were read")
    }

    /// A part's entries are moved into the state, not copied: the part is
    /// left with nothing in it, and the state has them all.
    @Test func mergingMovesEveryEntryOutOfThePart() throws {
        for (name, state) in try ShardMapTests.states() {
            var read = try #require(SovereigntyState(checkpoint: state.checkpoint()))
            for (index, bytes) in state.shards(Array(0..<16), in: state.shardMap(of: 16)) {
                var part = try #require(Self.part(bytes), "\(name), shard \(index)")
                let merged = read.merge(&part)
                #expect(merged, "\(name), shard \(index)")
                let left = part.world
                #expect(
                    left.councils.isEmpty && left.notices.isEmpty && left.agreements.isEmpty && left.proposals.isEmpty
                        && left.posts.isEmpty && left.contracts.isEmpty, "\(name), shard \(index): entries left in the part")
            }
            #expect(read.world.checkpointBytes() == state.world.checkpointBytes(), "\(name)")
        }
    }

    /// A shard merged twice holds entries the state already has: refused,
    /// so the appender rebuilds rather than judge by a state it cannot trust.
    @Test func aShardMergedTwiceIsRefused() throws {
        var refused = 0
        for (name, state) in try ShardMapTests.states() {
            var read = try #require(SovereigntyState(checkpoint: state.checkpoint()))
            for (index, bytes) in state.shards(Array(0..<4), in: state.shardMap(of: 4)) {
                var first = try #require(Self.part(bytes))
                var again = try #require(Self.part(bytes))
                let entries = first.world.councils.count + first.world.proposals.count + first.world.posts.count
                    + first.world.agreements.count + first.world.contracts.count + first.world.notices.count
                let merged = read.merge(&first)
                #expect(merged, "\(name), shard \(index)")
                guard entries > 0 else { continue }
                let mergedAgain = read.merge(&again)
                #expect(!mergedAgain, "\(name), shard \(index) taken twice")
                refused += 1
            }
        }
        #expect(refused > 0, "no sample shard held an entry")
    }

    /// Room made for a batch changes how much the tables hold, nothing else.
    @Test(arguments: [Growth(per65536: 98_304), Growth(per65536: 4 << 16), Growth(per65536: 64 << 16)])
    func roomMadeChangesNothingButCapacity(_ growth: Growth) throws {
        for (name, state) in try ShardMapTests.states() {
            var roomy = state
            roomy.reserveRoom(growing: growth)
            let proposals = roomy.world.proposals
            #expect(proposals.capacity >= growth.applied(to: proposals.count), "\(name)")
            #expect(roomy.world.checkpointBytes() == state.world.checkpointBytes(), "\(name)")
            #expect(roomy.shards(Array(0..<64), in: roomy.shardMap(of: 64)) == state.shards(Array(0..<64), in: state.shardMap(of: 64)))
        }
    }

    /// The notice owners as `shards` writes them: in increasing seq, each
    /// within the world's head. Anything else is refused.
    static let ownerLists: [([Int], Bool)] = [([3, 9], true), ([9, 3], false), ([3, 3], false), ([0], false), ([11], false)]

    @Test(arguments: ownerLists)
    func noticeOwnersAreTakenOnlyAsWritten(_ seqs: [Int], _ taken: Bool) {
        let owners = seqs.map { (seq: $0, council: Identifier("redcar")) }
        var world = World()
        world.head = 10
        let bytes = SovereigntyState.shardBytes(World.CheckpointListing(world), owners: owners)
        #expect((Self.part(bytes) != nil) == taken)
    }

    static func part(_ bytes: [UInt8], named: Set<Identifier>? = nil) -> SovereigntyState.ShardPart? {
        bytes.withUnsafeBytes { SovereigntyState.part(ofShard: $0, named: named) }
    }
}
