import Events
import Foundation
import Testing
import TestSupport

/// `decodeCanonicalRecord` reads the ledger's own layout without a JSON tree.
/// It must take every line the ledger writes, and of any other line either
/// decline (nil) or give exactly what the general `decodeRecord` gives: a
/// report must never compute from a record the strict path would read
/// differently or refuse.
@Suite struct CanonicalDecoderTests {
    static func general(_ line: [UInt8]) -> Record? {
        line.withUnsafeBytes { try? EventDecoder.decodeRecord($0) }
    }

    static func canonical(_ line: [UInt8]) -> Record? {
        line.withUnsafeBytes { EventDecoder.decodeCanonicalRecord($0) }
    }

    /// Every example event in three envelopes: bare, with an id, in a batch with an id.
    static let written: [[UInt8]] = EventExamples.all.enumerated().flatMap { index, event in
        let envelopes: [(String?, BatchMark?)] = [(nil, nil), ("key-\(index)", nil), ("k:\(index)/~", BatchMark(first: 40, count: 5))]
        return envelopes.map { id, batch in
            EventEncoder.encodeRecord(
                Record(
                    seq: 42, recorded: Instant(secondsSinceEpoch: 1_700_000_000 + index * 86_399),
                    envelope: EventEnvelope(
                        effective: CalendarDate(iso: "2019-02-28")!, by: Author("north-tyneside/finance-2")!, event: event, id: id),
                    prev: String(repeating: "0f", count: 32), batch: batch))
        }
    }

    static let samples: [[UInt8]] = {
        let directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("Events/Samples")
        let files = (try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? []
        return files.filter { $0.hasSuffix(".jsonl") && !$0.hasSuffix(".input.jsonl") }.sorted().flatMap { name in
            let bytes = Array((try? Data(contentsOf: directory.appendingPathComponent(name))) ?? Data())
            return bytes.split(separator: 0x0A).map(Array.init)
        }
    }()

    @Test func everyLineTheLedgerWritesIsTakenAndReadTheSame() throws {
        #expect(Self.written.count == EventExamples.all.count * 3)
        #expect(Self.samples.count > 100, "the sample ledgers were not found")
        for line in Self.written + Self.samples {
            let text = String(decoding: line, as: UTF8.self)
            let fast = try #require(Self.canonical(line), "declined a line the ledger wrote: \(text)")
            #expect(fast == Self.general(line), "\(text)")
        }
    }

    /// Valid records the ledger would not have written: the general decoder
    /// takes each, the layout reader declines, so the caller falls back.
    @Test(arguments: [
        #"{"seq":1,"type":"council.registered","recorded":"2026-01-05T09:00:00+00:00","by":"a/b","effective":"2013-04-01","data":{"council":"a","name":"A"},"prev":"\#(Record.genesisPrev)"}"#,
        #"{"seq":1,"type":"council.registered","recorded":"2026-01-05T09:00:00.5Z","by":"a/b","effective":"2013-04-01","data":{"council":"a","name":"A"},"prev":"\#(Record.genesisPrev)"}"#,
        #"{"seq":1,"type":"council.registered","recorded":"2026-01-05T09:00:00Z","by":"a/b","effective":"2013-04-01","id":"k\u0041","data":{"council":"a","name":"A"},"prev":"\#(Record.genesisPrev)"}"#,
        #"{"seq":1, "type":"council.registered","recorded":"2026-01-05T09:00:00Z","by":"a/b","effective":"2013-04-01","data":{"council":"a","name":"A"},"prev":"\#(Record.genesisPrev)"}"#,
        #"{"type":"council.registered","seq":1,"recorded":"2026-01-05T09:00:00Z","by":"a/b","effective":"2013-04-01","data":{"council":"a","name":"A"},"prev":"\#(Record.genesisPrev)"}"#,
        #"{"seq":1,"type":"council.registered","recorded":"2026-01-05T09:00:00Z","by":"a/b","effective":"2013-04-01","data":{"council":"a","name":"A"},"note":"x","prev":"\#(Record.genesisPrev)"}"#,
        #"{"seq":1,"type":"council.registered","recorded":"2026-01-05T09:00:00Z","by":"\u0061/b","effective":"2013-04-01","data":{"council":"a","name":"A"},"prev":"\#(Record.genesisPrev)"}"#,
    ])
    func validButUnusualLinesAreLeftToTheGeneralDecoder(_ text: String) {
        let line = Array(text.utf8)
        #expect(Self.general(line) != nil, "the case itself must be a valid record")
        #expect(Self.canonical(line) == nil)
    }

    /// Lines the layout reader must refuse because no reader may take them.
    static let invalidLines: [String] = [
        #"{"seq":0,"type":"council.registered","recorded":"2026-01-05T09:00:00Z","by":"a/b","effective":"2013-04-01","data":{"council":"a","name":"A"},"prev":"\#(Record.genesisPrev)"}"#,
        #"{"seq":1,"type":"council.registered","recorded":"2026-02-30T09:00:00Z","by":"a/b","effective":"2013-04-01","data":{"council":"a","name":"A"},"prev":"\#(Record.genesisPrev)"}"#,
        #"{"seq":1,"type":"council.registered","recorded":"2026-01-05T24:00:00Z","by":"a/b","effective":"2013-04-01","data":{"council":"a","name":"A"},"prev":"\#(Record.genesisPrev)"}"#,
        #"{"seq":1,"type":"council.registered","recorded":"2026-01-05T09:00:00Z","by":"A/b","effective":"2013-04-01","data":{"council":"a","name":"A"},"prev":"\#(Record.genesisPrev)"}"#,
        #"{"seq":1,"type":"council.registered","recorded":"2026-01-05T09:00:00Z","by":"a/b/c","effective":"2013-04-01","data":{"council":"a","name":"A"},"prev":"\#(Record.genesisPrev)"}"#,
        #"{"seq":1,"type":"council.registered","recorded":"2026-01-05T09:00:00Z","by":"a/b","effective":"2013-04-01","id":"two words","data":{"council":"a","name":"A"},"prev":"\#(Record.genesisPrev)"}"#,
        #"{"seq":5,"type":"council.registered","recorded":"2026-01-05T09:00:00Z","by":"a/b","effective":"2013-04-01","batch":{"first":1,"count":3},"data":{"council":"a","name":"A"},"prev":"\#(Record.genesisPrev)"}"#,
        #"{"seq":1,"type":"council.registered","recorded":"2026-01-05T09:00:00Z","by":"a/b","effective":"2013-04-01","data":{"council":"a","name":"A","population":0},"prev":"\#(Record.genesisPrev)"}"#,
        #"{"seq":1,"type":"council.registered","recorded":"2026-01-05T09:00:00Z","by":"a/b","effective":"2013-04-01","data":{"council":"a","name":"A"}x,"prev":"\#(Record.genesisPrev)"}"#,
        #"{"seq":1,"type":"council.registered","recorded":"2026-01-05T09:00:00Z","by":"a/b","effective":"2013-04-01","data":{"council":"a","name":"A"},"prev":"\#(String(repeating: "A", count: 64))"}"#,
    ]

    static func record(_ type: String, _ data: String) -> String {
        #"{"seq":1,"type":"\#(type)","recorded":"2026-01-05T09:00:00Z","by":"a/b","effective":"2013-04-01","data":\#(data),"prev":"\#(Record.genesisPrev)"}"#
    }

    /// Two of the types whose `data` is also read by position: a pay award and an apportionment.
    static let invalidPayAwardsAndApportionments: [String] = [
        record("post.costed", #"{"post":"p","annualPence":100000000001,"onCostBasisPoints":0}"#),
        record("post.costed", #"{"post":"p","annualPence":012,"onCostBasisPoints":0}"#),
        record("post.costed", #"{"post":"p","annualPence":-1,"onCostBasisPoints":0}"#),
        record("post.costed", #"{"post":"p","annualPence":1,"onCostBasisPoints":100001}"#),
        record("post.costed", #"{"post":"P","annualPence":1,"onCostBasisPoints":0}"#),
        record("post.costed", #"{"post":"p","annualPence":1}"#),
        record("costs.apportioned", #"{"post":"p","basis":"equal","weights":{},"proposal":"q"}"#),
        record("costs.apportioned", #"{"post":"p","basis":"equal","weights":{"a":1,},"proposal":"q"}"#),
        record("costs.apportioned", #"{"post":"p","basis":"equal","weights":{"a":1,"a":2},"proposal":"q"}"#),
        record("costs.apportioned", #"{"post":"p","basis":"equal","weights":{"a":0},"proposal":"q"}"#),
        record("costs.apportioned", #"{"post":"p","basis":"fair","weights":{"a":1},"proposal":"q"}"#),
        record("costs.apportioned", #"{"post":"p","basis":"equal","weights":{"a":1},"proposal":"Q"}"#),
        record("costs.apportioned", #"{"post":"p","basis":"equal","weights":{"a":1}}"#),
    ]

    /// The two types read by position for an append's read-back: a council's decision and a proposal.
    static let invalidDecisionsAndProposals: [String] = [
        record("council.decided", #"{"proposal":"q","council":"a","decision":"maybe","body":"Cabinet","minute":"M1"}"#),
        record("council.decided", #"{"proposal":"q","council":"a","decision":"approve","body":"","minute":"M1"}"#),
        record("council.decided", #"{"proposal":"q","council":"a","decision":"approve","body":"\#(String(repeating: "x", count: 2001))","minute":"M1"}"#),
        record("council.decided", #"{"proposal":"q","council":"A","decision":"approve","body":"Cabinet","minute":"M1"}"#),
        record("council.decided", #"{"proposal":"q","council":"a","decision":"approve","body":"Cabinet"}"#),
        record("proposal.tabled", #"{"proposal":"q","title":"T","matter":"whim","affects":["a"]}"#),
        record("proposal.tabled", #"{"proposal":"q","title":"T","matter":"cost","affects":[]}"#),
        record("proposal.tabled", #"{"proposal":"q","title":"T","matter":"cost","affects":["a","a"]}"#),
        record("proposal.tabled", #"{"proposal":"q","title":"T","matter":"cost","affects":["a",]}"#),
        record("proposal.tabled", #"{"proposal":"q","title":"T","matter":"cost","affects":["a"],"terminates":["c","c"]}"#),
        record("proposal.tabled", #"{"proposal":"q","title":"T","matter":"cost","affects":["a"],"agreement":"B"}"#),
        record("proposal.tabled", #"{"proposal":"q","title":"","matter":"cost","affects":["a"]}"#),
    ]

    @Test(arguments: invalidLines + invalidPayAwardsAndApportionments + invalidDecisionsAndProposals)
    func invalidLinesAreRefusedByBoth(_ text: String) {
        let line = Array(text.utf8)
        #expect(Self.general(line) == nil, "the case itself must be invalid")
        #expect(Self.canonical(line) == nil)
    }

    /// Seeded: 40,000 damaged copies of written lines (a byte changed,
    /// dropped, doubled, or a run replaced by an escape). Whatever the layout
    /// reader takes, the general decoder takes too, and reads the same.
    @Test(arguments: [UInt64(0xACC0_4D01), 0xACC0_4D02])
    func damagedLinesNeverReadDifferently(_ seed: UInt64) {
        let (taken, differs) = LineDamage.compare(
            Self.written + Self.samples, seed: seed, rounds: 20_000, fast: Self.canonical, general: Self.general)
        if let differs { Issue.record("seed \(seed), round \(differs.round): \(differs.line)") }
        // Many damaged lines are still valid (a changed digit of an amount, say): the comparison must have had work to do.
        #expect(taken > 1_000, "seed \(seed): only \(taken) damaged lines were taken")
    }
}

extension CanonicalDecoderTests {
    /// The general parser allows 64 levels in the whole line, so `data` (one
    /// level down) may hold 62 more: both decoders draw the line at the same place.
    @Test(arguments: [61, 62, 63, 64])
    func nestingInDataIsLimitedAsInTheWholeLine(_ levels: Int) {
        let nested = String(repeating: "[", count: levels) + String(repeating: "]", count: levels)
        let line = Array(Self.record("council.registered", #"{"council":"a","name":"A","x":\#(nested)}"#).utf8)
        #expect(Self.canonical(line) == Self.general(line))
        #expect((Self.general(line) != nil) == (levels <= 62))
    }
}

extension CanonicalDecoderTests {
    /// `prev` is lowercase hex: a written line with one of its digits
    /// changed to each byte around and between the ranges 0-9 and a-f, at
    /// the first, a middle and the last digit, is refused by both readers;
    /// changed to another hex digit, taken by both alike.
    @Test(arguments: [0, 31, 63])
    func prevMustBeLowercaseHexAtEveryDigit(_ digit: Int) throws {
        let line = try #require(Self.written.first)
        let start = try #require(String(decoding: line, as: UTF8.self).range(of: #""prev":""#))
        let at = String(decoding: line, as: UTF8.self).utf8.distance(
            from: String(decoding: line, as: UTF8.self).utf8.startIndex, to: start.upperBound) + digit
        for byte in Array("/:@AFG`g ".utf8) + [0x00, 0x80, 0xFF] {
            var damaged = line
            damaged[at] = byte
            #expect(Self.canonical(damaged) == nil, "byte \(byte) at digit \(digit)")
            #expect(Self.general(damaged) == nil, "byte \(byte) at digit \(digit)")
        }
        for byte in Array("09af".utf8) {
            var changed = line
            changed[at] = byte
            #expect(Self.canonical(changed) != nil && Self.canonical(changed) == Self.general(changed), "byte \(byte) at digit \(digit)")
        }
    }
}
