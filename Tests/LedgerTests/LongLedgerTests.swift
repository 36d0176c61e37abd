import Events
import Foundation
@testable import Ledger
import Testing

/// Long ledgers are read in blocks of whole lines (about 256 KB) whose lines
/// are prepared on several cores and then walked in order; tampering must be
/// found at the same seq wherever it falls, including the lines either side of
/// a block's edge, and a clean long ledger verifies to its head.
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

    /// The seqs of the lines holding the bytes either side of the first block edges.
    static let aroundBlockEdges: [Int] = {
        var starts: [Int] = []
        var offset = 0
        for line in lines {
            starts.append(offset)
            offset += line.count + 1
        }
        let seqAt = { (byte: Int) in (starts.lastIndex { $0 <= byte } ?? 0) + 1 }
        let block = LineBlockReader.blockBytes
        return [block, 2 * block, 3 * block].flatMap { [seqAt($0 - 1), seqAt($0), seqAt($0) + 1] }
    }()

    @Test(arguments: [1, 255, 256, 2048, 4095, 4096, 4097, 4999] + aroundBlockEdges)
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

    /// A line longer than a block is read whole: at the end it is a torn tail,
    /// in the middle the chain breaks there; either way nothing after it is believed.
    @Test(arguments: [false, true])
    func aLineLongerThanABlockIsReadWhole(_ inTheMiddle: Bool) throws {
        let garbage = [UInt8](repeating: UInt8(ascii: "x"), count: LineBlockReader.blockBytes + 40_000)
        var lines = Array(Self.lines[0..<1000])
        lines.insert(garbage, at: inTheMiddle ? 500 : 1000)
        let summary = try verify(lines)
        if inTheMiddle {
            #expect(summary.chainBreak?.firstBadSeq == 501)
        } else {
            #expect(summary.chainBreak == nil)
            #expect(summary.tornTail?.byteCount == garbage.count + 1)
            #expect(summary.head.seq == 1000)
        }
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
