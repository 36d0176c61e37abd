/// The vocabulary of SPEC §4. A `type` not listed here is an error wherever it
/// is met, never skipped: a reader that skipped an unknown event could print a
/// cost split that silently leaves something out.
public enum EventType: String, CaseIterable, Sendable {
    case councilRegistered = "council.registered"
    case proposalTabled = "proposal.tabled"
    case councilDecided = "council.decided"
    case agreementEstablished = "agreement.established"
    case agreementJoined = "agreement.joined"
    case postEstablished = "post.established"
    case postCosted = "post.costed"
    case postAppointed = "post.appointed"
    case postEnded = "post.ended"
    case costsApportioned = "costs.apportioned"
    case noticeServed = "notice.served"
    case noticeRescinded = "notice.rescinded"
    case withdrawalCosted = "withdrawal.costed"
    case variationSpecified = "variation.specified"
    case contractRegistered = "contract.registered"
    case assuranceRecorded = "assurance.recorded"
    case committeeVoted = "committee.voted"
    case disputeRaised = "dispute.raised"
    case recordRetracted = "record.retracted"
}
