import Dispatch
import Foundation
import Synchronization
import Testing

@testable import Ledger

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
}
