import Events
import Foundation
import Testing

/// A ledger's bytes do not depend on how its input was laid out. Input in the
/// encoder's own layout has its data copied into the lines as it is; input in
/// any other layout is decoded and encoded again. Both must give the same file.
@Suite struct InputLayoutTests {
    @Test(arguments: ["cambridgeshire-peterborough", "three-boroughs", "clackmannanshire-stirling", "torbay"])
    func aLedgerIsTheSameWhateverItsInputsLayout(_ sample: String) throws {
        let file = ReportCommandTests.samples.appendingPathComponent("\(sample).input.jsonl")
        let asWritten = try String(contentsOf: file, encoding: .utf8).split(separator: "\n").map(String.init)
        let inLayout = try asWritten.map { line in
            let input = try Array(line.utf8).withUnsafeBytes { try EventDecoder.decodeInput($0) }
            return String(decoding: EventEncoder.encodeInput(input), as: UTF8.self)
        }
        // The samples are written by hand, with spaces: the two inputs take the two paths.
        let copied = inLayout.filter { line in
            Array(line.utf8).withUnsafeBytes { EventDecoder.decodeCanonicalInputKeepingData($0)?.asEncoded == true }
        }
        #expect(!copied.isEmpty && asWritten.allSatisfy { !inLayout.contains($0) })
        let first = try Accord.withLedger(), second = try Accord.withLedger()
        _ = try first.append(asWritten)
        _ = try second.append(inLayout)
        #expect(try first.ledgerBytes() == second.ledgerBytes())
        #expect(try !first.ledgerBytes().isEmpty)
    }
}
