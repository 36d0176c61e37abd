import Events
import Testing
import TestSupport

/// A batch's lines are written with their `recorded` and `effective` texts
/// made once and kept (`DateTexts`): every line is byte for byte the one
/// written by formatting both afresh, however the dates run.
@Suite struct DateTextsTests {
    /// Instants and dates at the ends of what a line holds: the epoch, a leap
    /// day, the last second of a year and of year 9999, an instant past that, the
    /// last date an event may carry and one far past it (a notice's last day
    /// may be; past year 9999 a date is written as text of another shape,
    /// which the kept text must follow too).
    static let instants: [Instant] = [
        Instant(secondsSinceEpoch: 0), Instant(rfc3339: "2024-02-29T12:34:56Z")!,
        Instant(rfc3339: "2025-12-31T23:59:59Z")!, Instant(secondsSinceEpoch: 253_402_300_799),
        Instant(secondsSinceEpoch: 253_402_300_800),
    ]
    static let dates: [CalendarDate] = [
        CalendarDate(iso: "1970-01-01")!, CalendarDate(iso: "2024-02-29")!, CalendarDate(iso: "2024-03-01")!,
        CalendarDate(iso: "2999-12-31")!, CalendarDate(iso: "2999-12-31")!.adding(days: 3_000_000),
    ]

    @Test(arguments: instants)
    func linesWithKeptTextsAreTheLinesWrittenAfresh(_ recorded: Instant) {
        var texts = DateTexts(recorded: recorded)
        // Runs of one date, a date again after another, and every example event.
        let effectives = Self.dates + Self.dates.reversed() + [Self.dates[1], Self.dates[1]]
        for (index, effective) in effectives.enumerated() {
            let event = EventExamples.all[index % EventExamples.all.count]
            let envelope = EventEnvelope(effective: effective, by: Author("darlington/legal")!, event: event)
            texts.setEffective(effective)
            var kept: [UInt8] = []
            var fresh: [UInt8] = []
            EventEncoder.encodeRecord(
                seq: index + 1, recorded: recorded, envelope: envelope, batch: nil, prev: Record.genesisPrev, dates: texts,
                appendingTo: &kept)
            EventEncoder.encodeRecord(
                seq: index + 1, recorded: recorded, envelope: envelope, batch: nil, prev: Record.genesisPrev,
                appendingTo: &fresh)
            #expect(kept == fresh, "\(recorded), \(effective)")
        }
    }
}
