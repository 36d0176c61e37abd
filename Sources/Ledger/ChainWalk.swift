import Events

/// The checks that need the lines in order: seq after seq, each `prev` the
/// hash of the line before, batches whole, and a line that does not parse
/// only ever the last. `ChainReader` feeds it prepared lines block by block.
struct ChainWalk {
    private(set) var summary: ChainSummary
    /// Once the chain breaks nothing after it is read: derived, so it cannot disagree with the summary.
    var broken: Bool { summary.chainBreak != nil }
    private var expectedSeq: Int
    private var previous: SHA256Digest
    /// The records of an open batch, until its last one arrives.
    private var openBatch: (mark: BatchMark, startOffset: Int)?
    private var parseFailure: (offset: Int, error: FieldError)?
    private var suspectPrev: (seq: Int, digest: SHA256Digest, message: (Int) -> String)?

    init(start: ChainPosition, vouched: ChainPosition?) {
        summary = ChainSummary(head: start)
        summary.vouchedThrough = vouched
        expectedSeq = start.seq + 1
        previous = start.hash
    }

    /// Lines are read in place: a prepared line is large, and there are a million of them.
    mutating func walk(
        _ block: LineBlock, _ body: (Record?, RecordFrame, UnsafeRawBufferPointer) throws(AccordError) -> Void
    ) throws(AccordError) {
        for index in block.prepared.indices {
            if broken { return }
            try step(block.prepared.baseAddress! + index, line: block.line(index), body)
        }
    }

    private mutating func step(
        _ prepared: UnsafePointer<PreparedLine>, line: UnsafeRawBufferPointer,
        _ body: (Record?, RecordFrame, UnsafeRawBufferPointer) throws(AccordError) -> Void
    ) throws(AccordError) {
        if let failure = parseFailure {
            // A line that does not parse is only a torn tail if it is the last one.
            return breakChain(
                at: expectedSeq, "the line at byte \(failure.offset) is not a valid record (\(failure.error))")
        }
        guard let frame = prepared.pointee.frame else {
            parseFailure = (prepared.pointee.offset, prepared.pointee.failure!)
            return
        }
        // Inside the vouched prefix only the last line's hash is needed, and the note holds it.
        let vouched = summary.vouchedThrough
        let digest =
            prepared.pointee.isVouched
            ? (prepared.pointee.end == vouched!.offset ? vouched!.hash : .zero) : prepared.pointee.digest
        if let suspect = suspectPrev {
            // The record after a broken link tells which side changed: if it
            // still vouches for the suspect's bytes, the one before was edited.
            let blamed = frame.prev == suspect.digest ? suspect.seq - 1 : suspect.seq
            return breakChain(at: max(blamed, 1), suspect.message(blamed))
        }
        if frame.seq != expectedSeq {
            // The first line that differs from what was written is the one in seq's place.
            return breakChain(
                at: expectedSeq,
                frame.seq < expectedSeq
                    ? "seq \(frame.seq) appears again where seq \(expectedSeq) should be: a line was duplicated or moved"
                    : "seq \(expectedSeq) is missing (the next line is seq \(frame.seq)): a line was removed or moved")
        }
        if !prepared.pointee.isVouched, frame.prev != previous {
            let prior = frame.seq - 1
            if prior == 0 {
                return breakChain(at: 1, "seq 1 must have a prev of 64 zeros")
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
                return breakChain(
                    at: frame.seq, "seq \(frame.seq) interrupts the batch of seq \(batch.mark.first)…\(batch.mark.last)")
            }
        } else if let mark = frame.batch {
            guard mark.first == frame.seq else {
                return breakChain(
                    at: frame.seq,
                    "seq \(frame.seq) claims to belong to a batch starting at seq \(mark.first), which it does not follow")
            }
            openBatch = (mark, prepared.pointee.offset)
        }
        try body(prepared.pointee.record?.value, frame, line)
        let position = ChainPosition(seq: frame.seq, hash: digest, offset: prepared.pointee.end)
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

    private mutating func breakChain(at seq: Int, _ message: String) {
        summary.chainBreak = ChainBreak(firstBadSeq: seq, message: message)
    }

    /// The summary once every whole line up to `consumed` has been walked.
    func finish(consumed: Int, end: Int) -> ChainSummary {
        var summary = summary
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
