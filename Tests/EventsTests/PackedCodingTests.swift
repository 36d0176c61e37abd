import Testing

@testable import Events

/// The packed layout's numbers are LEB128 and zigzag as published (the
/// DWARF 5 standard, §7.6, and Wikipedia's LEB128 examples; Protocol
/// Buffers' encoding guide for zigzag), and its reader refuses every form
/// the writer never writes rather than reading it some other way.
@Suite struct PackedCodingTests {
    static func written(_ write: (inout PackedWriter) -> Void) -> [UInt8] {
        var bytes: [UInt8] = []
        var writer = PackedWriter(appendingTo: &bytes)
        write(&writer)
        writer.finish(into: &bytes)
        return bytes
    }

    /// Reads `bytes` with `read`; the value only if every byte was read.
    static func read<Value>(_ bytes: [UInt8], _ read: (inout PackedReader) -> Value?) -> Value? {
        bytes.withUnsafeBytes { raw in
            var reader = PackedReader(raw)
            guard let value = read(&reader), reader.atEnd else { return nil }
            return value
        }
    }

    static let leb128: [(UInt64, [UInt8])] = [
        (0, [0x00]), (2, [0x02]), (127, [0x7F]), (128, [0x80, 0x01]), (129, [0x81, 0x01]),
        (130, [0x82, 0x01]), (12_857, [0xB9, 0x64]), (624_485, [0xE5, 0x8E, 0x26]),
        (UInt64.max, [0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x01]),
    ]

    @Test(arguments: leb128)
    func unsignedNumbersAreLEB128(_ value: UInt64, _ bytes: [UInt8]) {
        #expect(Self.written { $0.unsigned(value) } == bytes)
        #expect(Self.read(bytes) { $0.unsigned() } == value)
    }

    /// A length written before what it measures (a proposal's, in a shard)
    /// is the same LEB128, and what it is put before moves along intact.
    @Test(arguments: leb128.filter { $0.0 <= UInt64(Int.max) }, [0, 1, 3])
    func aCountPutBeforeBytesWrittenIsLEB128(_ number: (UInt64, [UInt8]), _ offset: Int) {
        let (value, encoded) = number
        let before: [UInt8] = [0xA0, 0xA1, 0xA2].prefix(offset).map { $0 }
        let after: [UInt8] = [0x11, 0x80, 0x7F]
        let bytes = Self.written {
            for byte in before + after { $0.byte(byte) }
            $0.insertCount(Int(value), at: offset)
        }
        #expect(bytes == before + encoded + after)
    }

    static let zigzag: [(Int64, UInt64)] = [
        (0, 0), (-1, 1), (1, 2), (-2, 3), (2_147_483_647, 4_294_967_294), (-2_147_483_648, 4_294_967_295),
        (Int64.max, UInt64.max - 1), (Int64.min, UInt64.max),
    ]

    @Test(arguments: zigzag)
    func signedNumbersAreZigzagged(_ value: Int64, _ zigzag: UInt64) {
        #expect(Self.written { $0.signed(value) } == Self.written { $0.unsigned(zigzag) })
        #expect(Self.read(Self.written { $0.signed(value) }) { $0.signed() } == value)
    }

    static let badNumbers: [(String, [UInt8])] = [
        ("cut short", [0x80]),
        ("padded with a zero byte", [0x80, 0x00]),
        ("padded twice", [0x81, 0x80, 0x00]),
        ("past 64 bits in the tenth byte", [0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x02]),
        ("eleven bytes", [0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x81, 0x00]),
        ("nothing", []),
    ]

    @Test(arguments: badNumbers)
    func numbersTheWriterNeverWritesAreRefused(_ why: String, _ bytes: [UInt8]) {
        #expect(Self.read(bytes) { $0.unsigned() } == nil, "\(why)")
    }

    @Test func aCountOrSeqPastIntMaxIsRefused() {
        #expect(Self.read(Self.written { $0.unsigned(UInt64(Int.max)) }) { $0.count() } == Int.max)
        #expect(Self.read(Self.written { $0.unsigned(UInt64(Int.max) + 1) }) { $0.count() } == nil)
    }

    @Test(arguments: ["", "darlington", "Ynys Môn", "a \"quoted\"\nname", String(repeating: "long ", count: 40)])
    func stringsAreTheirBytes(_ text: String) {
        let bytes = Self.written { $0.string(text) }
        #expect(bytes == Self.written { $0.count(text.utf8.count) } + Array(text.utf8))
        #expect(Self.read(bytes) { $0.string() } == text)
    }

    static let badStrings: [(String, [UInt8])] = [
        ("invalid UTF-8", [0x02, 0xC3, 0x28]),
        ("a lone continuation byte", [0x01, 0x80]),
        ("a count past the end", [0x05, 0x61, 0x62]),
    ]

    @Test(arguments: badStrings)
    func stringsTheWriterNeverWritesAreRefused(_ why: String, _ bytes: [UInt8]) {
        #expect(Self.read(bytes) { $0.string() } == nil, "\(why)")
    }

    /// An id is read only if `Identifier` would take the same text: checked
    /// on its bytes, the reader must agree with the string check exactly.
    static let idTexts = [
        "p-12", "Not An Id", "", String(repeating: "a", count: 64), String(repeating: "a", count: 65), "caf\u{e9}",
        "a_b", "a.b", "-", "0", "z-9", "a\u{0}",
    ]

    @Test(arguments: idTexts)
    func anIdIsCheckedAsAnId(_ text: String) {
        #expect(Self.read(Self.written { $0.string(text) }) { $0.id() } == Identifier(text), "\(text.debugDescription)")
    }

    @Test func anIdWhoseCountRunsPastTheEndIsRefused() {
        #expect(Self.read([0x05, 0x61, 0x62]) { $0.id() } == nil)
    }

    /// The writer never pads a count, so an id's count in two bytes (2 as
    /// 0x82 0x00) is not an id, though its bytes would be.
    @Test func anIdWhoseCountIsPaddedIsRefused() {
        #expect(Self.read([0x02, 0x61, 0x62]) { $0.id() } == Identifier("ab"))
        #expect(Self.read([0x82, 0x00, 0x61, 0x62]) { $0.id() } == nil)
    }

    @Test(arguments: [([UInt8(0x02), 0x00, 0x00], 2), ([0x03, 0x00, 0x00], nil), ([0xFF, 0xFF, 0xFF, 0xFF, 0x0F], nil)])
    func aListCountPastTheBytesLeftIsRefusedBeforeAnythingIsReserved(_ bytes: [UInt8], _ count: Int?) {
        let read = bytes.withUnsafeBytes { raw -> Int? in
            var reader = PackedReader(raw)
            return reader.listCount()
        }
        #expect(read == count)
    }

    @Test(arguments: [-100_000_000, -1, 0, 1, 15_706, 376_200, 100_000_000])
    func datesAreTheirDayNumbers(_ day: Int) {
        let bytes = Self.written { $0.date(CalendarDate(dayNumber: day)) }
        #expect(bytes == Self.written { $0.signed(day) })
        #expect(Self.read(bytes) { $0.date(days: -100_000_000...100_000_000) } == CalendarDate(dayNumber: day))
        #expect(Self.read(bytes) { $0.date(days: (day + 1)...(day + 2)) } == nil)
    }
}
