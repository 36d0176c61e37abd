/// A forward reader over the bytes of a line in the ledger's own layout
/// (`EventEncoder.encodeRecord`), for the readers that take that layout
/// without a JSON tree: `LayoutEnvelope` and `EventDecoder.decodeCanonicalRecord`.
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
        return Self.equal(bytes.baseAddress! + position, UnsafeRawPointer(text.utf8Start), count: count)
    }

    /// Eight bytes at a time, the last word overlapping the one before: every
    /// line compares its keys, and a call to `memcmp` for 6 to 20 bytes cost more than the comparing.
    static func equal(_ a: UnsafeRawPointer, _ b: UnsafeRawPointer, count: Int) -> Bool {
        guard count >= 8 else {
            for index in 0..<count where a.load(fromByteOffset: index, as: UInt8.self) != b.load(fromByteOffset: index, as: UInt8.self) {
                return false
            }
            return true
        }
        var index = 0
        while index + 8 <= count {
            if a.loadUnaligned(fromByteOffset: index, as: UInt64.self) != b.loadUnaligned(fromByteOffset: index, as: UInt64.self) {
                return false
            }
            index += 8
        }
        return index == count
            || a.loadUnaligned(fromByteOffset: count - 8, as: UInt64.self) == b.loadUnaligned(fromByteOffset: count - 8, as: UInt64.self)
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
        // Whole words first: a word with no quote, backslash, control byte or
        // byte from 0x7F up is skipped at once. The tests may flag a word that
        // is fine (a carry between bytes); the byte loop below then decides.
        let ones: UInt64 = 0x0101_0101_0101_0101, highs: UInt64 = 0x8080_8080_8080_8080
        func hasZeroByte(_ x: UInt64) -> Bool { (x &- ones) & ~x & highs != 0 }
        while offset + 8 <= bytes.count {
            let word = bytes.loadUnaligned(fromByteOffset: offset, as: UInt64.self)
            let control = (word &- ones &* 0x20) & ~word & highs
            let high = (word | (word &+ ones)) & highs
            if control != 0 || high != 0 || hasZeroByte(word ^ (ones &* 0x22)) || hasZeroByte(word ^ (ones &* 0x5C)) { break }
            offset += 8
        }
        while offset < bytes.count {
            let byte = bytes[offset]
            offset += 1
            if byte == UInt8(ascii: "\"") { return true }
            guard byte >= 0x20, byte < 0x7F, byte != UInt8(ascii: "\\") else { return false }
        }
        return false
    }

    /// The type names, grouped by length, so a name is compared only with those as long as it.
    static let typeNamesByLength: [[(bytes: [UInt8], type: EventType)]] = {
        let names = EventType.allCases.map { (bytes: Array($0.rawValue.utf8), type: $0) }
        var byLength = [[(bytes: [UInt8], type: EventType)]](repeating: [], count: names.map(\.bytes.count).max()! + 1)
        for name in names { byLength[name.bytes.count].append(name) }
        return byLength
    }()

    /// An event type's name and its closing quote, compared as bytes.
    package mutating func eventType() -> EventType? {
        let longest = Self.typeNamesByLength.count - 1
        var length = 0
        while length <= longest, offset + length < bytes.count, bytes[offset + length] != UInt8(ascii: "\"") { length += 1 }
        guard length <= longest, offset + length < bytes.count else { return nil }
        for (name, type) in Self.typeNamesByLength[length] {
            let same = name.withUnsafeBytes { Self.equal(bytes.baseAddress! + offset, $0.baseAddress!, count: length) }
            if same {
                offset += length + 1
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
