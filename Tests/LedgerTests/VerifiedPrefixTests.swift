import Events
import Foundation
import Ledger
import TestSupport
import Testing

/// Issue #5: a report on a ledger whose chain was verified before re-verifies
/// only the records added since, and any change to the file in between makes
/// it verify the whole chain again, so no edit gets past it (issue #6).
@Suite struct VerifiedPrefixTests {
    /// Every record a report is given, or the error it stopped with.
    static func reportOutcome(_ store: LedgerStore) -> Result<[Record], AccordError> {
        var records: [Record] = []
        do throws(AccordError) {
            _ = try store.readVerified { records.append($0) }
            return .success(records)
        } catch {
            return .failure(error)
        }
    }

    /// What a reader that trusts no note finds: the reference the note must never change.
    static func fullReadOutcome(_ path: String) -> Result<[Record], AccordError> {
        var records: [Record] = []
        do throws(AccordError) {
            let summary = try ChainReader(path: path).read(decoding: { _ in true }) { record, _, _ in
                if let record { records.append(record) }
            }
            if !summary.isSound { return .failure(AccordError(.integrity, position: path, "unsound")) }
            return .success(records)
        } catch {
            return .failure(error)
        }
    }

    static func sameOutcome(_ a: Result<[Record], AccordError>, _ b: Result<[Record], AccordError>) -> Bool {
        switch (a, b) {
        case (.success(let x), .success(let y)): x == y
        case (.failure(let x), .failure(let y)): x.kind == y.kind
        default: false
        }
    }

    /// The offset of the first byte of "numbe" in line `seq`: editing it keeps the line valid JSON.
    static func editableOffset(in ledger: TestLedger, seq: Int) throws -> Int {
        let lines = try ledger.lines()
        let before = lines[0..<(seq - 1)].reduce(0) { $0 + $1.count + 1 }
        let line = lines[seq - 1]
        let needle = Array("numbe".utf8)
        let at = try #require((0...(line.count - needle.count)).first { Array(line[$0..<$0 + needle.count]) == needle })
        return before + at + 4
    }

    @Test func aVerifiedLedgerIsNotHashedAgainAndReadsTheSame() throws {
        let ledger = try TestLedger()
        try ledger.fill(30)
        let unverified = try ledger.store.readVerified { _ in }
        #expect(unverified.vouchedThrough == nil)
        let verified = try ledger.store.verify()
        let trusted = try ledger.store.readVerified { _ in }
        #expect(trusted.vouchedThrough == verified.head)
        #expect(trusted.head == verified.head)
        #expect(Self.sameOutcome(Self.reportOutcome(ledger.store), Self.fullReadOutcome(ledger.path)))
    }

    @Test func aReportLeavesANoteForTheNextOne() throws {
        let ledger = try TestLedger()
        try ledger.fill(12)
        let first = try ledger.store.readVerified { _ in }
        let second = try ledger.store.readVerified { _ in }
        #expect(first.vouchedThrough == nil)
        #expect(second.vouchedThrough == first.head)
    }

    enum Change: String, CaseIterable, CustomStringConvertible, Sendable {
        case editInPlace, editInPlaceThenRestoreTheModificationTime, replaceByRename, rewriteTheSameBytes
        case damageTheNote, copyLedgerAndNoteElsewhere
        var description: String { rawValue }
        /// Whether the ledger itself now differs from what was verified.
        var altersTheLedger: Bool { [.editInPlace, .editInPlaceThenRestoreTheModificationTime, .replaceByRename].contains(self) }
    }

    /// After `verify`, each change makes the next report verify the whole
    /// chain: an altered ledger is refused at the edited seq (exit 3), an
    /// unaltered one reads as before.
    @Test(arguments: Change.allCases)
    func anyChangeAfterVerificationIsCheckedInFull(_ change: Change) throws {
        let ledger = try TestLedger()
        try ledger.fill(40)
        _ = try ledger.store.verify()
        var store = ledger.store
        let edit = try Self.editableOffset(in: ledger, seq: 17)
        switch change {
        case .editInPlace:
            try overwrite(ledger.path, at: edit, with: Array("R".utf8))
        case .editInPlaceThenRestoreTheModificationTime:
            let modified = try FileManager.default.attributesOfItem(atPath: ledger.path)[.modificationDate] as! Date
            try overwrite(ledger.path, at: edit, with: Array("R".utf8))
            try FileManager.default.setAttributes([.modificationDate: modified], ofItemAtPath: ledger.path)
        case .replaceByRename:
            var bytes = try ledger.bytes()
            bytes[edit] = UInt8(ascii: "R")
            try Data(bytes).write(to: URL(fileURLWithPath: ledger.path), options: .atomic)
        case .rewriteTheSameBytes:
            try overwrite(ledger.path, at: 0, with: try ledger.bytes())
        case .damageTheNote:
            let note = ledger.path + ".checkpoint.d/verified"
            var bytes = Array(try Data(contentsOf: URL(fileURLWithPath: note)))
            bytes[10] ^= 0x01
            try Data(bytes).write(to: URL(fileURLWithPath: note))
        case .copyLedgerAndNoteElsewhere:
            let copy = ledger.directory.appendingPathComponent("copy.jsonl").path
            try FileManager.default.copyItem(atPath: ledger.path, toPath: copy)
            try FileManager.default.copyItem(atPath: ledger.path + ".checkpoint.d", toPath: copy + ".checkpoint.d")
            store = LedgerStore(path: copy)
        }
        if change.altersTheLedger {
            #expect(throws: AccordError.self) { try store.readVerified { _ in } }
            #expect(try store.verify().chainBreak?.firstBadSeq == 17)
        } else {
            let summary = try store.readVerified { _ in }
            #expect(summary.vouchedThrough == nil, "\(change): the note must not be believed")
            #expect(summary.isSound)
            #expect(Self.sameOutcome(Self.reportOutcome(store), Self.fullReadOutcome(store.path)))
        }
    }

    @Test(arguments: [1, 7])
    func anAppendExtendsTheNoteAndALaterEditIsStillFound(_ batchSize: Int) throws {
        let ledger = try TestLedger()
        try ledger.fill(20)
        _ = try ledger.store.verify()
        let outcome = try ledger.append((21..<(21 + batchSize)).map { TestLedger.council($0) })
        let summary = try ledger.store.readVerified { _ in }
        #expect(summary.vouchedThrough == outcome.head, "the appended records are vouched for by the append itself")
        #expect(Self.sameOutcome(Self.reportOutcome(ledger.store), Self.fullReadOutcome(ledger.path)))

        try overwrite(ledger.path, at: try Self.editableOffset(in: ledger, seq: 3), with: Array("R".utf8))
        #expect(throws: AccordError.self) { try ledger.store.readVerified { _ in } }
    }

    @Test func anAppendToAnUnverifiedLedgerLeavesNoNote() throws {
        let ledger = try TestLedger()
        try ledger.fill(5)
        let summary = try ledger.store.readVerified { _ in }
        #expect(summary.vouchedThrough == nil)
    }

    @Test func retractionsComeFromTheNoteAndAgreeWithTheScan() throws {
        let ledger = try TestLedger()
        try ledger.fill(10)
        let retract = { (seq: Int) in
            InputEvent(
                envelope: EventEnvelope(
                    effective: CalendarDate(year: 2013, month: 5, day: 1)!,
                    by: Author(council: Identifier("council-1"), officer: "clerk"),
                    event: .recordRetracted(RecordRetracted(seq: seq, reason: "entered twice")), id: nil),
                expect: nil)
        }
        try ledger.append([retract(4)])
        let scanned = try ledger.store.retractions()
        _ = try ledger.store.verify()
        try ledger.append([retract(6), TestLedger.council(11)])
        let afterAppend = try ledger.store.retractions()
        #expect(scanned.map(\.target) == [4])
        #expect(afterAppend.map(\.seq) == [11, 12])
        #expect(afterAppend.map(\.target) == [4, 6])
        try FileManager.default.removeItem(atPath: ledger.path + ".checkpoint.d/verified")
        #expect(try ledger.store.retractions().map(\.target) == afterAppend.map(\.target))
    }

    /// Seeded: appends, verifications, reports and in-place edits (each undone
    /// again later) in random order. After every step a report must find
    /// exactly what a reader trusting no note finds.
    @Test(arguments: [UInt64(0x5EED_0001), 0x5EED_0002, 0x5EED_0003])
    func reportsAlwaysAgreeWithAFullRead(_ seed: UInt64) throws {
        var random = SplitMix64(seed: seed)
        let ledger = try TestLedger()
        try ledger.fill(8)
        var next = 9
        var undo: (offset: Int, byte: UInt8)?
        for step in 0..<60 {
            switch random.int(0...4) {
            case 0 where undo == nil:
                try ledger.append((0..<random.int(1...3)).map { _ in defer { next += 1 }; return TestLedger.council(next) })
            case 1:
                _ = try? ledger.store.verify()
            case 2 where undo == nil:
                let seq = random.int(1...(next - 2))  // the last line has no successor to vouch for it
                let offset = try Self.editableOffset(in: ledger, seq: seq)
                undo = (offset, try ledger.bytes()[offset])
                try overwrite(ledger.path, at: offset, with: Array("R".utf8))
            case 3:
                if let edit = undo {
                    try overwrite(ledger.path, at: edit.offset, with: [edit.byte])
                    undo = nil
                }
            default:
                _ = Self.reportOutcome(ledger.store)
            }
            let report = Self.reportOutcome(ledger.store), full = Self.fullReadOutcome(ledger.path)
            #expect(Self.sameOutcome(report, full), "seed \(seed), step \(step)")
            #expect(undo == nil || (try? report.get()) == nil, "seed \(seed), step \(step): an edited ledger was reported on")
        }
    }
}

extension VerifiedPrefixTests {
    /// `verify` judges the chain without decoding events; a retraction whose
    /// data does not decode is not its business, but then it leaves no note,
    /// because the note must list every retraction.
    @Test func aRetractionThatDoesNotDecodeLeavesTheChainSoundAndNoNote() throws {
        let ledger = try TestLedger()
        try ledger.fill(3)
        var lines = try ledger.lines()
        let bad = #"{"seq":4,"type":"record.retracted","recorded":"2026-01-05T09:00:00Z","by":"council-1/clerk","effective":"2013-05-01","data":{"seq":"two","reason":"x"},"prev":"\#(SHA256.hash(lines.last!).hex)"}"#
        lines.append(Array(bad.utf8))
        lines.append(EventEncoder.encodeRecord(
            Record(
                seq: 5, recorded: Instant(rfc3339: "2026-01-05T09:00:00Z")!,
                envelope: TestLedger.council(5).envelope, prev: SHA256.hash(Array(bad.utf8)).hex)))
        try ledger.write(lines.flatMap { $0 + [0x0A] })
        let summary = try ledger.store.verify()
        #expect(summary.isSound)
        #expect(summary.head.seq == 5)
        #expect(!FileManager.default.fileExists(atPath: ledger.path + ".checkpoint.d/verified"))
        #expect(throws: AccordError.self) { try ledger.store.readVerified { _ in } }
    }
}
