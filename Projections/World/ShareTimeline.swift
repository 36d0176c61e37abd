import Events

/// A post's apportionments (`costs.apportioned`) in (effective, seq) order,
/// as a `Timeline<ShareEntry>` holds them, and every council they name.
///
/// A shard's reader leaves them packed, as the bytes it read
/// (`ShareTimeline+Packed.swift`): the validator reads one apportionment of
/// a post (the one in force on a record's date), and adds one at the end,
/// but each post brings every year of its history. Decoding all of it and
/// encoding it again was 195 and 111 million instructions of the 10th batch
/// onto 900,000 records (callgrind), and grows with the history.
/// Whichever way it is held, it reads the same (`ShareTimelineTests`).
public struct ShareTimeline: Sendable {
    public typealias Entry = Timeline<ShareEntry>.Entry

    private enum Storage: Sendable {
        case decoded(Timeline<ShareEntry>)
        case packed(PackedShares)
    }

    private var storage: Storage
    /// Every council an entry names, once each, in byte order: where the
    /// validator's walk goes from the post (`SovereigntyState.keys(for:)`)
    /// without reading its history.
    public private(set) var councils: [Identifier]

    public init() {
        storage = .decoded(Timeline())
        councils = []
    }

    public init(_ timeline: Timeline<ShareEntry>) {
        storage = .decoded(timeline)
        councils = Self.councils(of: timeline.entries)
        checkInvariants()
    }

    init(packed: PackedShares, councils: [Identifier]) {
        storage = .packed(packed)
        self.councils = councils
        checkInvariants()
    }

    /// Whether it is still the bytes a shard held.
    public var isPacked: Bool {
        if case .packed = storage { return true }
        return false
    }

    public var count: Int {
        switch storage {
        case .decoded(let timeline): timeline.entries.count
        case .packed(let packed): packed.count
        }
    }

    public var isEmpty: Bool { count == 0 }

    /// Every entry, decoded (each time it is asked, if packed).
    public var entries: [Entry] {
        switch storage {
        case .decoded(let timeline): timeline.entries
        case .packed(let packed): packed.decodedEntries()
        }
    }

    /// The entries as a timeline, decoded.
    public var timeline: Timeline<ShareEntry> {
        switch storage {
        case .decoded(let timeline): timeline
        case .packed(let packed): Timeline(ordered: packed.decodedEntries())
        }
    }

    /// The entry in force on `date`: the latest one effective on or before it.
    public func entry(on date: CalendarDate) -> Entry? {
        switch storage {
        case .decoded(let timeline): timeline.entry(on: date)
        case .packed(let packed): packed.entry(on: date)
        }
    }

    public func value(on date: CalendarDate) -> ShareEntry? { entry(on: date)?.value }

    /// Dates strictly inside `range` on which the apportionment in force changes.
    public func changes(in range: ClosedRange<CalendarDate>) -> [CalendarDate] {
        timeline.changes(in: range)
    }

    public mutating func insert(_ value: ShareEntry, effective: CalendarDate, seq: Int) {
        for weight in value.weights { Self.add(weight.council, to: &councils) }
        if case .packed(var packed) = storage {
            // Records come in seq order, so a new apportionment is nearly
            // always the last, and goes on the end of the bytes.
            if packed.endsBefore(effective: effective, seq: seq) {
                storage = .decoded(Timeline())  // let go of the bytes, so that appending does not copy them
                packed.append(value, effective: effective, seq: seq)
                storage = .packed(packed)
                checkInvariants()
                return
            }
            storage = .decoded(Timeline(ordered: packed.decodedEntries()))
        }
        guard case .decoded(var timeline) = storage else { preconditionFailure("decoded above") }
        storage = .decoded(Timeline())
        timeline.insert(value, effective: effective, seq: seq)
        storage = .decoded(timeline)
        checkInvariants()
    }

    /// Forgets entries superseded before `date` (`Timeline.forget(before:)`).
    public mutating func forget(before date: CalendarDate) {
        var timeline = self.timeline
        storage = .decoded(Timeline())
        let before = timeline.entries.count
        timeline.forget(before: date)
        storage = .decoded(timeline)
        if timeline.entries.count != before { councils = Self.councils(of: timeline.entries) }
        checkInvariants()
    }

    /// Removes the entry a record made; true if there was one.
    @discardableResult
    public mutating func remove(seq: Int) -> Bool {
        // A retraction asks every post of the world: a packed history is
        // decoded only if it holds the record.
        if case .packed(let packed) = storage, !packed.contains(seq: seq) { return false }
        var timeline = self.timeline
        storage = .decoded(Timeline())
        let found = timeline.remove(seq: seq)
        storage = .decoded(timeline)
        if found { councils = Self.councils(of: timeline.entries) }
        checkInvariants()
        return found
    }

    /// Appends what a shard holds: the count, then each entry.
    package func write(into writer: inout PackedWriter) {
        switch storage {
        case .decoded(let timeline):
            writer.count(timeline.entries.count)
            for entry in timeline.entries { writer.shareEntry(entry.value, effective: entry.effective, seq: entry.seq) }
        case .packed(let packed):
            writer.count(packed.count)
            packed.writeEntries(into: &writer)
        }
    }

    static func councils(of entries: [Entry]) -> [Identifier] {
        var councils: [Identifier] = []
        for entry in entries {
            for weight in entry.value.weights { add(weight.council, to: &councils) }
        }
        return councils
    }

    /// Adds `council` where byte order puts it, unless it is there.
    static func add(_ council: Identifier, to councils: inout [Identifier]) {
        var low = 0, high = councils.count
        // Bounded by the halving.
        while low < high {
            let middle = (low + high) / 2
            if councils[middle] < council { low = middle + 1 } else { high = middle }
        }
        if low < councils.count, councils[low] == council { return }
        councils.insert(council, at: low)
    }

    func checkInvariants() {
        #if DEBUG
        precondition(zip(councils, councils.dropFirst()).allSatisfy { $0 < $1 }, "councils strictly increasing")
        // Against the entries only while they are few: decoded at every
        // change, a long history would make a debug build's tests quadratic.
        guard count <= 64 else { return }
        let named = Self.councils(of: entries)
        precondition(named == councils, "councils are those the entries name: \(named) against \(councils)")
        #endif
    }
}

extension ShareTimeline: CustomReflectable {
    /// Its entries and councils, whichever way they are held, so that a
    /// dump of a world read from a shard is the dump of the world written.
    public var customMirror: Mirror {
        Mirror(self, children: ["entries": entries, "councils": councils], displayStyle: .struct)
    }
}
