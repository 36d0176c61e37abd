import Events
import Ledger
import Projections
import Testing
import TestSupport

@testable import Sovereignty

/// An append reads the shards it needs by position
/// (`SovereigntyState+ShardText.swift`). Whatever that reader takes, it must
/// read as the tree reader does; whatever it declines (nil, with nothing
/// changed), the tree reader decides.
@Suite struct ShardTextTests {
    static func tree(_ text: [UInt8], into state: inout SovereigntyState) -> Bool {
        guard let value = try? JSONParser.parse(text) else { return false }
        return state.load(shard: value)
    }

    static func byPosition(_ text: [UInt8], into state: inout SovereigntyState) -> Bool? {
        text.withUnsafeBytes { state.load(shardText: $0) }
    }

    /// Every shard of every sample state, at three shard counts, is taken by
    /// position and makes the same state as the tree.
    @Test(arguments: [1, 64, 4096])
    func everyShardIsTakenAndReadAsTheTreeReadsIt(_ count: Int) throws {
        for (name, state) in try ShardMapTests.states() {
            var byTree = try #require(SovereigntyState(checkpoint: state.checkpoint()))
            var byText = byTree
            let shards = state.shards(Array(0..<count), in: state.shardMap(of: count))
            for (index, text) in shards.sorted(by: { $0.key < $1.key }) {
                #expect(Self.tree(text, into: &byTree), "\(name), shard \(index)")
                #expect(Self.byPosition(text, into: &byText) == true, "\(name), shard \(index) was not taken by position")
            }
            let all = Array(0..<count)
            #expect(byText.shards(all, in: byText.shardMap(of: count)) == shards, "\(name), \(count) shards")
            #expect(byTree.shards(all, in: byTree.shardMap(of: count)) == shards, "\(name), \(count) shards")
        }
    }

    /// Seeded: 20,000 damaged shard texts. Where the reader by position takes
    /// one, the tree reader gives the same answer and the same state; where
    /// it declines, the state is unchanged.
    @Test(arguments: [UInt64(0x5A4D_0001), 0x5A4D_0002])
    func damagedShardsNeverReadDifferently(_ seed: UInt64) throws {
        let states = try ShardMapTests.states()
        var pool: [(base: SovereigntyState, text: [UInt8])] = []
        for (_, state) in states {
            let base = try #require(SovereigntyState(checkpoint: state.checkpoint()))
            for (_, text) in state.shards(Array(0..<8), in: state.shardMap(of: 8)) { pool.append((base, text)) }
        }
        var random = SplitMix64(seed: seed)
        var taken = 0
        for round in 0..<10_000 {
            let (base, original) = random.pick(pool)
            let text = LineDamage.damaged(original, &random)
            var byText = base, byTree = base
            let fast = Self.byPosition(text, into: &byText)
            let everything = Array(0..<8)
            guard let fast else {
                #expect(
                    byText.shards(everything, in: byText.shardMap(of: 8)) == base.shards(everything, in: base.shardMap(of: 8)),
                    "seed \(seed), round \(round): declined but changed the state")
                continue
            }
            taken += 1
            let slow = Self.tree(text, into: &byTree)
            guard fast == slow,
                !fast || byText.shards(everything, in: byText.shardMap(of: 8)) == byTree.shards(everything, in: byTree.shardMap(of: 8))
            else {
                Issue.record("seed \(seed), round \(round): \(String(decoding: text, as: UTF8.self).prefix(400))")
                return
            }
        }
        #expect(taken > 1_000, "seed \(seed): only \(taken) damaged shards were taken")
    }
}
