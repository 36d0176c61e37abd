import Events
import Testing
import TestSupport

@testable import Projections

/// A proposal's positions are a sorted array rather than a dictionary
/// (`Positions`). These hold it to what the dictionary did, under seeded
/// random changes, and to the order the checkpoint lists councils in.
@Suite struct PositionsTests {
    static let councils: [Identifier] = ["a", "a-1", "ab", "b", "c0128", "c0129", "c1", "z"]

    static func position(_ seq: Int) -> Position {
        Position(decision: seq % 3 == 0 ? .reject : .approve, source: .decided, body: "Cabinet \(seq)")
    }

    static func seqs(_ timeline: Timeline<Position>?) -> [Int]? { timeline.map { $0.entries.map(\.seq) } }

    @Test(arguments: [UInt64(7), 8, 9])
    func changesAsADictionaryWould(_ seed: UInt64) {
        var random = SplitMix64(seed: seed)
        var positions = Positions()
        var reference: [Identifier: Timeline<Position>] = [:]
        for seq in 1...400 {
            let council = random.pick(Self.councils)
            switch random.int(0...3) {
            case 0, 1:
                // A committee's vote gives one record's position to several councils.
                for council in [council] + (random.chance(1, in: 3) ? [random.pick(Self.councils)] : []) {
                    positions[council, default: Timeline()].insert(Self.position(seq), effective: .init(dayNumber: seq), seq: seq)
                    reference[council, default: Timeline()].insert(Self.position(seq), effective: .init(dayNumber: seq), seq: seq)
                }
            case 2:
                let removed = random.int(1...seq)
                var any = false
                for key in Array(reference.keys) where reference[key]!.remove(seq: removed) { any = true }
                guard positions.remove(seq: removed) == any else {
                    Issue.record("seed \(seed), seq \(seq): removing \(removed) answered otherwise")
                    return
                }
            default:
                let timeline = random.chance(1, in: 2) ? nil : reference[random.pick(Self.councils)]
                positions[council] = timeline
                reference[council] = timeline
            }
            let same =
                positions.councils == Identifier.sorted(reference.keys)
                && Self.councils.allSatisfy { Self.seqs(positions[$0]) == Self.seqs(reference[$0]) }
            guard same else {
                Issue.record("seed \(seed), seq \(seq): \(positions.councils) against \(Identifier.sorted(reference.keys))")
                return
            }
        }
    }

    /// Councils read in order are taken as they come; the first read of a
    /// council's position names it wherever it falls in byte order.
    @Test func councilsStayInByteOrder() {
        var positions = Positions()
        for (seq, council) in ["c1", "a-1", "z", "ab", "a"].enumerated() {
            positions[Identifier(council)!, default: Timeline()].insert(Self.position(seq + 1), effective: .init(dayNumber: 1), seq: seq + 1)
        }
        #expect(positions.councils.map(\.raw) == ["a", "a-1", "ab", "c1", "z"])
        #expect(positions["ab"]?.entries.map(\.seq) == [4])
        #expect(positions["b"] == nil)
    }

    /// A retraction leaves a council's emptied timeline in place, as the checkpoint has always listed it.
    @Test func aRetractedPositionLeavesAnEmptyTimeline() {
        var positions = Positions()
        positions["a", default: Timeline()].insert(Self.position(1), effective: .init(dayNumber: 1), seq: 1)
        let first = positions.remove(seq: 1)
        #expect(first)
        #expect(positions.count == 1 && positions["a"]?.isEmpty == true)
        let again = positions.remove(seq: 1)
        #expect(!again)
    }
}
