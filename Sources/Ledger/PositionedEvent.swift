import Events

/// An input event with where it came from, so every message can point at it.
public struct PositionedEvent: Sendable {
    /// `input:3` or `events.jsonl:3`.
    public var position: String
    public var event: InputEvent

    public init(position: String, event: InputEvent) {
        self.position = position
        self.event = event
    }
}

/// What an append did.
public struct AppendOutcome: Sendable {
    public var appended: [Record]
    /// Inputs already in the ledger under the same id and content: (position, seq it is recorded as).
    public var alreadyRecorded: [(position: String, seq: Int)]
    public var head: ChainPosition
}
