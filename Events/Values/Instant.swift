/// A UTC instant at whole-second precision: when the ledger accepted a record.
///
/// Whole seconds keep the stored form canonical (`2026-11-24T09:00:00Z`), so two
/// ledgers built from the same input and clock are byte-identical.
public struct Instant: Hashable, Comparable, Sendable, CustomStringConvertible {
    /// Seconds since 1970-01-01T00:00:00Z.
    public let secondsSinceEpoch: Int

    public init(secondsSinceEpoch: Int) { self.secondsSinceEpoch = secondsSinceEpoch }

    /// Parses RFC 3339 (`2013-02-14T10:30:00Z`, `2013-02-14T10:30:00.250+01:00`).
    /// Fractions of a second are dropped; offsets are folded into UTC.
    public init?(rfc3339 text: some StringProtocol) {
        let b = Array(text.utf8)
        guard b.count >= 20, let date = CalendarDate(iso: String(decoding: b[0..<10], as: UTF8.self)),
            b[10] == UInt8(ascii: "T") || b[10] == UInt8(ascii: "t"),
            b[13] == UInt8(ascii: ":"), b[16] == UInt8(ascii: ":"),
            let hour = Self.twoDigits(b, 11), let minute = Self.twoDigits(b, 14), let second = Self.twoDigits(b, 17),
            hour < 24, minute < 60, second < 60
        else { return nil }
        var index = 19
        if b[index] == UInt8(ascii: ".") {
            index += 1
            let start = index
            while index < b.count, (48...57).contains(b[index]) { index += 1 }
            guard index > start else { return nil }
        }
        guard index < b.count else { return nil }
        var offsetSeconds = 0
        switch b[index] {
        case UInt8(ascii: "Z"), UInt8(ascii: "z"):
            index += 1
        case UInt8(ascii: "+"), UInt8(ascii: "-"):
            guard b.count == index + 6, b[index + 3] == UInt8(ascii: ":"),
                let oh = Self.twoDigits(b, index + 1), let om = Self.twoDigits(b, index + 4), oh < 24, om < 60
            else { return nil }
            offsetSeconds = (oh * 3600 + om * 60) * (b[index] == UInt8(ascii: "+") ? 1 : -1)
            index += 6
        default:
            return nil
        }
        guard index == b.count else { return nil }
        secondsSinceEpoch = date.dayNumber * 86400 + hour * 3600 + minute * 60 + second - offsetSeconds
        // An offset can carry the time past the years a date may have
        // (2999-12-31T23:30:00-01:00 is in 3000), and no ledger can write
        // or read such an instant back. (Found by review.)
        guard CalendarDate.supportedYears.contains(self.date.year) else { return nil }
    }

    public var date: CalendarDate { CalendarDate(dayNumber: Self.floorDiv(secondsSinceEpoch, 86400)) }

    /// Canonical form, always UTC with `Z`.
    public var rfc3339: String {
        let text = String(unsafeUninitializedCapacity: 20) { writeRFC3339(into: $0) ? 20 : 0 }
        guard text.isEmpty else { return text }
        let day = date
        let secondsOfDay = secondsSinceEpoch - day.dayNumber * 86400
        return day.iso + "T" + CalendarDate.pad(secondsOfDay / 3600, 2) + ":"
            + CalendarDate.pad(secondsOfDay / 60 % 60, 2) + ":" + CalendarDate.pad(secondsOfDay % 60, 2) + "Z"
    }

    /// Writes the canonical form's 20 bytes into `text`, if its year has four
    /// digits (false, and nothing written, if not).
    func writeRFC3339(into text: UnsafeMutableBufferPointer<UInt8>) -> Bool {
        let day = date
        let secondsOfDay = secondsSinceEpoch - day.dayNumber * 86400
        let (y, m, d) = day.components
        guard (0...9999).contains(y), text.count >= 20 else { return false }
        CalendarDate.writeISO(y, m, d, into: text)
        text[10] = UInt8(ascii: "T")
        CalendarDate.write(secondsOfDay / 3600, width: 2, into: text, at: 11)
        text[13] = UInt8(ascii: ":")
        CalendarDate.write(secondsOfDay / 60 % 60, width: 2, into: text, at: 14)
        text[16] = UInt8(ascii: ":")
        CalendarDate.write(secondsOfDay % 60, width: 2, into: text, at: 17)
        text[19] = UInt8(ascii: "Z")
        return true
    }
    public var description: String { rfc3339 }

    public static func < (lhs: Instant, rhs: Instant) -> Bool { lhs.secondsSinceEpoch < rhs.secondsSinceEpoch }

    private static func twoDigits(_ b: [UInt8], _ at: Int) -> Int? {
        guard at + 1 < b.count else { return nil }
        let hi = Int(b[at]) - 48, lo = Int(b[at + 1]) - 48
        guard (0...9).contains(hi), (0...9).contains(lo) else { return nil }
        return hi * 10 + lo
    }

    private static func floorDiv(_ a: Int, _ b: Int) -> Int {
        a >= 0 ? a / b : -((-a + b - 1) / b)
    }
}
