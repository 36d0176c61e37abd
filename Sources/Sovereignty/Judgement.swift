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

    /// `World.parties(of:on:)` on the record's date, finding the notices on
    /// the agreement by the caller's index where it keeps one.
    func parties(of agreement: Identifier) -> [Identifier] {
        guard let noticesServed else { return world.parties(of: agreement, on: date) }
        return world.parties(of: agreement, on: date, standingOnIt: noticesServed.standing(on: .agreement(agreement), in: world))
    }

    /// `World.sharing(post:on:)` on the record's date, the same way.
    func sharing(post: Identifier) -> [Identifier] {
        guard let noticesServed else { return world.sharing(post: post, on: date) }
        return world.sharing(post: post, on: date) { noticesServed.standing(on: $0, in: world) }
    }

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
