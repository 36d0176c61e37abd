import Events

/// Everything the projections and the validator know, folded from records in
/// seq order. Its size follows what the councils have defined (councils,
/// proposals, posts, notices), not how long the ledger is.
public struct World: Sendable {
    public var councils: [Identifier: CouncilEntry] = [:]
    public var proposals: [Identifier: ProposalEntry] = [:]
    public var agreements: [Identifier: AgreementEntry] = [:]
    public var posts: [Identifier: PostEntry] = [:]
    public var notices: [Int: NoticeEntry] = [:]
    public var contracts: [Identifier: ContractEntry] = [:]
    public var ownCosts: [OwnCostEntry] = []
    /// Retracted seq → the seq of the retraction.
    public var retracted: [Int: Int] = [:]
    public var head = 0
    /// The latest effective date of any record applied: the natural "now" of a historical ledger.
    public var latestEffective: CalendarDate?
    /// Whether costs, appointments and councils' own sums are kept. The
    /// validator judges none of them, so it turns this off to keep its
    /// checkpoint (and so every append) from growing with each cost change.
    public var keepsMoney = true
    /// Whether proposals, decisions and votes are kept; cost splits need none of them.
    public var keepsProposals = true
    /// When set, cost, apportionment and appointment changes superseded before
    /// this date are forgotten as they stream past, so a report over one
    /// period needs the same memory on a short ledger as on a long one. Only
    /// sound together with `skipping`: what is forgotten cannot be retracted.
    public var forgetsBefore: CalendarDate?
    /// When set, facts taking effect after this date are left out: a report
    /// over a period ending then cannot be changed by them.
    public var ignoresAfter: CalendarDate?
    /// Records to leave out entirely, because a retraction of them is known in advance.
    public var skipping: Set<Int> = []

    public init() {}

    /// This world's state with `other`'s settings (what it keeps, forgets,
    /// ignores and skips), which a checkpoint does not hold: they belong to
    /// the report folding it, and must be the ones it was folded with.
    public func configured(like other: World) -> World {
        var world = self
        world.keepsMoney = other.keepsMoney
        world.keepsProposals = other.keepsProposals
        world.forgetsBefore = other.forgetsBefore
        world.ignoresAfter = other.ignoresAfter
        world.skipping = other.skipping
        return world
    }

    /// Notes the date of a record the caller did not need to fold in, so that
    /// the latest effective date still covers the whole ledger.
    public mutating func note(effective date: CalendarDate) {
        if latestEffective.map({ date > $0 }) ?? true { latestEffective = date }
    }

    /// Folds one record in. Records must come in seq order.
    public mutating func apply(_ record: Record) {
        precondition(record.seq > head, "records are applied in seq order")
        head = record.seq
        let date = record.effective
        if latestEffective.map({ date > $0 }) ?? true { latestEffective = date }
        let seq = record.seq
        if skipping.contains(seq) { return }
        if let ignoresAfter, date > ignoresAfter, record.type != .recordRetracted { return }
        if !keepsProposals {
            switch record.type {
            case .proposalTabled, .councilDecided, .committeeVoted, .disputeRaised: return
            default: break
            }
        }
        if !keepsMoney {
            switch record.type {
            case .postCosted, .postAppointed, .withdrawalCosted, .variationSpecified: return
            default: break
            }
        }
        switch record.event {
        case .councilRegistered(let e):
            if councils[e.council] == nil {
                councils[e.council] = CouncilEntry(seq: seq, effective: date, name: e.name, population: e.population)
            }
        case .proposalTabled(let e):
            if proposals[e.proposal] == nil {
                proposals[e.proposal] = ProposalEntry(seq: seq, effective: date, tabled: e)
            }
        case .councilDecided(let e):
            let position = Position(decision: e.decision, source: .decided, body: e.body)
            proposals[e.proposal]?.positions[e.council, default: Timeline()].insert(position, effective: date, seq: seq)
        case .committeeVoted(let e):
            guard proposals[e.proposal] != nil else { break }
            proposals[e.proposal]!.votes.append(VoteEntry(seq: seq, effective: date, vote: e))
            // A vote short of the agreement's quorum binds nobody (SPEC §5.3): it gives no council a position.
            guard CommitteeRule.isQuorate(e, quorum: quorum(for: e.proposal)) else { break }
            for votes in e.votes {
                let position = Position(decision: CommitteeRule.position(of: votes), source: .committee, body: e.committee)
                proposals[e.proposal]!.positions[votes.council, default: Timeline()]
                    .insert(position, effective: date, seq: seq)
            }
        case .agreementEstablished(let e):
            if agreements[e.agreement] == nil {
                let members = e.parties.map { Membership(council: $0, from: date, seq: seq) }
                agreements[e.agreement] = AgreementEntry(seq: seq, effective: date, established: e, members: members)
            }
        case .agreementJoined(let e):
            agreements[e.agreement]?.members.append(Membership(council: e.council, from: date, seq: seq))
        case .postEstablished(let e):
            if posts[e.post] == nil { posts[e.post] = PostEntry(seq: seq, effective: date, established: e) }
        case .postCosted(let e):
            posts[e.post]?.costs.insert(
                CostEntry(annualPence: e.annualPence, onCostBasisPoints: e.onCostBasisPoints), effective: date, seq: seq)
            if let forgetsBefore { posts[e.post]?.costs.forget(before: forgetsBefore) }
        case .postAppointed(let e):
            posts[e.post]?.appointments.insert(e.holder, effective: date, seq: seq)
            if let forgetsBefore { posts[e.post]?.appointments.forget(before: forgetsBefore) }
        case .postEnded(let e):
            if posts[e.post]?.ended == nil { posts[e.post]?.ended = (date, seq) }
        case .costsApportioned(let e):
            posts[e.post]?.shares.insert(
                ShareEntry(basis: e.basis, weights: e.weights, proposal: e.proposal), effective: date, seq: seq)
            if let forgetsBefore { posts[e.post]?.shares.forget(before: forgetsBefore) }
        case .noticeServed(let e):
            if let lastDay = lastDay(of: e, served: date) {
                notices[seq] = NoticeEntry(seq: seq, served: date, notice: e, lastDay: lastDay)
            }
        case .noticeRescinded(let e):
            if notices[e.notice]?.rescinded == nil { notices[e.notice]?.rescinded = (seq, date) }
        case .withdrawalCosted(let e):
            ownCosts.append(OwnCostEntry(
                seq: seq, effective: date, kind: .withdrawal, council: e.council, subject: .agreement(e.agreement),
                pence: e.amountPence, description: e.description))
        case .variationSpecified(let e):
            ownCosts.append(OwnCostEntry(
                seq: seq, effective: date, kind: .variation, council: e.council, subject: e.subject,
                pence: e.annualPence, description: e.description))
        case .contractRegistered(let e):
            if contracts[e.contract] == nil { contracts[e.contract] = ContractEntry(seq: seq, registered: e) }
        case .assuranceRecorded(let e):
            let worst = e.ratings.map(\.rating).max { Self.severity($0) < Self.severity($1) } ?? .good
            posts[e.post]?.assurances.append(AssuranceEntry(seq: seq, effective: date, council: e.council, worst: worst))
        case .disputeRaised:
            break
        case .recordRetracted(let e):
            if retracted[e.seq] == nil, e.seq < seq {
                retracted[e.seq] = seq
                undo(seq: e.seq)
            }
        }
    }

    static func severity(_ rating: Rating) -> Int {
        switch rating {
        case .good: 0
        case .requiresImprovement: 1
        case .inadequate: 2
        }
    }
}
