import Events
import Foundation
import Ledger
import Testing

/// SPEC §1: any edited, removed or reordered line fails verification at the
/// first record whose chain breaks, naming its seq.
@Suite struct ChainTamperTests {
    enum Tamper: CustomStringConvertible, Sendable {
        case edit(Int), delete(Int), duplicate(Int), swapWithNext(Int)
        var description: String {
            switch self {
            case .edit(let k): "edit line \(k)"
            case .delete(let k): "delete line \(k)"
            case .duplicate(let k): "duplicate line \(k)"
            case .swapWithNext(let k): "swap lines \(k) and \(k + 1)"
            }
        }
        /// The seq verify must name: the first line that no longer matches what was written.
        var expectedFirstBadSeq: Int? {
            switch self {
            case .edit(let k), .delete(let k): k == 50 ? nil : k  // the last line has no successor to vouch for it
            case .duplicate(let k): k + 1
            case .swapWithNext(let k): k
            }
        }
        func apply(_ lines: inout [[UInt8]]) {
            switch self {
            case .edit(let k):
                // "Council number 7" → "Council numbeR 7": still valid JSON, same length.
                let line = lines[k - 1]
                let needle = Array("numbe".utf8)
                let at = (0...(line.count - needle.count)).first { Array(line[$0..<$0 + needle.count]) == needle }!
                lines[k - 1][at + 4] = UInt8(ascii: "R")
            case .delete(let k): lines.remove(at: k - 1)
            case .duplicate(let k): lines.insert(lines[k - 1], at: k)
            case .swapWithNext(let k): lines.swapAt(k - 1, k)
            }
        }
    }

    static let cases: [Tamper] =
        (1...50).map(Tamper.edit) + (1...50).map(Tamper.delete) + (1...50).map(Tamper.duplicate)
        + (1...49).map(Tamper.swapWithNext)

    static let pristine: (lines: [[UInt8]], head: ChainPosition) = {
        let ledger = try! TestLedger()
        try! ledger.fill(50)
        let summary = try! ledger.store.verify()
        return (try! ledger.lines(), summary.head)
    }()

    @Test(arguments: cases)
    func tamperingIsFoundAtTheRightSeq(_ tamper: Tamper) throws {
        var lines = Self.pristine.lines
        tamper.apply(&lines)
        let ledger = try TestLedger()
        try ledger.write(lines.flatMap { $0 + [0x0A] })
        let summary = try ledger.store.verify()
        #expect(summary.chainBreak?.firstBadSeq == tamper.expectedFirstBadSeq, "\(tamper): \(String(describing: summary.chainBreak))")
        if tamper.expectedFirstBadSeq == nil {
            // Undetectable from the chain alone: the head changes, which is why councils minute it.
            #expect(summary.head != Self.pristine.head)
        }
        #expect(summary.tornTail == nil)
    }

    @Test func aForgedPrevIsNamed() throws {
        var lines = Self.pristine.lines
        let text = String(decoding: lines[29], as: UTF8.self)
        let forged = text.replacingOccurrences(of: "\"prev\":\"", with: "\"prev\":\"0")
        lines[29] = Array(forged.utf8.prefix(forged.utf8.count - 2)) + Array("\"}".utf8)
        let ledger = try TestLedger()
        try ledger.write(lines.flatMap { $0 + [0x0A] })
        #expect(try ledger.store.verify().chainBreak?.firstBadSeq == 30)
    }

    @Test func reportsRefuseATamperedLedger() throws {
        var lines = Self.pristine.lines
        Tamper.edit(10).apply(&lines)
        let ledger = try TestLedger()
        try ledger.write(lines.flatMap { $0 + [0x0A] })
        #expect(throws: AccordError.self) { try ledger.store.readVerified { _ in } }
    }
}
