import Foundation
import Testing
import TestSupport

@testable import Ledger

/// A large batch makes room, an eighth of the way through, for the entries
/// the rest of it will load (`CheckpointCache+Room.swift`). The estimate only
/// sizes tables, but a wrong one costs: too small and the tables regrow, too
/// large and pages are touched for nothing.
@Suite struct ExpectedGrowthTests {
    /// (shards loaded, of shards, inputs judged, of inputs, expected growth in
    /// 65,536ths, or nil for none).
    static let cases: [(Int, Int, Int, Int, Int?)] = [
        (0, 65_536, 12_500, 100_000, nil),  // nothing loaded yet: no rate to go by
        (100, 65_536, 0, 100_000, nil),  // nothing judged
        (100, 65_536, 100_000, 100_000, nil),  // nothing left to judge
        (65_536, 65_536, 12_500, 100_000, nil),  // every shard loaded already
        (1, 1 << 21, 1, 8, nil),  // more shards than the sums are made for
        (32_768, 65_536, 1, 8, 130_560),  // half at an eighth: 1 - 1/2^8 of them by the end, 1.9921875 times
        (1, 65_536, 1, 8, 524_260),  // a rate far from saturating grows nearly with the inputs (7.9996 times)
        // The 10th 100,000-record batch onto 900,000 records, in 65,536 shards: 5,773
        // shards loaded at input 12,500 and 24,170 at the end (4.19 times as many);
        // the estimate (5.9234 times) errs high, within the same power of two of buckets.
        (5_773, 65_536, 12_500, 100_000, 388_197),
    ]

    @Test(arguments: cases)
    func growthIsEstimatedFromTheRateSoFar(_ loaded: Int, _ shards: Int, _ judged: Int, _ count: Int, _ expected: Int?) {
        let growth = CheckpointCache<UncheckedState>.expectedGrowth(
            shardsLoaded: loaded, of: shards, inputsJudged: judged, of: count)
        #expect(growth?.per65536 == expected, "\(loaded) of \(shards) shards after \(judged) of \(count)")
    }

    /// Seeded: whatever the rate, the estimate is more than 1 and at most the
    /// growth in inputs judged, and, once anything is loaded (before, there
    /// is no rate and no room is made), loading more so far never predicts more growth.
    @Test(arguments: [UInt64(0x600D_0001), 0x600D_0002])
    func growthStaysBetweenNothingAndTheInputs(_ seed: UInt64) {
        var random = SplitMix64(seed: seed)
        for round in 0..<5_000 {
            let shards = random.int(1...(1 << 20))
            let count = random.int(2...200_000)
            let judged = random.int(1...(count - 1))
            let loaded = random.int(1...shards)
            let growth = CheckpointCache<UncheckedState>.expectedGrowth(
                shardsLoaded: loaded, of: shards, inputsJudged: judged, of: count)
            let more = CheckpointCache<UncheckedState>.expectedGrowth(
                shardsLoaded: min(shards, loaded + 1), of: shards, inputsJudged: judged, of: count)
            let (per65536, morePer65536) = (growth?.per65536 ?? 65_536, more?.per65536 ?? 65_536)
            guard growth.map({ $0.per65536 > 65_536 }) ?? true, per65536 <= count / judged * 65_536, morePer65536 <= per65536 else {
                Issue.record("seed \(seed), round \(round): \(loaded) of \(shards) after \(judged) of \(count) gave \(per65536), then \(morePer65536) (65,536ths)")
                return
            }
        }
    }

    /// (growth in 65,536ths, entries, entries grown): rounded up, and never past `Int.max`.
    static let applications: [(Int, Int, Int)] = [
        (98_304, 0, 0), (98_304, 3, 5), (98_304, 4, 6), (65_537, 1, 2), (4 << 16, 104_000, 416_000),
        (64 << 16, Int.max / 2, Int.max),
    ]

    @Test(arguments: applications)
    func growthAppliesRoundedUp(_ per65536: Int, _ entries: Int, _ grown: Int) {
        #expect(Growth(per65536: per65536).applied(to: entries) == grown)
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

    /// At the edges of 1...2^20 shards and for rounds up to 199,999: no
    /// trap, never more than the inputs grow, and within a thousandth of the
    /// formula worked in real numbers (a test may; the estimate itself may not).
    @Test func edgesStayCloseToTheFormula() {
        var shardCounts: [Int] = [1, 2, 3, 5, 255, 256, 257, 65_535, 65_536, 65_537, 131_071, 1 << 18, (1 << 20) - 1, 1 << 20]
        shardCounts += stride(from: 1, through: 1 << 20, by: 4099).map { $0 }
        var worst = 0.0, calls = 0
        for s in shardCounts {
            for loaded in Set([1, 2, max(1, s / 3), max(1, s - 1), s, s + 7]) {
                for (judged, count) in [(1, 2), (1, 9), (12_500, 100_000), (3, 200_000), (1, 200_000), (7, 7 * 1_000_003)] {
                    calls += 1
                    let growth = CheckpointCache<UncheckedState>.expectedGrowth(shardsLoaded: loaded, of: s, inputsJudged: judged, of: count)
                    let l = Double(min(loaded, s)), rounds = Double(count / judged)
                    let exact = min((1 - pow(1 - l / Double(s), rounds)) * Double(s) / l, rounds) * 65_536
                    let got = Double(growth?.per65536 ?? 65_536)
                    if exact > 65_537 {
                        worst = max(worst, abs(got - exact) / exact)
                        #expect(abs(got - exact) / exact < 1e-3, "s \(s) loaded \(loaded) judged \(judged) count \(count): \(got) vs \(exact)")
                    }
                    #expect(got <= rounds * 65_536)
                }
            }
        }
        #expect(calls > 9_000 && worst < 1e-3)
    }
}
