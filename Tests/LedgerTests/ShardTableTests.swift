import Foundation
import Testing
import TestSupport

@testable import Ledger

/// An append points the table at the shards it changed (`ShardTable.set`):
/// a few one write each, many by reading their span, patching it and writing
/// it back. Either way every other entry must read back as it was.
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
        (name: "many, dense: written as a span", changes: Array(stride(from: 100, to: 900, by: 3))),
        (name: "many, sparse: one by one", changes: Array(stride(from: 0, to: count, by: 50))),
        (name: "every entry", changes: Array(0..<count)),
        (name: "a dense run and one far from it: one by one", changes: Array(0..<200) + [count - 1]),
    ])
    func everyOtherEntryIsKept(name: String, changes: [Int]) throws {
        let (read, expected) = try Self.setting(changes, seed: UInt64(changes.count))
        let firstWrong = read.map { read in expected.indices.first { read.indices.contains($0) && read[$0] != expected[$0] } } ?? 0
        #expect(read?.count == expected.count && firstWrong == nil, "\(name): entry \(firstWrong.map(String.init) ?? "-") differs")
    }

    /// Whether a set takes the span, as the thresholds say: the test above must cover both ways.
    @Test func bothWaysAreCovered() {
        let dense = Array(stride(from: 100, to: 900, by: 3)), sparse = Array(stride(from: 0, to: Self.count, by: 50))
        func asSpan(_ changes: [Int]) -> Bool {
            changes.count >= ShardTable.fewestWrittenAsASpan
                && changes.max()! - changes.min()! + 1 <= changes.count * ShardTable.mostEntriesPerChange
        }
        #expect(asSpan(dense) && !asSpan(sparse) && !asSpan([0, 1000, Self.count - 1]))
    }
}
