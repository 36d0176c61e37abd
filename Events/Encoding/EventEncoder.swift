/// Canonical bytes for records and events. The chain hashes exactly these
/// bytes, so the field order here is part of the file format: never reorder.
public enum EventEncoder {
    /// One stored line, without its newline.
    public static func encodeRecord(_ r: Record) -> [UInt8] {
        var o = ObjectEncoder(JSONWriter())
        o.integer("seq", r.seq)
        o.string("type", r.type.rawValue)
        o.string("recorded", r.recorded.rfc3339)
        o.string("by", r.by.description)
        o.date("effective", r.effective)
        o.string("id", r.envelope.id)
        if let batch = r.batch {
            o.object("batch") { b in
                b.integer("first", batch.first)
                b.integer("count", batch.count)
            }
        }
        o.object("data") { r.event.encodeData(&$0) }
        o.string("prev", r.prev)
        return o.finish().bytes
    }

    /// An input event as `accord append` accepts it; used by tools and tests that write inputs.
    public static func encodeInput(_ e: InputEvent) -> [UInt8] {
        var o = ObjectEncoder(JSONWriter())
        o.string("type", e.envelope.type.rawValue)
        o.date("effective", e.envelope.effective)
        o.string("by", e.envelope.by.description)
        o.string("id", e.envelope.id)
        o.integer("expect", e.expect)
        o.object("data") { e.envelope.event.encodeData(&$0) }
        return o.finish().bytes
    }

    /// What "the same content" means for an idempotent re-append: type,
    /// effective date, author and data, canonically encoded.
    public static func content(_ e: EventEnvelope) -> [UInt8] {
        var o = ObjectEncoder(JSONWriter())
        o.string("type", e.type.rawValue)
        o.date("effective", e.effective)
        o.string("by", e.by.description)
        o.object("data") { e.event.encodeData(&$0) }
        return o.finish().bytes
    }
}
