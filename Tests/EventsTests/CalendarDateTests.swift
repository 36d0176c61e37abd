import Events
import TestSupport
import Testing

/// `value` in decimal, zero-padded on the left to `width` digits.
private func padded(_ value: Int, _ width: Int) -> String {
    let digits = String(value)
    return String(repeating: "0", count: max(0, width - digits.count)) + digits
}

@Suite struct CalendarDateTests {
    @Test(arguments: [
        ("2013-04-01", true), ("2024-02-29", true), ("2023-02-29", false), ("2000-02-29", true), ("1900-02-29", false),
        ("2013-13-01", false), ("2013-00-10", false), ("2013-04-31", false), ("2013-4-01", false), ("13-04-01", false),
        ("2013-04-01 ", false), ("", false), ("3000-01-01", false), ("1899-12-31", false), ("2013/04/01", false),
    ])
    func parsesOnlyRealDays(_ text: String, _ valid: Bool) {
        #expect((CalendarDate(iso: text) != nil) == valid, "\(text)")
        if valid { #expect(CalendarDate(iso: text)?.iso == text) }
    }

    @Test func dayNumbersCountRealDays() {
        // 2015-16 and 2023-24 each hold a 29 February; 2013-14 and 2016-17 do not.
        #expect(FinancialYear(2013).dayCount == 365)
        #expect(FinancialYear(2015).dayCount == 366)
        #expect(FinancialYear(2016).dayCount == 365)
        #expect(FinancialYear(2023).dayCount == 366)
        #expect(CalendarDate(iso: "1970-01-01")!.dayNumber == 0)
        #expect(CalendarDate(iso: "2000-03-01")!.dayNumber - CalendarDate(iso: "2000-02-28")!.dayNumber == 2)
    }

    @Test func everyDayRoundTripsThroughItsNumber() {
        var date = CalendarDate(iso: "1999-12-25")!
        for _ in 0..<(366 * 30) {
            let (y, m, d) = date.components
            #expect(CalendarDate(year: y, month: m, day: d) == date)
            let next = date.adding(days: 1)
            #expect(next.dayNumber == date.dayNumber + 1)
            date = next
        }
    }

    @Test(arguments: [
        ("2025-09-30", 6, "2026-03-30"), ("2025-08-31", 6, "2026-02-28"), ("2023-08-31", 6, "2024-02-29"),
        ("2024-02-29", 12, "2025-02-28"), ("2013-04-01", 24, "2015-04-01"), ("2025-10-31", 1, "2025-11-30"),
        ("2025-01-31", 1, "2025-02-28"), ("2025-12-15", 1, "2026-01-15"), ("2025-03-31", 0, "2025-03-31"),
    ])
    func addingMonthsLandsOnTheCorrespondingDate(_ from: String, _ months: Int, _ to: String) {
        #expect(CalendarDate(iso: from)!.adding(months: months).iso == to)
    }

    /// The printed form is written digit by digit into a small string; it
    /// must be what padding each part and joining them gives, for any day of
    /// years 0 to 9999, and beyond them too.
    @Test func printsEveryDayAsPaddedParts() {
        var rng = SplitMix64(seed: 20261126)
        // 0000-01-01 and 9999-12-31 as days from 1970-01-01.
        let first = -719_528, last = 2_932_896
        let days = (0..<20_000).map { _ in Int(rng.next(upTo: UInt64(last - first + 1))) + first } + [first, last, last + 1, 0]
        for day in days {
            let date = CalendarDate(dayNumber: day)
            let (y, m, d) = date.components
            #expect(date.iso == padded(y, 4) + "-" + padded(m, 2) + "-" + padded(d, 2), "seed 20261126, day \(day)")
            if CalendarDate.supportedYears.contains(y) { #expect(CalendarDate(iso: date.iso) == date, "seed 20261126, day \(day)") }
        }
        #expect(CalendarDate(dayNumber: first).iso == "0000-01-01")
        #expect(CalendarDate(dayNumber: last).iso == "9999-12-31")
        #expect(CalendarDate(dayNumber: last + 1).iso == "10000-01-01")
    }

    @Test(arguments: [("2013-04-01", 2013), ("2014-03-31", 2013), ("2014-04-01", 2014), ("2013-01-15", 2012)])
    func financialYearOfADate(_ date: String, _ year: Int) {
        #expect(FinancialYear(containing: CalendarDate(iso: date)!).startYear == year)
    }

    @Test func financialYearsPrintAndParseAsCouncilsWriteThem() {
        #expect(FinancialYear(2013).description == "2013-14")
        #expect(FinancialYear(1999).description == "1999-00")
        #expect(FinancialYear(parsing: "2013-14") == FinancialYear(2013))
        #expect(FinancialYear(parsing: "2013") == FinancialYear(2013))
        #expect(FinancialYear(parsing: "2013-15") == nil)
        #expect(FinancialYear(parsing: "13-14") == nil)
    }
}

@Suite struct InstantTests {
    @Test(arguments: [
        ("2013-02-14T10:30:00Z", "2013-02-14T10:30:00Z"), ("2013-02-14T10:30:00.250Z", "2013-02-14T10:30:00Z"),
        ("2013-02-14T10:30:00+01:00", "2013-02-14T09:30:00Z"), ("2013-02-14T00:30:00+01:00", "2013-02-13T23:30:00Z"),
        ("2013-02-14t10:30:00z", "2013-02-14T10:30:00Z"),
    ])
    func parsesRFC3339IntoUTC(_ text: String, _ canonical: String) {
        #expect(Instant(rfc3339: text)?.rfc3339 == canonical)
    }

    @Test func printsEverySecondInCanonicalForm() {
        var rng = SplitMix64(seed: 1126)
        let first = CalendarDate(year: 1900, month: 1, day: 1)!.dayNumber * 86400
        let last = CalendarDate(year: 2999, month: 12, day: 31)!.dayNumber * 86400 + 86399
        for _ in 0..<20_000 {
            let seconds = Int(rng.next(upTo: UInt64(last - first + 1))) + first
            let instant = Instant(secondsSinceEpoch: seconds)
            let s = seconds - instant.date.dayNumber * 86400
            let joined = instant.date.iso + "T" + padded(s / 3600, 2) + ":" + padded(s / 60 % 60, 2) + ":" + padded(s % 60, 2) + "Z"
            #expect(instant.rfc3339 == joined, "seed 1126, second \(seconds)")
            #expect(Instant(rfc3339: instant.rfc3339) == instant, "seed 1126, second \(seconds)")
        }
    }

    @Test(arguments: ["2013-02-14", "2013-02-14T25:00:00Z", "2013-02-14T10:30:00", "2013-02-14T10:30Z", "yesterday", "2013-02-30T10:00:00Z"])
    func rejectsWhatIsNotAnInstant(_ text: String) {
        #expect(Instant(rfc3339: text) == nil)
    }

    /// An offset that carries the instant out of the years a date may have
    /// in UTC makes it no instant a ledger can record or read back.
    @Test(arguments: [
        ("2999-12-31T23:30:00-01:00", nil), ("1900-01-01T00:30:00+01:00", nil),
        ("2999-12-31T22:30:00-01:00", "2999-12-31T23:30:00Z"), ("1900-01-01T01:30:00+01:00", "1900-01-01T00:30:00Z"),
    ] as [(String, String?)])
    func anOffsetCannotCarryAnInstantOutOfTheYears(_ text: String, _ canonical: String?) {
        #expect(Instant(rfc3339: text)?.rfc3339 == canonical)
    }
}

@Suite struct MoneyTests {
    @Test(arguments: [
        (Int64(12_000_000), "£120,000.00"), (0, "£0.00"), (5, "£0.05"), (-500, "-£5.00"), (123_456_789, "£1,234,567.89"),
        (99, "£0.99"), (100_000, "£1,000.00"),
    ])
    func printsPounds(_ pence: Int64, _ text: String) {
        #expect(Money.pounds(pence) == text)
    }

    @Test(arguments: [
        ("120000", Int64(12_000_000)), ("120,000.00", 12_000_000), ("£120,000.00", 12_000_000), ("£1,234.5", 123_450),
        ("-£3.20", -320), ("0.01", 1),
    ])
    func readsPounds(_ text: String, _ pence: Int64) {
        #expect(Money.pence(parsing: text) == pence)
    }

    @Test(arguments: ["12.345", "1,20,000", "£", "", "12,34", "abc", "1e5", "12.3.4"])
    func refusesAmountsItWouldHaveToGuess(_ text: String) {
        #expect(Money.pence(parsing: text) == nil)
    }
}
