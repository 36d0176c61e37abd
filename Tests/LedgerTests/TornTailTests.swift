import Events
import Foundation
import Ledger
import Testing

/// SPEC §1: a record cut short by a crash is reported, never used, and
/// removed only by an explicit repair that keeps a backup.
@Suite struct TornTailTests {
    static let pristine: [UInt8] = {
        let ledger = try! TestLedger()
        try! ledger.fill(5)
        return try! ledger.bytes()
    }()

    static var lastRecordStart: Int { pristine.dropLast().lastIndex(of: 0x0A)! + 1 }

    /// Every length that cuts into the last record, from one byte of it to all but its newline.
    static let cutLengths = Array((lastRecordStart + 1)..<pristine.count)

    @Test(arguments: cutLengths)
    func aCutLastRecordIsATornTailAndRepairRestoresTheRest(_ length: Int) throws {
        let ledger = try TestLedger()
        let cut = Array(Self.pristine.prefix(length))
        try ledger.write(cut)
        let summary = try ledger.store.verify()
        #expect(summary.chainBreak == nil)
        #expect(summary.tornTail?.offset == Self.lastRecordStart)
        #expect(summary.head.seq == 4)
        #expect(throws: AccordError.self) { try ledger.store.readVerified { _ in } }
        #expect(throws: AccordError.self) { try ledger.append([TestLedger.council(99)]) }

        let outcome = try ledger.store.repair(clock: ledger.clock)
        #expect(try ledger.bytes() == Array(Self.pristine.prefix(Self.lastRecordStart)))
        let backup = try #require(outcome.backupPath)
        #expect(Array(try Data(contentsOf: URL(fileURLWithPath: backup))) == cut)
        #expect(try ledger.store.verify().isSound)
    }

    @Test func aBatchCutBetweenItsRecordsIsTorn() throws {
        let ledger = try TestLedger()
        try ledger.fill(2)
        let before = try ledger.bytes()
        try ledger.append([TestLedger.council(3), TestLedger.council(4), TestLedger.council(5)])
        var lines = try ledger.lines()
        lines.removeLast()  // the crash came after two of the batch's three lines reached the disk
        try ledger.write(lines.flatMap { $0 + [0x0A] })
        let summary = try ledger.store.verify()
        #expect(summary.tornTail?.offset == before.count)
        #expect(summary.head.seq == 2)
        _ = try ledger.store.repair(clock: ledger.clock)
        #expect(try ledger.bytes() == before)
    }

    @Test func repairRefusesTampering() throws {
        let ledger = try TestLedger()
        try ledger.fill(5)
        var lines = try ledger.lines()
        lines.swapAt(1, 2)
        try ledger.write(lines.flatMap { $0 + [0x0A] })
        let before = try ledger.bytes()
        #expect(throws: AccordError.self) { try ledger.store.repair(clock: ledger.clock) }
        #expect(try ledger.bytes() == before)
    }

    @Test func repairOfASoundLedgerChangesNothing() throws {
        let ledger = try TestLedger()
        try ledger.fill(3)
        let before = try ledger.bytes()
        let outcome = try ledger.store.repair(clock: ledger.clock)
        #expect(outcome.backupPath == nil)
        #expect(try ledger.bytes() == before)
    }
}
