import Events
import Projections

/// SG-7: a shared post holding a statutory DCS or DASS role is tested for
/// assurance on or before it starts, and again within its review interval.
enum SG7Assurance: Rule {
    static let id = "SG-7"
    static let defaultReviewMonths = 12

    /// On append: a statutory post cannot be costed or filled before any test.
    static func judge(_ j: Judgement) -> [Finding] {
        let postID: Identifier
        let what: String
        switch j.record.event {
        case .postCosted(let e): (postID, what) = (e.post, "costing")
        case .postAppointed(let e): (postID, what) = (e.post, "appointing \(e.holder) to")
        default: return []
        }
        guard let post = j.world.posts[postID], post.established.holdsStatutoryRole,
            !post.assurances.contains(where: { $0.effective <= j.date })
        else { return [] }
        return [j.finding(
            id, councils: sharing(j.world, post: postID, on: j.date), field: "data.post",
            "\(what) \(postID) on \(j.date) before any test of assurance is recorded for it: \(Promise.assurance)",
            also: [post.seq])]
    }

    /// At `asOf`, for `check`: a statutory post that started without a test, a
    /// review that came late, and a review overdue now (from the day it falls due).
    static func overdue(_ world: World, asOf: CalendarDate) -> [Finding] {
        var findings: [Finding] = []
        for (id, post) in world.posts.sorted(by: { $0.key < $1.key }) where post.established.holdsStatutoryRole {
            guard post.start <= asOf else { continue }
            let end = min(asOf, post.ended.map { $0.date.adding(days: -1) } ?? asOf)
            let councils = sharing(world, post: id, on: post.start)
            let tests = post.assurances.map(\.effective).sorted()
            guard let first = tests.first, first <= post.start else {
                findings.append(Finding(
                    rule: Self.id, seqs: [post.seq], councils: councils, field: "data.post",
                    message: "post \(id) (\(post.established.roles.joined(separator: ", "))) started on \(post.start) with no test of assurance on or before that day"
                        + (tests.first.map { "; the first was on \($0)" } ?? "") + ": \(Promise.assurance)"))
                continue
            }
            let months = post.established.assuranceMonths ?? defaultReviewMonths
            guard months > 0 else { continue }
            var last = first
            for test in tests.dropFirst() where test <= end {
                let due = last.adding(months: months)
                if test > due {
                    findings.append(Finding(
                        rule: Self.id, seqs: [post.seq], councils: councils, field: "data.post",
                        message: "post \(id)'s test of assurance fell due on \(due) (\(months) months after \(last)) but was not taken until \(test): \(Promise.assurance)"))
                }
                last = test
            }
            let due = last.adding(months: months)
            if due <= end {
                findings.append(Finding(
                    rule: Self.id, seqs: [post.seq], councils: councils, field: "data.post",
                    message: "post \(id)'s test of assurance is overdue: it fell due on \(due), \(months) months after the last on \(last), and none is recorded by \(end): \(Promise.assurance)"))
            }
        }
        return findings
    }

    static func sharing(_ world: World, post: Identifier, on date: CalendarDate) -> [Identifier] {
        let councils = world.sharing(post: post, on: date)
        return councils.isEmpty ? world.posts[post].map { [$0.employer] } ?? [] : councils
    }
}
