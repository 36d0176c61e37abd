/// A strict RFC 8259 JSON reader: no comments, no trailing commas, no NaN or
/// Infinity, no leading zeros or `+`, no byte order mark, no duplicate keys,
/// no invalid UTF-8 (overlong forms, encoded surrogates, code points above
/// U+10FFFF, truncated sequences), no lone surrogates in `\u` escapes, no
/// unescaped control characters in strings, and nothing after the value but
/// whitespace.
///
/// It reads straight from the byte buffer with an index. Strings without
/// escapes are validated as UTF-8 during the scan and built from the byte
/// slice in one go; only strings with escapes take a slower, copying path.
///
/// Duplicate keys are found with Swift `String` equality, so two keys that are
/// canonically equivalent (say a precomposed "é" and "e" + U+0301) count as
/// the same key: a record can never hold two members that look identical.
public enum JSONParser {
    /// Parses exactly one JSON document (surrounding JSON whitespace allowed, nothing else after it).
    ///
    /// Containers may nest at most `maxDepth` deep (`[[1]]` is depth 2); the
    /// limit is checked before descending, so hostile input cannot exhaust the
    /// stack (each level costs one recursive call, so keep the limit modest).
    public static func parse(_ bytes: UnsafeRawBufferPointer, maxDepth: Int = 64) throws(JSONError) -> JSONValue {
        guard let base = bytes.baseAddress, bytes.count > 0 else {
            throw JSONError(offset: 0, message: "empty input")
        }
        var parser = Parser(base: base.assumingMemoryBound(to: UInt8.self), count: bytes.count, maxDepth: maxDepth)
        defer { parser.release() }
        return try parser.document()
    }

    /// Parses exactly one JSON document (surrounding JSON whitespace allowed, nothing else after it).
    public static func parse(_ bytes: [UInt8], maxDepth: Int = 64) throws(JSONError) -> JSONValue {
        let result = bytes.withUnsafeBytes { buffer in
            Result { () throws(JSONError) in try parse(buffer, maxDepth: maxDepth) }
        }
        return try result.get()
    }

    /// Parses exactly one JSON document (surrounding JSON whitespace allowed, nothing else after it).
    public static func parse(_ text: String, maxDepth: Int = 64) throws(JSONError) -> JSONValue {
        var text = text
        let result = text.withUTF8 { buffer in
            Result { () throws(JSONError) in try parse(UnsafeRawBufferPointer(buffer), maxDepth: maxDepth) }
        }
        return try result.get()
    }
}

// MARK: - The parser

extension JSONParser {
    fileprivate enum Byte {
        static let quote: UInt8 = 0x22  // "
        static let backslash: UInt8 = 0x5C
        static let slash: UInt8 = 0x2F
        static let comma: UInt8 = 0x2C
        static let colon: UInt8 = 0x3A
        static let openBrace: UInt8 = 0x7B
        static let closeBrace: UInt8 = 0x7D
        static let openBracket: UInt8 = 0x5B
        static let closeBracket: UInt8 = 0x5D
        static let minus: UInt8 = 0x2D
        static let plus: UInt8 = 0x2B
        static let dot: UInt8 = 0x2E
        static let zero: UInt8 = 0x30
        static let nine: UInt8 = 0x39
        static let space: UInt8 = 0x20
        static let tab: UInt8 = 0x09
        static let newline: UInt8 = 0x0A
        static let carriageReturn: UInt8 = 0x0D
    }

    /// Above this many members an object's duplicate-key check switches from a
    /// linear scan to a set, so a hostile object with 100,000 keys stays linear.
    fileprivate static let linearKeyCheckLimit = 16

    /// A stack of values that pops its top values by moving them into a new
    /// array of exactly the right size: no copies, no reference counting, one
    /// allocation per container. The owner must call `release()`.
    fileprivate struct MoveStack<Element> {
        var storage: UnsafeMutablePointer<Element>? = nil
        var count = 0
        var capacity = 0

        @inline(__always)
        mutating func push(_ element: consuming Element) {
            if count == capacity { grow() }
            (storage! + count).initialize(to: element)
            count &+= 1
        }

        mutating func grow() {
            let newCapacity = Swift.max(16, capacity &* 2)
            let newStorage = UnsafeMutablePointer<Element>.allocate(capacity: newCapacity)
            if let storage {
                newStorage.moveInitialize(from: storage, count: count)
                storage.deallocate()
            }
            storage = newStorage
            capacity = newCapacity
        }

        /// Everything from `bottom` up, in order, as an array; the stack drops to `bottom`.
        mutating func pop(from bottom: Int) -> [Element] {
            let n = count &- bottom
            guard n > 0, let storage else { return [] }
            let array = [Element](unsafeUninitializedCapacity: n) { buffer, initialized in
                buffer.baseAddress!.moveInitialize(from: storage + bottom, count: n)
                initialized = n
            }
            count = bottom
            return array
        }

        func release() {
            guard let storage else { return }
            storage.deinitialize(count: count)
            storage.deallocate()
        }
    }

    fileprivate struct Parser {
        let base: UnsafePointer<UInt8>
        let count: Int
        let maxDepth: Int
        /// Index of the next unread byte.
        var i = 0
        /// Members of the objects being parsed, innermost last; each object takes
        /// its own off the top when it closes, so its array is allocated once at
        /// the right size instead of growing.
        var memberStack = MoveStack<JSONObject.Member>()
        /// The same for array elements.
        var elementStack = MoveStack<JSONValue>()
        /// Bytes of a string with escapes, reused from string to string.
        var scratch: [UInt8] = []

        init(base: UnsafePointer<UInt8>, count: Int, maxDepth: Int) {
            self.base = base
            self.count = count
            self.maxDepth = maxDepth
        }

        /// Frees the stacks (and whatever a failed parse left on them).
        func release() {
            memberStack.release()
            elementStack.release()
        }

        // MARK: Document

        mutating func document() throws(JSONError) -> JSONValue {
            if count >= 3 && base[0] == 0xEF && base[1] == 0xBB && base[2] == 0xBF {
                throw JSONError(offset: 0, message: "byte order mark (BOM) is not allowed")
            }
            skipWhitespace()
            if i == count { throw JSONError(offset: i, message: "empty input (only whitespace)") }
            let value = try value(depth: 0)
            skipWhitespace()
            if i < count {
                throw unexpected(base[i], "unexpected data after the JSON value")
            }
            return value
        }

        @inline(__always)
        mutating func skipWhitespace() {
            while i < count {
                let b = base[i]
                if b == Byte.space || b == Byte.newline || b == Byte.carriageReturn || b == Byte.tab {
                    i &+= 1
                } else {
                    return
                }
            }
        }

        // MARK: Values

        /// Parses the value starting at `i` (whitespace already skipped), inside
        /// `depth` containers.
        mutating func value(depth: Int) throws(JSONError) -> JSONValue {
            guard i < count else { throw endOfInput() }
            switch base[i] {
            case Byte.quote:
                return .string(try string())
            case Byte.openBrace:
                return try object(depth: depth &+ 1)
            case Byte.openBracket:
                return try array(depth: depth &+ 1)
            case Byte.minus, Byte.zero...Byte.nine:
                return try number()
            case UInt8(ascii: "t"):
                try literal("true")
                return .bool(true)
            case UInt8(ascii: "f"):
                try literal("false")
                return .bool(false)
            case UInt8(ascii: "n"):
                try literal("null")
                return .null
            case let b:
                throw unexpected(b, "expected a JSON value, found \(Self.describe(b))")
            }
        }

        mutating func object(depth: Int) throws(JSONError) -> JSONValue {
            if depth > maxDepth { throw JSONError(offset: i, message: nestingMessage) }
            i &+= 1  // {
            skipWhitespace()
            guard i < count else { throw endOfInput() }
            if base[i] == Byte.closeBrace {
                i &+= 1
                return .object(JSONObject())
            }
            let bottom = memberStack.count
            var seen: Set<String>? = nil
            while true {
                // A key.
                guard i < count else { throw endOfInput() }
                guard base[i] == Byte.quote else {
                    if base[i] == Byte.closeBrace && memberStack.count > bottom {
                        throw JSONError(offset: i, message: "trailing comma before '}'")
                    }
                    throw unexpected(base[i], "expected '\"' to begin an object key, found \(Self.describe(base[i]))")
                }
                let keyOffset = i
                let key = try string()
                let memberCount = memberStack.count &- bottom
                if memberCount < JSONParser.linearKeyCheckLimit {
                    var j = bottom
                    while j < memberStack.count {
                        if memberStack.storage![j].key == key { throw duplicate(key, at: keyOffset) }
                        j &+= 1
                    }
                } else {
                    if seen == nil {
                        seen = Set((bottom..<memberStack.count).map { memberStack.storage![$0].key })
                    }
                    if seen!.insert(key).inserted == false { throw duplicate(key, at: keyOffset) }
                }
                // The colon.
                skipWhitespace()
                guard i < count else { throw endOfInput() }
                guard base[i] == Byte.colon else {
                    throw unexpected(base[i], "expected ':' after object key")
                }
                i &+= 1
                skipWhitespace()
                // The value.
                let value = try value(depth: depth)
                memberStack.push(JSONObject.Member(key: key, value: value))
                // A comma or the end.
                skipWhitespace()
                guard i < count else { throw endOfInput() }
                let b = base[i]
                i &+= 1
                if b == Byte.comma {
                    skipWhitespace()
                    continue
                }
                if b == Byte.closeBrace { break }
                i &-= 1
                throw unexpected(b, "expected ',' or '}' after object member")
            }
            let members = memberStack.pop(from: bottom)
            return .object(JSONObject(members))
        }

        mutating func array(depth: Int) throws(JSONError) -> JSONValue {
            if depth > maxDepth { throw JSONError(offset: i, message: nestingMessage) }
            i &+= 1  // [
            skipWhitespace()
            guard i < count else { throw endOfInput() }
            if base[i] == Byte.closeBracket {
                i &+= 1
                return .array([])
            }
            let bottom = elementStack.count
            while true {
                guard i < count else { throw endOfInput() }
                if base[i] == Byte.closeBracket && elementStack.count > bottom {
                    throw JSONError(offset: i, message: "trailing comma before ']'")
                }
                let element = try value(depth: depth)
                elementStack.push(element)
                skipWhitespace()
                guard i < count else { throw endOfInput() }
                let b = base[i]
                i &+= 1
                if b == Byte.comma {
                    skipWhitespace()
                    continue
                }
                if b == Byte.closeBracket { break }
                i &-= 1
                throw unexpected(b, "expected ',' or ']' after array element")
            }
            let elements = elementStack.pop(from: bottom)
            return .array(elements)
        }

        mutating func literal(_ word: StaticString) throws(JSONError) {
            let start = i
            let n = word.utf8CodeUnitCount
            let w = word.utf8Start
            var k = 0
            while k < n {
                guard i < count else { throw endOfInput() }
                guard base[i] == w[k] else {
                    throw JSONError(offset: start, message: "invalid literal (expected '\(word)')")
                }
                i &+= 1
                k &+= 1
            }
        }

        // MARK: Numbers

        mutating func number() throws(JSONError) -> JSONValue {
            let start = i
            var negative = false
            if base[i] == Byte.minus {
                negative = true
                i &+= 1
                guard i < count else { throw endOfInput() }
            }
            var magnitude: UInt64 = 0
            var overflow = false
            let first = base[i]
            if first == Byte.zero {
                i &+= 1
                if i < count && isDigit(base[i]) {
                    throw JSONError(offset: start, message: "leading zeros are not allowed in numbers")
                }
            } else if isDigit(first) {
                while i < count {
                    let d = base[i] &- Byte.zero
                    guard d < 10 else { break }
                    let (times10, o1) = magnitude.multipliedReportingOverflow(by: 10)
                    let (sum, o2) = times10.addingReportingOverflow(UInt64(d))
                    magnitude = sum
                    overflow = overflow || o1 || o2
                    i &+= 1
                }
            } else if first == UInt8(ascii: "I") {
                throw JSONError(offset: start, message: "Infinity is not allowed (JSON numbers are finite)")
            } else {
                throw unexpected(first, "expected a digit after '-', found \(Self.describe(first))")
            }
            var integral = true
            if i < count && base[i] == Byte.dot {
                integral = false
                i &+= 1
                try digits(after: "'.'")
            }
            if i < count && (base[i] | 0x20) == UInt8(ascii: "e") {
                integral = false
                i &+= 1
                if i < count && (base[i] == Byte.plus || base[i] == Byte.minus) { i &+= 1 }
                try digits(after: "the exponent marker")
            }
            if integral && !overflow {
                if negative {
                    if magnitude <= UInt64(Int64.max) &+ 1 {
                        return .integer(Int64(bitPattern: 0 &- magnitude))
                    }
                } else if magnitude <= UInt64(Int64.max) {
                    return .integer(Int64(magnitude))
                }
            }
            return .number(String(decoding: UnsafeBufferPointer(start: base + start, count: i &- start), as: UTF8.self))
        }

        /// One or more digits, required after `what`.
        mutating func digits(after what: String) throws(JSONError) {
            guard i < count else { throw endOfInput() }
            guard isDigit(base[i]) else {
                throw unexpected(base[i], "expected a digit after \(what), found \(Self.describe(base[i]))")
            }
            i &+= 1
            while i < count && isDigit(base[i]) { i &+= 1 }
        }

        @inline(__always)
        func isDigit(_ b: UInt8) -> Bool { b &- Byte.zero < 10 }

        // MARK: Strings

        /// Parses the string whose opening quote is at `i`.
        mutating func string() throws(JSONError) -> String {
            i &+= 1  // "
            let start = i
            while true {
                // Eight bytes at a time while they are plain printable ASCII.
                while i &+ 8 <= count {
                    let word = UInt64(littleEndian: UnsafeRawPointer(base + i).loadUnaligned(as: UInt64.self))
                    let special = Self.specialBytes(word)
                    if special == 0 {
                        i &+= 8
                    } else {
                        i &+= special.trailingZeroBitCount &>> 3
                        break
                    }
                }
                guard i < count else { throw endOfInput() }
                let b = base[i]
                if b == Byte.quote {
                    let s = String(decoding: UnsafeBufferPointer(start: base + start, count: i &- start), as: UTF8.self)
                    i &+= 1
                    return s
                } else if b == Byte.backslash {
                    return try escapedString(from: start)
                } else if b < 0x20 {
                    throw controlCharacter(b)
                } else if b < 0x80 {
                    i &+= 1
                } else {
                    try utf8Sequence()
                }
            }
        }

        /// A mask with the high bit set in the lowest byte of `word` (and possibly
        /// later ones) that is a quote, a backslash, a control character or
        /// non-ASCII; zero when there is none. Exact for the lowest flagged byte
        /// (the first in memory on a little-endian machine), which is all we use.
        @inline(__always)
        static func specialBytes(_ word: UInt64) -> UInt64 {
            let ones: UInt64 = 0x0101_0101_0101_0101
            let highs: UInt64 = 0x8080_8080_8080_8080
            let quotes = word ^ (ones &* UInt64(Byte.quote))
            let backslashes = word ^ (ones &* UInt64(Byte.backslash))
            let isQuote = (quotes &- ones) & ~quotes
            let isBackslash = (backslashes &- ones) & ~backslashes
            let isControl = word &- (ones &* 0x20)
            return (isQuote | isBackslash | isControl | word) & highs
        }

        /// The rest of a string that has escapes, from its first backslash at `i`.
        mutating func escapedString(from start: Int) throws(JSONError) -> String {
            scratch.removeAll(keepingCapacity: true)
            scratch.append(contentsOf: UnsafeBufferPointer(start: base + start, count: i &- start))
            while i < count {
                let b = base[i]
                if b == Byte.quote {
                    i &+= 1
                    return String(decoding: scratch, as: UTF8.self)
                } else if b == Byte.backslash {
                    try escape()
                } else if b < 0x20 {
                    throw controlCharacter(b)
                } else if b < 0x80 {
                    scratch.append(b)
                    i &+= 1
                } else {
                    let from = i
                    try utf8Sequence()
                    scratch.append(contentsOf: UnsafeBufferPointer(start: base + from, count: i &- from))
                }
            }
            throw endOfInput()
        }

        /// One escape sequence at `i`, appended to `scratch` as UTF-8.
        mutating func escape() throws(JSONError) {
            let at = i
            i &+= 1
            guard i < count else { throw endOfInput() }
            let c = base[i]
            i &+= 1
            switch c {
            case Byte.quote: scratch.append(Byte.quote)
            case Byte.backslash: scratch.append(Byte.backslash)
            case Byte.slash: scratch.append(Byte.slash)
            case UInt8(ascii: "b"): scratch.append(0x08)
            case UInt8(ascii: "f"): scratch.append(0x0C)
            case UInt8(ascii: "n"): scratch.append(0x0A)
            case UInt8(ascii: "r"): scratch.append(0x0D)
            case UInt8(ascii: "t"): scratch.append(0x09)
            case UInt8(ascii: "u"):
                let unit = try hex4(escapeAt: at)
                var scalar: UInt32
                switch unit {
                case 0xD800...0xDBFF:
                    // A high surrogate: a \u escape of a low surrogate must follow.
                    func loneHigh() -> JSONError {
                        JSONError(offset: at, message: "lone high surrogate \(Self.hexEscape(unit)) (it must be followed by a low surrogate \\uDC00-\\uDFFF)")
                    }
                    guard i < count else { throw endOfInput() }
                    guard base[i] == Byte.backslash else { throw loneHigh() }
                    guard i &+ 1 < count else { throw endOfInput() }
                    guard base[i &+ 1] == UInt8(ascii: "u") else { throw loneHigh() }
                    let lowAt = i
                    i &+= 2
                    let low = try hex4(escapeAt: lowAt)
                    guard (0xDC00...0xDFFF).contains(low) else {
                        throw JSONError(offset: at, message: "lone high surrogate \(Self.hexEscape(unit)) (followed by \(Self.hexEscape(low)), not a low surrogate \\uDC00-\\uDFFF)")
                    }
                    scalar = 0x10000 &+ ((UInt32(unit) &- 0xD800) &<< 10) &+ (UInt32(low) &- 0xDC00)
                case 0xDC00...0xDFFF:
                    throw JSONError(offset: at, message: "lone low surrogate \(Self.hexEscape(unit)) (no high surrogate before it)")
                default:
                    scalar = UInt32(unit)
                }
                appendUTF8(scalar)
            default:
                throw JSONError(offset: at, message: "invalid escape '\\\(Self.printable(c))' (valid: \\\" \\\\ \\/ \\b \\f \\n \\r \\t \\uXXXX)")
            }
        }

        /// The four hex digits after `\u` (at `i`).
        mutating func hex4(escapeAt at: Int) throws(JSONError) -> UInt16 {
            var unit: UInt16 = 0
            for _ in 0..<4 {
                guard i < count else { throw endOfInput() }
                let c = base[i]
                let digit: UInt8
                switch c {
                case Byte.zero...Byte.nine: digit = c &- Byte.zero
                case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = c &- UInt8(ascii: "a") &+ 10
                case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = c &- UInt8(ascii: "A") &+ 10
                default:
                    throw JSONError(offset: at, message: "invalid \\u escape (expected four hex digits, found \(Self.describe(c)))")
                }
                unit = unit &<< 4 | UInt16(digit)
                i &+= 1
            }
            return unit
        }

        mutating func appendUTF8(_ scalar: UInt32) {
            switch scalar {
            case 0..<0x80:
                scratch.append(UInt8(scalar))
            case 0x80..<0x800:
                scratch.append(UInt8(0xC0 | scalar >> 6))
                scratch.append(UInt8(0x80 | scalar & 0x3F))
            case 0x800..<0x10000:
                scratch.append(UInt8(0xE0 | scalar >> 12))
                scratch.append(UInt8(0x80 | scalar >> 6 & 0x3F))
                scratch.append(UInt8(0x80 | scalar & 0x3F))
            default:
                scratch.append(UInt8(0xF0 | scalar >> 18))
                scratch.append(UInt8(0x80 | scalar >> 12 & 0x3F))
                scratch.append(UInt8(0x80 | scalar >> 6 & 0x3F))
                scratch.append(UInt8(0x80 | scalar & 0x3F))
            }
        }

        /// Checks the multi-byte UTF-8 sequence whose lead byte (≥ 0x80) is at `i`
        /// and steps over it (Unicode table 3-7, well-formed byte sequences).
        @inline(__always)
        mutating func utf8Sequence() throws(JSONError) {
            let lead = base[i]
            let length: Int
            // The allowed range of the second byte; the rest are 0x80...0xBF.
            let low: UInt8, high: UInt8
            switch lead {
            case 0xC2...0xDF: length = 2; low = 0x80; high = 0xBF
            case 0xE0: length = 3; low = 0xA0; high = 0xBF
            case 0xE1...0xEC, 0xEE...0xEF: length = 3; low = 0x80; high = 0xBF
            case 0xED: length = 3; low = 0x80; high = 0x9F
            case 0xF0: length = 4; low = 0x90; high = 0xBF
            case 0xF1...0xF3: length = 4; low = 0x80; high = 0xBF
            case 0xF4: length = 4; low = 0x80; high = 0x8F
            case 0x80...0xBF:
                throw badUTF8("unexpected continuation byte 0x\(Self.hex(lead))")
            case 0xC0, 0xC1:
                throw badUTF8("overlong encoding")
            default:
                throw badUTF8("byte 0x\(Self.hex(lead)) never appears in UTF-8")
            }
            guard isContinuation(i &+ 1) else { throw badUTF8("truncated sequence") }
            let second = base[i &+ 1]
            if second < low || second > high {
                switch lead {
                case 0xE0, 0xF0: throw badUTF8("overlong encoding")
                case 0xED: throw badUTF8("surrogate code point encoded in UTF-8")
                default: throw badUTF8("code point above U+10FFFF")
                }
            }
            if length >= 3 {
                guard isContinuation(i &+ 2) else { throw badUTF8("truncated sequence") }
                if length == 4 {
                    guard isContinuation(i &+ 3) else { throw badUTF8("truncated sequence") }
                }
            }
            i &+= length
        }

        @inline(__always)
        func isContinuation(_ j: Int) -> Bool { j < count && base[j] & 0xC0 == 0x80 }

        // MARK: Errors

        var nestingMessage: String { "nesting deeper than \(maxDepth) level\(maxDepth == 1 ? "" : "s")" }

        func endOfInput() -> JSONError { JSONError(offset: count, message: "unexpected end of input") }

        func badUTF8(_ detail: String) -> JSONError {
            JSONError(offset: i, message: "invalid UTF-8 in string (\(detail))")
        }

        func controlCharacter(_ b: UInt8) -> JSONError {
            JSONError(offset: i, message: "unescaped control character 0x\(Self.hex(b)) in string (write it as a \\u escape)")
        }

        func duplicate(_ key: String, at offset: Int) -> JSONError {
            JSONError(offset: offset, message: "duplicate key \(String(decoding: JSONWriter.encode(.string(key)), as: UTF8.self))")
        }

        /// An error at `i` for byte `b`, naming the usual mistakes (comments, NaN,
        /// Infinity, `+`, non-ASCII) before falling back to `message`.
        func unexpected(_ b: UInt8, _ message: String) -> JSONError {
            switch b {
            case Byte.slash: return JSONError(offset: i, message: "comments are not allowed")
            case UInt8(ascii: "N"): return JSONError(offset: i, message: "NaN is not allowed (JSON numbers are finite)")
            case UInt8(ascii: "I"): return JSONError(offset: i, message: "Infinity is not allowed (JSON numbers are finite)")
            case Byte.plus: return JSONError(offset: i, message: "a number must not start with '+'")
            default: return JSONError(offset: i, message: message)
            }
        }

        static func describe(_ b: UInt8) -> String {
            if b >= 0x20 && b < 0x7F { return "'\(Character(Unicode.Scalar(b)))'" }
            return "byte 0x\(hex(b))"
        }

        static func printable(_ b: UInt8) -> String {
            if b >= 0x20 && b < 0x7F { return String(Character(Unicode.Scalar(b))) }
            return "<0x\(hex(b))>"
        }

        static func hex(_ b: UInt8) -> String {
            let digits = Array("0123456789ABCDEF")
            return String([digits[Int(b >> 4)], digits[Int(b & 0xF)]])
        }

        static func hexEscape(_ unit: UInt16) -> String {
            "\\u" + hex(UInt8(unit >> 8)) + hex(UInt8(unit & 0xFF))
        }
    }
}
