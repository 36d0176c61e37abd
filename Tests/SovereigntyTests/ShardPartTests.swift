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

    static func part(_ bytes: [UInt8]) -> SovereigntyState.ShardPart? {
        bytes.withUnsafeBytes { SovereigntyState.part(ofShard: $0) }
    }
}
