/// One event body, typed. The envelope (who, when, which seq) lives in
/// `EventEnvelope` and `Record`.
public enum Event: Hashable, Sendable {
    case councilRegistered(CouncilRegistered)
    case proposalTabled(ProposalTabled)
    case councilDecided(CouncilDecided)
    case agreementEstablished(AgreementEstablished)
    case agreementJoined(AgreementJoined)
    case postEstablished(PostEstablished)
    case postCosted(PostCosted)
    case postAppointed(PostAppointed)
    case postEnded(PostEnded)
    case costsApportioned(CostsApportioned)
    case noticeServed(NoticeServed)
    case noticeRescinded(NoticeRescinded)
    case withdrawalCosted(WithdrawalCosted)
    case variationSpecified(VariationSpecified)
    case contractRegistered(ContractRegistered)
    case assuranceRecorded(AssuranceRecorded)
    case committeeVoted(CommitteeVoted)
    case disputeRaised(DisputeRaised)
    case recordRetracted(RecordRetracted)

    public var type: EventType {
        switch self {
        case .councilRegistered: .councilRegistered
        case .proposalTabled: .proposalTabled
        case .councilDecided: .councilDecided
        case .agreementEstablished: .agreementEstablished
        case .agreementJoined: .agreementJoined
        case .postEstablished: .postEstablished
        case .postCosted: .postCosted
        case .postAppointed: .postAppointed
        case .postEnded: .postEnded
        case .costsApportioned: .costsApportioned
        case .noticeServed: .noticeServed
        case .noticeRescinded: .noticeRescinded
        case .withdrawalCosted: .withdrawalCosted
        case .variationSpecified: .variationSpecified
        case .contractRegistered: .contractRegistered
        case .assuranceRecorded: .assuranceRecorded
        case .committeeVoted: .committeeVoted
        case .disputeRaised: .disputeRaised
        case .recordRetracted: .recordRetracted
        }
    }
}
