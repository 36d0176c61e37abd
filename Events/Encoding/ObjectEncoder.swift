/// Writes one JSON object member by member, in the fixed order the caller
/// chooses, so the same event always becomes the same bytes (the chain hashes them).
struct ObjectEncoder {
    var writer: JSONWriter
    private var first = true

    /// An object in a buffer of its own.
    init() {
        var bytes: [UInt8] = []
        self.init(appendingTo: &bytes)
    }

    /// An object written at the end of `bytes`, which are taken over (not
    /// copied) until `finish` gives them back; `bytes` is empty meanwhile.
    init(appendingTo bytes: inout [UInt8]) {
        writer = JSONWriter()
        swap(&writer.bytes, &bytes)
        writer.writeRaw("{")
    }

    private mutating func key(_ name: String) {
        if !first { writer.writeRaw(",") }
        first = false
        writer.writeString(name)
        writer.writeRaw(":")
    }

    mutating func string(_ name: String, _ value: String) {
        key(name)
        writer.writeString(value)
    }

    mutating func string(_ name: String, _ value: String?) {
        if let value { string(name, value) }
    }

    mutating func id(_ name: String, _ value: Identifier) { string(name, value.raw) }
    mutating func id(_ name: String, _ value: Identifier?) { if let value { id(name, value) } }

    mutating func ids(_ name: String, _ values: [Identifier]) {
        key(name)
        writer.writeRaw("[")
        for (index, value) in values.enumerated() {
            if index > 0 { writer.writeRaw(",") }
            writer.writeString(value.raw)
        }
        writer.writeRaw("]")
    }

    mutating func strings(_ name: String, _ values: [String]) {
        key(name)
        writer.writeRaw("[")
        for (index, value) in values.enumerated() {
            if index > 0 { writer.writeRaw(",") }
            writer.writeString(value)
        }
        writer.writeRaw("]")
    }

    mutating func integer(_ name: String, _ value: Int64) {
        key(name)
        writer.writeInteger(value)
    }
    mutating func integer(_ name: String, _ value: Int) { integer(name, Int64(value)) }
    mutating func integer(_ name: String, _ value: Int?) { if let value { integer(name, Int64(value)) } }
    mutating func integer(_ name: String, _ value: Int64?) { if let value { integer(name, value) } }

    mutating func date(_ name: String, _ value: CalendarDate) { string(name, value.iso) }
    mutating func date(_ name: String, _ value: CalendarDate?) { if let value { date(name, value) } }

    /// A nested object written by `body`.
    mutating func object(_ name: String, _ body: (inout ObjectEncoder) -> Void) {
        key(name)
        // Hand the buffer over rather than copy it: nested objects are common
        // and a copy per object would make encoding quadratic in line length
        // (and in batch length, as a batch's lines share one buffer).
        var nested = ObjectEncoder(appendingTo: &writer.bytes)
        body(&nested)
        writer = nested.finish()
    }

    consuming func finish() -> JSONWriter {
        writer.writeRaw("}")
        return writer
    }
}
