import Events
import Foundation
import Ledger
import Testing

/// Long ledgers are decoded in parallel windows of lines; tampering must be
/// found at the same seq whether it falls inside a window or across the edge
/// of one (lines 4096 and 4097), and a clean long ledger verifies to its head.
@Suite struct LongLedgerTests {
    static let count = 5000

    /// A valid chain of `count` records, built line by line as the store would write them.
    static let lines: [[UInt8]] = {
        var previous = Record.genesisPrev
        var result: [[UInt8]] = []
        for seq in 1...count {
            let council = Identifier("council-\(seq)")!
            let record = Record(
                seq: seq, recorded: Instant(secondsSinceEpoch: 1_700_000_000 + seq),
                envelope: EventEnvelope(
                    effective: CalendarDate(year: 2013, month: 4, day: 1)!, by: Author(council: council, officer: "clerk"),
                    event: .councilRegistered(CouncilRegistered(council: council, name: "Council number \(seq)"))),
                prev: previous)
            let line = EventEncoder.encodeRecord(record)
            previous = SHA256.hash(line).hex
            result.append(line)
        }
        return result
    }()

    func verify(_ lines: [[UInt8]]) throws -> ChainSummary {
        let ledger = try TestLedger()
        try ledger.write(lines.flatMap { $0 + [0x0A] })
        return try ledger.store.verify()
    }

    @Test func aCleanLongLedgerVerifiesToItsHead() throws {
        let summary = try verify(Self.lines)
        #expect(summary.chainBreak == nil && summary.tornTail == nil)
        #expect(summary.head.seq == Self.count)
        #expect(summary.head.hash == SHA256.hash(Self.lines.last!))
    }

    @Test(arguments: [1, 255, 256, 2048, 4095, 4096, 4097, 4999])
    func anEditIsFoundAtItsSeq(_ seq: Int) throws {
        var lines = Self.lines
        let at = lines[seq - 1].lastIndex(of: UInt8(ascii: "r"))!  // "number" → "numbeR"
        lines[seq - 1][at] = UInt8(ascii: "R")
        #expect(try verify(lines).chainBreak?.firstBadSeq == seq)
    }

    @Test(arguments: [1, 4096, 4097, 4998])
    func aRemovedLineIsFoundAtItsSeq(_ seq: Int) throws {
        var lines = Self.lines
        lines.remove(at: seq - 1)
        #expect(try verify(lines).chainBreak?.firstBadSeq == seq)
    }

    @Test func aTornLastLineOfALongLedgerIsATornTail() throws {
        var bytes: [UInt8] = Self.lines.flatMap { $0 + [0x0A] }
        bytes.removeLast(10)
        let ledger = try TestLedger()
        try ledger.write(bytes)
        let summary = try ledger.store.verify()
        #expect(summary.chainBreak == nil)
        #expect(summary.tornTail != nil)
        #expect(summary.head.seq == Self.count - 1)
    }
}
