// Events about who is on the register and what each council decided.

public struct CouncilRegistered: Hashable, Sendable {
    public var council: Identifier
    public var name: String
    public var population: Int64?
    public init(council: Identifier, name: String, population: Int64? = nil) {
        self.council = council
        self.name = name
        self.population = population
    }
}

public struct ProposalTabled: Hashable, Sendable {
    public var proposal: Identifier
    public var title: String
    public var matter: Matter
    public var affects: [Identifier]
    public var agreement: Identifier?
    /// Existing contracts the proposal would end (SG-5).
    public var terminates: [Identifier]
    public init(
        proposal: Identifier, title: String, matter: Matter, affects: [Identifier],
        agreement: Identifier? = nil, terminates: [Identifier] = []
    ) {
        self.proposal = proposal
        self.title = title
        self.matter = matter
        self.affects = affects
        self.agreement = agreement
        self.terminates = terminates
    }
}

public struct CouncilDecided: Hashable, Sendable {
    public var proposal: Identifier
    public var council: Identifier
    public var decision: Decision
    /// The council's own decision-making body, e.g. "Cabinet".
    public var body: String
    public var minute: String
    public init(proposal: Identifier, council: Identifier, decision: Decision, body: String, minute: String) {
        self.proposal = proposal
        self.council = council
        self.decision = decision
        self.body = body
        self.minute = minute
    }
}

public enum CastingVote: String, Hashable, Sendable, CaseIterable {
    case votedFor = "for"
    case against
}

public struct CommitteeVoted: Hashable, Sendable {
    public var proposal: Identifier
    public var committee: String
    /// Per council, in the order given; councils are unique.
    public var votes: [MemberVotes]
    public var chair: Identifier?
    public var casting: CastingVote?
    public init(
        proposal: Identifier, committee: String, votes: [MemberVotes], chair: Identifier? = nil,
        casting: CastingVote? = nil
    ) {
        self.proposal = proposal
        self.committee = committee
        self.votes = votes
        self.chair = chair
        self.casting = casting
    }
}

public struct DisputeRaised: Hashable, Sendable {
    public var proposal: Identifier
    public var councils: [Identifier]
    public var mediator: String?
    public init(proposal: Identifier, councils: [Identifier], mediator: String? = nil) {
        self.proposal = proposal
        self.councils = councils
        self.mediator = mediator
    }
}

public struct RecordRetracted: Hashable, Sendable {
    public var seq: Int
    public var reason: String
    public init(seq: Int, reason: String) {
        self.seq = seq
        self.reason = reason
    }
}
