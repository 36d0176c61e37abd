import Events
import Testing
import TestSupport

/// Ids sort in byte order (SPEC §5.1's tie rule): every report lists posts and
/// councils that way, and the checkpoint's entries must come in it.
@Suite struct IdentifierOrderTests {
    @Test(arguments: [
        ("a", "a-1", true), ("a-1", "aa", true), ("a", "aa", true), ("aa", "a", false), ("a", "a", false),
        ("z9", "za", true), ("-", "0", true), ("p-10", "p-9", true),
    ] as [(String, String, Bool)])
    func pairsSortInByteOrder(_ pair: (String, String, Bool)) {
        let (left, right) = (Identifier(pair.0)!, Identifier(pair.1)!)
        #expect((left < right) == pair.2, "\(pair.0) < \(pair.1)")
    }

    @Test func randomIdsSortAsTheirBytes() {
        let seed: UInt64 = 0x1D0F_DE12_0000_0001
        var random = SplitMix64(seed: seed)
        let alphabet = Array("ab-09z".utf8)
        func id() -> Identifier {
            let bytes = (0..<random.int(1...12)).map { _ in random.pick(alphabet) }
            return Identifier(String(decoding: bytes, as: UTF8.self))!
        }
        for round in 0..<20_000 {
            let (a, b) = (id(), id())
            let expected = Array(a.raw.utf8).lexicographicallyPrecedes(Array(b.raw.utf8))
            guard (a < b) == expected else {
                Issue.record("seed \(seed), round \(round): \(a) < \(b) gave \(a < b)")
                return
            }
        }
    }

    @Test func sortingManyIdsGivesByteOrder() {
        // Long ids share sixteen-byte prefixes, so the tie-break is reached too.
        let seed: UInt64 = 0x1D0F_DE12_0000_0002
        var random = SplitMix64(seed: seed)
        let alphabet = Array("ab-09z".utf8)
        for round in 0..<200 {
            let ids = (0..<random.int(0...300)).map { _ in
                let prefix = random.chance(1, in: 2) ? "joint-committee-of-" : ""
                let bytes = (0..<random.int(1...30)).map { _ in random.pick(alphabet) }
                return Identifier(prefix + String(decoding: bytes, as: UTF8.self))!
            }
            let expected = ids.sorted { Array($0.raw.utf8).lexicographicallyPrecedes(Array($1.raw.utf8)) }
            guard Identifier.sorted(ids) == expected else {
                Issue.record("seed \(seed), round \(round): the ids did not come out in byte order")
                return
            }
        }
    }
}
