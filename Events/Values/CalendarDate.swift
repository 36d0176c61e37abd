/// A calendar date with no time zone, as councils minute them.
///
/// Stored as a day number (days since 1970-01-01, proleptic Gregorian) so that
/// comparing, counting days and stepping are integer operations.
public struct CalendarDate: Hashable, Comparable, Sendable, CustomStringConvertible {
    public let dayNumber: Int

    /// Years outside this range are almost certainly typing mistakes in a
    /// ledger of council agreements, and keeping them out bounds every loop
    /// over dates.
    public static let supportedYears = 1900...2999

    public init(dayNumber: Int) {
        self.dayNumber = dayNumber
    }

    /// `nil` when the day does not exist (2023-02-29) or the year is unsupported.
    public init?(year: Int, month: Int, day: Int) {
        guard Self.supportedYears.contains(year), (1...12).contains(month),
            day >= 1, day <= Self.daysIn(month: month, year: year)
        else { return nil }
        dayNumber = Self.days(fromCivilYear: year, month: month, day: day)
    }

    /// Accepts exactly `YYYY-MM-DD`.
    public init?(iso text: some StringProtocol) {
        let utf8 = Array(text.utf8)
        guard utf8.count == 10, utf8[4] == UInt8(ascii: "-"), utf8[7] == UInt8(ascii: "-") else { return nil }
        func number(_ range: Range<Int>) -> Int? {
            var value = 0
            for index in range {
                let digit = Int(utf8[index]) - 48
                guard (0...9).contains(digit) else { return nil }
                value = value * 10 + digit
            }
            return value
        }
        guard let year = number(0..<4), let month = number(5..<7), let day = number(8..<10) else { return nil }
        self.init(year: year, month: month, day: day)
    }

    public var components: (year: Int, month: Int, day: Int) {
        Self.civil(fromDays: dayNumber)
    }
    public var year: Int { components.year }
    public var month: Int { components.month }
    public var day: Int { components.day }

    public var iso: String {
        let (y, m, d) = components
        guard (0...9999).contains(y) else { return Self.pad(y, 4) + "-" + Self.pad(m, 2) + "-" + Self.pad(d, 2) }
        // Ten bytes make a small string, kept inline: encoding a ledger line makes several.
        return String(unsafeUninitializedCapacity: 10) { text in
            Self.writeISO(y, m, d, into: text)
            return 10
        }
    }

    /// Writes `YYYY-MM-DD` into the first ten bytes of `text`; the year must be in 0...9999.
    static func writeISO(_ y: Int, _ m: Int, _ d: Int, into text: UnsafeMutableBufferPointer<UInt8>) {
        write(y, width: 4, into: text, at: 0)
        text[4] = UInt8(ascii: "-")
        write(m, width: 2, into: text, at: 5)
        text[7] = UInt8(ascii: "-")
        write(d, width: 2, into: text, at: 8)
    }

    /// Writes `value` (not negative) as exactly `width` decimal digits, zero-padded.
    static func write(_ value: Int, width: Int, into text: UnsafeMutableBufferPointer<UInt8>, at start: Int) {
        var rest = value
        for index in stride(from: start + width - 1, through: start, by: -1) {
            text[index] = UInt8(ascii: "0") &+ UInt8(truncatingIfNeeded: rest % 10)
            rest /= 10
        }
    }
    public var description: String { iso }

    public static func < (lhs: CalendarDate, rhs: CalendarDate) -> Bool { lhs.dayNumber < rhs.dayNumber }

    public func adding(days: Int) -> CalendarDate { CalendarDate(dayNumber: dayNumber + days) }

    /// Days from `self` to `other`; positive when `other` is later.
    public func days(to other: CalendarDate) -> Int { other.dayNumber - dayNumber }

    /// The corresponding date `months` later, or the last day of a shorter
    /// month (SPEC §5.2: six months from 31 August is 28 or 29 February).
    public func adding(months: Int) -> CalendarDate {
        let (y, m, d) = components
        let monthIndex = y * 12 + (m - 1) + months
        let year = monthIndex / 12
        let month = monthIndex % 12 + 1
        let day = min(d, Self.daysIn(month: month, year: year))
        return CalendarDate(dayNumber: Self.days(fromCivilYear: year, month: month, day: day))
    }

    public var endOfMonth: CalendarDate {
        let (y, m, _) = components
        return CalendarDate(dayNumber: Self.days(fromCivilYear: y, month: m, day: Self.daysIn(month: m, year: y)))
    }

    public static func isLeap(_ year: Int) -> Bool {
        (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
    }

    public static func daysIn(month: Int, year: Int) -> Int {
        switch month {
        case 2: return isLeap(year) ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }

    // Howard Hinnant's days-from-civil: exact for the proleptic Gregorian calendar
    // with no tables and no Foundation time zones involved.
    static func days(fromCivilYear year: Int, month: Int, day: Int) -> Int {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yearOfEra = y - era * 400
        let dayOfYear = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146097 + dayOfEra - 719468
    }

    static func civil(fromDays days: Int) -> (year: Int, month: Int, day: Int) {
        let z = days + 719468
        let era = (z >= 0 ? z : z - 146096) / 146097
        let dayOfEra = z - era * 146097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36524 - dayOfEra / 146096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let mp = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * mp + 2) / 5 + 1
        let month = mp < 10 ? mp + 3 : mp - 9
        return (yearOfEra + era * 400 + (month <= 2 ? 1 : 0), month, day)
    }

    static func pad(_ value: Int, _ width: Int) -> String {
        let digits = String(value)
        return digits.count >= width ? digits : String(repeating: "0", count: width - digits.count) + digits
    }
}
