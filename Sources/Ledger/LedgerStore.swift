import Events

#if canImport(Glibc)
import Glibc
#endif

/// The ledger file and the operations that change or prove it.
public struct LedgerStore: Sendable {
    public let path: String
    /// How many bytes of old shard versions the checkpoint's pack may carry
    /// beyond four times its live ones before an append compacts it. Tests
    /// set 0 to compact on nearly every append.
    var compactionSlackBytes = 8 << 20
    /// False in a process that exits straight after one append (the command
    /// line): the batch's records, encoded lines and state are then left for
    /// the exit to reclaim. Freeing them piece by piece was a twentieth of a
    /// 100,000-record batch's time.
    public var freesBatchMemory = true
    /// From how many bytes a batch's whole blocks are written around the
    /// page cache (`write`). Tests set 0 to take that way with small batches.
    var directWriteMinimumBytes = 1 << 20
    /// How much of a large batch is written direct at a time, as its lines read back (`write`).
    var directWriteStepBytes = 2 << 20
    /// A checkpoint save of this many shards or more (a group's worth, most
    /// of a megabyte) goes to the pack around the page cache, for the same
    /// reason (`ShardPack.Appender`).
    var directSaveMinimumShards = 1 << 10
    /// Where a large batch onto a restored checkpoint reads its shards
    /// (`ShardPrefetch`). Tests judge the same batch every way.
    var shardReading = ShardReading.alongsideJudging
    /// How many inputs ahead of judging that reading may get (`ReadAhead`).
    var shardReadingAheadInputs = ReadAhead.defaultMostInputs

    enum ShardReading: Sendable, CaseIterable {
        /// Each as a record first reaches it.
        case onTheJudgingThread
        /// On another core, ahead of the judging thread where it can be.
        case alongsideJudging
        /// On another core, all of them before judging starts: for tests, so
        /// that every shard the other thread can read is taken from it.
        case beforeJudging
    }

    public init(path: String) { self.path = path }

    public var checkpointPath: String { Checkpoint.path(for: path) }

    /// `accord init`: a new, empty, durable ledger. Refuses to touch an existing file.
    public func create() throws(AccordError) {
        let fd: Int32
        do {
            fd = try Platform.open(path, flags: O_WRONLY | O_CREAT | O_EXCL, mode: 0o644)
        } catch {
            if error.code == EEXIST {
                throw AccordError(
                    .usage, position: path, "a ledger already exists here; init never overwrites one",
                    hint: "use --ledger PATH to create another")
            }
            throw AccordError.io(error, "cannot create the ledger")
        }
        defer { Platform.close(fd) }
        do {
            try Platform.fsync(fd, path: path)
            try Platform.fsyncDirectory(Platform.directory(of: path))
        } catch {
            throw AccordError.io(error, "cannot make the new ledger durable")
        }
    }

    /// Reads the whole ledger, verifying every link (`accord verify`). Events
    /// are not decoded: `body` gets each line's frame (seq, dates, prev).
    /// It never trusts a `VerifiedPrefix`; when it finds the ledger sound it writes one.
    public func verify(_ body: (RecordFrame, UnsafeRawBufferPointer) throws(AccordError) -> Void = { _, _ in })
        throws(AccordError) -> ChainSummary
    {
        var retractions: [VerifiedPrefix.Retraction] = []
        var allRead = true
        let summary = try ChainReader(path: path).read(decoding: { _ in false }) { (_, frame, line) throws(AccordError) in
            // The chain is judged without decoding events; the note lists retractions,
            // so those few lines are decoded on the side, and one that does not decode leaves no note.
            if frame.type == .recordRetracted {
                if let record = try? EventDecoder.decodeRecord(line), let retraction = VerifiedPrefix.Retraction(record) {
                    retractions.append(retraction)
                } else {
                    allRead = false
                }
            }
            try body(frame, line)
        }
        if allRead { note(summary, retractions: retractions) }
        return summary
    }

    /// Streams every acknowledged record to `body`, refusing (exit 3) if the
    /// chain is broken or the tail is torn: a report must never print money
    /// computed from a ledger that has been altered.
    /// With `decoding`, only records of the types it accepts are decoded and
    /// given to `body`; `skipped` sees the frame of every other line.
    /// Records a `VerifiedPrefix` vouches for are not hashed again; a read
    /// that verified more than the note held leaves a new note behind.
    /// From a `start` other than the first record (a `ReportSnapshot`'s head),
    /// only the records after it are read, and only if the note still vouches
    /// for everything before it; if not, nothing is read and `vouchedThrough` is nil.
    public func readVerified(
        from start: ChainPosition = .genesis,
        decoding: (EventType) -> Bool = { _ in true }, skipped: (RecordFrame) -> Void = { _ in },
        _ body: (Record) throws(AccordError) -> Void
    ) throws(AccordError) -> ChainSummary {
        var retractions: [VerifiedPrefix.Retraction] = []
        let summary = try ChainReader(path: path).read(
            from: start, decoding: { decoding($0) || $0 == .recordRetracted }, trusting: VerifiedPrefix.load(for: path)
        ) { (record, frame, _) throws(AccordError) in
            guard let record else { return skipped(frame) }
            if let retraction = VerifiedPrefix.Retraction(record) { retractions.append(retraction) }
            if decoding(record.type) { try body(record) } else { skipped(frame) }
        }
        try Self.requireSound(summary, path: path)
        if start == .genesis, summary.vouchedThrough != summary.head { note(summary, retractions: retractions) }
        return summary
    }

    /// Leaves a `VerifiedPrefix` for a whole-chain read that found the ledger
    /// sound and saw no write to it while reading.
    private func note(_ summary: ChainSummary, retractions: [VerifiedPrefix.Retraction]) {
        guard summary.isSound, summary.unchangedWhileRead, let stamp = summary.stamp, stamp.size == summary.head.offset
        else { return }
        VerifiedPrefix(head: summary.head, stamp: stamp, retractions: retractions).save(for: path)
    }

    static func requireSound(_ summary: ChainSummary, path: String) throws(AccordError) {
        if let chainBreak = summary.chainBreak {
            throw AccordError(
                .integrity, position: "\(path) seq \(chainBreak.firstBadSeq)",
                "the ledger fails verification: \(chainBreak.message)",
                hint: "compare with a copy whose head was minuted (accord verify --head SEQ:HASH); nothing was read past this point")
        }
        if let torn = summary.tornTail {
            throw AccordError(
                .integrity, position: "\(path) byte \(torn.offset)",
                "the ledger ends in a torn tail that was never acknowledged: \(torn.reason)",
                hint: "run `accord repair` to remove it (a backup copy is kept)")
        }
    }

    // MARK: Append

    /// Validates and durably appends `inputs` as one atomic batch (SPEC §2).
    public func append<State: ReplayState>(
        _ inputs: [PositionedEvent], state: State.Type, clock: Clock
    ) throws(AccordError) -> AppendOutcome {
        Platform.ignoreFileSizeSignal()
        let fd: Int32
        do {
            fd = try Platform.open(path, flags: O_RDWR | O_APPEND)
        } catch {
            throw AccordError(
                .integrity, position: path, "cannot open the ledger", hint: "run `accord init` to create one, or pass --ledger PATH",
                cause: error.reason)
        }
        defer { Platform.close(fd) }
        do {
            try Platform.lock(fd, .exclusive, path: path)
        } catch {
            throw AccordError.io(error, "cannot lock the ledger")
        }
        defer { Platform.unlock(fd) }
        let stampBefore: FileStamp
        do {
            stampBefore = try Platform.fileStamp(fd, path: path)
        } catch {
            throw AccordError.io(error, "cannot read the ledger")
        }
        let size = stampBefore.size

        // A shard that is not what the checkpoint expects (a crash between
        // writing the two, or an edit) sends the append back to the ledger itself.
        let judged: Judged<State>
        if let restored: Judged<State> = try judge(inputs, fd: fd, size: size, clock: clock, rebuild: false) {
            judged = restored
        } else {
            judged = try judge(inputs, fd: fd, size: size, clock: clock, rebuild: true)!
        }
        var cache = judged.cache
        let startHead = judged.startHead
        guard judged.encoder.count > 0 else {
            // Nothing new, but a cache rebuilt from the ledger is kept, or the next append rebuilds it again.
            if cache.complete { cache.save(compactionSlackBytes: compactionSlackBytes) }
            return AppendOutcome(appended: AppendedRecords(), alreadyRecorded: judged.alreadyRecorded, head: startHead)
        }

        // The checkpoint's shards are encoded while the lines are read back
        // and the ledger is written and synced, appended to the pack once the
        // ledger's bytes are written, and pointed at after it is synced
        // (`ShardEncoding`). They carry only the new head's seq, known now.
        let encoding = cache.startEncoding(stamp: startHead.seq + judged.encoder.count)
        let (bytes, chained, newHead, readBack) = judged.encoder.finish() ?? {
            // Some inputs were already recorded, so every line's batch mark changes.
            let again = BatchEncoder(after: startHead, expectedCount: judged.encoder.count, inputs: inputs, recorded: judged.now)
            for index in judged.encoder.judgedInputs() { again.add(input: index) }
            again.flush()
            return again.finish()!
        }()
        // Judging can take seconds (a rebuild); a note is carried over only if nothing wrote meanwhile.
        let untouched = (try? Platform.fileStamp(fd, path: path)) == stampBefore
        precondition(newHead.seq == startHead.seq + judged.encoder.count, "the batch wrote the records judged")
        cache.head = newHead
        cache.recorded = judged.now
        do {
            // The shards encoded so far may go to the pack once the ledger's
            // bytes are written: never before, or a nearly full disk could
            // give the cache the space the records needed.
            try write(bytes, fd: fd, originalSize: size, readBack: readBack) { encoding?.startWriting() }
        } catch {
            encoding?.abandon()
            throw error
        }
        cache.save(compactionSlackBytes: compactionSlackBytes, encoding: encoding)
        if untouched {
            carryForward(
                VerifiedPrefix.load(for: path), from: stampBefore, startHead: startHead, to: newHead, appended: chained, fd: fd)
        }
        if !freesBatchMemory {
            Platform.keepUntilExit(judged)
            Platform.keepUntilExit(cache)
            Platform.keepUntilExit(bytes)
        }
        return AppendOutcome(appended: chained, alreadyRecorded: judged.alreadyRecorded, head: newHead)
    }

    /// If the ledger was verified and untouched up to this append, the records
    /// just written (and read back) extend what the note vouches for; otherwise
    /// the note is left stale and the next report verifies the whole chain.
    private func carryForward(
        _ note: VerifiedPrefix?, from stampBefore: FileStamp, startHead: ChainPosition, to newHead: ChainPosition,
        appended: AppendedRecords, fd: Int32
    ) {
        guard var note, note.vouches(for: stampBefore), note.head == startHead,
            let stampAfter = try? Platform.fileStamp(fd, path: path), stampAfter.size == newHead.offset
        else { return }
        note.retractions += appended.compactMap(VerifiedPrefix.Retraction.init)
        note.head = newHead
        note.stamp = stampAfter
        note.save(for: path)
    }

    struct Judged<State: ReplayState> {
        var cache: CheckpointCache<State>
        var startHead: ChainPosition
        var now: Instant
        /// Encodes the records judged so far, beside the judging.
        var encoder: BatchEncoder
        var alreadyRecorded: [(position: String, seq: Int)] = []
    }

    /// Decides, event by event, against the ledger plus the events before it in
    /// the batch; nil if the checkpoint turned out stale and `rebuild` was not set.
    private func judge<State: ReplayState>(
        _ inputs: [PositionedEvent], fd: Int32, size: Int, clock: Clock, rebuild: Bool
    ) throws(AccordError) -> Judged<State>? {
        guard let cache: CheckpointCache<State> = try catchUp(fd: fd, size: size, rebuild: rebuild) else { return nil }
        let now = try clock.now(after: cache.recorded)
        var judged = Judged(
            cache: cache, startHead: cache.head, now: now,
            encoder: BatchEncoder(after: cache.head, expectedCount: inputs.count, inputs: inputs, recorded: now))
        if !judged.cache.complete { judged.cache.named = judged.cache.state.expect(inputs) }
        if shardReading != .onTheJudgingThread {
            let readAhead = shardReading == .beforeJudging ? nil : ReadAhead(mostInputs: shardReadingAheadInputs)
            judged.cache.startPrefetching(inputs, now: judged.now, readAhead: readAhead)
            if shardReading == .beforeJudging { judged.cache.prefetch?.waitUntilRead() }
        }
        // Stopped however judging ends (a rejection, a stale shard): the
        // shards are written only after, and a thread left reading is wasted.
        defer { judged.cache.prefetch?.stop() }
        // Id → index of the input that used it in this batch; its position is made only for a message.
        var batchIndices: [String: Int] = [:]
        // By index, not by element: an element bound to a name was a copy of
        // the whole input (a retain for every string in it) on the one core judging runs on.
        for index in inputs.indices {
            judged.cache.prefetch?.judging(index)
            if CheckpointCache<State>.makesRoom(at: index, of: inputs.count) {
                judged.cache.makeRoom(judged: index, of: inputs.count)
            }
            let seq = judged.startHead.seq + judged.encoder.count + 1
            let record = Record(seq: seq, recorded: judged.now, envelope: inputs[index].event.envelope, prev: Record.genesisPrev)
            guard let reached = judged.cache.prepare(for: record) else { return nil }
            if let id = record.envelope.id, let earlier = judged.cache.ids[id] {
                let content = SHA256.hash(EventEncoder.content(record.envelope))
                guard earlier.content == content else {
                    let whereText = batchIndices[id].map { inputs[$0].position } ?? "seq \(earlier.seq)"
                    throw AccordError(
                        .conflict, position: inputs[index].position, field: "id",
                        "id \"\(id)\" was already used for different content (\(whereText)); an id names one event forever",
                        hint: "choose a new id for a new event, or resend exactly the original event")
                }
                judged.alreadyRecorded.append((inputs[index].position, earlier.seq))
                continue
            }
            if let expect = inputs[index].event.expect, expect != seq - 1 {
                throw AccordError(
                    .conflict, position: inputs[index].position, field: "expect",
                    "expected the ledger's head to be seq \(expect), but it is seq \(seq - 1); nothing was written",
                    hint: "someone appended first: read the new records (accord log), then retry with expect \(seq - 1)")
            }
            let findings = judged.cache.state.check(record)
            if !findings.isEmpty {
                throw AccordError(
                    .rejected, position: inputs[index].position, field: findings[0].field,
                    findings.map(\.description).joined(separator: "\n  "), findings: findings)
            }
            judged.cache.apply(record, reaching: reached)
            if let id = record.envelope.id { batchIndices[id] = index }
            // The encoder makes the record again from its input where it needs it, rather than keep it.
            assert(record.seq == judged.encoder.nextSeq && record.recorded == judged.now)
            judged.encoder.add(input: index)
        }
        judged.encoder.flush()
        judged.cache.stopPrefetching()  // and dropped, with any shard read that judging never needed
        return judged
    }

    // MARK: Checkpoint

    /// The checkpoint if it still matches the ledger (else, or with `rebuild`,
    /// an empty state), brought up to the ledger's head by applying every
    /// record after it — normally none. Nil if a shard it needed was stale.
    func catchUp<State: ReplayState>(fd: Int32, size: Int, rebuild: Bool) throws(AccordError) -> CheckpointCache<State>? {
        var cache = CheckpointCache<State>(ledgerPath: path)
        if !rebuild, let saved = CheckpointCache<State>(restoring: path), saved.head.offset <= size,
            try TailReader.holds(saved.head, fd: fd, path: path)
        {
            cache = saved
        }
        cache.directSaveMinimumShards = directSaveMinimumShards
        var stale = false
        let reader = ChainReader(path: path)
        let summary = try reader.scan(fd: fd, from: cache.head, to: size) { (decoded, _, _) throws(AccordError) in
            guard let record = decoded, !stale else { return }  // every type is decoded here
            guard let reached = cache.prepare(for: record) else {
                stale = true
                return
            }
            cache.apply(record, reaching: reached)
        }
        try Self.requireSound(summary, path: path)
        if stale { return nil }
        cache.head = summary.head
        if summary.recorded != nil { cache.recorded = summary.recorded }
        return cache
    }


    // MARK: Repair

    public struct RepairOutcome: Sendable {
        public var removedBytes: Int
        public var backupPath: String?
        public var head: ChainPosition
        public var reason: String?
    }

    /// Removes a torn tail, and nothing else, after keeping a full copy of the file.
    public func repair(clock: Clock) throws(AccordError) -> RepairOutcome {
        let fd: Int32
        do {
            fd = try Platform.open(path, flags: O_RDWR)
            try Platform.lock(fd, .exclusive, path: path)
        } catch {
            throw AccordError(.integrity, position: path, "cannot open and lock the ledger", cause: error.description)
        }
        defer { Platform.close(fd) }
        let size: Int
        do {
            size = try Platform.fileSize(fd, path: path)
        } catch {
            throw AccordError.io(error, "cannot read the ledger")
        }
        let summary = try ChainReader(path: path).scan(fd: fd, from: .genesis, to: size, decoding: { _ in false }) { _, _, _ in }
        if let chainBreak = summary.chainBreak {
            throw AccordError(
                .integrity, position: "\(path) seq \(chainBreak.firstBadSeq)",
                "repair only removes a torn tail, and this ledger was altered: \(chainBreak.message)",
                hint: "restore the ledger from a copy whose head was minuted; nothing was changed")
        }
        guard let torn = summary.tornTail else {
            return RepairOutcome(removedBytes: 0, backupPath: nil, head: summary.head, reason: nil)
        }
        let stamp = (clock.fixed ?? Platform.now()).rfc3339.replacingColons()
        // A second repair in the same second (or under a fixed ACCORD_CLOCK) must
        // not overwrite the first one's backup, nor fail because it exists.
        var backup = "\(path).torn-\(stamp)"
        for attempt in 1...1000 where Platform.exists(backup) { backup = "\(path).torn-\(stamp)-\(attempt)" }
        do {
            try copyFile(fd: fd, size: size, to: backup)
            try Platform.ftruncate(fd, to: torn.offset, path: path)
            try Platform.fsync(fd, path: path)
        } catch {
            throw AccordError.io(error, "the repair could not be completed; the backup (if made) is at \(backup)")
        }
        return RepairOutcome(removedBytes: torn.byteCount, backupPath: backup, head: summary.head, reason: torn.reason)
    }

    private func copyFile(fd: Int32, size: Int, to destination: String) throws(Platform.SystemError) {
        let out = try Platform.open(destination, flags: O_WRONLY | O_CREAT | O_EXCL, mode: 0o644)
        defer { Platform.close(out) }
        var offset = 0
        var buffer = [UInt8](repeating: 0, count: 1 << 20)
        while offset < size {
            let got = try Platform.pread(fd, into: &buffer, offset: offset, path: path)
            if got == 0 { break }
            try Platform.writeAll(out, buffer[0..<got], path: destination)
            offset += got
        }
        try Platform.fsync(out, path: destination)
        try Platform.fsyncDirectory(Platform.directory(of: destination))
    }
}

extension String {
    /// File names with ':' upset some tools; the instant stays readable without them.
    func replacingColons() -> String { String(map { $0 == ":" ? "-" : $0 }) }
}
