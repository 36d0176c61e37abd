import Events
import Projections

/// `accord check`: every rule over the whole history, in ledger order, each
/// record judged against the world just before it, exactly as append would
/// have judged it; then the time-based findings at the as-of date.
public struct HistoryCheck {
    public private(set) var world = World()
    private var findings: [Finding] = []
    private var noticesServed = NoticesServed()

    public init() {}

    public mutating func add(_ record: Record) {
        findings += Validator.findings(for: record, in: world, noticesServed: noticesServed)
        world.apply(record)
        noticesServed.add(record, appliedTo: world)
    }

    /// All findings, leaving out those against records since retracted: a
    /// corrected record no longer binds anyone.
    public func finish(asOf: CalendarDate) -> [Finding] {
        let standing = findings.filter { finding in
            guard let seq = finding.seqs.first else { return true }
            return world.retracted[seq] == nil
        }
        return standing + Validator.findings(in: world, asOf: asOf)
    }
}
