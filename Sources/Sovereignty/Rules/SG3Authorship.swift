import Events
import Projections

/// SG-3: a council records only its own decisions, notices, variations,
/// withdrawal costs and contracts.
enum SG3Authorship: Rule {
    static let id = "SG-3"

    static func judge(_ j: Judgement) -> [Finding] {
        let owner: Identifier
        let what: String
        switch j.record.event {
        case .councilDecided(let e): (owner, what) = (e.council, "decision on \(e.proposal)")
        case .noticeServed(let e): (owner, what) = (e.council, "notice to withdraw from \(e.subject)")
        case .noticeRescinded(let e): (owner, what) = (e.council, "rescinding of notice seq \(e.notice)")
        case .variationSpecified(let e): (owner, what) = (e.council, "variation")
        case .withdrawalCosted(let e): (owner, what) = (e.council, "withdrawal cost")
        case .contractRegistered(let e): (owner, what) = (e.council, "contract \(e.contract)")
        case .councilRegistered(let e): (owner, what) = (e.council, "registration")
        default: return []
        }
        let author = j.record.by.council
        guard author != owner else { return [] }
        return [j.finding(
            id, councils: [owner, author], field: "by",
            "\(j.name(author)) (\(j.record.by)) cannot record \(j.name(owner))'s \(what); only \(j.name(owner)) records its own: \(Promise.authorship)")]
    }
}
