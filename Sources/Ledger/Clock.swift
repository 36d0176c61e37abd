import Events

/// The ledger's clock: the system's UTC time, or a fixed instant from
/// `ACCORD_CLOCK` when importing an old paper trail or running a
/// deterministic test.
public struct Clock: Sendable {
    public var fixed: Instant?

    public init(fixed: Instant? = nil) { self.fixed = fixed }

    public static func fromEnvironment() throws(AccordError) -> Clock {
        guard let text = Platform.environment("ACCORD_CLOCK"), !text.isEmpty else { return Clock() }
        guard let instant = Instant(rfc3339: text) else {
            throw AccordError(
                .usage, position: "ACCORD_CLOCK",
                "\"\(text)\" is not an RFC 3339 instant in the years \(CalendarDate.supportedYears.lowerBound)-\(CalendarDate.supportedYears.upperBound) (in UTC)",
                hint: "use the form 2013-02-14T10:30:00Z, or unset ACCORD_CLOCK to use the system clock")
        }
        return Clock(fixed: instant)
    }

    /// The time to record, never before `last` (SPEC §3: recorded time never goes backwards).
    func now(after last: Instant?) throws(AccordError) -> Instant {
        if let fixed {
            if let last, fixed < last {
                throw AccordError(
                    .usage, position: "ACCORD_CLOCK",
                    "\(fixed.rfc3339) is before the ledger's last recorded time \(last.rfc3339); recorded time never goes backwards",
                    hint: "set ACCORD_CLOCK to \(last.rfc3339) or later")
            }
            return fixed
        }
        let system = Platform.now()
        guard CalendarDate.supportedYears.contains(system.date.year) else {
            throw AccordError(
                .usage, position: "clock",
                "the system clock reads \(system.rfc3339), outside the years \(CalendarDate.supportedYears.lowerBound)-\(CalendarDate.supportedYears.upperBound) a ledger records",
                hint: "set the system clock, or ACCORD_CLOCK, to the current time")
        }
        // A system clock stepped back (NTP, a VM restore) must not make the ledger's time run backwards.
        if let last, system < last { return last }
        return system
    }
}
