import Events
import Testing
import TestSupport

/// `decodeCanonicalInput` reads input lines in the layout `encodeInput`
/// writes without a JSON tree. It must take every such line, and of any other
/// line either decline (nil, so the general decoder names the problem) or
/// give exactly what `decodeInput` gives: nothing the strict path refuses may
/// reach the ledger by the fast one.
@Suite struct CanonicalInputTests {
    static func general(_ line: [UInt8]) -> InputEvent? {
        line.withUnsafeBytes { try? EventDecoder.decodeInput($0) }
    }

    static func canonical(_ line: [UInt8]) -> InputEvent? {
        line.withUnsafeBytes { EventDecoder.decodeCanonicalInput($0) }
    }

    /// Every example event bare, with an id, with `expect`, and with both.
    static let written: [[UInt8]] = EventExamples.all.enumerated().flatMap { index, event in
        let extras: [(String?, Int?)] = [(nil, nil), ("key-\(index)", nil), (nil, 0), ("k:\(index)/~", 40 + index)]
        return extras.map { id, expect in
            EventEncoder.encodeInput(
                InputEvent(
                    envelope: EventEnvelope(
                        effective: CalendarDate(iso: "2019-02-28")!, by: Author("north-tyneside/finance-2")!, event: event, id: id),
                    expect: expect))
        }
    }

    @Test func everyLineInTheLayoutIsTakenAndReadTheSame() throws {
        #expect(Self.written.count == EventExamples.all.count * 4)
        for line in Self.written {
            let text = String(decoding: line, as: UTF8.self)
            let fast = try #require(Self.canonical(line), "declined a line in the layout: \(text)")
            #expect(fast == Self.general(line), "\(text)")
        }
    }

    /// The data bytes when the reader says they are as the encoder writes
    /// them (`asEncoded`), and what the encoder writes for the event read.
    static func dataAsEncoded(_ line: [UInt8]) -> (kept: [UInt8], encoded: [UInt8])? {
        line.withUnsafeBytes { bytes in
            guard let (input, data, asEncoded) = EventDecoder.decodeCanonicalInputKeepingData(bytes), asEncoded else { return nil }
            return (Array(bytes[data]), EventEncoder.encodeData(input.envelope.event))
        }
    }

    /// An append copies data taken as encoded into the line instead of
    /// encoding the event again, so the reader must take as encoded only the
    /// encoder's own bytes; and it does take them for the types of a long batch.
    @Test func dataTakenAsEncodedIsTheEncodersOwn() throws {
        var types = Set<EventType>()
        for line in Self.written {
            guard let (kept, encoded) = Self.dataAsEncoded(line) else { continue }
            #expect(kept == encoded, "\(String(decoding: line, as: UTF8.self))")
            types.insert(try #require(Self.canonical(line)).envelope.type)
        }
        #expect(
            types.isSuperset(of: [
                .postCosted, .costsApportioned, .councilDecided, .proposalTabled, .postAppointed, .contractRegistered,
                .variationSpecified, .withdrawalCosted, .noticeServed, .assuranceRecorded, .committeeVoted,
            ]))
    }

    /// The keys the layout reader expects for an assurance's ratings are the
    /// questions' own, in the order the encoder writes them.
    @Test func ratingKeysAreTheQuestionsInOrder() {
        let keys = EventDecoder.ratingKeys.map { "\($0.0)" }
        #expect(keys == AssuranceQuestion.allCases.map { "\"\($0.rawValue)\":\"" })
        #expect(EventDecoder.ratingKeys.map(\.1) == AssuranceQuestion.allCases)
    }

    /// Seeded: of 40,000 damaged layout lines, whatever data is taken as
    /// encoded is byte for byte what the encoder writes for the event read.
    @Test(arguments: [UInt64(0xACC0_1A11), 0xACC0_1A12])
    func damagedDataIsNeverTakenAsEncodedWhenItIsNot(_ seed: UInt64) {
        let (taken, differs) = LineDamage.compare(
            Self.written, seed: seed, rounds: 20_000, fast: { Self.dataAsEncoded($0)?.kept },
            general: { Self.dataAsEncoded($0)?.encoded })
        if let differs { Issue.record("seed \(seed), round \(differs.round): \(differs.line)") }
        #expect(taken > 500, "seed \(seed): only \(taken) damaged lines were taken as encoded")
    }

    static let data = #"{"council":"a","name":"A"}"#

    /// Valid inputs not in the layout: the general decoder takes each, the fast one declines.
    @Test(arguments: [
        #"{"type": "council.registered","effective":"2013-04-01","by":"a/b","data":\#(data)}"#,
        #"{"effective":"2013-04-01","type":"council.registered","by":"a/b","data":\#(data)}"#,
        #"{"type":"council.registered","effective":"2013-04-01","by":"a/b","expect":3,"id":"k","data":\#(data)}"#,
        #"{"type":"council.registered","effective":"2013-04-01","by":"a/b","id":"k\u0041","data":\#(data)}"#,
        "{\"type\":\"council.registered\",\"effective\":\"2013-04-01\",\"by\":\"a/b\",\"data\":\(data)}\t",
        #"{"type":"council.registered","effective":"2013-04-01","by":"a/b","data":\#(data),"id":"k"}"#,
    ])
    func validButUnusualInputsAreLeftToTheGeneralDecoder(_ text: String) {
        let line = Array(text.utf8)
        #expect(Self.general(line) != nil, "the case itself must be a valid input")
        #expect(Self.canonical(line) == nil)
    }

    /// Inputs in the layout that no reader may take.
    @Test(arguments: [
        #"{"type":"council.registered","effective":"2013-04-01","by":"a/b","data":{"council":"a","name":"A","extra":1}}"#,
        #"{"type":"council.decided","effective":"2013-04-01","by":"a/b","data":{"proposal":"q","council":"a","decision":"approve","body":"C","minute":"M","x":1}}"#,
        #"{"type":"council.registered","effective":"2013-02-29","by":"a/b","data":\#(data)}"#,
        #"{"type":"council.registered","effective":"2013-04-01","by":"a","data":\#(data)}"#,
        #"{"type":"council.registered","effective":"2013-04-01","by":"a/b","id":"two words","data":\#(data)}"#,
        #"{"type":"council.registered","effective":"2013-04-01","by":"a/b","id":"\#(String(repeating: "k", count: 129))","data":\#(data)}"#,
        #"{"type":"council.registered","effective":"2013-04-01","by":"a/b","expect":01,"data":\#(data)}"#,
        #"{"type":"council.registered","effective":"2013-04-01","by":"a/b","expect":-1,"data":\#(data)}"#,
        #"{"type":"council.registered","effective":"2013-04-01","by":"a/b","data":\#(data)x}"#,
        #"{"type":"council.registered","effective":"2013-04-01","by":"a/b","data":{"council":"a"}}"#,
        #"{"type":"council.merged","effective":"2013-04-01","by":"a/b","data":\#(data)}"#,
        #"{"type":"council.registered","effective":"2013-04-01","by":"a/b","data":[]}"#,
    ])
    func invalidInputsAreRefusedByBoth(_ text: String) {
        let line = Array(text.utf8)
        #expect(Self.general(line) == nil, "the case itself must be invalid")
        #expect(Self.canonical(line) == nil)
    }

    /// Seeded: 40,000 damaged copies of layout lines (a byte changed, dropped,
    /// doubled, or replaced by an escape). Whatever the fast path takes, the
    /// general decoder takes too, and reads the same.
    @Test(arguments: [UInt64(0xACC0_1A01), 0xACC0_1A02])
    func damagedInputsNeverReadDifferently(_ seed: UInt64) {
        let (taken, differs) = LineDamage.compare(
            Self.written, seed: seed, rounds: 20_000, fast: Self.canonical, general: Self.general)
        if let differs { Issue.record("seed \(seed), round \(differs.round): \(differs.line)") }
        #expect(taken > 1_000, "seed \(seed): only \(taken) damaged lines were taken")
    }
}
