import Testing
import TestSupport

@testable import Events

@Suite("JSONWriter")
struct JSONWriterTests {
    private func text(_ value: JSONValue) -> String {
        String(decoding: JSONWriter.encode(value), as: UTF8.self)
    }

    private func quoted(_ s: String) -> String {
        var writer = JSONWriter()
        writer.writeString(s)
        return String(decoding: writer.bytes, as: UTF8.self)
    }

    // MARK: Dates

    /// A date is written as its quoted ISO text, digit by digit, for every
    /// year the ISO form has four digits for and, through the string, beyond.
    @Test func datesAreWrittenAsTheirQuotedISOText() {
        let seed: UInt64 = 0xDA7E_0000_0000_0001
        var random = SplitMix64(seed: seed)
        let edges = [CalendarDate(dayNumber: 0), CalendarDate(year: 1900, month: 1, day: 1)!, CalendarDate(year: 2999, month: 12, day: 31)!]
        let days = edges.map(\.dayNumber) + (0..<20_000).map { _ in random.int(-800_000...3_700_000) }
        for (round, day) in days.enumerated() {
            let date = CalendarDate(dayNumber: day)
            var direct = JSONWriter()
            direct.writeDate(date)
            guard direct.bytes == Array(quoted(date.iso).utf8) else {
                Issue.record("seed \(seed), round \(round): \(date.iso) was written as \(String(decoding: direct.bytes, as: UTF8.self))")
                return
            }
        }
    }

    // MARK: Strings

    /// An instant is written as its quoted RFC 3339 text, digit by digit,
    /// for every second a four-digit year holds and, through the string, beyond.
    @Test func instantsAreWrittenAsTheirQuotedRFC3339Text() {
        let seed: UInt64 = 0x1257_A000_0000_0001
        var random = SplitMix64(seed: seed)
        // 0000-01-01T00:00:00Z and the second before; 9999-12-31T23:59:59Z and the second after.
        let edges = [0, -1, 86399, -62_167_219_200, -62_167_219_201, 253_402_300_799, 253_402_300_800, 1_764_000_000]
        let seconds = edges + (0..<20_000).map { _ in random.int(-70_000_000_000...320_000_000_000) }
        for (round, second) in seconds.enumerated() {
            let instant = Instant(secondsSinceEpoch: second)
            var direct = JSONWriter()
            direct.writeInstant(instant)
            #expect(direct.bytes == Array(quoted(instant.rfc3339).utf8), "seed \(seed), round \(round): \(second)")
        }
    }

    /// An author is written as its quoted `council/officer` text.
    @Test(arguments: ["a/b", "north-tyneside/finance-2", "c0001/clerk", "darlington/democratic-services-and-elections-team"])
    func authorsAreWrittenAsTheirQuotedText(_ text: String) throws {
        let author = try #require(Author(text))
        var direct = JSONWriter()
        direct.writeAuthor(author)
        #expect(direct.bytes == Array(quoted(author.description).utf8))
        #expect(String(decoding: direct.bytes, as: UTF8.self) == "\"\(text)\"")
    }

    @Test(
        "string escaping",
        arguments: [
            ("", #""""#), ("plain", #""plain""#), ("\"", #""\"""#), ("\\", #""\\""#), ("/", #""/""#),
            ("a/b</script>", #""a/b</script>""#), ("\u{8}", #""\b""#), ("\u{C}", #""\f""#), ("\n", #""\n""#),
            ("\r", #""\r""#), ("\t", #""\t""#), ("\u{0}", #""\u0000""#), ("\u{1}", #""\u0001""#),
            ("\u{B}", #""\u000b""#), ("\u{1B}", #""\u001b""#), ("\u{1F}", #""\u001f""#), ("\u{7F}", "\"\u{7F}\""),
            ("é", "\"é\""), ("€", "\"€\""), ("😀", "\"😀\""), ("\u{2028}\u{2029}", "\"\u{2028}\u{2029}\""),
            ("\u{FEFF}", "\"\u{FEFF}\""), ("\u{10FFFF}", "\"\u{10FFFF}\""), ("e\u{301}", "\"e\u{301}\""),
            ("say \"hi\"\n\tto C:\\dir", #""say \"hi\"\n\tto C:\\dir""#),
            ("\r\n", #""\r\n""#), ("ab\u{0}cd", #""ab\u0000cd""#),
        ])
    func escaping(_ input: String, _ expected: String) throws {
        let output = quoted(input)
        #expect(Array(output.utf8) == Array(expected.utf8), "got \(output)")
        // It reads back as exactly the same bytes.
        guard case .string(let back) = try JSONParser.parse(output) else { Issue.record("not a string"); return }
        #expect(Array(back.utf8) == Array(input.utf8))
    }

    @Test("every control character", arguments: 0..<0x20)
    func controlCharacter(_ code: Int) throws {
        let s = "a" + String(Unicode.Scalar(UInt8(code))) + "b"
        let output = quoted(s)
        let short: [Int: String] = [0x08: "\\b", 0x09: "\\t", 0x0A: "\\n", 0x0C: "\\f", 0x0D: "\\r"]
        let hex = Array("0123456789abcdef")
        let expectedEscape = short[code] ?? "\\u00" + String(hex[code >> 4]) + String(hex[code & 0xF])
        #expect(output == "\"a" + expectedEscape + "b\"")
        #expect(output.utf8.allSatisfy { $0 >= 0x20 })
        #expect(try JSONParser.parse(output) == .string(s))
    }

    /// The rule, one byte at a time, that the eight-byte test must agree with.
    private static func needsEscape(_ byte: UInt8) -> Bool { byte < 0x20 || byte == 0x22 || byte == 0x5C }

    /// Every byte value at every place in a word of otherwise plain bytes, then
    /// seeded random words: the eight-byte test says "escape" exactly when one byte does.
    @Test func theEightByteTestAgreesWithTheByteRule() {
        for place in 0..<8 {
            for value in 0...255 {
                var bytes = [UInt8](repeating: UInt8(ascii: "a"), count: 8)
                bytes[place] = UInt8(value)
                let word = bytes.withUnsafeBytes { $0.loadUnaligned(as: UInt64.self) }
                #expect(
                    JSONWriter.anyNeedsEscape(word) == Self.needsEscape(UInt8(value)), "byte \(value) at place \(place)")
            }
        }
        let seed: UInt64 = 0x0E5C_A9E0_0000_0008
        var random = SplitMix64(seed: seed)
        // Bytes drawn near the edges of the rule, where a borrow between bytes could mislead the test.
        let near: [UInt8] = [0x00, 0x01, 0x1F, 0x20, 0x21, 0x22, 0x23, 0x5B, 0x5C, 0x5D, 0x7F, 0x80, 0xA2, 0xDC, 0xFF]
        for round in 0..<200_000 {
            let bytes = (0..<8).map { _ in random.chance(1, in: 2) ? random.pick(near) : UInt8(random.int(0...255)) }
            let word = bytes.withUnsafeBytes { $0.loadUnaligned(as: UInt64.self) }
            guard JSONWriter.anyNeedsEscape(word) == bytes.contains(where: Self.needsEscape) else {
                Issue.record("seed \(seed), round \(round): \(bytes) judged wrongly")
                return
            }
        }
    }

    /// Long strings, with characters to escape anywhere (also inside and
    /// across the eight-byte steps), are written as the byte rule escapes them.
    @Test func longStringsAreEscapedAsByteByByte() throws {
        let seed: UInt64 = 0x0E5C_A9E0_0000_0040
        var random = SplitMix64(seed: seed)
        let pieces = ["a", "Z", "0", " ", "/", "\"", "\\", "\n", "\t", "\u{1}", "\u{1F}", "\u{7F}", "é", "€", "😀", "~"]
        for round in 0..<5_000 {
            let text = (0..<random.int(0...70)).map { _ in random.chance(7, in: 8) ? "x" : random.pick(pieces) }.joined()
            var expected = "\""
            for scalar in text.unicodeScalars {
                switch scalar {
                case "\"": expected += "\\\""
                case "\\": expected += "\\\\"
                case "\n": expected += "\\n"
                case "\t": expected += "\\t"
                case "\u{1}": expected += "\\u0001"
                case "\u{1F}": expected += "\\u001f"
                default: expected.unicodeScalars.append(scalar)
                }
            }
            expected += "\""
            guard quoted(text) == expected else {
                Issue.record("seed \(seed), round \(round): \(text.debugDescription) was written as \(quoted(text))")
                return
            }
        }
    }

    // MARK: Numbers

    @Test(
        "integers",
        arguments: [
            (0, "0"), (1, "1"), (9, "9"), (10, "10"), (-1, "-1"), (-9, "-9"), (-10, "-10"), (105_600, "105600"),
            (1_234_567_890_123, "1234567890123"), (Int64.max, "9223372036854775807"),
            (Int64.min, "-9223372036854775808"), (Int64.min + 1, "-9223372036854775807"),
        ] as [(Int64, String)])
    func integer(_ value: Int64, _ expected: String) throws {
        var writer = JSONWriter()
        writer.writeInteger(value)
        #expect(String(decoding: writer.bytes, as: UTF8.self) == expected)
        #expect(text(.integer(value)) == expected)
        #expect(try JSONParser.parse(expected) == .integer(value))
    }

    @Test("number literals are written verbatim")
    func numberLiteral() {
        for literal in ["1.5", "-0.0", "1E+5", "2.50e3", "123456789012345678901234567890"] {
            #expect(text(.number(literal)) == literal)
        }
    }

    // MARK: Structure

    @Test("canonical form: no whitespace, members in stored order")
    func canonical() {
        let value = JSONValue.object(JSONObject([
            .init(key: "z", value: .integer(1)),
            .init(key: "a", value: .array([.null, .bool(true), .bool(false), .string("x y"), .array([]), .object(JSONObject())])),
            .init(key: "m", value: .object(JSONObject([.init(key: "k", value: .number("1e3"))]))),
        ]))
        #expect(text(value) == #"{"z":1,"a":[null,true,false,"x y",[],{}],"m":{"k":1e3}}"#)
        #expect(JSONWriter.encode(value) == JSONWriter.encode(value), "deterministic")
    }

    @Test("scalars at top level")
    func scalars() {
        #expect(text(.null) == "null")
        #expect(text(.bool(true)) == "true")
        #expect(text(.bool(false)) == "false")
        #expect(text(.string("")) == #""""#)
        #expect(text(.array([])) == "[]")
        #expect(text(.object(JSONObject())) == "{}")
    }

    @Test("building by hand with writeRaw, writeString and writeInteger")
    func byHand() {
        var writer = JSONWriter()
        writer.writeRaw("{")
        writer.writeString("seq")
        writer.writeRaw(":")
        writer.writeInteger(42)
        writer.writeRaw(",")
        writer.writeString("by")
        writer.writeRaw(":")
        writer.writeString("darlington/j-smith")
        writer.writeRaw(",")
        writer.writeString("ok")
        writer.writeRaw(":")
        writer.writeRaw("true")
        writer.writeRaw("}")
        #expect(String(decoding: writer.bytes, as: UTF8.self) == #"{"seq":42,"by":"darlington/j-smith","ok":true}"#)
        writer.write(.array([.integer(-1)]))
        #expect(String(decoding: writer.bytes, as: UTF8.self).hasSuffix("}[-1]"))
    }

    @Test("a canonical ledger line is its own encoding")
    func ledgerLine() throws {
        let line = #"{"seq":123456,"type":"costs.apportioned","recorded":"2025-04-01T09:00:00Z","by":"darlington/j-smith","effective":"2025-04-01","data":{"post":"dcs","basis":"population","weights":{"darlington":105600,"hartlepool":92000,"redcar":135200},"proposal":"p-12"},"prev":"3f2a6c1e9b0d4f7a8c2e5b1d3f6a9c0e2b4d7f1a3c5e8b0d2f4a6c9e1b3d5f70"}"#
        #expect(JSONWriter.encode(try JSONParser.parse(line)) == Array(line.utf8))
    }

    // MARK: Property test

    @Test("1,000 random values round-trip exactly through encode and parse")
    func randomRoundTrip() throws {
        let seed: UInt64 = 0xACC0_4D5E_ED20_2504
        var generator = RandomJSON(seed: seed)
        for iteration in 0..<1000 {
            let value = generator.value(depth: 0)
            let encoded = JSONWriter.encode(value)
            let context = "seed 0x\(String(seed, radix: 16)), iteration \(iteration): \(String(decoding: encoded, as: UTF8.self))"
            let parsed: JSONValue
            do {
                parsed = try JSONParser.parse(encoded)
            } catch {
                Issue.record("\(error) — \(context)")
                return
            }
            #expect(JSONRoundTrip.identical(parsed, value), "\(context)")
            #expect(JSONWriter.encode(parsed) == encoded, "\(context)")
        }
    }
}

extension JSONWriterTests {
    /// Equality down to the bytes of every string (`==` on `String` allows
    /// canonically equivalent spellings; a round trip must not change any byte).
    fileprivate enum JSONRoundTrip {
        static func identical(_ a: JSONValue, _ b: JSONValue) -> Bool {
            switch (a, b) {
            case (.null, .null): return true
            case (.bool(let x), .bool(let y)): return x == y
            case (.integer(let x), .integer(let y)): return x == y
            case (.number(let x), .number(let y)): return x.utf8.elementsEqual(y.utf8)
            case (.string(let x), .string(let y)): return x.utf8.elementsEqual(y.utf8)
            case (.array(let x), .array(let y)):
                return x.count == y.count && zip(x, y).allSatisfy { identical($0, $1) }
            case (.object(let x), .object(let y)):
                return x.members.count == y.members.count
                    && zip(x.members, y.members).allSatisfy { $0.key.utf8.elementsEqual($1.key.utf8) && identical($0.value, $1.value) }
            default: return false
            }
        }
    }


    /// Random JSON values whose encoding parses back to exactly themselves: so
    /// `.number` is only ever a literal the parser keeps as `.number` (it has a
    /// fraction or exponent, or is an integer outside `Int64`).
    fileprivate struct RandomJSON {
        var rng: SplitMix64

        init(seed: UInt64) { rng = SplitMix64(state: seed) }

        mutating func int(_ range: ClosedRange<Int>) -> Int { Int.random(in: range, using: &rng) }

        mutating func value(depth: Int) -> JSONValue {
            let kinds = depth >= 5 ? 5 : 8
            switch int(0...kinds - 1) {
            case 0: return .null
            case 1: return .bool(Bool.random(using: &rng))
            case 2: return .integer(integer())
            case 3: return .number(numberLiteral())
            case 4: return .string(string())
            case 5, 6:
                if int(0...1) == 0 {
                    return .array((0..<int(0...5)).map { _ in value(depth: depth + 1) })
                }
                fallthrough
            default:
                var members: [JSONObject.Member] = []
                for _ in 0..<int(0...6) {
                    let key = string()
                    if members.contains(where: { $0.key == key }) { continue }
                    members.append(.init(key: key, value: value(depth: depth + 1)))
                }
                return .object(JSONObject(members))
            }
        }

        mutating func integer() -> Int64 {
            switch int(0...3) {
            case 0: return [0, 1, -1, .max, .min, .max - 1, .min + 1, 10, -10][int(0...8)]
            case 1: return Int64(int(-1000...1000))
            default: return Int64.random(in: .min ... .max, using: &rng)
            }
        }

        mutating func digits(_ count: Int, leadingNonZero: Bool) -> String {
            var s = ""
            for k in 0..<count {
                s += String(k == 0 && leadingNonZero ? int(1...9) : int(0...9))
            }
            return s
        }

        mutating func numberLiteral() -> String {
            let sign = int(0...1) == 0 ? "" : "-"
            if int(0...4) == 0 {
                // An integer too big for Int64: 20 or more digits.
                return sign + digits(int(20...40), leadingNonZero: true)
            }
            let whole = int(0...2) == 0 ? "0" : digits(int(1...19), leadingNonZero: true)
            let fraction = int(0...1) == 0 ? "." + digits(int(1...6), leadingNonZero: false) : ""
            var exponent = ""
            if fraction.isEmpty || int(0...1) == 0 {
                exponent = ["e", "E"][int(0...1)] + ["", "+", "-"][int(0...2)] + digits(int(1...3), leadingNonZero: false)
            }
            return sign + whole + fraction + exponent
        }

        mutating func scalar() -> Unicode.Scalar {
            let value: UInt32
            switch int(0...9) {
            case 0...3: value = UInt32(int(0x20...0x7E))  // printable ASCII
            case 4: value = UInt32(int(0x00...0x1F))  // control characters
            case 5: value = [0x22, 0x5C, 0x2F, 0x7F, 0x00, 0x0A][int(0...5)]  // characters with escapes
            case 6: value = UInt32(int(0x80...0x7FF))  // two bytes
            case 7:
                var v = UInt32(int(0x800...0xFFFF))  // three bytes, not a surrogate
                if (0xD800...0xDFFF).contains(v) { v -= 0x1000 }
                value = v
            case 8: value = UInt32(int(0x10000...0x10FFFF))  // four bytes
            default: value = [0x301, 0x2028, 0x2029, 0xFEFF, 0xFFFD, 0xFFFF, 0x10FFFF, 0xE9][int(0...7)]
            }
            return Unicode.Scalar(value)!
        }

        mutating func string() -> String {
            var s = String.UnicodeScalarView()
            let length = int(0...3) == 0 ? int(8...40) : int(0...8)
            for _ in 0..<length { s.append(scalar()) }
            return String(s)
        }
    }
}
