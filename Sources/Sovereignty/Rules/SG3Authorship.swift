import Events
import Projections

/// SG-3: a council records only its own decisions, notices, variations,
/// withdrawal costs and contracts.
enum SG3Authorship: Rule {
    static let id = "SG-3"

    static func judge(_ j: Judgement) -> [Finding] {
        guard let owner = owner(of: j.record.event) else { return [] }
        let author = j.record.by.council
        guard author != owner else { return [] }
        return [j.finding(
            id, councils: [owner, author], field: "by",
            "\(j.name(author)) (\(j.record.by)) cannot record \(j.name(owner))'s \(what(j.record.event)); only \(j.name(owner)) records its own: \(Promise.authorship)")]
    }

    /// The council whose own act `event` records, if it is one.
    static func owner(of event: Event) -> Identifier? {
        switch event {
        case .councilDecided(let e): e.council
        case .noticeServed(let e): e.council
        case .noticeRescinded(let e): e.council
        case .variationSpecified(let e): e.council
        case .withdrawalCosted(let e): e.council
        case .contractRegistered(let e): e.council
        case .councilRegistered(let e): e.council
        default: nil
        }
    }

    /// What `event` records, in words: made only for a finding, since nearly
    /// every record is its own council's (built for every record, the words
    /// were half of this rule's cost).
    static func what(_ event: Event) -> String {
        switch event {
        case .councilDecided(let e): "decision on \(e.proposal)"
        case .noticeServed(let e): "notice to withdraw from \(e.subject)"
        case .noticeRescinded(let e): "rescinding of notice seq \(e.notice)"
        case .variationSpecified: "variation"
        case .withdrawalCosted: "withdrawal cost"
        case .contractRegistered(let e): "contract \(e.contract)"
        case .councilRegistered: "registration"
        default: event.type.rawValue
        }
    }
}
