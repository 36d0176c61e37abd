import Events

// A post's apportionments as a shard holds them (`World+PackedWriting.swift`):
// their count, then each entry's effective date, seq, basis, weights and
// proposal. The reader checks every entry as decoding it would, and keeps
// the bytes; an entry is decoded only when a rule asks for the one in force
// on a date. The layout is the one a decoded timeline is written in, so a
// shard reads and writes the same bytes whichever way a post was held.

/// Apportionments kept as their packed bytes, already checked.
struct PackedShares: Sendable {
    /// The entries, one after another, as `PackedWriter.shareEntry` writes them.
    private var bytes: [UInt8]
    /// Each entry's day, seq and where it starts in `bytes`: found as the
    /// entries were checked, so that the one in force on a date is found by
    /// halving, not by stepping over every entry before it (which was 34
    /// million instructions of the validator's on the 10th batch onto
    /// 900,000 records, in callgrind), and a retraction's seq by a scan.
    private var starts: [Start]

    struct Start {
        var day: Int
        var seq: Int
        var offset: Int
    }

    /// Entries checked by `PackedWorldReader.shares()`, at least one.
    fileprivate init(bytes: [UInt8], starts: [Start]) {
        precondition(!starts.isEmpty, "an empty timeline is held decoded")
        self.bytes = bytes
        self.starts = starts
    }

    var count: Int { starts.count }

    func endsBefore(effective: CalendarDate, seq: Int) -> Bool {
        let last = starts[starts.count - 1]
        return (last.day, last.seq) < (effective.dayNumber, seq)
    }

    mutating func append(_ value: ShareEntry, effective: CalendarDate, seq: Int) {
        precondition(endsBefore(effective: effective, seq: seq), "appended in (effective, seq) order")
        starts.append(Start(day: effective.dayNumber, seq: seq, offset: bytes.count))
        var writer = PackedWriter(appendingTo: &bytes)
        writer.shareEntry(value, effective: effective, seq: seq)
        writer.finish(into: &bytes)
    }

    func decodedEntries() -> [ShareTimeline.Entry] {
        bytes.withUnsafeBytes { all in
            var reader = PackedReader(all)
            let entries = starts.map { _ in Self.decode(&reader) }
            precondition(reader.atEnd, "the packed apportionments end with their last entry")
            return entries
        }
    }

    /// The latest entry effective on or before `date`.
    func entry(on date: CalendarDate) -> ShareTimeline.Entry? {
        var low = 0, high = starts.count
        // Bounded by the halving.
        while low < high {
            let middle = (low + high) / 2
            if starts[middle].day <= date.dayNumber { low = middle + 1 } else { high = middle }
        }
        guard low > 0 else { return nil }
        return bytes.withUnsafeBytes { all in
            var reader = PackedReader(UnsafeRawBufferPointer(rebasing: all[starts[low - 1].offset...]))
            return Self.decode(&reader)
        }
    }

    /// Whether an entry was made by record `seq`.
    func contains(seq: Int) -> Bool { starts.contains { $0.seq == seq } }

    func writeEntries(into writer: inout PackedWriter) {
        writer.bytes.append(contentsOf: bytes)
    }

    /// One entry, which `PackedWorldReader.shares()` checked when the shard was read.
    private static func decode(_ reader: inout PackedReader) -> ShareTimeline.Entry {
        guard let effective = reader.date(days: CheckpointCoding.dayNumbers), let seq = reader.count(),
            let basis = reader.choice(Basis.self), let count = reader.listCount()
        else { preconditionFailure("packed apportionments were checked when read") }
        var weights: [Weight] = []
        weights.reserveCapacity(count)
        for _ in 0..<count {
            guard let council = reader.id(), let weight = reader.signed() else {
                preconditionFailure("packed apportionments were checked when read")
            }
            weights.append(Weight(council: council, weight: weight))
        }
        guard let proposal = reader.id() else { preconditionFailure("packed apportionments were checked when read") }
        return ShareTimeline.Entry(effective: effective, seq: seq, value: ShareEntry(basis: basis, weights: weights, proposal: proposal))
    }
}

extension PackedWorldReader {
    /// A post's apportionments, checked as decoding them would check them
    /// (dates and seqs in range, in (effective, seq) order, a basis, ids)
    /// and left as their bytes; nil if they are anything else.
    mutating func shares() -> ShareTimeline? {
        guard let count = reader.listCount() else { return nil }
        guard count > 0 else { return ShareTimeline() }
        let start = reader.offset
        var starts: [PackedShares.Start] = []
        starts.reserveCapacity(PackedReader.room(for: count))
        // The councils named, as the bytes they lie in: a handful a post, so scanned, and made ids once each at the end.
        var named: [UnsafeRawBufferPointer] = []
        for _ in 0..<count {
            let offset = reader.offset - start
            guard let effective = date(), let seq = seq() else { return nil }
            if let last = starts.last, (effective.dayNumber, seq) < (last.day, last.seq) { return nil }
            starts.append(PackedShares.Start(day: effective.dayNumber, seq: seq, offset: offset))
            guard reader.choice(Basis.self) != nil, let weights = reader.listCount() else { return nil }
            for _ in 0..<weights {
                guard let council = reader.idBytes(), reader.signed() != nil else { return nil }
                if !named.contains(where: { Self.same($0, council) }) { named.append(council) }
            }
            guard reader.idBytes() != nil else { return nil }
        }
        let packed = PackedShares(bytes: Array(UnsafeRawBufferPointer(rebasing: reader.bytes[start..<reader.offset])), starts: starts)
        let councils = Identifier.sorted(named.map { Identifier(checked: String(decoding: $0, as: UTF8.self)) })
        return ShareTimeline(packed: packed, councils: councils)
    }

    /// Byte for byte the same: a loop over a few bytes, where the standard
    /// library's `elementsEqual` went through its generic iterators.
    private static func same(_ a: UnsafeRawBufferPointer, _ b: UnsafeRawBufferPointer) -> Bool {
        guard a.count == b.count else { return false }
        for index in 0..<a.count where a[index] != b[index] { return false }
        return true
    }
}

extension PackedWriter {
    /// One apportionment, as `PackedShares` reads it.
    package mutating func shareEntry(_ share: ShareEntry, effective: CalendarDate, seq: Int) {
        date(effective)
        count(seq)
        choice(share.basis)
        list(share.weights) { w, weight in
            w.id(weight.council)
            w.signed(weight.weight)
        }
        id(share.proposal)
    }
}
