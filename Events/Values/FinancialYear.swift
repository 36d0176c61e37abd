/// A UK local-government financial year: `FinancialYear(2013)` runs from
/// 1 April 2013 to 31 March 2014 inclusive and prints as `2013-14`.
public struct FinancialYear: Hashable, Comparable, Sendable, CustomStringConvertible {
    public let startYear: Int

    public init(_ startYear: Int) { self.startYear = startYear }

    /// The financial year a date falls in.
    public init(containing date: CalendarDate) {
        let (y, m, _) = date.components
        startYear = m >= 4 ? y : y - 1
    }

    /// Accepts `2013` or `2013-14`.
    public init?(parsing text: String) {
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        guard let first = parts.first, first.count == 4, let year = Int(first),
            CalendarDate.supportedYears.contains(year)
        else { return nil }
        if parts.count == 2 {
            guard parts[1].count == 2, let suffix = Int(parts[1]), suffix == (year + 1) % 100 else { return nil }
        } else if parts.count != 1 {
            return nil
        }
        startYear = year
    }

    // Computed from day numbers, not the validated initialiser: a notice period
    // can run past the last year a date may be typed in, and must not trap there.
    public var first: CalendarDate { CalendarDate(dayNumber: CalendarDate.days(fromCivilYear: startYear, month: 4, day: 1)) }
    public var last: CalendarDate { CalendarDate(dayNumber: CalendarDate.days(fromCivilYear: startYear + 1, month: 3, day: 31)) }

    /// 366 when the year contains a 29 February, else 365.
    public var dayCount: Int { first.days(to: last) + 1 }

    public var description: String {
        String(startYear) + "-" + CalendarDate.pad((startYear + 1) % 100, 2)
    }

    public static func < (lhs: FinancialYear, rhs: FinancialYear) -> Bool { lhs.startYear < rhs.startYear }
}
