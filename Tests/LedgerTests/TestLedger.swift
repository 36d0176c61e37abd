import Events
import Foundation
import Ledger
import TestSupport
import Testing

/// A ledger in a fresh temporary directory, written through the real store.
struct TestLedger {
    let temporary: TemporaryDirectory
    var directory: URL { temporary.url }
    let store: LedgerStore
    var clock = Clock(fixed: Instant(rfc3339: "2026-01-05T09:00:00Z")!)

    init() throws {
        temporary = try TemporaryDirectory("accord-ledger")
        store = LedgerStore(path: temporary.url.appendingPathComponent("ledger.jsonl").path)
        try store.create()
    }

    var path: String { store.path }

    func bytes() throws -> [UInt8] { Array(try Data(contentsOf: URL(fileURLWithPath: path))) }

    func write(_ bytes: [UInt8]) throws {
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        // A hand-edited file must be judged on its own, not through a checkpoint made before the edit.
        try? FileManager.default.removeItem(atPath: store.checkpointPath)
    }

    /// The file's lines, each without its newline.
    func lines() throws -> [[UInt8]] {
        try bytes().split(separator: 0x0A, omittingEmptySubsequences: false).dropLast().map(Array.init)
    }

    @discardableResult
    func append(_ events: [InputEvent]) throws -> AppendOutcome {
        let positioned = events.enumerated().map { PositionedEvent(position: "input:\($0.offset + 1)", event: $0.element) }
        return try store.append(positioned, state: UncheckedState.self, clock: clock)
    }

    /// `count` records, one append each.
    func fill(_ count: Int) throws {
        for index in 1...count { try append([Self.council(index)]) }
    }

    static func council(_ index: Int, id: String? = nil, expect: Int? = nil, name: String? = nil) -> InputEvent {
        let council = Identifier("council-\(index)")!
        return InputEvent(
            envelope: EventEnvelope(
                effective: CalendarDate(year: 2013, month: 4, day: 1)!,
                by: Author(council: council, officer: "clerk"),
                event: .councilRegistered(CouncilRegistered(council: council, name: name ?? "Council number \(index)")),
                id: id),
            expect: expect)
    }
}
