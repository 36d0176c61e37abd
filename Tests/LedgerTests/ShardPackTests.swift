import Testing
import TestSupport

@testable import Ledger

#if canImport(Glibc)
import Glibc
#endif

/// The pack lends a version read for the call, the same bytes whether it was
/// there when the pack was opened or appended since, and nothing that is not
/// all in the pack.
@Suite struct ShardPackTests {
    /// Versions of 1 byte to more than a page, so some straddle page boundaries.
    static func versions(_ count: Int, seed: UInt64) -> [[UInt8]] {
        var random = SplitMix64(seed: seed)
        return (0..<count).map { _ in
            (0..<Int(random.next() % 6000 + 1)).map { _ in UInt8(truncatingIfNeeded: random.next()) }
        }
    }

    static func lent(_ pack: ShardPack, _ place: (offset: Int, length: Int)) -> [UInt8]? {
        pack.withVersion(offset: place.offset, length: place.length) { Array($0) }
    }

    @Test(arguments: [1, 2, 3] as [UInt64])
    func versionsReadBackAsWritten(seed: UInt64) throws {
        let directory = try TemporaryDirectory("shard-pack")
        let path = directory.url.path + "/shards"
        let before = Self.versions(40, seed: seed)
        let placedBefore = try ShardPack.open(path, creating: true).append(before)
        // Opened again, then appended to: versions from before and after it was opened.
        let pack = try ShardPack.open(path, creating: false)
        let after = Self.versions(40, seed: seed + 100)
        let placedAfter = try pack.append(after)
        for (bytes, place) in zip(before + after, placedBefore + placedAfter) {
            #expect(Self.lent(pack, place) == bytes, "seed \(seed), at \(place.offset)")
            #expect(pack.read(offset: place.offset, length: place.length) == bytes)
        }
    }

    /// A place the table might hold after damage: past the end, straddling
    /// it, empty or negative. Nothing is lent (and nothing past the file is touched).
    @Test func nothingIsLentThatIsNotAllInThePack() throws {
        let directory = try TemporaryDirectory("shard-pack")
        let path = directory.url.path + "/shards"
        _ = try ShardPack.open(path, creating: true).append([[1, 2, 3, 4], [5, 6]])
        let pack = try ShardPack.open(path, creating: false)
        for (offset, length) in [(6, 1), (5, 2), (0, 7), (0, 0), (-1, 2), (3, -1), (Int.max - 1, 2)] {
            #expect(Self.lent(pack, (offset, length)) == nil, "\(offset), \(length)")
        }
        #expect(Self.lent(pack, (4, 2)) == [5, 6])
    }

    /// Cut back (an append that failed) to what it held when opened: what it
    /// held is still lent as it was, and what was cut off is not.
    @Test func aPackCutBackStillLendsWhatItHeld() throws {
        let directory = try TemporaryDirectory("shard-pack")
        let path = directory.url.path + "/shards"
        let held = Self.versions(10, seed: 7)
        let placed = try ShardPack.open(path, creating: true).append(held)
        let pack = try ShardPack.open(path, creating: false)
        let size = pack.size
        let cut = try pack.append([[9, 9, 9]])
        try pack.truncate(to: size)
        #expect(Self.lent(pack, cut[0]) == nil)
        for (bytes, place) in zip(held, placed) { #expect(Self.lent(pack, place) == bytes) }
    }
}
