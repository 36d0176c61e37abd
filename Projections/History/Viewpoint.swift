import Events

/// Where a report stands in the two dimensions of SPEC §5.4: the effective
/// date it is computed at (`--as-of`) and the ledger position it knows up to
/// (`--known-at`). The two are independent.
public struct Viewpoint: Sendable, Equatable {
    public var asOf: CalendarDate?
    public var knownAt: Int?

    public init(asOf: CalendarDate? = nil, knownAt: Int? = nil) {
        self.asOf = asOf
        self.knownAt = knownAt
    }

    /// Whether a record counts from this viewpoint. A retraction counts as soon
    /// as it is known, whatever its effective date: a corrected record is void
    /// at every date, not only after the correction.
    public func admits(_ record: Record) -> Bool {
        if let knownAt, record.seq > knownAt { return false }
        if let asOf, record.effective > asOf, record.type != .recordRetracted { return false }
        return true
    }

    /// True once no later record can be admitted, so reading can stop.
    public func isPast(_ record: Record) -> Bool {
        if let knownAt { return record.seq > knownAt }
        return false
    }
}
