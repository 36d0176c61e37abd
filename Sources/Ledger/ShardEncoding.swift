import Dispatch
import Synchronization

/// A checkpoint save's shards, encoded group by group on other threads ahead
/// of the thread that writes them, at most `aheadBytes` (and one round) ahead,
/// so a large pack is never all in memory at once.
///
/// An append starts it before writing the ledger: the shards are encoded
/// while the ledger is written and synced, and written themselves only after,
/// because a shard may never get ahead of the records it holds. A byte bound
/// rather than a round lets a batch's shards all be encoded while the ledger
/// is synced, when both cores were otherwise idle, yet keeps a whole save of
/// a long history to a few rounds in memory. A save that starts it itself
/// still gains: the next groups are encoded while the last are written.
final class ShardEncoding: @unchecked Sendable {
    typealias Blobs = [(index: Int, bytes: [UInt8])]

    /// How far encoding may run ahead of writing: a 100,000-record batch's
    /// whole pack (24 MB) fits, a million records' (over 200 MB) does not.
    static let defaultAheadBytes = 32 << 20

    let groupCount: Int
    /// The seq of the head the shards are stamped with, where the caller said.
    let stamp: Int?
    /// One slot per group, written by the encoding thread before it signals
    /// `ready`, read and emptied by the writer after: the semaphores order them.
    private let slots: UnsafeMutableBufferPointer<Blobs?>
    private let ready: [DispatchSemaphore]
    /// Bytes encoded and not yet taken by the writer.
    private let pendingBytes = Atomic<Int>(0)
    /// Signalled each time the writer takes a group, so the encoder looks at `pendingBytes` again.
    private let tookGroup = DispatchSemaphore(value: 0)
    /// Set by `drain`: the groups not yet encoded are left empty, because
    /// nobody will write them (a save that failed, perhaps of a whole state).
    private let cancelled = Atomic<Bool>(false)
    private var taken = 0

    /// `prepare` runs once, on the encoding thread, before the first group,
    /// and gives the function that encodes a group (ascending shard indices).
    init(
        groups: [[Int]], aheadBytes: Int = ShardEncoding.defaultAheadBytes, stamp: Int? = nil,
        prepare: @escaping @Sendable () -> @Sendable ([Int]) -> Blobs
    ) {
        groupCount = groups.count
        self.stamp = stamp
        slots = .allocate(capacity: groups.count)
        slots.initialize(repeating: nil)
        ready = groups.map { _ in DispatchSemaphore(value: 0) }
        DispatchQueue.global().async { [self] in
            let encode = prepare()
            // As many groups side by side as there are cores, a round at a time.
            for first in stride(from: 0, to: groups.count, by: Platform.processorCount) {
                // Bounded: every wait is ended by the writer taking a group, and
                // once all encoded groups are taken nothing is pending (so even
                // a bound of nothing lets one round through).
                while !cancelled.load(ordering: .acquiring), case let pending = pendingBytes.load(ordering: .acquiring),
                    pending > 0, pending >= aheadBytes
                {
                    tookGroup.wait()
                }
                let round = first..<min(first + Platform.processorCount, groups.count)
                let skip = cancelled.load(ordering: .acquiring)
                Platform.inParallel(round.count) { slots[first + $0] = skip ? [] : encode(groups[first + $0]) }
                for index in round {
                    pendingBytes.add(Self.byteCount(slots[index]!), ordering: .releasing)
                    ready[index].signal()
                }
            }
        }
    }

    deinit {
        slots.deinitialize()
        slots.deallocate()
    }

    private static func byteCount(_ blobs: Blobs) -> Int { blobs.reduce(0) { $0 + $1.bytes.count } }

    /// The next group, in order, once it is encoded.
    func next() -> Blobs {
        precondition(taken < groupCount, "every group was taken")
        ready[taken].wait()
        let blobs = slots[taken]!
        slots[taken] = nil
        taken += 1
        pendingBytes.subtract(Self.byteCount(blobs), ordering: .releasing)
        tookGroup.signal()
        return blobs
    }

    /// Takes what is left unwritten, so the encoding thread ends (a save that
    /// failed): groups it has not started are left empty rather than encoded.
    func drain() {
        cancelled.store(true, ordering: .releasing)
        tookGroup.signal()  // an encoder waiting on the bound looks again
        while taken < groupCount { _ = next() }
    }
}
