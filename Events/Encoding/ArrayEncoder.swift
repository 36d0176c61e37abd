/// Writes one JSON array element by element, in the order the caller gives:
/// the counterpart of `ObjectEncoder`, for caches that list entries in a fixed order.
package struct ArrayEncoder {
    var writer: JSONWriter
    private var first = true

    /// An array written at the end of `bytes`, which are taken over (not
    /// copied) until `finish` gives them back.
    package init(appendingTo bytes: inout [UInt8]) {
        writer = JSONWriter()
        swap(&writer.bytes, &bytes)
        writer.writeRaw("[")
    }

    private mutating func separate() {
        if !first { writer.writeRaw(",") }
        first = false
    }

    package mutating func string(_ value: String) {
        separate()
        writer.writeString(value)
    }

    package mutating func integer(_ value: Int64) {
        separate()
        writer.writeInteger(value)
    }

    /// An element the caller writes whole, through the writer itself: for a
    /// report's many small objects of fixed keys, written as literal runs
    /// (`{"from":`, `,"to":`) rather than key by key.
    package mutating func element(_ write: (inout JSONWriter) -> Void) {
        separate()
        write(&writer)
    }

    package mutating func object(_ body: (inout ObjectEncoder) -> Void) {
        separate()
        var nested = ObjectEncoder(appendingTo: &writer.bytes)
        body(&nested)
        writer = nested.finish()
    }

    package mutating func array(_ body: (inout ArrayEncoder) -> Void) {
        separate()
        var nested = ArrayEncoder(appendingTo: &writer.bytes)
        body(&nested)
        writer = nested.finish()
    }

    package consuming func finish() -> JSONWriter {
        writer.writeRaw("]")
        return writer
    }
}
