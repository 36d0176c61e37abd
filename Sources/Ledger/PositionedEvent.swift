import Events

/// An input event with where it came from, so every message can point at it.
public struct PositionedEvent: Sendable {
    /// The input's name (`input`, `events.jsonl`), shared by a batch's events,
    /// or a whole position given as it is.
    public var source: String
    /// The event's line in `source`, from 1. Kept apart from `source` because a
    /// batch of 100,000 events would otherwise build 100,000 strings that only
    /// an error message or a repeated id ever reads.
    public var line: Int?
    public var event: InputEvent
    /// The bytes `event`'s `data` was decoded from, in the canonical layout,
    /// when the caller kept them: the appender compares each line it writes
    /// with them rather than decoding the line's `data` again. Whoever sets
    /// them vouches that they decode to `event`'s data.
    public private(set) var data: InputData?

    /// `input:3` or `events.jsonl:3`.
    public var position: String { line.map { "\(source):\($0)" } ?? source }

    public init(source: String, line: Int, event: InputEvent, data: InputData? = nil) {
        self.source = source
        self.line = line
        self.event = event
        self.data = data
    }

    public init(position: String, event: InputEvent) {
        source = position
        line = nil
        self.event = event
    }
}

/// The bytes an input event's `data` was decoded from (`PositionedEvent.data`).
public struct InputData: Sendable {
    public var bytes: ArraySlice<UInt8>
    /// Whether `bytes` are also exactly what the encoder writes for the
    /// event's data, so a line may carry them as they are
    /// (`decodeCanonicalInputKeepingData`'s `asEncoded`).
    public var isEncoded: Bool

    public init(bytes: ArraySlice<UInt8>, isEncoded: Bool) {
        self.bytes = bytes
        self.isEncoded = isEncoded
    }
}

/// What an append did.
public struct AppendOutcome: Sendable {
    public var appended: AppendedRecords
    /// Inputs already in the ledger under the same id and content: (position, seq it is recorded as).
    public var alreadyRecorded: [(position: String, seq: Int)]
    public var head: ChainPosition
}
