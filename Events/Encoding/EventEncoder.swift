/// Canonical bytes for records and events. The chain hashes exactly these
/// bytes, so the field order here is part of the file format: never reorder.
public enum EventEncoder {
    /// One stored line, without its newline.
    public static func encodeRecord(_ r: Record) -> [UInt8] {
        var bytes: [UInt8] = []
        encodeRecord(r, appendingTo: &bytes)
        return bytes
    }

    /// Appends one stored line, without its newline, to `bytes`: a batch's
    /// lines are encoded into one buffer rather than one array each.
    ///
    /// `encodedData`, if given, is exactly what `Event.encodeData` writes for
    /// `r.event` (`decodeCanonicalInputKeepingData`'s `asEncoded` bytes), and
    /// is copied in rather than written again. Debug builds check it.
    public static func encodeRecord(
        _ r: Record, encodedData: UnsafeRawBufferPointer? = nil, appendingTo bytes: inout [UInt8]
    ) {
        encodeRecord(
            seq: r.seq, recorded: r.recorded, envelope: r.envelope, batch: r.batch, prev: r.prev, encodedData: encodedData,
            appendingTo: &bytes)
    }

    /// The record of these parts, as `encodeRecord(_:encodedData:appendingTo:)`
    /// writes it, for a caller that keeps the parts rather than a record (a
    /// batch's encoder, which makes no record of its inputs).
    ///
    /// `dates`, if given, holds `recorded` and `envelope.effective` as they
    /// are written (`DateTexts`), for a caller writing many lines with the same
    /// few: formatting them again for each line was a sixth of encoding a batch's lines.
    public static func encodeRecord(
        seq: Int, recorded: Instant, envelope: EventEnvelope, batch: BatchMark?, prev: String,
        encodedData: UnsafeRawBufferPointer? = nil, dates: DateTexts? = nil, appendingTo bytes: inout [UInt8]
    ) {
        var o = ObjectEncoder(appendingTo: &bytes)
        o.integer("seq", seq)
        o.string("type", envelope.type.rawValue)
        if let dates {
            assert(dates.recorded == DateTexts.quoted(recorded), "record \(seq): the recorded text is not its instant's")
            o.json("recorded") { $0.append(contentsOf: dates.recorded) }
        } else {
            o.instant("recorded", recorded)
        }
        o.author("by", envelope.by)
        if let dates {
            assert(dates.effective == DateTexts.quoted(envelope.effective), "record \(seq): the effective text is not its date's")
            o.json("effective") { $0.append(contentsOf: dates.effective) }
        } else {
            o.date("effective", envelope.effective)
        }
        o.string("id", envelope.id)
        if let batch {
            o.object("batch") { b in
                b.integer("first", batch.first)
                b.integer("count", batch.count)
            }
        }
        if let encodedData {
            assert(encodedData.elementsEqual(encodeData(envelope.event)), "record \(seq): data offered as encoded is not its encoding")
            // As typed bytes: a raw buffer is appended byte by byte.
            o.json("data") { $0.append(contentsOf: encodedData.assumingMemoryBound(to: UInt8.self)) }
        } else {
            o.object("data") { envelope.event.encodeData(&$0) }
        }
        o.string("prev", prev)
        bytes = o.finish().bytes
    }

    /// Where the 64 hex digits of `prev` lie in a line `encodeRecord` made,
    /// the line ending just before `lineEnd` in `bytes`. `prev` is the last
    /// member and always 64 plain ASCII digits, so a batch's lines can be
    /// encoded on every core before the line before each is hashed, then be
    /// given their `prev` in place, in order.
    public static func prevDigits(in bytes: [UInt8], lineEnd: Int) -> Range<Int> {
        let inLine = bytes.withUnsafeBytes { LayoutEnvelope.prevRange(in: UnsafeRawBufferPointer(rebasing: $0[..<lineEnd])) }
        precondition(inLine != nil, "a record line ends with its prev")
        return inLine!
    }

    /// An input event as `accord append` accepts it; used by tools and tests that write inputs.
    public static func encodeInput(_ e: InputEvent) -> [UInt8] {
        var o = ObjectEncoder()
        o.string("type", e.envelope.type.rawValue)
        o.date("effective", e.envelope.effective)
        o.author("by", e.envelope.by)
        o.string("id", e.envelope.id)
        o.integer("expect", e.expect)
        o.object("data") { e.envelope.event.encodeData(&$0) }
        return o.finish().bytes
    }

    /// An event's `data` object as a line holds it.
    public static func encodeData(_ event: Event) -> [UInt8] {
        var o = ObjectEncoder()
        event.encodeData(&o)
        return o.finish().bytes
    }

    /// What "the same content" means for an idempotent re-append: type,
    /// effective date, author and data, canonically encoded.
    public static func content(_ e: EventEnvelope) -> [UInt8] {
        var o = ObjectEncoder()
        o.string("type", e.type.rawValue)
        o.date("effective", e.effective)
        o.author("by", e.by)
        o.object("data") { e.event.encodeData(&$0) }
        return o.finish().bytes
    }
}

/// A batch's `recorded` instant and a record's `effective` date as a line
/// writes them (quoted), made once and kept while they stay the same.
public struct DateTexts: Sendable {
    public private(set) var recorded: [UInt8]
    public private(set) var effective: [UInt8] = []
    private var effectiveDate: CalendarDate?

    public init(recorded instant: Instant) {
        recorded = Self.quoted(instant)
    }

    /// Holds `date`'s text, made again only if it is not the date held.
    public mutating func setEffective(_ date: CalendarDate) {
        guard date != effectiveDate else { return }
        effective = Self.quoted(date)
        effectiveDate = date
    }

    static func quoted(_ instant: Instant) -> [UInt8] {
        var writer = JSONWriter()
        writer.writeInstant(instant)
        return writer.bytes
    }

    static func quoted(_ date: CalendarDate) -> [UInt8] {
        var writer = JSONWriter()
        writer.writeDate(date)
        return writer.bytes
    }
}
