import Events

/// Each council's positions on one proposal, in the order of the councils'
/// ids (byte order, as the checkpoint lists them). A proposal names a handful
/// of councils, and a long batch reads, applies and writes back proposals by
/// the hundred thousand: a hashed dictionary per proposal cost an allocation
/// and a hash of every id to build and to look up, and a sort of the ids
/// every time the proposal was written. A sorted array costs none of these.
public struct Positions: Sendable {
    public struct Entry: Sendable {
        public var council: Identifier
        public var timeline: Timeline<Position>
    }

    /// Councils strictly increasing.
    public private(set) var entries: [Entry] = []

    public init() {}

    /// Entries whose councils a reader has already checked to be strictly increasing.
    init(ordered entries: [Entry]) {
        self.entries = entries
        checkInvariants()
    }

    /// A dictionary's councils and timelines, put in order.
    init(_ all: [Identifier: Timeline<Position>]) {
        self.init(ordered: all.map { Entry(council: $0.key, timeline: $0.value) }.sorted { $0.council < $1.council })
    }

    public var count: Int { entries.count }
    public var isEmpty: Bool { entries.isEmpty }
    public var councils: [Identifier] { entries.map(\.council) }

    /// `council`'s timeline, if it has taken a position; setting nil forgets it.
    public subscript(council: Identifier) -> Timeline<Position>? {
        get {
            let (index, found) = place(of: council)
            return found ? entries[index].timeline : nil
        }
        set {
            let (index, found) = place(of: council)
            switch (newValue, found) {
            case (let timeline?, true): entries[index].timeline = timeline
            case (let timeline?, false): entries.insert(Entry(council: council, timeline: timeline), at: index)
            case (nil, true): entries.remove(at: index)
            case (nil, false): break
            }
            checkInvariants()
        }
    }

    /// `council`'s timeline, made empty first if it has none, changed in place.
    public subscript(council: Identifier, default empty: @autoclosure () -> Timeline<Position>) -> Timeline<Position> {
        get { self[council] ?? empty() }
        _modify {
            let (index, found) = place(of: council)
            if !found { entries.insert(Entry(council: council, timeline: empty()), at: index) }
            defer { checkInvariants() }
            yield &entries[index].timeline
        }
    }

    /// Removes the entry of record `seq` from every timeline (keeping a
    /// timeline left empty, as a retraction always has); whether it was in any.
    mutating func remove(seq: Int) -> Bool {
        var found = false
        for index in entries.indices where entries[index].timeline.remove(seq: seq) { found = true }
        return found
    }

    /// Where `council` is, or would go to keep the order. A binary search:
    /// bounded by the halving, at most 64 rounds.
    private func place(of council: Identifier) -> (index: Int, found: Bool) {
        var low = 0, high = entries.count
        while low < high {
            let middle = (low + high) / 2
            if entries[middle].council < council { low = middle + 1 } else { high = middle }
        }
        return (low, low < entries.count && entries[low].council == council)
    }

    /// Councils strictly increasing.
    func checkInvariants() {
        #if DEBUG
        precondition(zip(entries, entries.dropFirst()).allSatisfy { $0.council < $1.council }, "positions out of order")
        #endif
    }
}
