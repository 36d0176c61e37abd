import Events
import Testing
import TestSupport

/// Every event type survives encoding and decoding unchanged, both as input
/// and as a stored record, with and without its optional fields.
@Suite struct EventRoundTripTests {
    static let d = CalendarDate(iso: "2013-04-01")!

    static let examples = EventExamples.all

    @Test func theExamplesCoverEveryType() {
        #expect(Set(Self.examples.map(\.type)) == Set(EventType.allCases))
    }

    @Test(arguments: examples)
    func recordsRoundTrip(_ event: Event) throws {
        let record = Record(
            seq: 7, recorded: Instant(rfc3339: "2026-01-05T09:00:00Z")!,
            envelope: EventEnvelope(effective: Self.d, by: Author("darlington/democratic-services")!, event: event, id: "key-1"),
            prev: String(repeating: "ab", count: 32), batch: BatchMark(first: 6, count: 3))
        let bytes = EventEncoder.encodeRecord(record)
        let decoded = try bytes.withUnsafeBytes { try EventDecoder.decodeRecord($0) }
        #expect(decoded == record)
        #expect(EventEncoder.encodeRecord(decoded) == bytes, "encoding is not canonical")
    }

    @Test(arguments: examples)
    func inputsRoundTrip(_ event: Event) throws {
        let input = InputEvent(
            envelope: EventEnvelope(effective: Self.d, by: Author("redcar/clerk")!, event: event), expect: 41)
        let bytes = EventEncoder.encodeInput(input)
        let decoded = try bytes.withUnsafeBytes { try EventDecoder.decodeInput($0) }
        #expect(decoded == input)
    }

    @Test func storedRecordsIgnoreFieldsAReaderDoesNotKnow() throws {
        let line = #"{"seq":1,"type":"council.registered","recorded":"2026-01-05T09:00:00Z","by":"a/b","effective":"2013-04-01","data":{"council":"a","name":"A","motto":"new field"},"prev":"\#(Record.genesisPrev)","signature":"later"}"#
        let record = try Array(line.utf8).withUnsafeBytes { try EventDecoder.decodeRecord($0) }
        #expect(record.event == .councilRegistered(CouncilRegistered(council: "a", name: "A")))
    }

    @Test func storedRecordsOfAnUnknownTypeAreErrors() {
        let line = #"{"seq":1,"type":"council.merged","recorded":"2026-01-05T09:00:00Z","by":"a/b","effective":"2013-04-01","data":{},"prev":"\#(Record.genesisPrev)"}"#
        #expect(throws: FieldError.self) { try Array(line.utf8).withUnsafeBytes { try EventDecoder.decodeRecord($0) } }
    }
}
