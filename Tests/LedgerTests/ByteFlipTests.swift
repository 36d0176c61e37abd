import Events
import Foundation
import Ledger
import Testing

/// Flipping any single byte of a 200-record ledger is found: `verify` names
/// the seq of the line that holds the byte, or reports the last line torn, or
/// (for a flip inside the last line that still parses, which no later line
/// vouches for) the head no longer matches the minuted one.
@Suite struct ByteFlipTests {
    static let count = 200

    static let pristine: (bytes: [UInt8], lineStarts: [Int], head: ChainPosition) = {
        let ledger = try! TestLedger()
        try! ledger.fill(count)
        let bytes = try! ledger.bytes()
        var starts = [0]
        for (index, byte) in bytes.enumerated() where byte == 0x0A && index + 1 < bytes.count { starts.append(index + 1) }
        return (bytes, starts, try! ledger.store.verify().head)
    }()

    /// The seq of the line holding byte `offset`.
    static func seq(at offset: Int) -> Int {
        (pristine.lineStarts.lastIndex { $0 <= offset } ?? 0) + 1
    }

    /// Every byte of the first, a middle and the last record, and every 13th byte elsewhere:
    /// about 3,000 flips, each verified from scratch.
    static let offsets: [Int] = {
        let starts = pristine.lineStarts, total = pristine.bytes.count
        let whole: [ClosedRange<Int>] = [0...(starts[1] - 1), starts[99]...(starts[100] - 1), starts[count - 1]...(total - 1)]
        var chosen = Set(whole.flatMap { Array($0) })
        chosen.formUnion(stride(from: 0, to: total, by: 13))
        return chosen.sorted()
    }()

    @Test func everyFlippedByteIsFound() throws {
        let ledger = try TestLedger()
        var undetected: [Int] = []
        var misnamed: [String] = []
        for offset in Self.offsets {
            var bytes = Self.pristine.bytes
            // Change the byte to another printable one, or a newline into a space: a plausible edit.
            bytes[offset] = bytes[offset] == 0x0A ? 0x20 : (bytes[offset] == UInt8(ascii: "a") ? UInt8(ascii: "b") : UInt8(ascii: "a"))
            try ledger.write(bytes)
            let summary = try ledger.store.verify()
            let seq = Self.seq(at: offset)
            if let chainBreak = summary.chainBreak {
                // An edit of line k is named k, or k − 1 when line k's own `prev` was what changed.
                if chainBreak.firstBadSeq != seq && chainBreak.firstBadSeq != seq - 1 {
                    misnamed.append("byte \(offset) (seq \(seq)) named seq \(chainBreak.firstBadSeq)")
                }
            } else if summary.tornTail == nil && summary.head == Self.pristine.head {
                undetected.append(offset)
            }
        }
        #expect(undetected.isEmpty, "flips not found: \(undetected.prefix(20))")
        #expect(misnamed.isEmpty, "\(misnamed.prefix(10))")
        #expect(Self.offsets.count > 2500)
    }
}
