import Dispatch

/// A checkpoint save's shards, encoded group by group on other threads ahead
/// of the thread that writes them, at most one round (a group per core)
/// ahead, so the encoded pack is never all in memory at once.
///
/// An append starts it before writing the ledger: the shards are encoded
/// while the ledger is written and synced, and written themselves only after,
/// because a shard may never get ahead of the records it holds. A save that
/// starts it itself still gains: the next groups are encoded while the last
/// are written.
final class ShardEncoding: @unchecked Sendable {
    typealias Blobs = [(index: Int, bytes: [UInt8])]

    let groupCount: Int
    /// One slot per group, written by the encoding thread before it signals
    /// `ready`, read and emptied by the writer after: the semaphores order them.
    private let slots: UnsafeMutableBufferPointer<Blobs?>
    private let ready: [DispatchSemaphore]
    private let room: DispatchSemaphore
    private var taken = 0

    /// `prepare` runs once, on the encoding thread, before the first group,
    /// and gives the function that encodes a group (ascending shard indices).
    init(groups: [[Int]], prepare: @escaping @Sendable () -> @Sendable ([Int]) -> Blobs) {
        groupCount = groups.count
        slots = .allocate(capacity: groups.count)
        slots.initialize(repeating: nil)
        ready = groups.map { _ in DispatchSemaphore(value: 0) }
        // Room for one round: a round waits for a slot per group it encodes.
        room = DispatchSemaphore(value: Platform.processorCount)
        DispatchQueue.global().async { [self] in
            let encode = prepare()
            // As many groups side by side as there are cores, each round waiting for room.
            for first in stride(from: 0, to: groups.count, by: Platform.processorCount) {
                let round = first..<min(first + Platform.processorCount, groups.count)
                for _ in round { room.wait() }
                Platform.inParallel(round.count) { slots[first + $0] = encode(groups[first + $0]) }
                for index in round { ready[index].signal() }
            }
        }
    }

    deinit {
        slots.deinitialize()
        slots.deallocate()
    }

    /// The next group, in order, once it is encoded.
    func next() -> Blobs {
        precondition(taken < groupCount, "every group was taken")
        ready[taken].wait()
        let blobs = slots[taken]!
        slots[taken] = nil
        taken += 1
        room.signal()
        return blobs
    }

    /// Takes what is left unwritten, so the encoding thread ends (a save that failed).
    func drain() {
        while taken < groupCount { _ = next() }
    }
}
