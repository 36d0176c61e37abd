/// The things an event names, so that a history can follow an agreement or a
/// post through every record that touches it.
extension Event {
    public var agreement: Identifier? {
        switch self {
        case .agreementEstablished(let e): e.agreement
        case .agreementJoined(let e): e.agreement
        case .postEstablished(let e): e.agreement
        case .proposalTabled(let e): e.agreement
        case .withdrawalCosted(let e): e.agreement
        case .noticeServed(let e): if case .agreement(let id) = e.subject { id } else { nil }
        case .variationSpecified(let e): if case .agreement(let id) = e.subject { id } else { nil }
        default: nil
        }
    }

    public var post: Identifier? {
        switch self {
        case .postEstablished(let e): e.post
        case .postCosted(let e): e.post
        case .postAppointed(let e): e.post
        case .postEnded(let e): e.post
        case .costsApportioned(let e): e.post
        case .assuranceRecorded(let e): e.post
        case .noticeServed(let e): if case .post(let id) = e.subject { id } else { nil }
        case .variationSpecified(let e): if case .post(let id) = e.subject { id } else { nil }
        default: nil
        }
    }

    /// The proposal the event cites as its authority, or decides, or disputes.
    public var proposal: Identifier? {
        switch self {
        case .proposalTabled(let e): e.proposal
        case .councilDecided(let e): e.proposal
        case .committeeVoted(let e): e.proposal
        case .disputeRaised(let e): e.proposal
        case .agreementEstablished(let e): e.proposal
        case .agreementJoined(let e): e.proposal
        case .postEstablished(let e): e.proposal
        case .postAppointed(let e): e.proposal
        case .postEnded(let e): e.proposal
        case .costsApportioned(let e): e.proposal
        case .noticeServed(let e): e.proposal
        default: nil
        }
    }
}
