import Events

/// State derived from the history that an append needs in order to judge a
/// new event without replaying the ledger: the sovereignty validator's view
/// of councils, proposals, agreements and posts.
///
/// The appender keeps it current record by record and saves it in the
/// checkpoint beside the ledger, so an append costs the same on a million
/// records as on ten.
public protocol ReplayState: Sendable {
    init()
    /// Folds one acknowledged record into the state.
    mutating func apply(_ record: Record)
    /// The findings that would reject `candidate` (already given its seq) if it were appended now.
    func check(_ candidate: Record) -> [Finding]
    /// A self-contained encoding for the checkpoint; `init(checkpoint:)` must read it back exactly.
    func checkpoint() -> JSONValue
    init?(checkpoint: JSONValue)
}

/// No rules at all: the state of a ledger whose appends are only checked for
/// shape, chain and idempotency. Tests use it to write histories the
/// validator would refuse, so that `check` can be tested on them.
public struct UncheckedState: ReplayState {
    public init() {}
    public mutating func apply(_ record: Record) {}
    public func check(_ candidate: Record) -> [Finding] { [] }
    public func checkpoint() -> JSONValue { .null }
    public init?(checkpoint: JSONValue) {}
}
