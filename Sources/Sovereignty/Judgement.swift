import Events
import Projections

/// What one rule sees: the record being judged and the world as it stood
/// just before it. Rules are pure functions of the two.
struct Judgement {
    let record: Record
    let world: World
    /// Where the caller keeps one; else a rule scans the world's notices.
    var noticesServed: NoticesServed? = nil

    var seq: Int { record.seq }
    var date: CalendarDate { record.effective }

    /// A council as people say it: its registered name, else its id.
    func name(_ council: Identifier) -> String { world.councils[council]?.name ?? council.raw }

    /// "<Council> <reason>", where a reason may start with a possessive ("'s members voted…").
    func says(_ council: Identifier, _ reason: String) -> String {
        name(council) + (reason.hasPrefix("'") ? "" : " ") + reason
    }

    func names(_ councils: [Identifier]) -> String {
        let all = councils.map(name)
        guard all.count > 1 else { return all.first ?? "" }
        return all.dropLast().joined(separator: ", ") + " and " + all.last!
    }

    func finding(_ rule: String, councils: [Identifier] = [], field: String, _ message: String, also: [Int] = [])
        -> Finding
    {
        Finding(rule: rule, seqs: [seq] + also, councils: councils, field: field, message: message)
    }
}

/// One rule of SPEC §6: the findings it raises against a record.
protocol Rule {
    static var id: String { get }
    static func judge(_ judgement: Judgement) -> [Finding]
}
