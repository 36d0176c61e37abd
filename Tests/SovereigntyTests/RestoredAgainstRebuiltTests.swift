import Events
import Foundation
import Ledger
import Sovereignty
import Testing

/// Through the real store: a ledger appended event by event, each append
/// restoring the checkpoint the one before saved, judges every event as a
/// ledger whose checkpoint is deleted before each append (so each append
/// rebuilds it from the ledger). State an append changes but fails to save
/// would show here, where a view cut from the whole world cannot.
@Suite struct RestoredAgainstRebuiltTests {
    /// A notice, rescinded first by another council (refused) then by its
    /// own; then the scenario's story, breaches and all.
    static let lines: [String] = [
        E.notice("hartlepool", "2014-01-05", agreement: "people"),  // 21
        #"{"type":"notice.rescinded","effective":"2014-01-06","by":"redcar/legal","data":{"council":"redcar","notice":21}}"#,
        #"{"type":"notice.rescinded","effective":"2014-01-06","by":"hartlepool/legal","data":{"council":"hartlepool","notice":21}}"#,
    ] + ScenarioTests.story

    @Test func everyJudgementMatchesARebuild() throws {
        let restored = try ValidatedLedger()
        let rebuilt = try ValidatedLedger()
        for (index, line) in Self.lines.enumerated() {
            try? FileManager.default.removeItem(atPath: rebuilt.store.checkpointPath)
            let expected = try rebuilt.attempt(line)
            #expect(try restored.attempt(line) == expected, "line \(index + 1): \(line)")
        }
        // The same events accepted (their recorded times differ: two clocks).
        func lines(_ ledger: ValidatedLedger) throws -> Int { try ledger.bytes().filter { $0 == 0x0A }.count }
        #expect(try lines(restored) == (try lines(rebuilt)))
        #expect(try lines(restored) > 20 + Self.lines.count / 2)
    }
}
