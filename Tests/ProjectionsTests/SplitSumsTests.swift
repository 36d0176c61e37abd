import Events
import Testing
import TestSupport

@testable import Projections

/// A split's exact sums are worked over one common denominator when the
/// numbers fit, fraction by fraction otherwise: both ways must give the same
/// fractions, and the first must step aside (nil), never wrap, when they do not fit.
@Suite struct SplitSumsTests {
    static let councils: [Identifier] = ["c1", "c10", "c2", "c-a", "ca"]

    static func segments(_ random: inout SplitMix64, huge: Bool) -> [PostSplit.Segment] {
        let start = CalendarDate(dayNumber: random.int(15_000...20_000))
        return (0..<random.int(1...8)).map { _ in
            let weights = random.chance(1, in: 6) ? nil : (0..<random.int(1...4)).map { _ in
                Weight(council: random.pick(councils), weight: Int64(random.int(huge ? 1...2_000_000_000 : 0...400_000)))
            }
            let annual = Int64(random.int(huge ? 1...Int(Int64.max / 4) : 0...50_000_000))
            return PostSplit.Segment(
                from: start, to: start.adding(days: random.int(0...365)), yearDays: random.pick([365, 366]),
                cost: CostEntry(annualPence: annual, onCostBasisPoints: Int64(random.int(0...9_999))),
                shares: weights.map { ShareEntry(basis: .equal, weights: $0, proposal: "p") },
                leavers: councils.filter { _ in random.chance(1, in: 5) }, exactPence: .zero)
        }
    }

    @Test func bothWaysOfSummingAgree() {
        let seed: UInt64 = 0x5E6_5C0_0000_0001
        var random = SplitMix64(seed: seed)
        var common = 0, steppedAside = 0
        for round in 0..<4_000 {
            var viaCommon = Self.segments(&random, huge: round % 4 == 3)
            var viaFractions = viaCommon
            let fast = Splits.commonDenominatorSums(&viaCommon)
            let slow = try? Splits.fractionSums(&viaFractions)
            guard let fast else {
                steppedAside += 1
                continue
            }
            common += 1
            guard fast == slow, viaCommon.map(\.exactPence) == viaFractions.map(\.exactPence) else {
                Issue.record("seed \(seed), round \(round): the two ways of summing differ")
                return
            }
        }
        // A few segments fit; many segments of different total weights, or amounts
        // near the limits of Int64, outgrow 128 bits together: both ways are exercised.
        #expect(common > 1_000 && steppedAside > 1_000, "\(common) summed over a common denominator, \(steppedAside) not")
    }
}

/// Posts worked out in chunks, in whatever order a runner takes the chunks,
/// come back in post id order, the same as one pass.
@Suite struct SplitChunksTests {
    @Test func chunksInAnyOrderGiveTheSplitsOfOnePass() throws {
        var random = SplitMix64(seed: 0xC4_0C5_0000_0001)
        let world = CheckpointLayoutTests.postsHeavyWorld(&random, posts: 300...300)
        let (from, to) = (CalendarDate(year: 2015, month: 4, day: 1)!, CalendarDate(year: 2016, month: 3, day: 31)!)
        let backwards: Cores.Runner = { count, chunk, work in
            for start in stride(from: 0, to: count, by: chunk).reversed() { work(start..<min(count, start + chunk)) }
        }
        let onePass = try Splits.compute(world, from: from, to: to)
        let chunked = try Splits.compute(world, from: from, to: to, runner: backwards)
        #expect(onePass.count > Splits.postsPerChunk, "too few posts with cost to fill two chunks")
        #expect(chunked.map(\.post) == onePass.map(\.post))
        #expect(chunked.map(\.penceByCouncil) == onePass.map(\.penceByCouncil))
        let counts = try Splits.chunks(world, from: from, to: to, runner: backwards, start: 0) { count, _ in count += 1 }
        #expect(counts.count > 1 && counts.reduce(0, +) == onePass.count)
    }
}
