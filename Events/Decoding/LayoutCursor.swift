#if canImport(Glibc)
import Glibc
#endif

/// A forward reader over the bytes of a line in the ledger's own layout
/// (`EventEncoder.encodeRecord`), for the readers that take that layout
/// without a JSON tree: `RecordFrame` and `EventDecoder.decodeCanonicalRecord`.
package struct LayoutCursor {
    package let bytes: UnsafeRawBufferPointer
    package var offset = 0

    package init(bytes: UnsafeRawBufferPointer, offset: Int = 0) {
        self.bytes = bytes
        self.offset = offset
    }

    package func matches(_ text: StaticString, at position: Int) -> Bool {
        let count = text.utf8CodeUnitCount
        guard position >= 0, position + count <= bytes.count else { return false }
        return memcmp(bytes.baseAddress! + position, text.utf8Start, count) == 0
    }

    /// Consumes `text` if it comes next.
    package mutating func expect(_ text: StaticString) -> Bool {
        guard matches(text, at: offset) else { return false }
        offset += text.utf8CodeUnitCount
        return true
    }

    /// A whole number of 1 to 15 digits, no sign or leading zero.
    package mutating func integer() -> Int? {
        var value = 0, digits = 0
        while offset < bytes.count, (48...57).contains(bytes[offset]), digits < 15 {
            if digits == 1 && value == 0 { return nil }
            value = value * 10 + Int(bytes[offset] - 48)
            offset += 1
            digits += 1
        }
        return digits == 0 ? nil : value
    }

    /// Plain printable ASCII (no escapes) up to its closing quote, which is
    /// consumed; the range excludes it. Nil at a backslash, control byte or non-ASCII.
    package mutating func plain() -> Range<Int>? {
        let start = offset
        guard skipPlain() else { return nil }
        return start..<(offset - 1)
    }

    /// Skips plain printable ASCII (no escapes) through its closing quote.
    package mutating func skipPlain() -> Bool {
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
    package mutating func eventType() -> EventType? {
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

    /// `YYYY-MM-DD` and then `terminator` (a closing quote, or the `T` of an instant), a day that exists.
    package mutating func date(endingWith terminator: UInt8 = UInt8(ascii: "\"")) -> CalendarDate? {
        guard offset + 11 <= bytes.count, bytes[offset + 4] == UInt8(ascii: "-"), bytes[offset + 7] == UInt8(ascii: "-"),
            bytes[offset + 10] == terminator
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
    package mutating func skipEscapedString() -> Bool {
        while offset < bytes.count {
            let byte = bytes[offset]
            offset += 1
            if byte == UInt8(ascii: "\\") { offset += 1 } else if byte == UInt8(ascii: "\"") { return true }
            else if byte < 0x20 { return false }
        }
        return false
    }
}
