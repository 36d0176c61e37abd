import Events
import Projections

/// The Sovereignty Guarantee as code: every rule of SPEC §6 over one record.
public enum Validator {
    // Immutable, and rule types hold no state: safe to share across threads.
    nonisolated(unsafe) static let rules: [any Rule.Type] = [
        SG8References.self, SG3Authorship.self, SG2ReservedMatters.self, SG1OutVoting.self,
        SG4Apportionment.self, SG5Contracts.self, SG6Withdrawal.self, SG7Assurance.self,
    ]

    /// The findings that forbid `record` given the world just before it.
    /// References come first: other rules stay quiet about what does not exist.
    public static func findings(for record: Record, in world: World) -> [Finding] {
        findings(for: record, in: world, noticesServed: nil)
    }

    /// The same, for a caller that keeps an index of the notices each council served.
    static func findings(for record: Record, in world: World, noticesServed: NoticesServed?) -> [Finding] {
        let judgement = Judgement(record: record, world: world, noticesServed: noticesServed)
        let references = SG8References.judge(judgement)
        guard references.isEmpty else { return references }
        // A loop, not flatMap: nearly every record breaks no rule, and the
        // flatMap's machinery cost more than most rules (callgrind).
        var findings: [Finding] = []
        for rule in rules.dropFirst() {
            let found = rule.judge(judgement)
            if !found.isEmpty { findings += found }
        }
        return findings
    }

    /// Time-based findings at `asOf` (SG-7 reviews), which no single record causes.
    public static func findings(in world: World, asOf: CalendarDate) -> [Finding] {
        SG7Assurance.overdue(world, asOf: asOf)
    }
}
