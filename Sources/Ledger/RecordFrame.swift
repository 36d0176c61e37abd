import Events

/// What the chain needs of a stored line (seq, type, dates, batch mark and
/// prev), read straight from the ledger's own canonical layout without
/// decoding the event. `verify` and reports that need only some event types
/// use it so that checking the chain costs little more than hashing it.
///
/// Only the exact layout `EventEncoder.encodeRecord` writes is read this way;
/// anything else returns nil and is decoded in full, so an unusual line is
/// judged by the strict decoder, never guessed at.
public struct RecordFrame: Sendable, Equatable {
    public var seq: Int
    public var type: EventType
    /// Nil when read from the layout: only the appender needs it, and it decodes in full.
    public var recorded: Instant?
    public var effective: CalendarDate
    public var batch: BatchMark?
    public var prev: SHA256Digest

    init(seq: Int, type: EventType, recorded: Instant?, effective: CalendarDate, batch: BatchMark?, prev: SHA256Digest) {
        self.seq = seq
        self.type = type
        self.recorded = recorded
        self.effective = effective
        self.batch = batch
        self.prev = prev
    }

    init(_ record: Record) {
        self.init(
            seq: record.seq, type: record.type, recorded: record.recorded, effective: record.effective, batch: record.batch,
            prev: SHA256Digest(hex: record.prev) ?? .zero)
    }

    /// The frame of a decoded record whose `prev` was already read from its line.
    init(_ record: Record, prev: SHA256Digest) {
        self.init(
            seq: record.seq, type: record.type, recorded: record.recorded, effective: record.effective,
            batch: record.batch, prev: prev)
    }

    /// The frame of a canonical line; nil if the line is not in the canonical layout.
    static func parse(_ line: UnsafeRawBufferPointer) -> RecordFrame? {
        LayoutEnvelope.parse(line).flatMap { RecordFrame($0, of: line, expectingPrev: nil, readingPrev: true) }
    }

    /// The frame from an envelope already read. `expected` is the `prev` the
    /// chain expects: when the line holds exactly that, its hex need not be
    /// parsed. Without `readingPrev` (a line a `VerifiedPrefix` vouches for)
    /// the frame's `prev` is zero, unread.
    init?(_ envelope: LayoutEnvelope, of line: UnsafeRawBufferPointer, expectingPrev expected: SHA256Digest?, readingPrev: Bool) {
        let hex = UnsafeRawBufferPointer(rebasing: line[envelope.prevHex])
        let prev: SHA256Digest
        if !readingPrev {
            prev = .zero
        } else if let expected, expected.matchesHex(hex) {
            prev = expected
        } else {
            guard let words = SHA256Digest.words(fromHex: hex.bindMemory(to: UInt8.self), lowercaseOnly: true) else { return nil }
            prev = SHA256Digest(words: words)
        }
        self.init(
            seq: envelope.seq, type: envelope.type, recorded: nil, effective: envelope.effective, batch: envelope.batch,
            prev: prev)
    }
}
