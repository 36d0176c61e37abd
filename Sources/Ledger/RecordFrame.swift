import Events

/// What the chain needs of a stored line (seq, type, dates, batch mark and
/// prev), read straight from the ledger's own canonical layout without
/// decoding the event. `verify` and reports that need only some event types
/// use it so that checking the chain costs little more than hashing it.
///
/// Only the exact layout `EventEncoder.encodeRecord` writes is read this way;
/// anything else returns nil and is decoded in full, so an unusual line is
/// judged by the strict decoder, never guessed at.
public struct RecordFrame: Sendable, Equatable {
    public var seq: Int
    public var type: EventType
    /// Nil when read from the layout: only the appender needs it, and it decodes in full.
    public var recorded: Instant?
    public var effective: CalendarDate
    public var batch: BatchMark?
    public var prev: SHA256Digest

    init(seq: Int, type: EventType, recorded: Instant?, effective: CalendarDate, batch: BatchMark?, prev: SHA256Digest) {
        self.seq = seq
        self.type = type
        self.recorded = recorded
        self.effective = effective
        self.batch = batch
        self.prev = prev
    }

    init(_ record: Record) {
        self.init(
            seq: record.seq, type: record.type, recorded: record.recorded, effective: record.effective, batch: record.batch,
            prev: SHA256Digest(hex: record.prev) ?? .zero)
    }

    /// The frame of a decoded record whose `prev` was already read from its line.
    init(_ record: Record, prev: SHA256Digest) {
        self.init(
            seq: record.seq, type: record.type, recorded: record.recorded, effective: record.effective,
            batch: record.batch, prev: prev)
    }

    /// The frame of a canonical line; nil if the line is not in the canonical
    /// layout. `expected` is the `prev` the chain expects: when the line holds
    /// exactly that, its hex need not be parsed. Without `readingPrev` (a line
    /// a `VerifiedPrefix` vouches for) the frame's `prev` is zero, unread.
    static func parse(
        _ line: UnsafeRawBufferPointer, expectingPrev expected: SHA256Digest? = nil, readingPrev: Bool = true
    ) -> RecordFrame? {
        var cursor = Cursor(bytes: line)
        // The tail first: `,"prev":"<64 hex>"}` closes every canonical line.
        let tail = 75
        guard line.count > tail + 40, line[line.count - 1] == UInt8(ascii: "}"), line[line.count - 2] == UInt8(ascii: "\""),
            cursor.matches(#","prev":""#, at: line.count - tail)
        else { return nil }
        let hex = UnsafeRawBufferPointer(rebasing: line[(line.count - 66)..<(line.count - 2)])
        let prev: SHA256Digest
        if !readingPrev {
            prev = .zero
        } else if let expected, expected.matchesHex(hex) {
            prev = expected
        } else {
            guard let words = SHA256Digest.words(fromHex: hex.bindMemory(to: UInt8.self), lowercaseOnly: true) else { return nil }
            prev = SHA256Digest(words: words)
        }
        guard cursor.expect(#"{"seq":"#), let seq = cursor.integer(),
            cursor.expect(#","type":""#), let type = cursor.eventType(),
            cursor.expect(#","recorded":""#), cursor.skipPlain(),
            cursor.expect(#","by":""#), cursor.skipPlain(),
            cursor.expect(#","effective":""#), let effective = cursor.date()
        else { return nil }
        if cursor.expect(#","id":""#) {
            guard cursor.skipEscapedString() else { return nil }
        }
        var batch: BatchMark?
        if cursor.expect(#","batch":{"first":"#) {
            guard let first = cursor.integer(), cursor.expect(#","count":"#), let count = cursor.integer(), cursor.expect("}"),
                count >= 2, (first..<first + count).contains(seq)
            else { return nil }
            batch = BatchMark(first: first, count: count)
        }
        guard cursor.expect(#","data":{"#), cursor.offset < line.count - tail else { return nil }
        return RecordFrame(seq: seq, type: type, recorded: nil, effective: effective, batch: batch, prev: prev)
    }

    /// A forward reader over the line's bytes.
    struct Cursor {
        let bytes: UnsafeRawBufferPointer
        var offset = 0

        func matches(_ text: StaticString, at position: Int) -> Bool {
            let count = text.utf8CodeUnitCount
            guard position >= 0, position + count <= bytes.count else { return false }
            let expected = UnsafeRawBufferPointer(start: text.utf8Start, count: count)
            for index in 0..<count where bytes[position + index] != expected[index] { return false }
            return true
        }

        /// Consumes `text` if it comes next.
        mutating func expect(_ text: StaticString) -> Bool {
            guard matches(text, at: offset) else { return false }
            offset += text.utf8CodeUnitCount
            return true
        }

        /// A whole number of 1 to 15 digits, no sign or leading zero.
        mutating func integer() -> Int? {
            var value = 0, digits = 0
            while offset < bytes.count, (48...57).contains(bytes[offset]), digits < 15 {
                if digits == 1 && value == 0 { return nil }
                value = value * 10 + Int(bytes[offset] - 48)
                offset += 1
                digits += 1
            }
            return digits == 0 ? nil : value
        }

        /// Skips plain printable ASCII (no escapes) through its closing quote.
        mutating func skipPlain() -> Bool {
            while offset < bytes.count {
                let byte = bytes[offset]
                offset += 1
                if byte == UInt8(ascii: "\"") { return true }
                guard byte >= 0x20, byte < 0x7F, byte != UInt8(ascii: "\\") else { return false }
            }
            return false
        }

        static let typeNames: [(bytes: [UInt8], type: EventType)] = EventType.allCases.map { (Array($0.rawValue.utf8), $0) }

        /// An event type's name and its closing quote, compared as bytes.
        mutating func eventType() -> EventType? {
            for (name, type) in Self.typeNames where offset + name.count < bytes.count && bytes[offset + name.count] == UInt8(ascii: "\"") {
                var same = true
                for index in 0..<name.count where bytes[offset + index] != name[index] {
                    same = false
                    break
                }
                if same {
                    offset += name.count + 1
                    return type
                }
            }
            return nil
        }

        /// `YYYY-MM-DD"`, a day that exists.
        mutating func date() -> CalendarDate? {
            guard offset + 11 <= bytes.count, bytes[offset + 4] == UInt8(ascii: "-"), bytes[offset + 7] == UInt8(ascii: "-"),
                bytes[offset + 10] == UInt8(ascii: "\"")
            else { return nil }
            func number(_ from: Int, _ count: Int) -> Int? {
                var value = 0
                for index in offset + from..<offset + from + count {
                    let digit = Int(bytes[index]) - 48
                    guard (0...9).contains(digit) else { return nil }
                    value = value * 10 + digit
                }
                return value
            }
            guard let year = number(0, 4), let month = number(5, 2), let day = number(8, 2),
                let date = CalendarDate(year: year, month: month, day: day)
            else { return nil }
            offset += 11
            return date
        }

        /// Skips a JSON string body with escapes, through its closing quote.
        mutating func skipEscapedString() -> Bool {
            while offset < bytes.count {
                let byte = bytes[offset]
                offset += 1
                if byte == UInt8(ascii: "\\") { offset += 1 } else if byte == UInt8(ascii: "\"") { return true }
                else if byte < 0x20 { return false }
            }
            return false
        }
    }
}
