// Events about agreements, joining and leaving them, and contracts they must not break.

public struct AgreementEstablished: Hashable, Sendable {
    public var agreement: Identifier
    public var title: String
    public var parties: [Identifier]
    public var notice: NoticeRule
    /// Members per council a joint committee needs for its vote to bind anyone.
    public var quorum: Int?
    public var proposal: Identifier
    public init(
        agreement: Identifier, title: String, parties: [Identifier], notice: NoticeRule, quorum: Int? = nil,
        proposal: Identifier
    ) {
        self.agreement = agreement
        self.title = title
        self.parties = parties
        self.notice = notice
        self.quorum = quorum
        self.proposal = proposal
    }
}

public struct AgreementJoined: Hashable, Sendable {
    public var agreement: Identifier
    public var council: Identifier
    public var proposal: Identifier
    public init(agreement: Identifier, council: Identifier, proposal: Identifier) {
        self.agreement = agreement
        self.council = council
        self.proposal = proposal
    }
}

public struct NoticeServed: Hashable, Sendable {
    public var council: Identifier
    public var subject: Subject
    /// An earlier last day than the notice rule gives; needs `proposal` (SG-6).
    public var leaves: CalendarDate?
    public var proposal: Identifier?
    public init(council: Identifier, subject: Subject, leaves: CalendarDate? = nil, proposal: Identifier? = nil) {
        self.council = council
        self.subject = subject
        self.leaves = leaves
        self.proposal = proposal
    }
}

public struct NoticeRescinded: Hashable, Sendable {
    public var council: Identifier
    /// The seq of the `notice.served` record withdrawn.
    public var notice: Int
    public init(council: Identifier, notice: Int) {
        self.council = council
        self.notice = notice
    }
}

public struct WithdrawalCosted: Hashable, Sendable {
    public var council: Identifier
    public var agreement: Identifier
    public var amountPence: Int64
    public var description: String
    public init(council: Identifier, agreement: Identifier, amountPence: Int64, description: String) {
        self.council = council
        self.agreement = agreement
        self.amountPence = amountPence
        self.description = description
    }
}

public struct ContractRegistered: Hashable, Sendable {
    public var council: Identifier
    public var contract: Identifier
    public var counterparty: String
    public var ends: CalendarDate?
    public init(council: Identifier, contract: Identifier, counterparty: String, ends: CalendarDate? = nil) {
        self.council = council
        self.contract = contract
        self.counterparty = counterparty
        self.ends = ends
    }
}
