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
    public static func encodeRecord(
        seq: Int, recorded: Instant, envelope: EventEnvelope, batch: BatchMark?, prev: String,
        encodedData: UnsafeRawBufferPointer? = nil, appendingTo bytes: inout [UInt8]
    ) {
        var o = ObjectEncoder(appendingTo: &bytes)
        o.integer("seq", seq)
        o.string("type", envelope.type.rawValue)
        o.instant("recorded", recorded)
        o.author("by", envelope.by)
        o.date("effective", envelope.effective)
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
