import Events
import Testing
import TestSupport

/// An append reads back each line it wrote against the input it decoded
/// (`decodeCanonicalRecord(_:knowing:)`): when the line's `data` is byte for
/// byte the input's, the input's decoding is used. These tests hold that to
/// decoding the line whole, for every example event written as an input and
/// as the record an append makes of it, and show that anything else about the
/// line is still read from the line.
@Suite struct KnownDataReadBackTests {
    static let recorded = Instant(rfc3339: "2025-04-01T09:00:00Z")!
    static let prev = String(repeating: "ab", count: 32)

    /// Each example as an input line, and the stored line an append would write for it.
    static let pairs: [(input: [UInt8], line: [UInt8], event: InputEvent)] = EventExamples.all.enumerated().map {
        index, event in
        let input = InputEvent(
            envelope: EventEnvelope(
                effective: CalendarDate(iso: "2019-02-28")!, by: Author("north-tyneside/finance-2")!, event: event,
                id: index % 3 == 0 ? "key-\(index)" : nil))
        let record = Record(
            seq: 7 + index, recorded: recorded, envelope: input.envelope, prev: prev,
            batch: BatchMark(first: 7, count: EventExamples.all.count))
        return (EventEncoder.encodeInput(input), EventEncoder.encodeRecord(record), input)
    }

    static func whole(_ line: [UInt8]) -> Record? {
        line.withUnsafeBytes { EventDecoder.decodeCanonicalRecord($0) ?? (try? EventDecoder.decodeRecord($0)) }
    }

    @Test func aLineReadAgainstItsInputIsTheLineReadWhole() throws {
        for (input, line, _) in Self.pairs {
            let (event, data, _) = try #require(input.withUnsafeBytes { EventDecoder.decodeCanonicalInputKeepingData($0) })
            let known = line.withUnsafeBytes { lineBytes in
                input.withUnsafeBytes { inputBytes in
                    EventDecoder.decodeCanonicalRecord(
                        lineBytes, knowing: (UnsafeRawBufferPointer(rebasing: inputBytes[data]), event.envelope.event))
                }
            }
            #expect(known != nil && known == Self.whole(line), "\(String(decoding: line, as: UTF8.self))")
        }
    }

    /// A deliberately wrong "known" event is used only when the bytes match:
    /// with other bytes, or a line of another type, the line's own data decides.
    @Test func otherBytesOrAnotherTypeAreDecodedFromTheLine() throws {
        let (_, first, firstInput) = Self.pairs[0]
        for (input, line, _) in Self.pairs.dropFirst() {
            let (_, data, _) = try #require(input.withUnsafeBytes { EventDecoder.decodeCanonicalInputKeepingData($0) })
            let expected = Self.whole(line)
            // The first example's event, offered with this line's own data bytes but another type:
            let wrongEvent = firstInput.envelope.event
            let decoded = line.withUnsafeBytes { lineBytes in
                input.withUnsafeBytes { inputBytes in
                    EventDecoder.decodeCanonicalRecord(lineBytes, knowing: (UnsafeRawBufferPointer(rebasing: inputBytes[data]), wrongEvent))
                }
            }
            if wrongEvent.type != expected?.type {
                #expect(decoded == expected, "type \(expected?.type.rawValue ?? "?") read as the known event's")
            }
            // The first example's bytes offered for this line: they differ, so the line is decoded.
            let other = first.withUnsafeBytes { firstBytes in
                line.withUnsafeBytes { lineBytes in
                    EventDecoder.decodeCanonicalRecord(lineBytes, knowing: (firstBytes, wrongEvent))
                }
            }
            #expect(other == expected)
        }
    }

    /// The bytes are not decoded again when they match: the caller's event is
    /// taken as their decoding, which is why only the appender, holding the
    /// event it decoded from those very bytes, offers one. (Two council
    /// registrations: the same type, different data.)
    @Test func matchingBytesAreNotDecodedAgain() throws {
        let (input, line, _) = Self.pairs[1]
        let (_, data, _) = try #require(input.withUnsafeBytes { EventDecoder.decodeCanonicalInputKeepingData($0) })
        let offered = Self.pairs[0].event.envelope.event
        #expect(offered.type == Self.pairs[1].event.envelope.event.type && offered != Self.pairs[1].event.envelope.event)
        let decoded = line.withUnsafeBytes { lineBytes in
            input.withUnsafeBytes { inputBytes in
                EventDecoder.decodeCanonicalRecord(lineBytes, knowing: (UnsafeRawBufferPointer(rebasing: inputBytes[data]), offered))
            }
        }
        #expect(decoded?.event == offered)
    }

    /// The envelope is always read from the line: a line with another seq,
    /// author or prev than the record it was meant to be reads as that line.
    @Test func theEnvelopeIsAlwaysReadFromTheLine() throws {
        let (input, _, event) = Self.pairs[1]
        let (_, data, _) = try #require(input.withUnsafeBytes { EventDecoder.decodeCanonicalInputKeepingData($0) })
        let other = Record(
            seq: 99, recorded: Instant(rfc3339: "2026-01-01T00:00:00Z")!,
            envelope: EventEnvelope(
                effective: event.envelope.effective, by: Author("gateshead/legal")!, event: event.envelope.event, id: nil),
            prev: String(repeating: "0", count: 64))
        let line = EventEncoder.encodeRecord(other)
        let decoded = line.withUnsafeBytes { lineBytes in
            input.withUnsafeBytes { inputBytes in
                EventDecoder.decodeCanonicalRecord(lineBytes, knowing: (UnsafeRawBufferPointer(rebasing: inputBytes[data]), event.envelope.event))
            }
        }
        #expect(decoded == other)
    }
}
