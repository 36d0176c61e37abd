import Testing
import TestSupport

@testable import Ledger

/// A large batch makes room, an eighth of the way through, for the entries
/// the rest of it will load (`CheckpointCache+Room.swift`). The estimate only
/// sizes tables, but a wrong one costs: too small and the tables regrow, too
/// large and pages are touched for nothing.
@Suite struct ExpectedGrowthTests {
    /// (shards loaded, of shards, inputs judged, of inputs, expected factor).
    static let cases: [(Int, Int, Int, Int, Double)] = [
        (0, 65_536, 12_500, 100_000, 1),  // nothing loaded yet: no rate to go by
        (100, 65_536, 0, 100_000, 1),  // nothing judged
        (100, 65_536, 100_000, 100_000, 1),  // nothing left to judge
        (65_536, 65_536, 12_500, 100_000, 1),  // every shard loaded already
        (32_768, 65_536, 1, 8, 1.9921875),  // half at an eighth: 1 - 1/2^8 of them by the end
        (1, 1 << 30, 1, 8, 8),  // a rate far from saturating grows with the inputs
        // The 10th 100,000-record batch onto 900,000 records: 5,773 shards
        // loaded at input 12,500 and 24,170 at the end (4.19 times as many);
        // the estimate errs high, within the same power of two of buckets.
        (5_773, 65_536, 12_500, 100_000, 5.9234),
    ]

    @Test(arguments: cases)
    func growthIsEstimatedFromTheRateSoFar(_ loaded: Int, _ shards: Int, _ judged: Int, _ count: Int, _ expected: Double) {
        let factor = CheckpointCache<UncheckedState>.expectedGrowth(
            shardsLoaded: loaded, of: shards, inputsJudged: judged, of: count)
        #expect(abs(factor - expected) < 0.0001, "\(loaded) of \(shards) shards after \(judged) of \(count): \(factor)")
    }

    /// Seeded: whatever the rate, the estimate is at least 1 and at most the
    /// growth in inputs judged, and, once anything is loaded (before, there
    /// is no rate and no room is made), loading more so far never predicts more growth.
    @Test(arguments: [UInt64(0x600D_0001), 0x600D_0002])
    func growthStaysBetweenNothingAndTheInputs(_ seed: UInt64) {
        var random = SplitMix64(seed: seed)
        for round in 0..<5_000 {
            let shards = random.int(1...(1 << 16))
            let count = random.int(2...200_000)
            let judged = random.int(1...(count - 1))
            let loaded = random.int(1...shards)
            let factor = CheckpointCache<UncheckedState>.expectedGrowth(
                shardsLoaded: loaded, of: shards, inputsJudged: judged, of: count)
            let more = CheckpointCache<UncheckedState>.expectedGrowth(
                shardsLoaded: min(shards, loaded + 1), of: shards, inputsJudged: judged, of: count)
            guard factor >= 1, factor <= Double(count) / Double(judged) + 1e-9, more <= factor + 1e-9 else {
                Issue.record("seed \(seed), round \(round): \(loaded) of \(shards) after \(judged) of \(count) gave \(factor), then \(more)")
                return
            }
        }
    }

    /// (input index, of inputs, makes room): once, an eighth of the way
    /// through a batch of at least `roomMinimumInputs`.
    static let moments: [(Int, Int, Bool)] = [
        (12_500, 100_000, true), (12_499, 100_000, false), (12_501, 100_000, false), (0, 100_000, false),
        (1_024, 8_192, true), (1_023, 8_191, false), (0, 1, false),
    ]

    @Test(arguments: moments)
    func roomIsMadeOnceAnEighthOfTheWayThroughALargeBatch(_ index: Int, _ count: Int, _ makesRoom: Bool) {
        #expect(CheckpointCache<UncheckedState>.makesRoom(at: index, of: count) == makesRoom)
    }
}
