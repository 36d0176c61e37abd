import Events
import Foundation
import Ledger
import Testing

@Suite struct AppendTests {
    @Test func recordsChainFromSixtyFourZeros() throws {
        let ledger = try TestLedger()
        try ledger.fill(3)
        let lines = try ledger.lines()
        #expect(lines.count == 3)
        var previous = SHA256Digest.zero
        for (index, line) in lines.enumerated() {
            let record = try line.withUnsafeBytes { try EventDecoder.decodeRecord($0) }
            #expect(record.seq == index + 1)
            #expect(record.prev == previous.hex)
            previous = SHA256.hash(line)
        }
        #expect(try ledger.store.verify().head == ChainPosition(seq: 3, hash: previous, offset: try ledger.bytes().count))
    }

    /// A long batch is encoded in chunks with a placeholder `prev` while it is
    /// still being judged, then linked in order: each line must be exactly
    /// what encoding its record alone, after the line before it was hashed,
    /// gives. 2,600 records cross the 1,024-record chunks and end part-way through one.
    @Test(arguments: [1, 2, 1024, 1025, 2600])
    func aBatchIsEncodedAsItsRecordsWouldBeOneByOne(_ count: Int) throws {
        let ledger = try TestLedger()
        try ledger.fill(2)
        let events = (3...(count + 2)).map { TestLedger.council($0, id: "reg-\($0)") }
        let outcome = try ledger.append(events)
        #expect(outcome.appended.count == count)
        try expectEachLineIsItsRecordEncodedAlone(ledger, outcome, before: 2)
    }

    /// The same, for lines that could trip the in-place `prev`: ids with an
    /// escaped quote (read back by the general decoder), names holding the
    /// text of a `prev` member, non-ASCII, and an already-recorded event
    /// inside the batch (skipped, and not counted in the batch mark, so the
    /// lines encoded while judging are encoded again with the right count).
    @Test(arguments: [1, 3, 1500])
    func aBatchOfAwkwardLinesIsEncodedAsItsRecordsWouldBeOneByOne(_ count: Int) throws {
        let ledger = try TestLedger()
        try ledger.fill(1)
        let trap = "x\"prev\":\"" + String(repeating: "0", count: 64) + "\"}"
        let events = (2...(count + 1)).map { index in
            TestLedger.council(index, id: index % 2 == 0 ? "k\"\(index)" : "k\(index)", name: "N \(trap) \(index) \u{1F600}\\")
        }
        let outcome = try ledger.append(events + [events[0]])
        #expect(outcome.appended.count == count)
        #expect(outcome.alreadyRecorded.count == 1)
        try expectEachLineIsItsRecordEncodedAlone(ledger, outcome, before: 1)
    }

    /// Each line after the first `before` is its record, with the batch's
    /// mark and the hash of the line before as `prev`, encoded on its own.
    private func expectEachLineIsItsRecordEncodedAlone(
        _ ledger: TestLedger, _ outcome: AppendOutcome, before: Int, sourceLocation: SourceLocation = #_sourceLocation
    ) throws {
        let count = outcome.appended.count
        let lines = try ledger.lines()
        #expect(lines.count == before + count, sourceLocation: sourceLocation)
        var previous = SHA256.hash(lines[before - 1])
        for (offset, line) in lines.dropFirst(before).enumerated() {
            var expected = outcome.appended[offset]
            #expect(expected.prev == previous.hex, sourceLocation: sourceLocation)
            #expect(expected.batch == (count > 1 ? BatchMark(first: before + 1, count: count) : nil), sourceLocation: sourceLocation)
            expected.prev = previous.hex
            #expect(EventEncoder.encodeRecord(expected) == line, "seq \(before + offset + 1)", sourceLocation: sourceLocation)
            previous = SHA256.hash(line)
        }
        #expect(try ledger.store.verify().head == outcome.head, sourceLocation: sourceLocation)
        #expect(outcome.head.hash == previous, sourceLocation: sourceLocation)
    }

    @Test func theSameIdAndContentIsRecordedOnce() throws {
        let ledger = try TestLedger()
        try ledger.append([TestLedger.council(1, id: "reg-1")])
        let before = try ledger.bytes()
        let again = try ledger.append([TestLedger.council(1, id: "reg-1")])
        #expect(again.appended.isEmpty)
        #expect(again.alreadyRecorded.map(\.seq) == [1])
        #expect(try ledger.bytes() == before)
    }

    @Test func theSameIdWithOtherContentIsAConflict() throws {
        let ledger = try TestLedger()
        try ledger.append([TestLedger.council(1, id: "reg-1")])
        let before = try ledger.bytes()
        #expect {
            try ledger.append([TestLedger.council(2, id: "reg-1")])
        } throws: { error in
            (error as? AccordError)?.exitStatus == 4 && (error as? AccordError)?.field == "id"
        }
        #expect(try ledger.bytes() == before)
    }

    @Test func idsAreRememberedWithoutTheCheckpoint() throws {
        let ledger = try TestLedger()
        try ledger.append([TestLedger.council(1, id: "reg-1")])
        try FileManager.default.removeItem(atPath: ledger.store.checkpointPath)
        let again = try ledger.append([TestLedger.council(1, id: "reg-1")])
        #expect(again.appended.isEmpty)
    }

    /// A batch refused after its first chunk of 1,024 went to the encoding
    /// core: the encoder is let go while that chunk may still be encoding, and
    /// then by the encoding queue itself (it was the encoder's last owner),
    /// which once trapped. The ledger is as it was, and the batch appends
    /// whole once the bad input is mended. Several rounds, as who lets go last is a race.
    @Test func aBatchRefusedAfterItsFirstChunkLeavesTheLedgerAsItWas() throws {
        let ledger = try TestLedger()
        try ledger.fill(2)
        let before = try ledger.bytes()
        let batch = (3...3002).map { TestLedger.council($0) }
        for round in 0..<6 {
            var refused = batch
            refused[1024] = TestLedger.council(1027, expect: 1)
            #expect {
                try ledger.append(refused)
            } throws: { error in
                (error as? AccordError)?.exitStatus == 4
            }
            #expect(try ledger.bytes() == before, "round \(round)")
        }
        let outcome = try ledger.append(batch)
        #expect(outcome.appended.count == 3000)
        #expect(outcome.appended.last?.seq == 3002)
        #expect(try ledger.store.verify().head.seq == 3002)
    }

    @Test(arguments: [0, 1, 2, 3])
    func expectMustMatchTheHead(_ expected: Int) throws {
        let ledger = try TestLedger()
        try ledger.fill(2)
        let before = try ledger.bytes()
        if expected == 2 {
            try ledger.append([TestLedger.council(3, expect: expected)])
        } else {
            #expect {
                try ledger.append([TestLedger.council(3, expect: expected)])
            } throws: { error in
                (error as? AccordError)?.exitStatus == 4
            }
            #expect(try ledger.bytes() == before)
        }
    }

    @Test func expectInABatchCountsTheEventsBeforeIt() throws {
        let ledger = try TestLedger()
        try ledger.fill(2)
        let outcome = try ledger.append([TestLedger.council(3, expect: 2), TestLedger.council(4, expect: 3)])
        #expect(outcome.appended.map(\.seq) == [3, 4])
        #expect(outcome.appended.allSatisfy { $0.batch == BatchMark(first: 3, count: 2) })
    }

    @Test func aStaleCheckpointIsCaughtUp() throws {
        let ledger = try TestLedger()
        try ledger.fill(2)
        let checkpoint = try Data(contentsOf: URL(fileURLWithPath: ledger.store.checkpointPath))
        try ledger.append([TestLedger.council(3, id: "late")])
        try checkpoint.write(to: URL(fileURLWithPath: ledger.store.checkpointPath))
        // The old checkpoint does not know "late"; catching up from it must.
        #expect(try ledger.append([TestLedger.council(3, id: "late")]).appended.isEmpty)
        try ledger.fill(1)
        #expect(try ledger.store.verify().head.seq == 4)
    }

    @Test func aDamagedCheckpointIsRebuilt() throws {
        let ledger = try TestLedger()
        try ledger.fill(2)
        try Data("{\"not\":\"a checkpoint\"}".utf8).write(to: URL(fileURLWithPath: ledger.store.checkpointPath))
        try ledger.fill(1)
        #expect(try ledger.store.verify().isSound)
        #expect(try ledger.lines().count == 3)
    }

    @Test func recordedTimeNeverGoesBackwards() throws {
        var ledger = try TestLedger()
        try ledger.fill(1)
        ledger.clock = Clock(fixed: Instant(rfc3339: "2020-01-01T00:00:00Z")!)
        let before = try ledger.bytes()
        #expect {
            try ledger.append([TestLedger.council(2)])
        } throws: { error in
            (error as? AccordError)?.exitStatus == 2
        }
        #expect(try ledger.bytes() == before)
    }
}

extension AppendTests {
    /// Any printable ASCII may be an idempotency key, including a quote and a
    /// backslash, which the stored line escapes: the append reads its own
    /// line back through the general decoder then, and so do reports.
    @Test func anIdWithAQuoteAndABackslashIsStoredAndReadBack() throws {
        let ledger = try TestLedger()
        let id = #"inv"7\x"#
        try ledger.append([TestLedger.council(1, id: id)])
        let again = try ledger.append([TestLedger.council(1, id: id)])
        #expect(again.alreadyRecorded.map(\.seq) == [1])
        var ids: [String?] = []
        _ = try ledger.store.readVerified { ids.append($0.envelope.id) }
        #expect(ids == [id])
    }
}
