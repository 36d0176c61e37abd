import Events
import Projections

/// SG-6: withdrawal takes effect no earlier than the notice rule allows,
/// unless every other party approved the earlier date; a withdrawal cost is
/// the withdrawing council's alone.
enum SG6Withdrawal: Rule {
    static let id = "SG-6"

    static func judge(_ j: Judgement) -> [Finding] {
        switch j.record.event {
        case .noticeServed(let e):
            guard let leaves = e.leaves, let rule = j.world.noticeRule(for: e.subject) else { return [] }
            let allowed = rule.lastDay(servedOn: j.date)
            guard leaves < allowed else { return [] }
            let others = otherParties(j, subject: e.subject, leaver: e.council)
            guard let proposal = e.proposal else {
                return [j.finding(
                    id, councils: [e.council] + others, field: "data.leaves",
                    "\(j.name(e.council)) would leave \(e.subject) on \(leaves), before \(allowed) that its notice rule allows, without a proposal the other parties approved: \(Promise.withdrawal)")]
            }
            guard j.world.proposals[proposal] != nil else { return [] }  // SG-8
            return SG1OutVoting.unapprovedWithReasons(j, proposal: proposal, councils: others).map { council, reason in
                j.finding(
                    id, councils: [council, e.council], field: "data.proposal",
                    "\(j.says(council, reason)); \(j.name(e.council)) may leave \(e.subject) on \(leaves) instead of \(allowed) only if every other party approved: \(Promise.withdrawal)")
            }
        case .withdrawalCosted(let e):
            let withdrawing = j.world.notices.values.contains { notice in
                guard notice.council == e.council, notice.rescinded == nil, notice.served <= j.date else { return false }
                switch notice.subject {
                case .agreement(let id): return id == e.agreement
                case .post(let id): return j.world.posts[id]?.agreement == e.agreement
                }
            }
            guard !withdrawing else { return [] }
            return [j.finding(
                id, councils: [e.council], field: "data.council",
                "\(j.name(e.council)) has no standing notice to withdraw from \(e.agreement) on \(j.date), so a withdrawal cost cannot be recorded against it: \(Promise.withdrawal)")]
        default:
            return []
        }
    }

    static func otherParties(_ j: Judgement, subject: Subject, leaver: Identifier) -> [Identifier] {
        switch subject {
        case .agreement(let id): j.parties(of: id).filter { $0 != leaver }
        case .post(let id): j.sharing(post: id).filter { $0 != leaver }
        }
    }
}
