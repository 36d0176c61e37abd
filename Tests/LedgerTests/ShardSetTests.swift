import Testing
import TestSupport

@testable import Ledger

/// The loaded and changed shards of an append, a bit each (`ShardSet`):
/// it must answer as a hashed set of the same numbers would.
@Suite struct ShardSetTests {
    /// (capacity, numbers inserted, ascending contents): words' edges, repeats, the last number.
    static let cases: [(Int, [Int], [Int])] = [
        (0, [], []),
        (1, [0, 0], [0]),
        (64, [63, 0, 63], [0, 63]),
        (65, [64, 63, 1], [1, 63, 64]),
        (1 << 16, [65_535, 64, 65_535, 128, 0], [0, 64, 128, 65_535]),
    ]

    @Test(arguments: cases)
    func holdsEachNumberOnceInOrder(_ capacity: Int, _ inserted: [Int], _ contents: [Int]) {
        var set = ShardSet(capacity: capacity)
        var fresh = 0
        for index in inserted where set.insert(index) { fresh += 1 }
        #expect(set.sorted() == contents)
        #expect(set.count == contents.count && fresh == contents.count)
        #expect(set.isEmpty == contents.isEmpty)
        for index in -1...(capacity + 1) { #expect(set.contains(index) == contents.contains(index), "\(index)") }
        set.checkInvariants()
    }

    /// Seeded: random inserts and unions, against `Set<Int>` after every step.
    @Test(arguments: [UInt64(0x5E70_0001), 0x5E70_0002])
    func answersAsAHashedSetWould(_ seed: UInt64) {
        var random = SplitMix64(seed: seed)
        for round in 0..<200 {
            let capacity = random.int(1...5_000)
            var bits = ShardSet(capacity: capacity)
            var hashed: Set<Int> = []
            for _ in 0..<random.int(0...300) {
                switch random.int(0...3) {
                case 0:
                    var other = ShardSet(capacity: capacity)
                    var otherHashed: Set<Int> = []
                    for _ in 0..<random.int(0...50) {
                        let index = random.int(0...(capacity - 1))
                        other.insert(index)
                        otherHashed.insert(index)
                    }
                    bits.formUnion(other)
                    hashed.formUnion(otherHashed)
                case 1:
                    let indices = (0..<random.int(0...8)).map { _ in random.int(0...(capacity - 1)) }
                    bits.formUnion(indices)
                    hashed.formUnion(indices)
                default:
                    let index = random.int(0...(capacity - 1))
                    #expect(bits.insert(index) == hashed.insert(index).inserted)
                }
                bits.checkInvariants()
            }
            guard bits.sorted() == hashed.sorted(), bits.count == hashed.count else {
                Issue.record("seed \(seed), round \(round): \(bits.count) bits against \(hashed.count) numbers")
                return
            }
            let probe = random.int(0...(capacity - 1))
            #expect(bits.contains(probe) == hashed.contains(probe))
            bits.removeAll()
            #expect(bits.isEmpty && bits.sorted().isEmpty)
        }
    }
}
