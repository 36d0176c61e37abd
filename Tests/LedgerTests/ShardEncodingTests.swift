import Dispatch
import Foundation
import Synchronization
import Testing
import TestSupport

@testable import Ledger

#if canImport(Glibc)
import Glibc
#endif

/// A save's shards are encoded on other threads ahead of the writer
/// (`ShardEncoding`). Whatever the bound on how far ahead, the writer gets
/// every group once, in order, with its bytes; and a save that fails stops
/// the encoding rather than encoding a whole state nobody will write.
@Suite struct ShardEncodingTests {
    /// `count` groups of one shard each, shard `i` encoded as `i` copies of its low byte.
    static func groups(_ count: Int) -> [[Int]] { (0..<count).map { [$0] } }

    static func blob(_ index: Int) -> [UInt8] { [UInt8](repeating: UInt8(truncatingIfNeeded: index), count: index % 7 + 1) }

    /// Whether `body` ends within ten seconds (it takes milliseconds), run on
    /// a thread of its own so that a writer and an encoder waiting on each
    /// other fail the test rather than hang the run.
    static func ends(_ body: @escaping @Sendable () -> Void) -> Bool {
        let done = DispatchSemaphore(value: 0)
        Thread {
            body()
            done.signal()
        }.start()
        return done.wait(timeout: .now() + 10) == .success
    }

    /// Bounds of nothing, one byte, a few groups' worth and the default.
    @Test(arguments: [0, 1, 10, ShardEncoding.defaultAheadBytes], [1, 2, 3, 17])
    func everyGroupArrivesInOrderWhateverTheBound(aheadBytes: Int, groupCount: Int) {
        let encoding = ShardEncoding(groups: Self.groups(groupCount), aheadBytes: aheadBytes) {
            { group in group.map { (index: $0, bytes: Self.blob($0)) } }
        }
        #expect(encoding.groupCount == groupCount)
        let received = Mutex<[(index: Int, bytes: [UInt8])]>([])
        #expect(
            Self.ends {
                for _ in 0..<groupCount {
                    let blobs = encoding.next()
                    received.withLock { $0 += blobs }
                }
            })
        let blobs = received.withLock { $0 }
        #expect(blobs.map(\.index) == Array(0..<groupCount))
        #expect(blobs.map(\.bytes) == (0..<groupCount).map(Self.blob))
    }

    /// The writer takes one group and fails: the encoder, held back by its
    /// bound, must not go on to encode the rest. With a one-byte bound it
    /// gets at most the round taken, the round the bound let through and the
    /// round under way; with a larger one, at most as many more as the bound holds.
    @Test(arguments: [(1, 3 * Platform.processorCount), (64, 39)])
    func drainingStopsTheEncoder(aheadBytes: Int, mostEncoded: Int) {
        let groupCount = 40
        let encoded = Atomic<Int>(0)
        let encoding = ShardEncoding(groups: Self.groups(groupCount), aheadBytes: aheadBytes) {
            { group in
                encoded.add(1, ordering: .relaxed)
                return group.map { (index: $0, bytes: Self.blob($0)) }
            }
        }
        _ = encoding.next()
        encoding.drain()
        #expect(encoded.load(ordering: .relaxed) <= mostEncoded)
        #expect(encoded.load(ordering: .relaxed) >= 1)
    }

    /// Draining before taking anything ends too, and takes every group.
    @Test func drainingAnUntouchedEncodingEnds() {
        let encoding = ShardEncoding(groups: Self.groups(9), aheadBytes: 1) {
            { group in group.map { (index: $0, bytes: Self.blob($0)) } }
        }
        #expect(Self.ends { encoding.drain() })
    }

    /// Given a pack, each group is appended to it once it is encoded and
    /// writing may start, in order after what the pack held: nothing before
    /// (the ledger's bytes come first); then the writer gets where each
    /// shard went, and the pack holds each shard's bytes there.
    /// Directly, around the page cache, they start at the first block
    /// boundary after what the pack held (`ShardPack.Appender`).
    @Test(arguments: [1, ShardEncoding.defaultAheadBytes], [(1, false), (3, false), (17, false), (3, true), (17, true)])
    func groupsWrittenAheadLandInThePackInOrder(aheadBytes: Int, groups: (count: Int, directly: Bool)) throws {
        let (groupCount, directly) = groups
        let directory = try TemporaryDirectory("shard-encoding")
        let pack = try ShardPack.open(directory.url.path + "/shards", creating: true)
        _ = try pack.append([[0xAA, 0xBB, 0xCC]])  // an older version, left where it is
        let encoded = Atomic<Int>(0)
        // Directly, shards of a few thousand bytes: groups then cross blocks, and part-blocks wait for the next.
        let blob: @Sendable (Int) -> [UInt8] = { index in directly ? [UInt8](repeating: UInt8(truncatingIfNeeded: index), count: 3000 + index) : Self.blob(index) }
        let encoding = ShardEncoding(
            groups: Self.groups(groupCount), aheadBytes: aheadBytes, writingAheadTo: pack, directly: directly
        ) {
            { group in
                encoded.add(1, ordering: .relaxed)
                return group.map { (index: $0, bytes: blob($0)) }
            }
        }
        // Bounded: the first round is encoded in microseconds.
        for _ in 0..<1000 where encoded.load(ordering: .relaxed) == 0 { usleep(1000) }
        usleep(20_000)
        #expect(encoded.load(ordering: .relaxed) > 0)
        #expect(pack.size == 3, "written before the caller let writing start")
        #expect(try Platform.fileSize(pack.fd, path: pack.path) == 3)
        encoding.startWriting()
        var placed: [(index: Int, offset: Int, length: Int)] = []
        for _ in 0..<groupCount { placed += try encoding.nextPlaced().get() }
        #expect(placed.map(\.index) == Array(0..<groupCount))
        let direct = try directly && DirectWriteTests.directIsTaken(in: directory.url)
        var offset = direct ? AlignedBytes.blockBytes : 3
        for place in placed {
            #expect(place.offset == offset, "shard \(place.index)")
            #expect(pack.read(offset: place.offset, length: place.length) == blob(place.index), "shard \(place.index)")
            offset += place.length
        }
        #expect(pack.size == offset)
        #expect(try Platform.fileSize(pack.fd, path: pack.path) == offset)
        #expect(pack.read(offset: 0, length: 3) == [0xAA, 0xBB, 0xCC])
    }

    /// A pack that refuses the first write: every group fails with that
    /// error, none is written after it, and the encoding still ends.
    @Test func aPackThatRefusesAWriteFailsEveryGroupFromThere() throws {
        let directory = try TemporaryDirectory("shard-encoding")
        let path = directory.url.path + "/shards"
        _ = try ShardPack.open(path, creating: true)
        let readOnly = try Platform.open(path, flags: O_RDONLY)
        let pack = ShardPack(path: path, fd: readOnly, size: 0)
        let encoding = ShardEncoding(groups: Self.groups(5), aheadBytes: 1, writingAheadTo: pack) {
            { group in group.map { (index: $0, bytes: Self.blob($0)) } }
        }
        encoding.startWriting()
        for group in 0..<5 {
            guard case .failure(let error) = encoding.nextPlaced() else {
                Issue.record("group \(group) was written to a read-only pack")
                continue
            }
            #expect(error.code == EBADF, "group \(group): \(error)")
        }
        #expect(pack.size == 0)
        #expect(Self.ends { encoding.drain() })
    }

    /// An append that fails after some groups were written ahead cuts the
    /// pack back to what it held, on disk too, so retries on a full disk do
    /// not pile up versions nothing points at; and abandoning before writing
    /// started writes nothing.
    /// Also when a write failed part-way, leaving bytes past the size the
    /// pack knows of (made here by writing past it through another descriptor).
    /// And when the groups went around the page cache, in blocks past a gap.
    @Test(arguments: [false, true], [(false, false), (true, false), (false, true), (true, true)])
    func abandoningCutsThePackBack(afterWriting: Bool, past: (bytesPastItsSize: Bool, directly: Bool)) throws {
        let (bytesPastItsSize, directly) = past
        let directory = try TemporaryDirectory("shard-encoding")
        let pack = try ShardPack.open(directory.url.path + "/shards", creating: true)
        _ = try pack.append([[0xAA, 0xBB, 0xCC]])
        // Directly, shards of more than a block, so the first group is written rather than held back.
        let encoding = ShardEncoding(groups: Self.groups(9), aheadBytes: 1 << 20, writingAheadTo: pack, directly: directly) {
            { group in group.map { (index: $0, bytes: directly ? [UInt8](repeating: UInt8($0), count: 5000) : Self.blob($0)) } }
        }
        if bytesPastItsSize {
            let other = try Platform.open(pack.path, flags: O_WRONLY | O_APPEND)
            try Platform.writeAll(other, [0x01, 0x02, 0x03, 0x04][...], path: pack.path)
            Platform.close(other)
            #expect(try Platform.fileSize(pack.fd, path: pack.path) == 7)
        }
        if afterWriting {
            encoding.startWriting()
            #expect(try encoding.nextPlaced().get().count == 1)
            #expect(pack.size > 3)
        }
        #expect(Self.ends { encoding.abandon() })
        #expect(pack.size == 3)
        #expect(try Platform.fileSize(pack.fd, path: pack.path) == 3)
        #expect(pack.read(offset: 0, length: 3) == [0xAA, 0xBB, 0xCC])
    }
}
