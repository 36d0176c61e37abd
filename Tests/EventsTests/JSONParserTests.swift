import Testing

@testable import Events

@Suite("JSONParser")
struct JSONParserTests {
    private func parse(_ text: String, maxDepth: Int = 64) throws(JSONError) -> JSONValue {
        try JSONParser.parse(text, maxDepth: maxDepth)
    }

    private func parseError(_ bytes: [UInt8], maxDepth: Int = 64) -> JSONError? {
        do {
            let value = try JSONParser.parse(bytes, maxDepth: maxDepth)
            Issue.record("parsed, but should not have: \(value)")
            return nil
        } catch {
            return error
        }
    }

    @Test("refuses invalid documents at the right byte", arguments: JSONParserTests.invalidDocuments)
    fileprivate func invalid(_ document: InvalidJSON) throws {
        let error = try #require(parseError(document.bytes, maxDepth: document.maxDepth))
        #expect(error.offset == document.offset, "\(error)")
        #expect(error.message.contains(document.fragment), "\(error)")
        #expect(error.description == "byte \(error.offset): \(error.message)")
        // The same error from every entry point.
        let fromBuffer = document.bytes.withUnsafeBytes { buffer in
            Result { () throws(JSONError) in try JSONParser.parse(buffer, maxDepth: document.maxDepth) }
        }
        #expect(fromBuffer == .failure(error))
        if let text = String(validating: document.bytes, as: UTF8.self) {
            #expect(Result { () throws(JSONError) in try JSONParser.parse(text, maxDepth: document.maxDepth) } == .failure(error))
        }
    }

    @Test("there are at least 40 invalid cases")
    func enoughInvalidCases() {
        #expect(Self.invalidDocuments.count >= 40)
    }

    @Test("valid documents round-trip through the writer", arguments: JSONParserTests.validDocuments)
    func roundTrip(_ text: String) throws {
        let value = try parse(text)
        let encoded = JSONWriter.encode(value)
        let again = try JSONParser.parse(encoded)
        #expect(again == value)
        #expect(JSONWriter.encode(again) == encoded, "canonical output is a fixed point")
    }

    @Test("canonical form drops whitespace and keeps member order")
    func canonicalForm() throws {
        let value = try parse(" { \"b\" : [ 1 , 2.50e3 , \"x\\/y\" ] ,\n\"a\":\t-0 } ")
        #expect(String(decoding: JSONWriter.encode(value), as: UTF8.self) == #"{"b":[1,2.50e3,"x/y"],"a":0}"#)
    }

    @Test("builds the expected tree")
    func tree() throws {
        let value = try parse(#"{"seq":7,"data":{"weights":{"a":1,"b":2}},"tags":["x",null,true,1.25]}"#)
        let expected = JSONValue.object(JSONObject([
            .init(key: "seq", value: .integer(7)),
            .init(key: "data", value: .object(JSONObject([
                .init(key: "weights", value: .object(JSONObject([
                    .init(key: "a", value: .integer(1)), .init(key: "b", value: .integer(2)),
                ]))),
            ]))),
            .init(key: "tags", value: .array([.string("x"), .null, .bool(true), .number("1.25")])),
        ]))
        #expect(value == expected)
        guard case .object(let object) = value else { Issue.record("not an object"); return }
        #expect(object.keys == ["seq", "data", "tags"])
        #expect(object["seq"] == .integer(7))
        #expect(object["missing"] == nil)
    }

    @Test("the same key may appear in different objects")
    func sameKeyInSiblings() throws {
        let value = try parse(#"{"a":{"a":1},"b":[{"a":1},{"a":2}],"c":{"a":{"a":{}}}}"#)
        guard case .object(let object) = value else { Issue.record("not an object"); return }
        #expect(object.keys == ["a", "b", "c"])
    }

    @Test("large objects with unique keys parse (set-based duplicate check)")
    func largeObject() throws {
        let n = 20_000
        let text = "{" + (0..<n).map { "\"key\($0)\":\($0)" }.joined(separator: ",") + "}"
        guard case .object(let object) = try parse(text) else { Issue.record("not an object"); return }
        #expect(object.members.count == n)
        #expect(object["key19999"] == .integer(19_999))
        #expect(object.keys.prefix(3) == ["key0", "key1", "key2"])
    }

    // MARK: Escapes

    @Test(
        "every escape",
        arguments: [
            (#"\""#, "\""), (#"\\"#, "\\"), (#"\/"#, "/"), (#"\b"#, "\u{8}"), (#"\f"#, "\u{C}"), (#"\n"#, "\n"),
            (#"\r"#, "\r"), (#"\t"#, "\t"), (#"\u0041"#, "A"), (#"\u00e9"#, "é"), (#"\u00E9"#, "é"), (#"\u20ac"#, "€"),
            (#"\u0000"#, "\u{0}"), (#"\u001F"#, "\u{1F}"), (#"\u007f"#, "\u{7F}"), (#"\uFFFF"#, "\u{FFFF}"),
            (#"\uFEFF"#, "\u{FEFF}"), (#"\u2028"#, "\u{2028}"), (#"\uD7FF"#, "\u{D7FF}"), (#"\uE000"#, "\u{E000}"),
        ])
    func escape(_ escaped: String, _ expected: String) throws {
        #expect(try parse("\"\(escaped)\"") == .string(expected))
        #expect(try parse("\"ab\(escaped)cd\(escaped)\"") == .string("ab\(expected)cd\(expected)"))
        // Exact bytes, not just canonical equivalence.
        guard case .string(let s) = try parse("\"x\(escaped)é\"") else { Issue.record("not a string"); return }
        #expect(Array(s.utf8) == Array("x\(expected)é".utf8))
    }

    @Test(
        "surrogate pairs",
        arguments: [
            (#"\uD83D\uDE00"#, 0x1F600), (#"\ud83d\ude00"#, 0x1F600), (#"\uD800\uDC00"#, 0x10000),
            (#"\uDBFF\uDFFF"#, 0x10FFFF), (#"\uD834\uDD1E"#, 0x1D11E),
        ] as [(String, UInt32)])
    func surrogatePair(_ escaped: String, _ scalar: UInt32) throws {
        let expected = String(Unicode.Scalar(scalar)!)
        #expect(try parse("\"\(escaped)\"") == .string(expected))
        guard case .string(let s) = try parse("\"a\(escaped)b\"") else { Issue.record("not a string"); return }
        #expect(Array(s.unicodeScalars.map(\.value)) == [0x61, scalar, 0x62])
    }

    // MARK: UTF-8

    @Test(
        "valid UTF-8 of every length, at the range boundaries",
        arguments: [
            ([0xC2, 0x80], 0x80), ([0xDF, 0xBF], 0x7FF), ([0xC3, 0xA9], 0xE9),
            ([0xE0, 0xA0, 0x80], 0x800), ([0xED, 0x9F, 0xBF], 0xD7FF), ([0xEE, 0x80, 0x80], 0xE000),
            ([0xEF, 0xBF, 0xBF], 0xFFFF), ([0xE2, 0x82, 0xAC], 0x20AC), ([0xEF, 0xBB, 0xBF], 0xFEFF),
            ([0xF0, 0x90, 0x80, 0x80], 0x10000), ([0xF0, 0x9F, 0x98, 0x80], 0x1F600),
            ([0xF3, 0xBF, 0xBF, 0xBF], 0xFFFFF), ([0xF4, 0x8F, 0xBF, 0xBF], 0x10FFFF),
        ] as [([UInt8], UInt32)])
    func validUTF8(_ bytes: [UInt8], _ scalar: UInt32) throws {
        // Fast path (no escapes), slow path (after an escape), and long enough
        // to cross the eight-byte scan at every alignment.
        for prefix in [[], Array("\\n".utf8)] as [[UInt8]] {
            for padding in 0..<10 {
                let pad = [UInt8](repeating: 0x61, count: padding)
                let value = try JSONParser.parse(Self.quoted(prefix + pad + bytes + pad))
                guard case .string(let s) = value else { Issue.record("not a string"); return }
                #expect(s.unicodeScalars.last(where: { $0 != "a" })?.value == scalar)
                #expect(s.utf8.count == (prefix.isEmpty ? 0 : 1) + 2 * padding + bytes.count)
            }
        }
    }

    @Test("special bytes are found at every position of the eight-byte scan", arguments: 0..<20)
    func scanPositions(_ k: Int) throws {
        let before = String(repeating: "a", count: k)
        let after = String(repeating: "b", count: 11)
        // The closing quote.
        #expect(try parse("\"\(before)\"") == .string(before))
        #expect(try parse("[\"\(before)\",\"\(after)\"]") == .array([.string(before), .string(after)]))
        // An escape.
        #expect(try parse("\"\(before)\\n\(after)\"") == .string(before + "\n" + after))
        // Non-ASCII.
        #expect(try parse("\"\(before)é\(after)\"") == .string(before + "é" + after))
        #expect(try parse("\"\(before)\u{7F}\(after)\"") == .string(before + "\u{7F}" + after))
        // A control character.
        let control = parseError(Array("\"\(before)\u{1F}\(after)\"".utf8))
        #expect(control?.offset == 1 + k)
        #expect(control?.message.contains("0x1F") == true)
        // Invalid UTF-8.
        let bad = parseError([0x22] + Array(before.utf8) + [0xC0, 0x80] + Array(after.utf8) + [0x22])
        #expect(bad?.offset == 1 + k)
        #expect(bad?.message.contains("overlong") == true)
        // Unterminated.
        #expect(parseError(Array("\"\(before)".utf8))?.message == "unexpected end of input")
    }

    // MARK: Numbers

    @Test(
        "integers and other numbers",
        arguments: [
            ("0", .integer(0)), ("-0", .integer(0)), ("7", .integer(7)), ("-7", .integer(-7)), ("10", .integer(10)),
            ("9223372036854775807", .integer(.max)), ("-9223372036854775808", .integer(.min)),
            ("9223372036854775806", .integer(.max - 1)), ("-9223372036854775807", .integer(.min + 1)),
            ("9223372036854775808", .number("9223372036854775808")),
            ("-9223372036854775809", .number("-9223372036854775809")),
            ("18446744073709551615", .number("18446744073709551615")),
            ("18446744073709551616", .number("18446744073709551616")),
            ("-18446744073709551616", .number("-18446744073709551616")),
            ("99999999999999999999999999999999", .number("99999999999999999999999999999999")),
            ("-0.0", .number("-0.0")), ("0.5", .number("0.5")), ("1.0", .number("1.0")), ("1e5", .number("1e5")),
            ("1E5", .number("1E5")), ("1e+5", .number("1e+5")), ("1e-5", .number("1e-5")), ("0e0", .number("0e0")),
            ("-1.25E-300", .number("-1.25E-300")), ("1e400", .number("1e400")),
        ] as [(String, JSONValue)])
    func number(_ text: String, _ expected: JSONValue) throws {
        #expect(try parse(text) == expected)
        #expect(try parse("[\(text)]") == .array([expected]))
        #expect(try parse(" \(text)\n") == expected)
    }

    // MARK: Depth

    @Test("depth 64 is allowed, 65 is not")
    func depth() throws {
        let arrays64 = String(repeating: "[", count: 64) + String(repeating: "]", count: 64)
        _ = try parse(arrays64)
        let objects64 = String(repeating: #"{"a":"#, count: 64) + "1" + String(repeating: "}", count: 64)
        _ = try parse(objects64)
        let mixed64 = String(repeating: #"[{"a":"#, count: 32) + "[]" + String(repeating: "}]", count: 32)
        #expect(throws: JSONError(offset: 32 * 6, message: "nesting deeper than 64 levels")) {
            try parse(mixed64)
        }
        let mixed63 = String(repeating: #"[{"a":"#, count: 31) + "[[]]" + String(repeating: "}]", count: 31)
        _ = try parse(mixed63)
        #expect(throws: JSONError(offset: 64, message: "nesting deeper than 64 levels")) {
            try parse("[" + arrays64 + "]")
        }
        // Scalars add no depth.
        _ = try parse("1", maxDepth: 0)
        _ = try parse("[1]", maxDepth: 1)
        #expect(throws: JSONError(offset: 1, message: "nesting deeper than 1 level")) { try parse("[[1]]", maxDepth: 1) }
        // A deeper limit can be asked for.
        let arrays200 = String(repeating: "[", count: 200) + String(repeating: "]", count: 200)
        _ = try parse(arrays200, maxDepth: 200)
    }

    // MARK: Size

    @Test("a 10 MB string parses")
    func tenMegabyteString() throws {
        let chunk = "The council agreed. Le conseil a décidé — 議会は合意した 😀 "
        let body = String(repeating: chunk, count: 10_000_000 / chunk.utf8.count + 1)
        #expect(body.utf8.count >= 10_000_000)
        guard case .string(let s) = try parse("\"" + body + "\"") else { Issue.record("not a string"); return }
        #expect(s.utf8.count == body.utf8.count)
        #expect(s == body)

        // And with escapes, which takes the copying path.
        let escapedBody = String(repeating: #"line\n\u00e9\"quoted\" "#, count: 500_000)
        guard case .string(let e) = try parse("\"" + escapedBody + "\"") else { Issue.record("not a string"); return }
        #expect(e == String(repeating: "line\né\"quoted\" ", count: 500_000))
    }

    @Test("the three entry points agree")
    func entryPoints() throws {
        let text = #"{"a":[1,"é\n",{"b":null}]}"#
        let fromString = try JSONParser.parse(text)
        let fromBytes = try JSONParser.parse(Array(text.utf8))
        let fromBuffer = try Array(text.utf8).withUnsafeBytes { buffer in
            try Result { () throws(JSONError) in try JSONParser.parse(buffer) }.get()
        }
        #expect(fromString == fromBytes)
        #expect(fromBytes == fromBuffer)
        #expect(throws: JSONError(offset: 0, message: "empty input")) {
            try JSONParser.parse(UnsafeRawBufferPointer(start: nil, count: 0))
        }
    }

    @Test("errors describe themselves with the byte offset")
    func errorDescription() {
        let error = JSONError(offset: 12, message: #"duplicate key "council""#)
        #expect(error.description == #"byte 12: duplicate key "council""#)
        #expect("\(error)" == #"byte 12: duplicate key "council""#)
    }
}

extension JSONParserTests {
    // MARK: - Invalid documents

    /// A document the parser must refuse, where, and (a fragment of) why.
    fileprivate struct InvalidJSON: Sendable, CustomTestStringConvertible {
        var name: String
        var bytes: [UInt8]
        var offset: Int
        var fragment: String
        var maxDepth = 64

        init(_ name: String, _ text: String, at offset: Int, _ fragment: String, maxDepth: Int = 64) {
            self.name = name
            self.bytes = Array(text.utf8)
            self.offset = offset
            self.fragment = fragment
            self.maxDepth = maxDepth
        }

        init(_ name: String, bytes: [UInt8], at offset: Int, _ fragment: String) {
            self.name = name
            self.bytes = bytes
            self.offset = offset
            self.fragment = fragment
        }

        var testDescription: String { name }
    }

    /// `"` + bytes + `"`, to put raw (possibly invalid) UTF-8 inside a string.
    fileprivate static func quoted(_ bytes: [UInt8]) -> [UInt8] { [0x22] + bytes + [0x22] }

    fileprivate static let invalidDocuments: [InvalidJSON] = [
        // Nothing there.
        InvalidJSON("empty", "", at: 0, "empty input"),
        InvalidJSON("only whitespace", " \n\t\r ", at: 5, "empty input"),
        InvalidJSON("byte order mark", "\u{FEFF}{}", at: 0, "byte order mark"),
        InvalidJSON("byte order mark alone", "\u{FEFF}", at: 0, "byte order mark"),
        // Trailing commas.
        InvalidJSON("trailing comma in object", #"{"a":1,}"#, at: 7, "trailing comma before '}'"),
        InvalidJSON("trailing comma in object, spaced", #"{"a":1 , }"#, at: 9, "trailing comma before '}'"),
        InvalidJSON("trailing comma in array", "[1,2,]", at: 5, "trailing comma before ']'"),
        InvalidJSON("double comma in array", "[1,,2]", at: 3, "expected a JSON value, found ','"),
        InvalidJSON("leading comma in array", "[,1]", at: 1, "expected a JSON value, found ','"),
        InvalidJSON("leading comma in object", "{,}", at: 1, "expected '\"' to begin an object key"),
        InvalidJSON("double comma in object", #"{"a":1,,"b":2}"#, at: 7, "expected '\"' to begin an object key"),
        // Comments.
        InvalidJSON("line comment", "{\"a\":1 // note\n}", at: 7, "comments are not allowed"),
        InvalidJSON("block comment first", "/* c */ {}", at: 0, "comments are not allowed"),
        InvalidJSON("comment after value", "[1] // c", at: 4, "comments are not allowed"),
        InvalidJSON("comment in array", "[1,/*x*/2]", at: 3, "comments are not allowed"),
        // Not numbers.
        InvalidJSON("NaN", "NaN", at: 0, "NaN is not allowed"),
        InvalidJSON("Infinity", "[Infinity]", at: 1, "Infinity is not allowed"),
        InvalidJSON("-Infinity", "-Infinity", at: 0, "Infinity is not allowed"),
        InvalidJSON("-NaN", "-NaN", at: 1, "NaN is not allowed"),
        InvalidJSON("leading zero", "01", at: 0, "leading zeros"),
        InvalidJSON("negative leading zero", "-01", at: 0, "leading zeros"),
        InvalidJSON("double zero in array", "[1,00]", at: 3, "leading zeros"),
        InvalidJSON("plus sign", "+1", at: 0, "must not start with '+'"),
        InvalidJSON("plus sign in object", #"{"a":+1}"#, at: 5, "must not start with '+'"),
        InvalidJSON("bare fraction", ".5", at: 0, "expected a JSON value, found '.'"),
        InvalidJSON("dot at end", "1.", at: 2, "unexpected end of input"),
        InvalidJSON("dot before exponent", "1.e5", at: 2, "expected a digit after '.'"),
        InvalidJSON("exponent at end", "1e", at: 2, "unexpected end of input"),
        InvalidJSON("exponent sign at end", "1e+", at: 3, "unexpected end of input"),
        InvalidJSON("empty exponent", "[1e]", at: 3, "expected a digit after the exponent marker"),
        InvalidJSON("minus alone", "-", at: 1, "unexpected end of input"),
        InvalidJSON("minus in array", "[-]", at: 2, "expected a digit after '-'"),
        InvalidJSON("hex number", "0x1F", at: 1, "unexpected data after the JSON value"),
        // Literals.
        InvalidJSON("truncated true", "tru", at: 3, "unexpected end of input"),
        InvalidJSON("misspelt true", "trux", at: 0, "invalid literal (expected 'true')"),
        InvalidJSON("capital True", "True", at: 0, "expected a JSON value, found 'T'"),
        InvalidJSON("misspelt null", "[nul]", at: 1, "invalid literal (expected 'null')"),
        InvalidJSON("misspelt false", "fals", at: 4, "unexpected end of input"),
        InvalidJSON("undefined", "undefined", at: 0, "expected a JSON value, found 'u'"),
        // Duplicate keys.
        InvalidJSON("duplicate key", #"{"a":1,"a":2}"#, at: 7, #"duplicate key "a""#),
        InvalidJSON("duplicate key after nesting", #"{"council":1,"x":{"council":2},"council":3}"#, at: 31, #"duplicate key "council""#),
        InvalidJSON("duplicate key in nested object", #"[{"x":{"k":1,"k":1}}]"#, at: 13, #"duplicate key "k""#),
        InvalidJSON("duplicate key escaped differently", #"{"ab":1,"a\u0062":2}"#, at: 8, #"duplicate key "ab""#),
        InvalidJSON("canonically equivalent keys", "{\"\u{E9}\":1,\"e\u{301}\":2}", at: 8, "duplicate key"),
        InvalidJSON(
            "duplicate key in a large object",
            "{" + (0..<40).map { "\"k\($0)\":\($0)," }.joined() + "\"k17\":0}",
            at: 1 + (0..<40).map { "\"k\($0)\":\($0),".utf8.count }.reduce(0, +), #"duplicate key "k17""#),
        InvalidJSON("duplicate key with control character", "{\"a\\n\":1,\"a\\n\":2}", at: 9, #"duplicate key "a\n""#),
        // Structure.
        InvalidJSON("missing comma in array", "[1 2]", at: 3, "expected ',' or ']' after array element"),
        InvalidJSON("missing colon", #"{"a" 1}"#, at: 5, "expected ':' after object key"),
        InvalidJSON("missing comma in object", #"{"a":1 "b":2}"#, at: 7, "expected ',' or '}' after object member"),
        InvalidJSON("wrong closer for object", #"{"a":1]"#, at: 6, "expected ',' or '}' after object member"),
        InvalidJSON("wrong closer for array", "[1}", at: 2, "expected ',' or ']' after array element"),
        InvalidJSON("unquoted key", "{a:1}", at: 1, "expected '\"' to begin an object key"),
        InvalidJSON("single-quoted key", "{'a':1}", at: 1, "expected '\"' to begin an object key"),
        InvalidJSON("single-quoted string", "['a']", at: 1, "expected a JSON value, found '''"),
        InvalidJSON("number as key", "{1:1}", at: 1, "expected '\"' to begin an object key"),
        InvalidJSON("lone closer", "]", at: 0, "expected a JSON value, found ']'"),
        InvalidJSON("unclosed array", "[", at: 1, "unexpected end of input"),
        InvalidJSON("unclosed object", "{", at: 1, "unexpected end of input"),
        InvalidJSON("object missing value", #"{"a":"#, at: 5, "unexpected end of input"),
        InvalidJSON("object missing value before brace", #"{"a":}"#, at: 5, "expected a JSON value, found '}'"),
        InvalidJSON("array after comma", "[1,", at: 3, "unexpected end of input"),
        InvalidJSON("object after key", #"{"a""#, at: 4, "unexpected end of input"),
        InvalidJSON("trailing garbage", #"{"a":1}x"#, at: 7, "unexpected data after the JSON value"),
        InvalidJSON("two documents", "{} {}", at: 3, "unexpected data after the JSON value"),
        InvalidJSON("two numbers", "1 2", at: 2, "unexpected data after the JSON value"),
        InvalidJSON("trailing NUL", "1\u{0}", at: 1, "unexpected data after the JSON value"),
        InvalidJSON("trailing BOM", "[]\u{FEFF}", at: 2, "unexpected data after the JSON value"),
        InvalidJSON("non-breaking space as whitespace", "[1,\u{A0}2]", at: 3, "expected a JSON value, found byte 0xC2"),
        InvalidJSON("form feed as whitespace", "[1,\u{C}2]", at: 3, "expected a JSON value, found byte 0x0C"),
        InvalidJSON("vertical tab as whitespace", "\u{B}1", at: 0, "expected a JSON value, found byte 0x0B"),
        // Strings.
        InvalidJSON("unterminated string", #""abc"#, at: 4, "unexpected end of input"),
        InvalidJSON("unterminated string after escape", #""a\n"#, at: 4, "unexpected end of input"),
        InvalidJSON("backslash at end", #""a\"#, at: 3, "unexpected end of input"),
        InvalidJSON("raw newline in string", "\"a\nb\"", at: 2, "unescaped control character 0x0A"),
        InvalidJSON("raw tab in string", "\"\t\"", at: 1, "unescaped control character 0x09"),
        InvalidJSON("raw NUL in string", "\"\u{0}\"", at: 1, "unescaped control character 0x00"),
        InvalidJSON("raw 0x1F after an escape", "\"\\t\u{1F}\"", at: 3, "unescaped control character 0x1F"),
        InvalidJSON("raw control char in key", "{\"a\u{1}\":1}", at: 3, "unescaped control character 0x01"),
        InvalidJSON("unknown escape", #""\x41""#, at: 1, "invalid escape '\\x'"),
        InvalidJSON("single-quote escape", #""\'""#, at: 1, "invalid escape '\\''"),
        InvalidJSON("escaped newline", "\"\\\n\"", at: 1, "invalid escape '\\<0x0A>'"),
        InvalidJSON("short \\u escape", #""a\u12""#, at: 2, "invalid \\u escape (expected four hex digits, found '\"')"),
        InvalidJSON("\\u escape with non-hex", #""\u00G0""#, at: 1, "invalid \\u escape (expected four hex digits, found 'G')"),
        InvalidJSON("\\u escape at end", #""\u00"#, at: 5, "unexpected end of input"),
        InvalidJSON("uppercase \\U", #""\U0041""#, at: 1, "invalid escape '\\U'"),
        // Surrogates in escapes.
        InvalidJSON("lone high surrogate", #""\uD800""#, at: 1, "lone high surrogate \\uD800"),
        InvalidJSON("lone low surrogate", #""\uDC00""#, at: 1, "lone low surrogate \\uDC00"),
        InvalidJSON("reversed surrogate pair", #""\uDE00\uD83D""#, at: 1, "lone low surrogate \\uDE00"),
        InvalidJSON("high surrogate then letter", #""\uD83Dx""#, at: 1, "lone high surrogate \\uD83D"),
        InvalidJSON("high surrogate then BMP escape", #""ab\ud83d\u0041""#, at: 3, "lone high surrogate \\uD83D (followed by \\u0041"),
        InvalidJSON("high surrogate then other escape", #""\uD83D\n""#, at: 1, "lone high surrogate"),
        InvalidJSON("two high surrogates", #""\uD83D\uD83D""#, at: 1, "lone high surrogate"),
        InvalidJSON("high surrogate at end", #""\uD83D"#, at: 7, "unexpected end of input"),
        InvalidJSON("high surrogate then backslash at end", #""\uD83D\"#, at: 8, "unexpected end of input"),
        InvalidJSON("low surrogate half-written", #""\uD83D\uDE"#, at: 11, "unexpected end of input"),
        // UTF-8.
        InvalidJSON("overlong 2-byte (C0 80)", bytes: Self.quoted([0xC0, 0x80]), at: 1, "invalid UTF-8 in string (overlong encoding)"),
        InvalidJSON("overlong 2-byte (C1 BF)", bytes: Self.quoted([0xC1, 0xBF]), at: 1, "invalid UTF-8 in string (overlong encoding)"),
        InvalidJSON("overlong 3-byte (E0 80 80)", bytes: Self.quoted([0xE0, 0x80, 0x80]), at: 1, "overlong encoding"),
        InvalidJSON("overlong 3-byte (E0 9F BF)", bytes: Self.quoted([0xE0, 0x9F, 0xBF]), at: 1, "overlong encoding"),
        InvalidJSON("overlong 4-byte (F0 8F BF BF)", bytes: Self.quoted([0xF0, 0x8F, 0xBF, 0xBF]), at: 1, "overlong encoding"),
        InvalidJSON("UTF-8 surrogate (ED A0 80)", bytes: Self.quoted([0xED, 0xA0, 0x80]), at: 1, "surrogate code point encoded in UTF-8"),
        InvalidJSON("UTF-8 surrogate (ED BF BF)", bytes: Self.quoted([0x61, 0xED, 0xBF, 0xBF]), at: 2, "surrogate code point encoded in UTF-8"),
        InvalidJSON("above U+10FFFF (F4 90 80 80)", bytes: Self.quoted([0xF4, 0x90, 0x80, 0x80]), at: 1, "code point above U+10FFFF"),
        InvalidJSON("lead byte F5", bytes: Self.quoted([0xF5, 0x80, 0x80, 0x80]), at: 1, "byte 0xF5 never appears in UTF-8"),
        InvalidJSON("lead byte F8", bytes: Self.quoted([0xF8, 0x88, 0x80, 0x80, 0x80]), at: 1, "byte 0xF8 never appears in UTF-8"),
        InvalidJSON("byte FF", bytes: Self.quoted([0xFF]), at: 1, "byte 0xFF never appears in UTF-8"),
        InvalidJSON("byte FE", bytes: Self.quoted([0x41, 0xFE]), at: 2, "byte 0xFE never appears in UTF-8"),
        InvalidJSON("lone continuation byte", bytes: Self.quoted([0x80]), at: 1, "unexpected continuation byte 0x80"),
        InvalidJSON("extra continuation byte", bytes: Self.quoted([0xC3, 0xA9, 0xA9]), at: 3, "unexpected continuation byte 0xA9"),
        InvalidJSON("truncated 2-byte", bytes: Self.quoted([0xC3]), at: 1, "invalid UTF-8 in string (truncated sequence)"),
        InvalidJSON("truncated 3-byte", bytes: Self.quoted([0xE2, 0x82]), at: 1, "truncated sequence"),
        InvalidJSON("truncated 4-byte", bytes: Self.quoted([0xF0, 0x9F, 0x98]), at: 1, "truncated sequence"),
        InvalidJSON("3-byte cut by ASCII", bytes: Self.quoted([0xE2, 0x41, 0x41]), at: 1, "truncated sequence"),
        InvalidJSON("truncated at end of input", bytes: [0x22, 0xF0, 0x9F], at: 1, "truncated sequence"),
        InvalidJSON("invalid UTF-8 after an escape", bytes: [0x22, 0x5C, 0x6E] + [0xC0, 0xAF, 0x22], at: 3, "overlong encoding"),
        InvalidJSON("invalid UTF-8 in a key", bytes: Array(#"{"k"#.utf8) + [0xED, 0xA0, 0x80] + Array(#"":1}"#.utf8), at: 3, "surrogate"),
        InvalidJSON("non-ASCII outside a string", bytes: [0xC3, 0xA9], at: 0, "expected a JSON value, found byte 0xC3"),
        InvalidJSON("invalid UTF-8 outside a string", bytes: Array("[1]".utf8) + [0xFF], at: 3, "unexpected data after the JSON value"),
        // Depth.
        InvalidJSON("65 nested arrays", String(repeating: "[", count: 65) + String(repeating: "]", count: 65), at: 64, "nesting deeper than 64 levels"),
        InvalidJSON(
            "65 nested objects", String(repeating: #"{"a":"#, count: 65) + "1" + String(repeating: "}", count: 65),
            at: 64 * 5, "nesting deeper than 64 levels"),
        InvalidJSON("100,000 open brackets", String(repeating: "[", count: 100_000), at: 64, "nesting deeper than 64 levels"),
        InvalidJSON("depth over a custom limit", #"{"a":[[1]]}"#, at: 6, "nesting deeper than 2 levels", maxDepth: 2),
        InvalidJSON("any container at depth 0", "[]", at: 0, "nesting deeper than 0 levels", maxDepth: 0),
    ]

    // MARK: - Valid documents

    fileprivate static let validDocuments: [String] = [
        "null", "true", "false", "0", "-0", "1", "-1", "1.5", "-0.0", "1e5", "1E+5", "1e-05", "0.000001",
        "123456789012345678901234567890", "-9223372036854775809", "9223372036854775807", "-9223372036854775808",
        #""""#, #""a""#, #""\"\\\/\b\f\n\r\t""#, #""\u0000\u001f\u007f""#, #""é€😀""#, #""\u00e9\u20AC\uD83D\uDE00""#,
        "[]", "{}", "[[]]", "[{}]", #"{"":""}"#, #"{"a":{}}"#, " [ 1 , 2 , 3 ] ", "\n\t\r {\"a\" : [ true , false , null ] }\r\n",
        #"{"seq":123456,"type":"costs.apportioned","recorded":"2025-04-01T09:00:00Z","by":"darlington/j-smith","effective":"2025-04-01","data":{"post":"dcs","basis":"population","weights":{"darlington":105600,"hartlepool":92000,"redcar":135200},"proposal":"p-12"},"prev":"3f2a"}"#,
        #"{"a":1,"b":{"a":2},"c":[{"a":3},{"a":4}]}"#,
        #"{"z":1,"y":2,"x":3}"#,
        #"[1,-1,0.5,-0.5,1e10,1E-10,1.5e+300,"x",[],{},null,true,false]"#,
        "\"\u{2028}\u{2029}\u{FEFF}\u{10FFFF}\"",
        #"{"A":1,"a":2,"\u0041\u0301":3}"#,
    ]
}
