import Events
import Projections

/// SG-4: costs are apportioned on a basis agreed before it takes effect
/// (SG-1 judges the date test under this id), with positive weights, among
/// current parties of the post's agreement only.
enum SG4Apportionment: Rule {
    static let id = "SG-4"

    static func judge(_ j: Judgement) -> [Finding] {
        // The post's agreement only: reading the whole entry out copied every timeline in it.
        guard case .costsApportioned(let e) = j.record.event, let agreement = j.world.posts[e.post]?.agreement else { return [] }
        var findings: [Finding] = []
        for weight in e.weights where weight.weight <= 0 {
            findings.append(j.finding(
                id, councils: [weight.council], field: "data.weights.\(weight.council)",
                "\(j.name(weight.council))'s weight is \(weight.weight); every share must be a positive weight: \(Promise.apportionment)"))
        }
        let parties = j.parties(of: agreement)
        func standing(_ council: Identifier) -> [NoticeEntry] {
            j.noticesServed?.standing(of: council, in: j.world) ?? j.world.standingNotices(of: council)
        }
        for weight in e.weights where !parties.contains(weight.council) {
            let reason: String
            if let last = j.world.lastDay(of: weight.council, inAgreement: agreement, asAt: j.date), last < j.date {
                reason = "left agreement \(agreement) on \(last)"
            } else if j.world.agreements[agreement]?.members.contains(where: { $0.council == weight.council }) == true {
                reason = "is not yet a party to agreement \(agreement) on \(j.date)"
            } else {
                reason = "is not a party to agreement \(agreement)"
            }
            findings.append(j.finding(
                id, councils: [weight.council], field: "data.weights.\(weight.council)",
                "\(j.name(weight.council)) \(reason), so it cannot be given a share of \(e.post): \(Promise.apportionment)"))
        }
        for weight in e.weights where parties.contains(weight.council) {
            if let last = j.world.lastDay(
                of: weight.council, inPost: e.post, agreement: agreement, asAt: j.date, standing: standing(weight.council)),
                last < j.date
            {
                findings.append(j.finding(
                    id, councils: [weight.council], field: "data.weights.\(weight.council)",
                    "\(j.name(weight.council)) left post \(e.post) on \(last), so it cannot be given a share from \(j.date): \(Promise.apportionment)"))
            }
        }
        return findings
    }
}
