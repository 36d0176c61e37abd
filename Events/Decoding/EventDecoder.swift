/// Turns JSON into typed events: strictly for input, leniently (unknown fields
/// ignored, unknown types still refused) for stored records.
public enum EventDecoder {
    static let inputKeys = ["type", "effective", "by", "data", "id", "expect"]

    /// Decodes one input event (SPEC §2) from its JSON text.
    /// Decodes one line held in an array slice; a Result carries the typed
    /// error through `withUnsafeBytes`, which only rethrows untyped errors.
    public static func decodeInput(_ bytes: ArraySlice<UInt8>) throws(FieldError) -> InputEvent {
        try bytes.withUnsafeBytes { buffer in
            Result { () throws(FieldError) -> InputEvent in try decodeInput(buffer) }
        }.get()
    }

    /// See `decodeInput(_:)` on a slice.
    public static func decodeRecord(_ bytes: ArraySlice<UInt8>) throws(FieldError) -> Record {
        try bytes.withUnsafeBytes { buffer in
            Result { () throws(FieldError) -> Record in try decodeRecord(buffer) }
        }.get()
    }

    public static func decodeInput(_ bytes: UnsafeRawBufferPointer) throws(FieldError) -> InputEvent {
        let value: JSONValue
        do {
            value = try JSONParser.parse(bytes)
        } catch {
            throw FieldError(field: "", message: "not valid JSON (\(error))")
        }
        return try decodeInput(value)
    }

    public static func decodeInput(_ value: JSONValue) throws(FieldError) -> InputEvent {
        let top = try FieldReader(value, path: "", strict: true)
        try top.checkKnown(inputKeys)
        let envelope = try decodeEnvelope(top, strict: true, id: try idempotencyKey(top))
        let expect = try top.optionalInteger("expect", in: 0...Limits.seq.upperBound, unit: "(a ledger seq)").map(Int.init)
        return InputEvent(envelope: envelope, expect: expect)
    }

    /// Decodes one stored line (without its newline).
    public static func decodeRecord(_ bytes: UnsafeRawBufferPointer) throws(FieldError) -> Record {
        let value: JSONValue
        do {
            value = try JSONParser.parse(bytes)
        } catch {
            throw FieldError(field: "", message: "not valid JSON (\(error))")
        }
        return try decodeRecord(value)
    }

    public static func decodeRecord(_ value: JSONValue) throws(FieldError) -> Record {
        let top = try FieldReader(value, path: "", strict: false)
        let seq = Int(try top.integer("seq", in: Limits.seq, unit: "(a ledger seq)"))
        let recordedText = try top.string("recorded")
        guard let recorded = Instant(rfc3339: recordedText) else {
            throw top.error("recorded", "\(FieldReader.quote(recordedText)) is not an RFC 3339 instant")
        }
        let prev = try top.string("prev")
        guard prev.utf8.count == 64, prev.utf8.allSatisfy(isLowerHexByte) else {
            throw top.error("prev", "must be 64 lowercase hex digits")
        }
        var batch: BatchMark?
        if let mark = try top.optionalObject("batch") {
            let first = Int(try mark.integer("first", in: Limits.seq, unit: "(a ledger seq)"))
            let count = Int(try mark.integer("count", in: 2...Limits.seq.upperBound, unit: "records"))
            guard (first..<first + count).contains(seq) else {
                throw top.error("batch", "seq \(seq) is outside its batch \(first)…\(first + count - 1)")
            }
            batch = BatchMark(first: first, count: count)
        }
        let envelope = try decodeEnvelope(top, strict: false, id: try idempotencyKey(top))
        return Record(seq: seq, recorded: recorded, envelope: envelope, prev: prev, batch: batch)
    }

    private static func decodeEnvelope(_ top: FieldReader, strict: Bool, id: String?) throws(FieldError) -> EventEnvelope {
        let type = try eventType(top)
        let effective = try top.date("effective")
        let byText = try top.string("by")
        guard let by = Author(byText) else {
            throw top.error("by", "\(FieldReader.quote(byText)) must be \"<council>/<officer>\", both ids of a-z, 0-9 and '-'")
        }
        let data = try top.object("data")
        let event = try Event.decode(type: type, data: data)
        return EventEnvelope(effective: effective, by: by, event: event, id: id)
    }

    private static func eventType(_ top: FieldReader) throws(FieldError) -> EventType {
        let text = try top.string("type")
        guard let type = EventType(rawValue: text) else {
            throw top.error("type", "\(FieldReader.quote(text)) is not an event type Accord knows (see SPEC §4)")
        }
        return type
    }

    static let maxKeyBytes = 128
    /// Idempotency keys are printable ASCII without spaces, so they can be quoted in any report.
    static func isKeyByte(_ byte: UInt8) -> Bool { (0x21...0x7E).contains(byte) }
    /// `prev` is written in lowercase hex only.
    static func isLowerHexByte(_ byte: UInt8) -> Bool { (48...57).contains(byte) || (97...102).contains(byte) }

    /// Idempotency keys are printable ASCII so they can be quoted in any report.
    private static func idempotencyKey(_ top: FieldReader) throws(FieldError) -> String? {
        guard let value = top.optional("id") else { return nil }
        guard case .string(let key) = value, (1...maxKeyBytes).contains(key.utf8.count), key.utf8.allSatisfy(isKeyByte)
        else {
            throw top.error("id", "must be 1 to 128 printable characters without spaces")
        }
        return key
    }
}
