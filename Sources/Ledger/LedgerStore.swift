import Events

#if canImport(Glibc)
import Glibc
#endif

/// The ledger file and the operations that change or prove it.
public struct LedgerStore: Sendable {
    public let path: String

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
    public func verify(_ body: (RecordFrame, UnsafeRawBufferPointer) throws(AccordError) -> Void = { _, _ in })
        throws(AccordError) -> ChainSummary
    {
        try ChainReader(path: path).read(decoding: { _ in false }) { (_, frame, line) throws(AccordError) in
            try body(frame, line)
        }
    }

    /// Streams every acknowledged record to `body`, refusing (exit 3) if the
    /// chain is broken or the tail is torn: a report must never print money
    /// computed from a ledger that has been altered.
    /// With `decoding`, only records of the types it accepts are decoded and
    /// given to `body`; `skipped` sees the frame of every other line.
    public func readVerified(
        decoding: (EventType) -> Bool = { _ in true }, skipped: (RecordFrame) -> Void = { _ in },
        _ body: (Record) throws(AccordError) -> Void
    ) throws(AccordError) -> ChainSummary {
        let summary = try ChainReader(path: path).read(decoding: decoding) { (record, frame, _) throws(AccordError) in
            if let record { try body(record) } else { skipped(frame) }
        }
        try Self.requireSound(summary, path: path)
        return summary
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
        let size: Int
        do {
            size = try Platform.fileSize(fd, path: path)
        } catch {
            throw AccordError.io(error, "cannot read the ledger")
        }

        var replay = try catchUp(fd: fd, size: size, state: State.self)
        let startHead = replay.checkpoint.head
        let now = try clock.now(after: replay.checkpoint.recorded)

        // Decide, event by event, against the ledger plus the events before it in the batch.
        var pending: [Record] = []
        var alreadyRecorded: [(position: String, seq: Int)] = []
        var batchIds: [String: (seq: Int, content: SHA256Digest, position: String)] = [:]
        for input in inputs {
            let envelope = input.event.envelope
            let seq = startHead.seq + pending.count + 1
            if let id = envelope.id {
                let content = SHA256.hash(EventEncoder.content(envelope))
                let earlier =
                    replay.checkpoint.ids[id].map { (seq: $0.seq, content: $0.content, position: "") } ?? batchIds[id]
                if let earlier {
                    guard earlier.content == content else {
                        let whereText = earlier.position.isEmpty ? "seq \(earlier.seq)" : earlier.position
                        throw AccordError(
                            .conflict, position: input.position, field: "id",
                            "id \"\(id)\" was already used for different content (\(whereText)); an id names one event forever",
                            hint: "choose a new id for a new event, or resend exactly the original event")
                    }
                    alreadyRecorded.append((input.position, earlier.seq))
                    continue
                }
                batchIds[id] = (seq, content, input.position)
            }
            if let expect = input.event.expect, expect != seq - 1 {
                throw AccordError(
                    .conflict, position: input.position, field: "expect",
                    "expected the ledger's head to be seq \(expect), but it is seq \(seq - 1); nothing was written",
                    hint: "someone appended first: read the new records (accord log), then retry with expect \(seq - 1)")
            }
            let record = Record(seq: seq, recorded: now, envelope: envelope, prev: Record.genesisPrev)
            let findings = replay.state.check(record)
            if !findings.isEmpty {
                throw AccordError(
                    .rejected, position: input.position, field: findings[0].field,
                    findings.map(\.description).joined(separator: "\n  "), findings: findings)
            }
            replay.state.apply(record)
            pending.append(record)
        }
        guard !pending.isEmpty else {
            return AppendOutcome(appended: [], alreadyRecorded: alreadyRecorded, head: startHead)
        }

        let (bytes, chained, newHead) = encode(pending, after: startHead)
        try write(bytes, fd: fd, originalSize: size)

        // The checkpoint is a cache: failing to save it costs the next append a replay, never a record.
        var next = replay.checkpoint
        next.head = newHead
        next.recorded = now
        for (id, entry) in batchIds { next.ids[id] = (entry.seq, entry.content) }
        next.state = replay.state.checkpoint()
        saveCheckpoint(next)
        return AppendOutcome(appended: chained, alreadyRecorded: alreadyRecorded, head: newHead)
    }

    /// Gives the pending records their `prev` and batch marks and encodes them,
    /// checking that every line reads back as the record it was made from.
    private func encode(_ pending: [Record], after head: ChainPosition) -> ([UInt8], [Record], ChainPosition) {
        var bytes: [UInt8] = []
        var chained: [Record] = []
        chained.reserveCapacity(pending.count)
        var previous = head.hash
        var offset = head.offset
        let mark = pending.count > 1 ? BatchMark(first: pending[0].seq, count: pending.count) : nil
        for var record in pending {
            record.prev = previous.hex
            record.batch = mark
            let line = EventEncoder.encodeRecord(record)
            let decoded = line.withUnsafeBytes { try? EventDecoder.decodeRecord($0) }
            precondition(decoded == record, "record \(record.seq) does not survive its own encoding")
            previous = SHA256.hash(line)
            bytes += line
            bytes.append(0x0A)
            offset += line.count + 1
            chained.append(record)
        }
        return (bytes, chained, ChainPosition(seq: chained.last!.seq, hash: previous, offset: offset))
    }

    /// Writes, syncs and reads back; on any failure the file is cut back to
    /// `originalSize` so no part of an unacknowledged batch remains.
    private func write(_ bytes: [UInt8], fd: Int32, originalSize: Int) throws(AccordError) {
        do {
            try Platform.writeAll(fd, bytes[...], path: path)
            try Platform.fsync(fd, path: path)
            var readBack = [UInt8](repeating: 0, count: bytes.count)
            let got = try Platform.pread(fd, into: &readBack, offset: originalSize, path: path)
            guard got == bytes.count, readBack == bytes else {
                rollBack(fd: fd, to: originalSize)
                throw AccordError(
                    .integrity, position: path, "the records read back differently from what was written; nothing was appended",
                    hint: "check the disk; the ledger is as it was before this append")
            }
        } catch let error as AccordError {
            throw error
        } catch {
            rollBack(fd: fd, to: originalSize)
            let systemError = error as! Platform.SystemError
            throw AccordError(
                .integrity, position: path,
                systemError.isFileTooLargeOrDiskFull
                    ? "the disk is full or the file size limit was reached; nothing was appended"
                    : "the append could not be written durably; nothing was appended",
                hint: "free space (or raise the limit) and append again; the ledger is exactly as it was",
                cause: systemError.description)
        }
    }

    private func rollBack(fd: Int32, to size: Int) {
        try? Platform.ftruncate(fd, to: size, path: path)
        try? Platform.fsync(fd, path: path)
    }

    // MARK: Checkpoint

    struct Replay<State: ReplayState> {
        var checkpoint: Checkpoint
        var state: State
    }

    /// Loads the checkpoint if it still matches the ledger, else starts from
    /// nothing, then applies every record after it — normally none.
    func catchUp<State: ReplayState>(fd: Int32, size: Int, state: State.Type) throws(AccordError) -> Replay<State> {
        var replay = Replay(
            checkpoint: Checkpoint(head: .genesis, recorded: nil, ids: [:], state: .null), state: State())
        if let saved = loadCheckpoint(), saved.head.offset <= size, let restored = State(checkpoint: saved.state),
            try matches(saved.head, fd: fd)
        {
            replay = Replay(checkpoint: saved, state: restored)
        }
        let reader = ChainReader(path: path)
        let summary = try reader.scan(fd: fd, from: replay.checkpoint.head, to: size) { (decoded, _, _) throws(AccordError) in
            guard let record = decoded else { return }  // every type is decoded here
            replay.state.apply(record)
            if let id = record.envelope.id {
                replay.checkpoint.ids[id] = (record.seq, SHA256.hash(EventEncoder.content(record.envelope)))
            }
        }
        try Self.requireSound(summary, path: path)
        replay.checkpoint.head = summary.head
        if summary.recorded != nil { replay.checkpoint.recorded = summary.recorded }
        return replay
    }

    /// True when the line ending at the checkpoint's offset is its head record.
    private func matches(_ head: ChainPosition, fd: Int32) throws(AccordError) -> Bool {
        if head.seq == 0 { return head.offset == 0 && head.hash == .zero }
        guard let line = try TailReader.line(endingAt: head.offset, fd: fd, path: path) else { return false }
        return SHA256.hash(line) == head.hash
    }

    private func loadCheckpoint() -> Checkpoint? {
        guard let fd = try? Platform.open(checkpointPath, flags: O_RDONLY) else { return nil }
        defer { Platform.close(fd) }
        guard let size = try? Platform.fileSize(fd, path: checkpointPath), size < 1 << 30 else { return nil }
        var bytes = [UInt8](repeating: 0, count: size)
        let got = (try? Platform.pread(fd, into: &bytes, offset: 0, path: checkpointPath)) ?? -1
        guard got == size else { return nil }
        return Checkpoint.decode(bytes)
    }

    /// Write-then-rename, so a crash leaves the old checkpoint or the new one, never half of one.
    private func saveCheckpoint(_ checkpoint: Checkpoint) {
        let temporary = checkpointPath + ".tmp"
        let bytes = checkpoint.encode()
        do {
            let fd = try Platform.open(temporary, flags: O_WRONLY | O_CREAT | O_TRUNC, mode: 0o644)
            defer { Platform.close(fd) }
            try Platform.writeAll(fd, bytes[...], path: temporary)
            // No fsync: the checkpoint is a cache. If a crash loses or tears it, its
            // own SHA-256 line or the ledger's head no longer matches and it is
            // rebuilt from the ledger, which was synced before this point.
            try Platform.rename(temporary, checkpointPath)
        } catch {
            Platform.unlink(temporary)
        }
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
