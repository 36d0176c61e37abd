import Events
import Foundation
@testable import Ledger
import TestSupport
import Testing

/// `verify` and reports read a stored line's frame (seq, type, date, batch,
/// prev) from the ledger's own layout without decoding the event. The frame
/// must agree with the full decoder on every line the ledger writes, and
/// decline anything else so the strict decoder judges it.
@Suite struct RecordFrameTests {
    static func record(_ event: Event, seq: Int = 7, id: String? = nil, batch: BatchMark? = nil) -> Record {
        Record(
            seq: seq, recorded: Instant(rfc3339: "2026-01-05T09:00:00Z")!,
            envelope: EventEnvelope(
                effective: CalendarDate(iso: "2014-02-28")!, by: Author("redcar/clerk")!, event: event, id: id),
            prev: String(repeating: "ab", count: 32), batch: batch)
    }

    static func frame(_ line: [UInt8]) -> RecordFrame? { line.withUnsafeBytes { RecordFrame.parse($0) } }

    static let variants: [(String?, BatchMark?)] = [
        (nil, nil), ("key-1", nil), (#"quote"and\back"#, nil), (nil, BatchMark(first: 6, count: 3)),
        ("k", BatchMark(first: 7, count: 2)),
    ]

    @Test(arguments: EventExamples.all)
    func theFrameAgreesWithTheDecoderOnEveryLineTheLedgerWrites(_ event: Event) throws {
        for (id, batch) in Self.variants {
            let record = Self.record(event, id: id, batch: batch)
            let line = EventEncoder.encodeRecord(record)
            let decoded = try EventDecoder.decodeRecord(line[...])
            var expected = RecordFrame(decoded)
            expected.recorded = nil
            #expect(Self.frame(line) == expected, "\(event.type) id \(id ?? "-") batch \(String(describing: batch))")
        }
    }

    static let canonical = String(decoding: EventEncoder.encodeRecord(record(EventExamples.all[0])), as: UTF8.self)

    @Test(arguments: [
        ("keys in another order", canonical.replacingOccurrences(of: #"{"seq":7,"type":"council.registered""#, with: #"{"type":"council.registered","seq":7"#)),
        ("a space after the colon", canonical.replacingOccurrences(of: #""seq":7"#, with: #""seq": 7"#)),
        ("an escaped type", canonical.replacingOccurrences(of: #""type":"council.registered""#, with: #""type":"council\u002eregistered""#)),
        ("an unknown type", canonical.replacingOccurrences(of: "council.registered", with: "council.renamed")),
        ("a leading zero in seq", canonical.replacingOccurrences(of: #""seq":7"#, with: #""seq":07"#)),
        ("a date that does not exist", canonical.replacingOccurrences(of: "2014-02-28", with: "2014-02-30")),
        ("prev in capitals", canonical.replacingOccurrences(of: "abababab", with: "ABABABAB")),
        ("a batch outside its seq", canonical.replacingOccurrences(of: #","data""#, with: #","batch":{"first":1,"count":2},"data""#)),
        ("trailing space", canonical + " "),
    ])
    func anythingElseIsLeftToTheDecoder(_ name: String, _ line: String) {
        #expect(Self.frame(Array(line.utf8)) == nil, "\(name): \(line)")
    }

    /// A field the reader does not know, after `data`, is ignored by both (SPEC §4): they still agree.
    @Test func anUnknownTrailingFieldReadsTheSameBothWays() throws {
        let line = Array(Self.canonical.replacingOccurrences(of: #"},"prev""#, with: #"},"note":1,"prev""#).utf8)
        var expected = RecordFrame(try EventDecoder.decodeRecord(line[...]))
        expected.recorded = nil
        #expect(Self.frame(line) == expected)
    }

    /// A hand-made line the frame declines still verifies when it decodes and
    /// chains: the frame is a shortcut, never a second format.
    @Test func aValidLineInAnotherLayoutStillVerifies() throws {
        let ledger = try TestLedger()
        let record = Self.record(EventExamples.all[0], seq: 1)
        var relaid = record
        relaid.prev = Record.genesisPrev
        let text = String(decoding: EventEncoder.encodeRecord(relaid), as: UTF8.self)
            .replacingOccurrences(of: #"{"seq":1,"type":"council.registered""#, with: #"{"type":"council.registered", "seq":1"#)
        try ledger.write(Array((text + "\n").utf8))
        let summary = try ledger.store.verify()
        #expect(summary.chainBreak == nil && summary.tornTail == nil)
        #expect(summary.head.seq == 1)
    }
}
