/// Writes one JSON object member by member, in the fixed order the caller
/// chooses, so the same event always becomes the same bytes (the chain hashes them).
package struct ObjectEncoder {
    var writer: JSONWriter
    private var first = true

    /// An object in a buffer of its own.
    package init() {
        var bytes: [UInt8] = []
        self.init(appendingTo: &bytes)
    }

    /// An object written at the end of `bytes`, which are taken over (not
    /// copied) until `finish` gives them back; `bytes` is empty meanwhile.
    package init(appendingTo bytes: inout [UInt8]) {
        writer = JSONWriter()
        swap(&writer.bytes, &bytes)
        writer.writeRaw("{")
    }

    /// Names are literals with nothing to escape (checked in debug builds), so
    /// `,"name":` goes in with one copy rather than a scan per byte: keys are
    /// a third of a checkpoint's bytes.
    private mutating func key(_ name: StaticString) {
        assert(name.hasPointerRepresentation && JSONWriter.needsNoEscape(name), "a member name must be a plain literal")
        // `,"name":` assembled on the stack and appended once: five appends
        // to the array cost more than the copying.
        let comma = !first
        first = false
        name.withUTF8Buffer { name in
            withUnsafeTemporaryAllocation(of: UInt8.self, capacity: name.count + 4) { text in
                var at = 0
                if comma {
                    text[0] = 0x2C  // ,
                    at = 1
                }
                text[at] = 0x22
                UnsafeMutableRawPointer(text.baseAddress! + at + 1).copyMemory(from: name.baseAddress!, byteCount: name.count)
                text[at + 1 + name.count] = 0x22
                text[at + 2 + name.count] = 0x3A  // :
                writer.bytes.append(contentsOf: UnsafeBufferPointer(rebasing: text[..<(at + 3 + name.count)]))
            }
        }
    }

    private mutating func separate() {
        if !first { writer.bytes.append(0x2C) }  // ,
        first = false
    }

    /// A name made at run time (a council's id as a key), escaped like any string.
    private mutating func key(named name: String) {
        separate()
        writer.writeString(name)
        writer.bytes.append(0x3A)  // :
    }

    package mutating func string(named name: String, _ value: String) {
        key(named: name)
        writer.writeString(value)
    }

    package mutating func integer(named name: String, _ value: Int64) {
        key(named: name)
        writer.writeInteger(value)
    }

    /// A nested object under a name made at run time; see `object(_:_:)`.
    package mutating func object(named name: String, _ body: (inout ObjectEncoder) -> Void) {
        key(named: name)
        nested(body)
    }

    /// A nested array under a name made at run time; see `array(_:_:)`.
    package mutating func array(named name: String, _ body: (inout ArrayEncoder) -> Void) {
        key(named: name)
        nestedArray(body)
    }

    /// A member already held as a `JSONValue`, under a name made at run time.
    package mutating func value(named name: String, _ value: JSONValue) {
        key(named: name)
        writer.write(value)
    }

    package mutating func string(_ name: StaticString, _ value: String) {
        key(name)
        writer.writeString(value)
    }

    package mutating func string(_ name: StaticString, _ value: String?) {
        if let value { string(name, value) }
    }

    package mutating func id(_ name: StaticString, _ value: Identifier) { string(name, value.raw) }
    package mutating func id(_ name: StaticString, _ value: Identifier?) { if let value { id(name, value) } }

    package mutating func ids(_ name: StaticString, _ values: [Identifier]) {
        key(name)
        writer.writeRaw("[")
        for (index, value) in values.enumerated() {
            if index > 0 { writer.writeRaw(",") }
            writer.writeString(value.raw)
        }
        writer.writeRaw("]")
    }

    package mutating func strings(_ name: StaticString, _ values: [String]) {
        key(name)
        writer.writeRaw("[")
        for (index, value) in values.enumerated() {
            if index > 0 { writer.writeRaw(",") }
            writer.writeString(value)
        }
        writer.writeRaw("]")
    }

    package mutating func integer(_ name: StaticString, _ value: Int64) {
        key(name)
        writer.writeInteger(value)
    }
    package mutating func integer(_ name: StaticString, _ value: Int) { integer(name, Int64(value)) }
    package mutating func integer(_ name: StaticString, _ value: Int?) { if let value { integer(name, Int64(value)) } }
    package mutating func integer(_ name: StaticString, _ value: Int64?) { if let value { integer(name, value) } }

    package mutating func instant(_ name: StaticString, _ value: Instant) {
        key(name)
        writer.writeInstant(value)
    }

    package mutating func author(_ name: StaticString, _ value: Author) {
        key(name)
        writer.writeAuthor(value)
    }

    package mutating func date(_ name: StaticString, _ value: CalendarDate) {
        key(name)
        writer.writeDate(value)
    }
    package mutating func date(_ name: StaticString, _ value: CalendarDate?) { if let value { date(name, value) } }

    /// A nested object written by `body`, into this same buffer.
    package mutating func object(_ name: StaticString, _ body: (inout ObjectEncoder) -> Void) {
        key(name)
        nested(body)
    }

    private mutating func nested(_ body: (inout ObjectEncoder) -> Void) {
        // The body writes through `self`: a second encoder holding the buffer
        // let the optimizer copy it, once per nested object (a quadratic batch).
        writer.writeRaw("{")
        first = true
        body(&self)
        writer.writeRaw("}")
        first = false
    }

    /// A nested array written by `body`, which takes the buffer over by a swap
    /// (the checkpoint's writer was measured not to copy it this way).
    package mutating func array(_ name: StaticString, _ body: (inout ArrayEncoder) -> Void) {
        key(name)
        nestedArray(body)
    }

    private mutating func nestedArray(_ body: (inout ArrayEncoder) -> Void) {
        var nested = ArrayEncoder(appendingTo: &writer.bytes)
        body(&nested)
        writer = nested.finish()
    }

    /// A value the caller writes itself, as canonical JSON text: a cache
    /// holding a state that was encoded on its own, without a tree between.
    package mutating func json(_ name: StaticString, _ write: (inout [UInt8]) -> Void) {
        key(name)
        write(&writer.bytes)
    }

    package consuming func finish() -> JSONWriter {
        writer.writeRaw("}")
        return writer
    }
}
