import Foundation
import Testing
import TestSupport

@testable import Ledger

/// An append points the table at the shards it changed (`ShardTable.set`),
/// in runs: a lone change one write, a run of them by reading its span,
/// patching it and writing it back. Either way every other entry must read back as it was.
@Suite struct ShardTableTests {
    static let count = 4096

    /// A table of `count` entries, some set at random, then `changes` set; what it reads back, and what it should.
    static func setting(_ changes: [Int], seed: UInt64) throws -> (read: [ShardTable.Entry]?, expected: [ShardTable.Entry]) {
        let temporary = try TemporaryDirectory("accord-table")
        var random = SplitMix64(seed: seed)
        var expected = (0..<count).map { _ in
            random.chance(1, in: 3) ? ShardTable.Entry(stamp: random.int(1...900), offset: random.int(0...1 << 30), length: random.int(1...4096)) : .empty
        }
        let table = try ShardTable.create(
            temporary.url.appendingPathComponent("table").path, generation: 0xACC0_5EED, entries: expected, head: 900)
        let set = changes.map { (index: $0, entry: ShardTable.Entry(stamp: 901, offset: random.int(0...1 << 30), length: random.int(1...4096))) }
        for change in set { expected[change.index] = change.entry }
        try table.set(set)
        return (table.all(), expected)
    }

    @Test(arguments: [
        (name: "one", changes: [7]),
        (name: "a few, far apart", changes: [0, 1000, count - 1]),
        (name: "many, dense: one run", changes: Array(stride(from: 100, to: 900, by: 3))),
        (name: "many, a page apart: one by one", changes: Array(stride(from: 0, to: count, by: 200))),
        (name: "every entry", changes: Array(0..<count)),
        (name: "a dense run and one far from it", changes: Array(0..<200) + [count - 1]),
        (name: "out of order, one shard twice: its last entry", changes: [900, 5, 9, 5, 7]),
    ])
    func everyOtherEntryIsKept(name: String, changes: [Int]) throws {
        let (read, expected) = try Self.setting(changes, seed: UInt64(changes.count))
        let firstWrong = read.map { read in expected.indices.first { read.indices.contains($0) && read[$0] != expected[$0] } } ?? 0
        #expect(read?.count == expected.count && firstWrong == nil, "\(name): entry \(firstWrong.map(String.init) ?? "-") differs")
    }

    /// (changed indices, ascending; the runs `set` writes them in, as positions).
    static let runCases: [([Int], [Range<Int>])] = [
        ([], []),
        ([7], [0..<1]),
        ([0, 1, 2], [0..<3]),
        ([0, 171], [0..<2]),  // 170 unchanged entries between: one write
        ([0, 172], [0..<1, 1..<2]),  // 171 between: two
        ([5, 5, 9], [0..<3]),
        ([0, 100, 400, 401, 1000], [0..<2, 2..<4, 4..<5]),
    ]

    /// The cases above cover a run of one and runs of many.
    @Test(arguments: runCases)
    func changesAreWrittenInRuns(_ indices: [Int], _ expected: [Range<Int>]) {
        #expect(ShardTable.runs(of: indices) == expected)
        #expect(ShardTable.mostEntriesBetween == 170, "the cases above are drawn for 170")
    }
}
