import Events
import Testing

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

    @Test(arguments: ["2013-02-14", "2013-02-14T25:00:00Z", "2013-02-14T10:30:00", "2013-02-14T10:30Z", "yesterday", "2013-02-30T10:00:00Z"])
    func rejectsWhatIsNotAnInstant(_ text: String) {
        #expect(Instant(rfc3339: text) == nil)
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
