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

    /// Changed indices of every shape: unsorted, repeated, clustered at the run boundary, at the table's end.
    static func changes(_ random: inout SplitMix64, count: Int) -> [Int] {
        let gap = ShardTable.mostEntriesBetween
        switch random.int(0...7) {
        case 0: return (0..<random.int(0...40)).map { _ in random.int(0...(count - 1)) }  // unsorted, repeats
        case 1:  // clustered, with the gaps at the boundary
            var at = random.int(0...(count - 1)), out: [Int] = []
            while at < count, out.count < 60 {
                out.append(at)
                at += random.pick([0, 1, 2, gap, gap + 1, gap + 2, gap + 3])
            }
            return random.shuffled(out)
        case 2: return [count - 1] + (0..<random.int(0...5)).map { _ in count - 1 - random.int(0...min(count - 1, gap + 2)) }
        case 3: return Array(0..<count).filter { _ in random.chance(1, in: 4) }
        case 4: return random.shuffled(Array(0..<count)) + [random.int(0...(count - 1))]
        case 5: return []
        case 6: return [0, count - 1, 0, count - 1]
        default:
            let n = random.int(1...200)
            return (0..<n).map { _ in random.pick([0, 1, gap, gap + 1, gap + 2, count - 1, count / 2].map { min($0, count - 1) }) }
        }
    }

    /// Seeded: over a table whose entries are random bytes (so what lies
    /// between changes must be carried exactly, decodable or not), `set`
    /// writes the same bytes as writing each change alone, in the order given.
    @Test(arguments: [1, 2, 171, 172, 173, 500, 4096])
    func setWritesWhatOneByOneWould(_ count: Int) throws {
        let seed = 0x5EED_0000 &+ UInt64(count)
        var random = SplitMix64(seed: seed)
        let temporary = try TemporaryDirectory("accord-table")
        let generation: UInt64 = 0xACC0_5EED
        for round in 0..<100 {
            let pathA = temporary.url.appendingPathComponent("a\(round)").path
            let table = try ShardTable.create(
                pathA, generation: generation, entries: Array(repeating: .empty, count: count), head: 5)
            // Random raw bytes for every entry, decodable or not.
            var raw = try [UInt8](Data(contentsOf: URL(fileURLWithPath: pathA)))
            for index in ShardTable.headerBytes..<raw.count { raw[index] = UInt8(truncatingIfNeeded: random.next()) }
            try Data(raw).write(to: URL(fileURLWithPath: pathA))
            let indices = Self.changes(&random, count: count)
            let set = indices.map {
                (index: $0, entry: ShardTable.Entry(stamp: random.int(1...900), offset: random.int(0...1 << 30), length: random.int(1...4096)))
            }
            var reference = raw
            for change in set {
                // The layout written out here, not through the table's own encoder: three words, each XOR the generation.
                var bytes: [UInt8] = []
                for word in [change.entry.stamp, change.entry.offset, change.entry.length] {
                    withUnsafeBytes(of: (UInt64(word) ^ generation).littleEndian) { bytes += $0 }
                }
                let at = ShardTable.headerBytes + change.index * ShardTable.entryBytes
                reference.replaceSubrange(at..<(at + ShardTable.entryBytes), with: bytes)
            }
            try table.set(set)
            let got = try [UInt8](Data(contentsOf: URL(fileURLWithPath: pathA)))
            let first = zip(got, reference).enumerated().first { $0.element.0 != $0.element.1 }?.offset
            #expect(got.count == reference.count && first == nil, "seed \(seed), round \(round): \(indices) first differing byte \(first ?? -1)")
            try? FileManager.default.removeItem(atPath: pathA)
        }
    }

    /// A table cut short under a run: the span cannot be read whole, so `set` throws rather than writing zeros.
    @Test func aShortSpanIsRefused() throws {
        let temporary = try TemporaryDirectory("accord-table")
        let path = temporary.url.appendingPathComponent("t").path
        let count = 400
        let table = try ShardTable.create(path, generation: 7, entries: Array(repeating: .empty, count: count), head: 5)
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: path))
        try handle.truncate(atOffset: UInt64(ShardTable.headerBytes + (count - 10) * ShardTable.entryBytes))
        try handle.close()
        let entry = ShardTable.Entry(stamp: 6, offset: 0, length: 1)
        #expect(throws: Platform.SystemError.self) { try table.set([(count - 20, entry), (count - 1, entry)]) }
    }
}
