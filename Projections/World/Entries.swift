import Events

// What the world remembers of each thing a record defines. Every entry keeps
// the seq that made it, so that `record.retracted` can find and undo it.

public struct CouncilEntry: Sendable {
    public var seq: Int
    public var effective: CalendarDate
    public var name: String
    public var population: Int64?
}

public struct ProposalEntry: Sendable {
    public var seq: Int
    public var effective: CalendarDate
    public var tabled: ProposalTabled
    /// Each council's decisions and committee-derived positions, in (effective, seq) order.
    public var positions = Positions()
    public var votes: [VoteEntry] = []
}

/// One council's position on a proposal from one record.
public struct Position: Sendable, Hashable {
    public enum Source: String, Sendable {
        case decided = "council.decided"
        case committee = "committee.voted"
    }
    public var decision: Decision
    public var source: Source
    public var body: String
}

public struct VoteEntry: Sendable {
    public var seq: Int
    public var effective: CalendarDate
    public var vote: CommitteeVoted
}

public struct Membership: Sendable, Hashable {
    public var council: Identifier
    public var from: CalendarDate
    public var seq: Int
}

public struct AgreementEntry: Sendable {
    public var seq: Int
    public var effective: CalendarDate
    public var established: AgreementEstablished
    public var members: [Membership]
}

public struct CostEntry: Sendable, Hashable {
    public var annualPence: Int64
    public var onCostBasisPoints: Int64
}

public struct ShareEntry: Sendable, Hashable {
    public var basis: Basis
    public var weights: [Weight]
    public var proposal: Identifier
    public var totalWeight: Int64 { weights.reduce(0) { $0 + $1.weight } }
    public func weight(of council: Identifier) -> Int64? { weights.first { $0.council == council }?.weight }
}

public struct PostEntry: Sendable {
    public var seq: Int
    public var effective: CalendarDate
    public var established: PostEstablished
    public var costs = Timeline<CostEntry>()
    public var shares = ShareTimeline()
    public var appointments = Timeline<String>()
    public var ended: (date: CalendarDate, seq: Int)?
    public var assurances: [AssuranceEntry] = []

    public var start: CalendarDate { effective }
    public var agreement: Identifier { established.agreement }
    public var employer: Identifier { established.employer }
}

public struct AssuranceEntry: Sendable {
    public var seq: Int
    public var effective: CalendarDate
    public var council: Identifier
    public var worst: Rating
}

public struct NoticeEntry: Sendable {
    public var seq: Int
    public var served: CalendarDate
    public var notice: NoticeServed
    /// The council's last day as a party; it bears no cost from the day after.
    public var lastDay: CalendarDate
    public var rescinded: (seq: Int, effective: CalendarDate)?

    public var subject: Subject { notice.subject }
    public var council: Identifier { notice.council }
    /// In force on `date`: served by then and not rescinded by then.
    public func isLive(on date: CalendarDate) -> Bool {
        guard served <= date else { return false }
        if let rescinded, rescinded.effective <= date { return false }
        return true
    }
}

public struct ContractEntry: Sendable {
    public var seq: Int
    public var registered: ContractRegistered
}

/// A sum a single council bears alone: a withdrawal cost or a variation.
public struct OwnCostEntry: Sendable {
    public enum Kind: String, Sendable { case withdrawal, variation }
    public var seq: Int
    public var effective: CalendarDate
    public var kind: Kind
    public var council: Identifier
    public var subject: Subject
    public var pence: Int64
    public var description: String
}
