import Testing
import TestSupport

@testable import Events

/// Ids find their buckets from their own bytes (`Identifier+Hashing.swift`).
/// A table keyed by ids must still find every id it holds, whatever string
/// storage each copy has, and spread ids over its buckets as SipHash would.
@Suite struct IdentifierHashingTests {
    /// The same id made two ways: from a literal, and cut out of a longer
    /// string (a different buffer; past fifteen bytes a string lives on the heap).
    @Test(arguments: ["a", "p-7", "darlington", "fifteen-bytes-x", "sixteen-bytes-xx", "a-much-longer-id-of-forty-two-bytes-or-so", String(repeating: "z", count: 64)])
    func equalIdsHashAlikeWhateverTheirStorage(_ text: String) throws {
        let direct = try #require(Identifier(text))
        let cut = try #require(Identifier(String(("x" + text + "y").dropFirst().dropLast())))
        #expect(direct == cut)
        for seed in [0, 1, -1, 0x5EED, Int.max] {
            #expect(direct._rawHashValue(seed: seed) == cut._rawHashValue(seed: seed), "\(text), seed \(seed)")
        }
        #expect(Set([direct, cut]).count == 1, "\(text)")
        #expect([direct: 1][cut] == 1, "\(text)")
    }

    /// Ids that differ in one byte, anywhere in any word, or only in length, hash apart.
    @Test(arguments: [("p-1", "p-2"), ("a", "aa"), ("a", "a-"), ("abcdefgh", "abcdefgi"), ("abcdefgh1", "abcdefgh2"),
        ("0000000000000000", "00000000000000000"), ("council-a-post-1", "council-b-post-1")] as [(String, String)])
    func idsThatDifferHashApart(_ pair: (String, String)) throws {
        let (a, b) = (try #require(Identifier(pair.0)), try #require(Identifier(pair.1)))
        #expect(a._rawHashValue(seed: 42) != b._rawHashValue(seed: 42), "\(pair.0) and \(pair.1)")
    }

    /// 65,536 ids, named as the bench names things, over 65,536 buckets by
    /// the low bits as a table picks them, for fixed starting values (the
    /// process's key is random): no bucket holds more than a random spread
    /// would give (the fullest of 65,536 holds about 8), and every id is
    /// found again in a dictionary.
    @Test(arguments: ["p-", "council-", "p-2013-", "post-of-a-long-prefix-shared-by-all-"])
    func idsSpreadOverBucketsAndAreFoundAgain(_ prefix: String) throws {
        let count = 1 << 16
        let ids = (0..<count).map { Identifier("\(prefix)\($0)")! }
        for start: UInt64 in [0, 0x5EED, 0x1D0F_4A54_0000_0002] {
            var buckets = [Int](repeating: 0, count: count)
            for id in ids {
                var raw = id.raw
                let hash = raw.withUTF8 { Identifier.hash(UnsafeRawBufferPointer($0), start: start) }
                buckets[Int(truncatingIfNeeded: hash) & (count - 1)] += 1
            }
            let fullest = buckets.max() ?? 0
            #expect(fullest <= 12, "\(prefix), start \(start): \(fullest) ids in one bucket")
            #expect(buckets.filter { $0 == 0 }.count < count / 2, "\(prefix), start \(start): too many empty buckets")
        }
        var table: [Identifier: Int] = [:]
        for (index, id) in ids.enumerated() { table[id] = index }
        #expect(table.count == count)
        let lost = ids.enumerated().first { table[$0.element] != $0.offset }
        #expect(lost == nil, "\(prefix): \(lost.map { "\($0.element)" } ?? "") not found again")
    }

    /// Seeded: random ids over the id alphabet; equal ids built apart hash
    /// alike and a set of them counts the distinct ones.
    @Test func randomIdsCountAsTheirDistinctBytes() {
        let seed: UInt64 = 0x1D0F_4A54_0000_0001
        var random = SplitMix64(seed: seed)
        let alphabet = Array("ab-09z".utf8)
        var set = Set<Identifier>()
        var distinct = Set<[UInt8]>()
        for _ in 0..<20_000 {
            let bytes = (0..<random.int(1...24)).map { _ in random.pick(alphabet) }
            set.insert(Identifier(String(decoding: bytes, as: UTF8.self))!)
            distinct.insert(bytes)
        }
        #expect(set.count == distinct.count, "seed \(seed)")
    }
}
