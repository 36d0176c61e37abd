import Events

/// Values that take effect on a date and stay in force until the next one:
/// a post's cost, its apportionment. Kept sorted by (effective, seq), so a
/// back-dated correction recorded later still lands in its place.
public struct Timeline<Value: Sendable>: Sendable {
    public struct Entry: Sendable {
        public var effective: CalendarDate
        public var seq: Int
        public var value: Value
    }

    public private(set) var entries: [Entry] = []

    public init() {}

    /// Entries already in (effective, seq) order, ties in the order they were
    /// inserted: a checkpoint's timeline as written, taken whole rather than
    /// inserted one at a time (an allocation each as the array grew).
    init(ordered entries: [Entry]) {
        assert(zip(entries, entries.dropFirst()).allSatisfy { ($0.effective, $0.seq) <= ($1.effective, $1.seq) })
        self.entries = entries
    }

    public var isEmpty: Bool { entries.isEmpty }

    public mutating func insert(_ value: Value, effective: CalendarDate, seq: Int) {
        let entry = Entry(effective: effective, seq: seq, value: value)
        // Records arrive in seq order, so the common case appends at the end.
        var index = entries.endIndex
        while index > entries.startIndex {
            let before = entries[index - 1]
            if (before.effective, before.seq) < (effective, seq) { break }
            index -= 1
        }
        entries.insert(entry, at: index)
    }

    /// Forgets entries superseded before `date`: the one in force on the day
    /// before `date` is kept, so every date from `date` on reads the same.
    public mutating func forget(before date: CalendarDate) {
        var low = 0, high = entries.count
        while low < high {
            let middle = (low + high) / 2
            if entries[middle].effective < date { low = middle + 1 } else { high = middle }
        }
        if low >= 2 { entries.removeFirst(low - 1) }
    }

    /// Removes the entry a record made; true if there was one.
    @discardableResult
    public mutating func remove(seq: Int) -> Bool {
        guard let index = entries.firstIndex(where: { $0.seq == seq }) else { return false }
        entries.remove(at: index)
        return true
    }

    /// The entry in force on `date`: the latest one effective on or before it.
    public func entry(on date: CalendarDate) -> Entry? {
        var low = 0, high = entries.count
        while low < high {
            let middle = (low + high) / 2
            if entries[middle].effective <= date { low = middle + 1 } else { high = middle }
        }
        return low == 0 ? nil : entries[low - 1]
    }

    public func value(on date: CalendarDate) -> Value? { entry(on: date)?.value }

    /// Dates strictly inside `range` on which the value in force changes.
    public func changes(in range: ClosedRange<CalendarDate>) -> [CalendarDate] {
        entries.map(\.effective).filter { $0 > range.lowerBound && $0 <= range.upperBound }
    }
}
