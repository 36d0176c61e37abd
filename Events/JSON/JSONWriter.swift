/// Writes canonical JSON: no whitespace, object members in stored order,
/// strings escaped the one way below, so the same value always becomes the
/// same bytes (the ledger's hash chain depends on it).
///
/// Strings: `"` and `\` are escaped, control characters use `\b \f \n \r \t`
/// or else `\u00XX` (lowercase hex); everything else, including `/` and
/// non-ASCII (written as its UTF-8), is copied as is. Integers are plain
/// decimal; `.number` literals are copied verbatim.
public struct JSONWriter: Sendable {
    public var bytes: [UInt8]

    public init() {
        bytes = []
    }

    /// Appends `value` canonically.
    public mutating func write(_ value: JSONValue) {
        switch value {
        case .null:
            writeRaw("null")
        case .bool(let b):
            if b { writeRaw("true") } else { writeRaw("false") }
        case .integer(let i):
            writeInteger(i)
        case .number(let literal):
            var literal = literal
            literal.withUTF8 { bytes.append(contentsOf: $0) }
        case .string(let s):
            writeString(s)
        case .array(let elements):
            bytes.append(0x5B)  // [
            var first = true
            for element in elements {
                if !first { bytes.append(0x2C) }  // ,
                first = false
                write(element)
            }
            bytes.append(0x5D)  // ]
        case .object(let object):
            bytes.append(0x7B)  // {
            var first = true
            for member in object.members {
                if !first { bytes.append(0x2C) }  // ,
                first = false
                writeString(member.key)
                bytes.append(0x3A)  // :
                write(member.value)
            }
            bytes.append(0x7D)  // }
        }
    }

    /// Appends `s` quoted and escaped.
    public mutating func writeString(_ s: String) {
        var s = s
        s.withUTF8 { utf8 in
            bytes.append(0x22)
            var run = 0  // start of the bytes not yet copied
            var j = 0
            let n = utf8.count
            while j < n {
                // Eight bytes at a time while none needs escaping: strings are most of what is written.
                if j &+ 8 <= n, !Self.anyNeedsEscape(UnsafeRawPointer(utf8.baseAddress! + j).loadUnaligned(as: UInt64.self)) {
                    j &+= 8
                    continue
                }
                let b = utf8[j]
                if b >= 0x20 && b != 0x22 && b != 0x5C {
                    j &+= 1
                    continue
                }
                if run < j { bytes.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[run..<j])) }
                bytes.append(0x5C)  // \
                switch b {
                case 0x22: bytes.append(0x22)
                case 0x5C: bytes.append(0x5C)
                case 0x08: bytes.append(UInt8(ascii: "b"))
                case 0x0C: bytes.append(UInt8(ascii: "f"))
                case 0x0A: bytes.append(UInt8(ascii: "n"))
                case 0x0D: bytes.append(UInt8(ascii: "r"))
                case 0x09: bytes.append(UInt8(ascii: "t"))
                default:
                    bytes.append(UInt8(ascii: "u"))
                    bytes.append(UInt8(ascii: "0"))
                    bytes.append(UInt8(ascii: "0"))
                    bytes.append(Self.lowerHex[Int(b >> 4)])
                    bytes.append(Self.lowerHex[Int(b & 0xF)])
                }
                j &+= 1
                run = j
            }
            if run < n { bytes.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[run..<n])) }
            bytes.append(0x22)
        }
    }

    /// Whether any of the eight bytes in `word` is below 0x20, a quote or a backslash
    /// (the classic bit tests for "a byte less than" and "a zero byte"; exact
    /// for whether any byte matches, which is all that is asked).
    @inline(__always)
    static func anyNeedsEscape(_ word: UInt64) -> Bool {
        let ones: UInt64 = 0x0101_0101_0101_0101
        let highs: UInt64 = 0x8080_8080_8080_8080
        let control = (word &- ones &* 0x20) & ~word & highs
        let quote = word ^ (ones &* 0x22)
        let backslash = word ^ (ones &* 0x5C)
        let zeroInQuote = (quote &- ones) & ~quote & highs
        let zeroInBackslash = (backslash &- ones) & ~backslash & highs
        return control | zeroInQuote | zeroInBackslash != 0
    }

    /// Whether `text` would be written as it is inside quotes.
    static func needsNoEscape(_ text: StaticString) -> Bool {
        text.withUTF8Buffer { $0.allSatisfy { $0 >= 0x20 && $0 != 0x22 && $0 != 0x5C } }
    }

    package static let lowerHex: [UInt8] = Array("0123456789abcdef".utf8)

    /// Appends `i` in plain decimal.
    public mutating func writeInteger(_ i: Int64) {
        if i >= 0 && i < 10 {
            bytes.append(0x30 &+ UInt8(i))
            return
        }
        if i < 0 { bytes.append(0x2D) }  // -
        var magnitude = i.magnitude
        // 20 digits is enough for any UInt64.
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 20) { digits in
            var k = 20
            repeat {
                k &-= 1
                digits[k] = 0x30 &+ UInt8(truncatingIfNeeded: magnitude % 10)
                magnitude /= 10
            } while magnitude != 0
            bytes.append(contentsOf: UnsafeBufferPointer(rebasing: digits[k..<20]))
        }
    }

    /// Appends a date as its quoted ISO text, as `writeString(date.iso)` would,
    /// without making the string first.
    public mutating func writeDate(_ date: CalendarDate) {
        let (y, m, d) = date.components
        guard (0...9999).contains(y) else { return writeString(date.iso) }
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 12) { text in
            text[0] = 0x22
            CalendarDate.writeISO(y, m, d, into: UnsafeMutableBufferPointer(rebasing: text[1..<11]))
            text[11] = 0x22
            bytes.append(contentsOf: UnsafeBufferPointer(text))
        }
    }

    /// Appends an instant as its quoted RFC 3339 text, as
    /// `writeString(instant.rfc3339)` would, without making the string first:
    /// every ledger line holds one.
    public mutating func writeInstant(_ instant: Instant) {
        let written = withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 22) { text in
            guard instant.writeRFC3339(into: UnsafeMutableBufferPointer(rebasing: text[1..<21])) else { return false }
            text[0] = 0x22
            text[21] = 0x22
            bytes.append(contentsOf: UnsafeBufferPointer(text))
            return true
        }
        if !written { writeString(instant.rfc3339) }
    }

    /// Appends an author as its quoted `council/officer` text, as
    /// `writeString(author.description)` would, without joining the two first.
    /// An id holds only a-z, 0-9 and '-' (`Identifier`), so nothing is escaped.
    public mutating func writeAuthor(_ author: Author) {
        var council = author.council.raw, officer = author.officer.raw
        bytes.append(0x22)
        council.withUTF8 { bytes.append(contentsOf: $0) }
        bytes.append(UInt8(ascii: "/"))
        officer.withUTF8 { bytes.append(contentsOf: $0) }
        bytes.append(0x22)
    }

    /// Appends ASCII punctuation or a literal verbatim, e.g. `"{"`, `","`, `":"`.
    public mutating func writeRaw(_ ascii: StaticString) {
        ascii.withUTF8Buffer { bytes.append(contentsOf: $0) }
    }

    /// `value` as canonical JSON bytes.
    public static func encode(_ value: JSONValue) -> [UInt8] {
        var writer = JSONWriter()
        // Most ledger lines fit; saves the first few regrowths.
        writer.bytes.reserveCapacity(256)
        writer.write(value)
        return writer.bytes
    }
}
