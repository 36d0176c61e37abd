import Events
import Testing
import TestSupport

/// An append compares each line it wrote with its record where the line lies
/// (`EventDecoder.prevIfReadsBack`) instead of decoding it into a second
/// record. That may only ever say yes when decoding the line whole gives the
/// record (with the line's `prev`); these tests hold it to that, and show that
/// it does say yes for the lines an append writes.
@Suite struct ReadBackMatchTests {
    static let recorded = Instant(rfc3339: "2025-04-01T09:00:00Z")!
    static let prev = String(repeating: "0123456789abcdef", count: 4)

    /// Each example as the record an append makes of it, the line it writes,
    /// and the input bytes its event was decoded from.
    struct Case {
        var record: Record
        var line: [UInt8]
        var input: [UInt8]
        var data: Range<Int>
    }

    static let cases: [Case] = EventExamples.all.enumerated().map { index, event in
        let envelope = EventEnvelope(
            effective: CalendarDate(iso: "2019-02-28")!, by: Author("north-tyneside/finance-2")!, event: event,
            id: index % 3 == 0 ? "key-\(index)" : nil)
        let input = EventEncoder.encodeInput(InputEvent(envelope: envelope))
        let decoded = input.withUnsafeBytes { EventDecoder.decodeCanonicalInputKeepingData($0) }!
        let record = Record(
            seq: 7 + index, recorded: recorded, envelope: decoded.event.envelope, prev: prev,
            batch: index % 2 == 0 ? BatchMark(first: 7, count: EventExamples.all.count) : nil)
        return Case(record: record, line: EventEncoder.encodeRecord(record), input: input, data: decoded.data)
    }

    static func matches(_ line: [UInt8], _ c: Case) -> Range<Int>? {
        line.withUnsafeBytes { lineBytes in
            c.input.withUnsafeBytes { input in
                EventDecoder.prevIfReadsBack(lineBytes, as: c.record, knownData: UnsafeRawBufferPointer(rebasing: input[c.data]))
            }
        }
    }

    /// What reports read: the layout reader, else the general decoder.
    static func whole(_ line: [UInt8]) -> Record? {
        line.withUnsafeBytes { EventDecoder.decodeCanonicalRecord($0) ?? (try? EventDecoder.decodeRecord($0)) }
    }

    /// The text a batch's lines are compared with is made only for an
    /// instant that text reads back as: one past 2999 (a clock's offset can
    /// give one) has none, so its lines are decoded whole, and refused.
    @Test func noRecordedTextForAnInstantNoLineCanHold() {
        #expect(EventDecoder.RecordedText(Self.recorded)?.bytes == Array("2025-04-01T09:00:00Z".utf8))
        let past2999 = Instant(secondsSinceEpoch: (CalendarDate(year: 2999, month: 12, day: 31)!.dayNumber + 1) * 86400 + 1800)
        #expect(EventDecoder.RecordedText(past2999) == nil)
        let before1900 = Instant(secondsSinceEpoch: CalendarDate(year: 1900, month: 1, day: 1)!.dayNumber * 86400 - 1800)
        #expect(EventDecoder.RecordedText(before1900) == nil)
    }

    @Test func everyLineAnAppendWritesMatchesItsRecord() throws {
        for c in Self.cases {
            let digits = try #require(Self.matches(c.line, c), "\(String(decoding: c.line, as: UTF8.self))")
            #expect(String(decoding: c.line[digits], as: UTF8.self) == Self.prev)
            #expect(Self.whole(c.line) == c.record)
        }
    }

    /// The record changed in one field at a time: the line no longer matches it.
    @Test(arguments: [
        "seq", "recorded", "effective", "council", "officer", "id added", "id changed", "id removed", "batch", "event",
    ])
    func aRecordThatDiffersInOneFieldDoesNotMatch(_ field: String) {
        for (index, c) in Self.cases.enumerated() {
            var other = c
            var envelope = c.record.envelope
            switch field {
            case "seq": other.record.seq += 1
            case "recorded": other.record.recorded = Instant(rfc3339: "2025-04-01T09:00:01Z")!
            case "effective": envelope.effective = CalendarDate(iso: "2019-03-01")!
            case "council": envelope.by = Author("north-tynesidf/finance-2")!
            case "officer": envelope.by = Author("north-tyneside/finance-3")!
            case "id added": envelope.id = envelope.id == nil ? "key-new" : envelope.id! + "x"
            case "id changed": envelope.id = (envelope.id ?? "key-") + "0"
            case "id removed": envelope.id = envelope.id == nil ? "key-late" : nil
            case "batch": other.record.batch = c.record.batch == nil ? BatchMark(first: c.record.seq, count: 2) : nil
            default: envelope.event = Self.cases[(index + 1) % Self.cases.count].record.event
            }
            other.record.envelope = envelope
            guard other.record != c.record else { continue }
            // The known data is the record's own: only the line differs from it.
            if field == "event" {
                let next = Self.cases[(index + 1) % Self.cases.count]
                other.input = next.input
                other.data = next.data
            }
            #expect(Self.matches(c.line, other) == nil, "\(field) changed, yet \(c.record.type.rawValue) line \(index) matched")
        }
    }

    /// Seeded damage to the lines: whenever the comparison says yes, decoding
    /// the damaged line whole gives the record, with the line's `prev`.
    @Test(arguments: [UInt64(1), 2, 3])
    func aYesIsAlwaysWhatDecodingTheLineGives(_ seed: UInt64) {
        var random = SplitMix64(seed: seed)
        var taken = 0
        for round in 0..<20_000 {
            let c = random.pick(Self.cases)
            let line = LineDamage.damaged(c.line, &random)
            guard let digits = Self.matches(line, c) else { continue }
            taken += 1
            var expected = c.record
            expected.prev = String(decoding: line[digits], as: UTF8.self)
            guard Self.whole(line) == expected else {
                Issue.record("seed \(seed), round \(round): matched, but reads otherwise: \(String(decoding: line, as: UTF8.self))")
                return
            }
        }
        // Damage to the digits of `prev` leaves a line that still matches.
        #expect(taken > 0, "seed \(seed): no damaged line matched, so nothing was compared")
    }
}
