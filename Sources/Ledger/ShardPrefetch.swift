import Dispatch
import Events
import Synchronization

#if canImport(Glibc)
import Glibc
#endif

/// Reads the shards a batch will need on another core while the batch is
/// judged. A batch onto a long history loads tens of thousands of shards,
/// one at a time as each record first names them; read on the judging thread,
/// that was a third of the last 100,000-record batch onto 900,000 records,
/// with the other core idle.
///
/// The reading thread walks the inputs in order, asks the state as restored
/// (before the batch) which names each reaches, and reads each shard it has
/// not met yet: the pack's bytes, the seal, the header the table expects and
/// the state's part (`ReplayState.part(ofShard:)`). The judging thread
/// still decides what to load and merges it (`CheckpointCache.load`); it
/// takes a shard from here if this thread has it, waits if this thread is
/// reading it, and otherwise claims it and reads it itself. So what the
/// reading thread reads, and whether it keeps up, changes only the time.
final class ShardPrefetch<State: ReplayState>: @unchecked Sendable {
    /// What reading one shard found, as `CheckpointCache.load` would have.
    enum Fetched {
        /// Not the version the table points at, or unreadable: the caller rebuilds.
        case stale
        /// Never written, or holding no state.
        case empty(ShardTable.Entry)
        case part(State.ShardPart, ShardTable.Entry)
        /// A header holding idempotency keys, or a part the state declined:
        /// for the caller to read itself (`CheckpointCache.load`), which decides.
        case unread([UInt8], body: Range<Int>, ShardTable.Entry)
    }

    /// Per shard: untouched, being read here, read and waiting, or the judging thread's.
    private enum Claim: UInt8 { case untouched, reading, ready, claimed }

    private let count: Int
    private let claims: UnsafeMutablePointer<Atomic<UInt8>>
    /// What the reading thread read, in the order it read it: written before
    /// the shard is marked ready, taken by the judging thread after. A slot is
    /// initialized only while its shard is `ready`: the reading thread
    /// initializes it, `take` moves it out. Room for every shard, but only
    /// the slots used are ever touched, and those are in one run: a slot at
    /// each shard's index scattered a third of the batch's shards over all
    /// of it, and every page of it was faulted in (3,000 faults of the 10th
    /// batch onto 900,000 records, by `perf record -e page-faults`).
    private let slots: UnsafeMutablePointer<Fetched>
    /// Which slot each shard's reading went to; read only once the shard is `ready`.
    private let slotOf: UnsafeMutablePointer<Int32>
    private let stopped = Atomic<Bool>(false)
    /// Nil when the reader may read the whole batch before judging starts (tests).
    private let readAhead: ReadAhead?
    /// Signalled once when the reading thread ends, so `stop` can wait for it.
    private let ended = DispatchSemaphore(value: 0)
    /// Parts the judging thread has merged, in lots, dropped by the reading thread.
    /// Their memory was allocated on the reading thread; freed on the judging
    /// thread, it waited on the reading thread's malloc arena lock, an eighth
    /// of judging the 10th batch onto 900,000.
    private let merged = Platform.Locked<[[State.ShardPart]]>([])
    /// How many parts `merged` may hold: the reading thread looks here
    /// before every input and takes the lock only when there are some. (It
    /// took the lock before every input, and met the judging thread taking
    /// it: handing parts back was a twentieth of judging the 10th batch,
    /// half of that waking the other thread.)
    private let mergedCount = Atomic<Int>(0)
    /// Parts merged and not yet in `merged`: the judging thread's alone, and
    /// handed over as a lot of `handOverCount`. (Handed over one by one, the
    /// lock, growing the list and the wake-ups were a twentieth of judging
    /// the 10th batch onto 900,000 records, in perf.) The last few, fewer
    /// than a lot, go with the prefetch itself, on whichever thread drops it.
    private var mergedHere: [State.ShardPart] = []
    static var handOverCount: Int { 64 }

    /// Starts reading, for `inputs` in order (as records from `firstSeq`,
    /// recorded `now`), the shards of the names each reaches in `state`,
    /// except `loaded`, no further ahead of judging than `readAhead` allows.
    /// This thread reads `table` whole first (`ShardTable.snapshot()`), on
    /// its own core; if it cannot, it reads nothing and judging reads every shard itself.
    init(
        inputs: [PositionedEvent], firstSeq: Int, now: Instant, state: State, loaded: ShardSet,
        table: ShardTable, head: Int, generation: UInt64, pack: ShardPack, named: Set<Identifier>?,
        readAhead: ReadAhead?
    ) {
        count = table.count
        precondition(count <= Int(Int32.max), "a slot number is 32 bits")
        self.readAhead = readAhead
        claims = .allocate(capacity: count)
        for index in 0..<count {
            (claims + index).initialize(to: Atomic(loaded.contains(index) ? Claim.claimed.rawValue : Claim.untouched.rawValue))
        }
        slots = .allocate(capacity: count)
        slotOf = .allocate(capacity: count)
        let reader = Reader(pack: pack, table: table, head: head, generation: generation, named: named)
        DispatchQueue.global().async { [self] in
            defer { ended.signal() }
            guard let entries = reader.table.snapshot(), entries.count == count else { return }
            var reach = ShardReach(shardCount: count)
            var used: Int32 = 0
            // Bounded by the inputs, and each shard is read at most once.
            // By index: an element bound to a name copied the whole input (a
            // retain for every string in it), a tenth of this thread's samples in perf.
            for offset in inputs.indices {
                if stopped.load(ordering: .relaxed) { return }
                dropMerged()
                // Parts merged meanwhile are freed while this thread waits, not when it next reads.
                if let readAhead,
                    !readAhead.waitForRoom(before: offset, unless: { dropMerged(); return stopped.load(ordering: .relaxed) })
                {
                    return
                }
                // Its seq if no input before it turns out already recorded; only a notice's own key depends on it.
                let record = Record(seq: firstSeq + offset, recorded: now, envelope: inputs[offset].event.envelope, prev: Record.genesisPrev)
                // Of one that reaches everything, only its key's shard: judging loads the rest.
                _ = reach.fill(with: record, in: state)
                for index in reach.shards where claim(index, from: .untouched, to: .reading) {
                    // At most one slot per shard: `used` stays below `count`.
                    (slots + Int(used)).initialize(to: reader.read(index, in: entries))
                    slotOf[index] = used
                    used += 1
                    claims[index].store(Claim.ready.rawValue, ordering: .releasing)
                }
            }
        }
    }

    deinit {
        // The reading thread has ended (it holds this object): each slot is read and waiting, or empty.
        for index in 0..<count where claims[index].load(ordering: .acquiring) == Claim.ready.rawValue {
            (slots + Int(slotOf[index])).deinitialize(count: 1)
        }
        slots.deallocate()
        slotOf.deallocate()
        claims.deinitialize(count: count)
        claims.deallocate()
    }

    private func claim(_ index: Int, from: Claim, to: Claim) -> Bool {
        claims[index].compareExchange(expected: from.rawValue, desired: to.rawValue, ordering: .acquiringAndReleasing).exchanged
    }

    /// Shard `index` as read here, waiting for it if it is being read; nil if
    /// this thread never started it (it never will now: the caller reads it).
    func take(_ index: Int) -> Fetched? {
        guard index >= 0, index < count, !claim(index, from: .untouched, to: .claimed) else { return nil }
        // Bounded: the reading thread finishes a shard it started, without waiting on anything.
        while claims[index].load(ordering: .acquiring) == Claim.reading.rawValue { sched_yield() }
        guard claim(index, from: .ready, to: .claimed) else { return nil }
        // Moved out, not copied: the part's tables must be the caller's alone to move its entries on.
        return (slots + Int(slotOf[index])).move()
    }

    /// Hands a part back once it is merged, for the reading thread to drop
    /// (or `deinit`, once that thread has ended).
    func discard(_ part: consuming State.ShardPart) {
        if mergedHere.capacity == 0 { mergedHere.reserveCapacity(Self.handOverCount) }
        mergedHere.append(part)
        guard mergedHere.count >= Self.handOverCount else { return }
        var lot: [State.ShardPart] = []
        swap(&lot, &mergedHere)
        let count = lot.count
        merged.withLock { $0.append(lot) }
        mergedCount.add(count, ordering: .relaxed)
    }

    private func dropMerged() {
        guard mergedCount.load(ordering: .relaxed) > 0 else { return }
        var dropped: [[State.ShardPart]] = []
        merged.withLock { swap(&dropped, &$0) }
        mergedCount.subtract(dropped.reduce(0) { $0 + $1.count }, ordering: .relaxed)
        // `dropped` is freed here, on this thread, as it goes out of scope.
    }

    /// Judging has reached input `index` of the batch.
    func judging(_ index: Int) {
        readAhead?.judge(index)
    }

    /// Ends the reading thread (judging is over) and waits for it, so nothing
    /// reads the pack once the caller writes it.
    func stop() {
        stopped.store(true, ordering: .relaxed)
        waitUntilRead()
    }

    /// Waits until the reading thread has read every shard it was to read (or was stopped).
    func waitUntilRead() {
        ended.wait()
        ended.signal()  // so that a second wait returns at once
    }

    /// What the reading thread reads with; it reads the table once, into its own snapshot.
    private struct Reader: @unchecked Sendable {
        let pack: ShardPack
        let table: ShardTable
        let head: Int
        let generation: UInt64
        /// What the batch names (`ReplayState.expect(_:)`), as the judging thread reads shards.
        let named: Set<Identifier>?

        func read(_ index: Int, in entries: ShardTable.Snapshot) -> Fetched {
            guard let entry = entries.entry(index) else { return .stale }
            guard entry.stamp <= head else { return .stale }
            guard entry.stamp != 0 else { return .empty(entry) }
            // Read into memory that lasts for the call; copied only in the
            // rare case that judging must read it itself.
            let fetched = pack.withVersion(offset: entry.offset, length: entry.length) { bytes -> Fetched in
                guard let body = ShardSeal.body(of: bytes) else { return .stale }
                let text = UnsafeRawBufferPointer(rebasing: bytes[body])
                if let shard = CheckpointShard.laidOut(text) {
                    guard (shard.generation, shard.index, shard.stamp) == (generation, index, entry.stamp) else { return .stale }
                    guard let range = shard.state else { return .empty(entry) }
                    if let part = State.part(ofShard: UnsafeRawBufferPointer(rebasing: text[range]), named: named) {
                        return .part(part, entry)
                    }
                }
                // A header with keys, or a part the state declined: judging reads it itself.
                return .unread(Array(bytes), body: body, entry)
            }
            return fetched ?? .stale
        }
    }
}
