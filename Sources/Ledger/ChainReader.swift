import Events

/// Reads a ledger from a known-good position to the end, checking every link
/// of the hash chain, and hands each acknowledged record to the caller.
///
/// A reader takes a shared lock only long enough to fix the file's length, so
/// it never sees half of a record an appender is writing and never holds a
/// writer up for the length of a report.
public struct ChainReader {
    public let path: String

    public init(path: String) { self.path = path }

    /// Streams records after `start` (default: the beginning). `body` is given
    /// each record with its raw line; records of a batch that turns out to be
    /// incomplete are given too, and the summary says so — callers must check
    /// the summary before trusting what they computed.
    /// `decoding` says which event types the caller needs as records; lines of
    /// other types reach `body` as a frame only (record nil), their chain
    /// checked without decoding the event.
    /// With `prefix`, a note that vouches for the file exactly as it is now,
    /// the lines it covers are framed and decoded but not hashed again.
    public func read(
        from start: ChainPosition = .genesis, decoding: (EventType) -> Bool = { _ in true },
        trusting prefix: VerifiedPrefix? = nil,
        _ body: (Record?, RecordFrame, UnsafeRawBufferPointer) throws(AccordError) -> Void = { _, _, _ in }
    ) throws(AccordError) -> ChainSummary {
        let fd: Int32
        do {
            fd = try Platform.open(path, flags: O_RDONLY)
        } catch {
            throw AccordError(
                .integrity, position: path, "cannot open the ledger", hint: "run `accord init` to create one, or pass --ledger PATH",
                cause: error.reason)
        }
        defer { Platform.close(fd) }
        let stamp: FileStamp
        do {
            try Platform.lock(fd, .shared, path: path)
            stamp = try Platform.fileStamp(fd, path: path)
            Platform.unlock(fd)
        } catch {
            throw AccordError.io(error, "cannot read the ledger")
        }
        let vouched = prefix.flatMap { $0.vouches(for: stamp) && $0.head.offset >= start.offset ? $0.head : nil }
        var summary = try scan(fd: fd, from: start, to: stamp.size, decoding: decoding, vouched: vouched, body)
        summary.stamp = stamp
        summary.unchangedWhileRead = (try? Platform.fileStamp(fd, path: path)) == stamp
        return summary
    }

    /// `vouched`, if given, ends on a line boundary the caller has checked: the
    /// lines up to it are checked for seq and batch order but not hashed.
    func scan(
        fd: Int32, from start: ChainPosition, to end: Int, decoding: (EventType) -> Bool = { _ in true },
        vouched: ChainPosition? = nil,
        _ body: (Record?, RecordFrame, UnsafeRawBufferPointer) throws(AccordError) -> Void
    ) throws(AccordError) -> ChainSummary {
        var summary = ChainSummary(head: start)
        summary.vouchedThrough = vouched
        var expectedSeq = start.seq + 1
        var previous = start.hash
        // The records of an open batch, until its last one arrives.
        var openBatch: (mark: BatchMark, startOffset: Int, position: ChainPosition)?
        let scanner = LineScanner(fd: fd, path: path)
        var broken = false
        var parseFailure: (offset: Int, length: Int, error: FieldError)?
        var suspectPrev: (seq: Int, digest: SHA256Digest, message: (Int) -> String)?

        let consumed = try scanner.forEachLine(from: start.offset, to: end) { (line, offset) throws(AccordError) in
            if broken { return }
            if let failure = parseFailure {
                // A line that does not parse is only a torn tail if it is the last one.
                summary.chainBreak = ChainBreak(
                    firstBadSeq: expectedSeq,
                    message: "the line at byte \(failure.offset) is not a valid record (\(failure.error))")
                broken = true
                return
            }
            var record: Record?
            let frame: RecordFrame
            let lineEnd = offset + line.count + 1
            let isVouched = vouched.map { lineEnd <= $0.offset } ?? false
            let light = RecordFrame.parse(line, expectingPrev: previous, readingPrev: !isVouched)
            if let light, !decoding(light.type) {
                frame = light
            } else {
                do throws(FieldError) {
                    let decoded = try EventDecoder.decodeRecord(line)
                    record = decoded
                    // Both read the same 64 bytes of a canonical line.
                    frame = light.map { RecordFrame(decoded, prev: $0.prev) } ?? RecordFrame(decoded)
                } catch {
                    parseFailure = (offset, line.count, error)
                    return
                }
            }
            // Inside the vouched prefix only the last line's hash is needed, and the note holds it.
            let digest = isVouched ? (lineEnd == vouched!.offset ? vouched!.hash : .zero) : SHA256.hash(line)
            if let suspect = suspectPrev {
                // The record after a broken link tells which side changed: if it
                // still vouches for the suspect's bytes, the one before was edited.
                let blamed = frame.prev == suspect.digest ? suspect.seq - 1 : suspect.seq
                summary.chainBreak = ChainBreak(firstBadSeq: max(blamed, 1), message: suspect.message(blamed))
                broken = true
                return
            }
            if frame.seq != expectedSeq {
                // The first line that differs from what was written is the one in seq's place.
                summary.chainBreak = ChainBreak(
                    firstBadSeq: expectedSeq,
                    message: frame.seq < expectedSeq
                        ? "seq \(frame.seq) appears again where seq \(expectedSeq) should be: a line was duplicated or moved"
                        : "seq \(expectedSeq) is missing (the next line is seq \(frame.seq)): a line was removed or moved")
                broken = true
                return
            }
            if !isVouched, frame.prev != previous {
                let prior = frame.seq - 1
                if prior == 0 {
                    summary.chainBreak = ChainBreak(firstBadSeq: 1, message: "seq 1 must have a prev of 64 zeros")
                    broken = true
                    return
                }
                let claimed = String(frame.prev.hex.prefix(12)), actual = String(previous.hex.prefix(12))
                suspectPrev = (
                    frame.seq, digest,
                    { blamed in
                        "seq \(prior + 1) says the record before it hashed to \(claimed)…, but seq \(prior) hashes to \(actual)…: "
                            + (blamed == prior
                                ? "seq \(prior) was altered after it was written"
                                : "seq \(prior + 1) was altered after it was written")
                    }
                )
                expectedSeq = frame.seq + 1
                return
            }
            if let batch = openBatch {
                guard frame.batch == batch.mark else {
                    summary.chainBreak = ChainBreak(
                        firstBadSeq: frame.seq,
                        message: "seq \(frame.seq) interrupts the batch of seq \(batch.mark.first)…\(batch.mark.last)")
                    broken = true
                    return
                }
            } else if let mark = frame.batch {
                guard mark.first == frame.seq else {
                    summary.chainBreak = ChainBreak(
                        firstBadSeq: frame.seq,
                        message: "seq \(frame.seq) claims to belong to a batch starting at seq \(mark.first), which it does not follow")
                    broken = true
                    return
                }
                openBatch = (mark, offset, summary.head)
            }
            try body(record, frame, line)
            let position = ChainPosition(seq: frame.seq, hash: digest, offset: lineEnd)
            if let batch = openBatch {
                if frame.seq == batch.mark.last {
                    openBatch = nil
                    summary.head = position
                    summary.recorded = frame.recorded
                }
            } else {
                summary.head = position
                summary.recorded = frame.recorded
            }
            expectedSeq = frame.seq + 1
            previous = digest
        }
        if broken { return summary }
        if let suspect = suspectPrev {
            // Nothing after it to tell which side changed; the earlier record is the cautious answer.
            summary.chainBreak = ChainBreak(firstBadSeq: suspect.seq - 1, message: suspect.message(suspect.seq - 1))
            return summary
        }
        // Of the ways a tail can be unacknowledged, the earliest start is what repair must cut.
        if let failure = parseFailure {
            summary.tornTail = TornTail(
                offset: failure.offset, byteCount: end - failure.offset,
                reason: "the last line does not parse as a record (\(failure.error))")
        } else if consumed < end {
            summary.tornTail = TornTail(
                offset: consumed, byteCount: end - consumed,
                reason: "the last \(end - consumed) bytes are a record cut short (no newline)")
        }
        if let batch = openBatch {
            summary.tornTail = TornTail(
                offset: batch.startOffset, byteCount: end - batch.startOffset,
                reason:
                    "the batch of seq \(batch.mark.first)…\(batch.mark.last) stops at seq \(expectedSeq - 1): it was cut short and never acknowledged"
            )
        }
        return summary
    }
}

#if canImport(Glibc)
import Glibc
#endif
