/// An event with who recorded it, when it takes effect, and an optional
/// client-chosen idempotency key: everything that is the same whether the
/// event is still input or already stored.
public struct EventEnvelope: Hashable, Sendable {
    public var effective: CalendarDate
    public var by: Author
    public var event: Event
    public var id: String?

    public init(effective: CalendarDate, by: Author, event: Event, id: String? = nil) {
        self.effective = effective
        self.by = by
        self.event = event
        self.id = id
    }

    public var type: EventType { event.type }
}

/// One event as given to `accord append`.
public struct InputEvent: Hashable, Sendable {
    public var envelope: EventEnvelope
    /// The seq the ledger's head must have for this append to go ahead.
    public var expect: Int?

    public init(envelope: EventEnvelope, expect: Int? = nil) {
        self.envelope = envelope
        self.expect = expect
    }
}

/// Marks the records of one atomic multi-record append, so that a reader can
/// tell a batch cut short by a crash (never acknowledged) from a complete one.
public struct BatchMark: Hashable, Sendable {
    public var first: Int
    public var count: Int
    public init(first: Int, count: Int) {
        self.first = first
        self.count = count
    }
    public var last: Int { first + count - 1 }
}

/// One stored line of the ledger.
public struct Record: Hashable, Sendable {
    public var seq: Int
    public var recorded: Instant
    public var envelope: EventEnvelope
    /// Lowercase hex SHA-256 of the previous line's bytes; 64 zeros for seq 1.
    public var prev: String
    public var batch: BatchMark?

    public init(seq: Int, recorded: Instant, envelope: EventEnvelope, prev: String, batch: BatchMark? = nil) {
        self.seq = seq
        self.recorded = recorded
        self.envelope = envelope
        self.prev = prev
        self.batch = batch
    }

    public var event: Event { envelope.event }
    public var effective: CalendarDate { envelope.effective }
    public var by: Author { envelope.by }
    public var type: EventType { envelope.type }

    public static let genesisPrev = String(repeating: "0", count: 64)
}
