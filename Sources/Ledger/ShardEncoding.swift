import Dispatch
import Synchronization

#if canImport(Glibc)
import Glibc
#endif

/// A checkpoint save's shards, encoded group by group on other threads ahead
/// of the thread that writes them, at most `aheadBytes` (and one round) ahead,
/// so a large pack is never all in memory at once.
///
/// An append starts it before writing the ledger: the shards are encoded
/// (and, given a pack, appended to it) while the ledger is written and
/// synced, and pointed at by the table only after, because a shard may never
/// get ahead of the records it holds. A byte bound
/// rather than a round lets a batch's shards all be encoded while the ledger
/// is synced, when both cores were otherwise idle, yet keeps a whole save of
/// a long history to a few rounds in memory. A save that starts it itself
/// still gains: the next groups are encoded while the last are written.
final class ShardEncoding: @unchecked Sendable {
    typealias Blobs = [(index: Int, bytes: [UInt8])]

    /// How far encoding may run ahead of writing: a 100,000-record batch's
    /// whole pack (24 MB) fits, a million records' (over 200 MB) does not.
    static let defaultAheadBytes = 32 << 20

    /// Where a group's shards went in the pack, written ahead (`writingAheadTo`).
    typealias Placed = Result<[(index: Int, offset: Int, length: Int)], Platform.SystemError>

    let groupCount: Int
    /// Whether the groups go to a pack around the page cache (`ShardPack.Appender`).
    let directly: Bool
    /// The seq of the head the shards are stamped with, where the caller said.
    let stamp: Int?
    /// The pack each group is appended to once it is encoded and the
    /// caller has let writing start (`startWriting`, once the ledger's bytes
    /// are written), on a thread of its own, when the caller said: what a
    /// save would otherwise write at its very end, on one core, after the
    /// ledger is synced. Nothing points at these bytes until the save points
    /// the table at them, after the ledger is synced; a crash leaves only
    /// unreferenced bytes at the pack's end, which compaction drops as it
    /// drops old versions, and an append that fails cuts them off (`abandon`).
    /// Held until the ledger's bytes are written so that the cache never
    /// takes the disk space the ledger needs. (Found by review.)
    let pack: ShardPack?
    /// The pack's size before anything was written ahead: where `abandon` cuts it back to.
    private let packStart: Int
    /// Signalled by `startWriting` (or `drain`): the writing thread waits on it before its first write.
    private let writingMayStart = DispatchSemaphore(value: 0)
    /// With `pack`: signalled per group when it is encoded, for the writing thread.
    private let encoded: [DispatchSemaphore]
    /// One slot per group, written by the encoding thread before it signals
    /// `ready` (or `encoded`), read and emptied by the writer after: the semaphores order them.
    private let slots: UnsafeMutableBufferPointer<Blobs?>
    /// With `pack`: where each group went, written like `slots`.
    private let placedSlots: UnsafeMutableBufferPointer<Placed?>
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
    /// With `directly`, the groups go to the pack around the page cache (`ShardPack.Appender`).
    init(
        groups: [[Int]], aheadBytes: Int = ShardEncoding.defaultAheadBytes, stamp: Int? = nil,
        writingAheadTo pack: ShardPack? = nil, directly: Bool = false,
        prepare: @escaping @Sendable () -> @Sendable ([Int]) -> Blobs
    ) {
        groupCount = groups.count
        self.directly = directly
        self.stamp = stamp
        self.pack = pack
        packStart = pack?.size ?? 0
        slots = .allocate(capacity: groups.count)
        slots.initialize(repeating: nil)
        placedSlots = .allocate(capacity: groups.count)
        placedSlots.initialize(repeating: nil)
        ready = groups.map { _ in DispatchSemaphore(value: 0) }
        encoded = pack == nil ? [] : groups.map { _ in DispatchSemaphore(value: 0) }
        if let pack { startWritingThread(PackWriter(ShardPack.Appender(to: pack, directly: directly))) }
        let writesAhead = pack != nil
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
                    // Written ahead, the writing thread signals `ready`; the next round is encoded meanwhile.
                    if writesAhead { encoded[index].signal() } else { ready[index].signal() }
                }
            }
        }
    }

    deinit {
        slots.deinitialize()
        slots.deallocate()
        placedSlots.deinitialize()
        placedSlots.deallocate()
    }

    /// Writes each group to the pack as it is encoded, in order, once
    /// writing may start; its bytes are then dropped and no longer pending.
    private func startWritingThread(_ writer: PackWriter) {
        // A thread of its own: it waits, first for writing to start, then for
        // each group, and a Dispatch worker waiting so held back the encoding
        // it waits for when there is one core.
        Platform.startThread { [self] in
            writingMayStart.wait()
            // Bounded by the groups; every wait is ended by the encoding thread, which encodes every group (as empty once cancelled).
            for index in 0..<groupCount {
                encoded[index].wait()
                let blobs = slots[index]!
                placedSlots[index] =
                    cancelled.load(ordering: .acquiring)
                    ? .failure(Platform.SystemError(operation: "write", path: writer.pack.path, code: ECANCELED))
                    : writer.write(blobs, last: index == groupCount - 1)
                slots[index] = []
                pendingBytes.subtract(Self.byteCount(blobs), ordering: .releasing)
                tookGroup.signal()  // an encoder waiting on the bound looks again
                ready[index].signal()
            }
        }
    }

    /// Lets the groups encoded ahead be written to the pack (`pack`): the
    /// caller has written the ledger's bytes.
    func startWriting() {
        writingMayStart.signal()
    }

    /// For an append that failed: takes every group, then cuts the pack
    /// back to where it was, so bytes nothing will point at do not pile up
    /// with each attempt on a full disk. (Found by review.)
    func abandon() {
        drain()
        // Whatever the pack's size says: a write that failed part-way leaves
        // bytes past it. (Found by review.)
        guard let pack else { return }
        try? pack.truncate(to: packStart)
    }

    /// Appends groups to the pack for the writing thread; after a failure,
    /// the rest fail the same way unwritten.
    private final class PackWriter: @unchecked Sendable {
        let appender: ShardPack.Appender
        var failure: Platform.SystemError?
        var pack: ShardPack { appender.pack }
        init(_ appender: ShardPack.Appender) { self.appender = appender }

        /// The `last` group is placed only once every group's bytes are in the pack.
        func write(_ blobs: Blobs, last: Bool) -> Placed {
            if let failure { return .failure(failure) }
            do throws(Platform.SystemError) {
                let placed = try appender.append(blobs.map(\.bytes))
                if last { try appender.finish() }
                return .success(zip(blobs, placed).map { ($0.index, $1.offset, $1.length) })
            } catch {
                failure = error
                return .failure(error)
            }
        }
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

    /// Where the next group, in order, went in the pack, once it is written
    /// there (`writingAheadTo`).
    func nextPlaced() -> Placed {
        precondition(pack != nil, "the groups are written ahead only into a pack the caller gave")
        let index = taken
        _ = next()
        let placed = placedSlots[index]!
        placedSlots[index] = nil
        return placed
    }

    /// Takes what is left unwritten, so the encoding thread ends (a save that
    /// failed): groups it has not started are left empty rather than encoded.
    func drain() {
        cancelled.store(true, ordering: .releasing)
        tookGroup.signal()  // an encoder waiting on the bound looks again
        if pack != nil { writingMayStart.signal() }  // the writing thread skips what is left
        while taken < groupCount { _ = next() }
    }
}
