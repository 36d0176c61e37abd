import Events
@testable import Projections

/// `d("2015-04-01")`: a calendar date from an ISO literal (traps on a typo).
func d(_ iso: String) -> CalendarDate {
    guard let date = CalendarDate(iso: iso) else { preconditionFailure("bad date literal \(iso)") }
    return date
}

/// Builds `Record`s in seq order, straight in Swift, without a ledger file.
/// `prev` is the genesis value throughout: `World` never looks at it.
struct LedgerBuilder {
    private(set) var records: [Record] = []
    /// Who records events unless told otherwise.
    var defaultAuthor = Author(council: "admin", officer: "finance")

    var nextSeq: Int { records.count + 1 }

    /// Appends one record effective on `effective`; returns its seq.
    @discardableResult
    mutating func add(_ effective: String, by author: Author? = nil, _ event: Event) -> Int {
        let seq = nextSeq
        let envelope = EventEnvelope(effective: d(effective), by: author ?? defaultAuthor, event: event)
        // The recorded instant only has to be plausible: one minute per record.
        let record = Record(
            seq: seq, recorded: Instant(secondsSinceEpoch: 1_600_000_000 + seq * 60), envelope: envelope,
            prev: Record.genesisPrev)
        records.append(record)
        return seq
    }

    /// Folds the records a viewpoint admits into a world, in seq order.
    func world(_ viewpoint: Viewpoint = Viewpoint()) -> World {
        var world = World()
        for record in records where viewpoint.admits(record) { world.apply(record) }
        return world
    }

    // MARK: - Event shorthands

    @discardableResult
    mutating func council(_ id: Identifier, on date: String = "2010-01-01") -> Int {
        add(date, by: Author(council: id, officer: "democratic-services"),
            .councilRegistered(CouncilRegistered(council: id, name: "Council \(id.raw)")))
    }

    @discardableResult
    mutating func proposal(
        _ id: Identifier, affects: [Identifier], agreement: Identifier? = nil, matter: Matter = .cost,
        on date: String = "2010-01-02"
    ) -> Int {
        add(date, .proposalTabled(ProposalTabled(
            proposal: id, title: "Proposal \(id.raw)", matter: matter, affects: affects, agreement: agreement)))
    }

    @discardableResult
    mutating func decide(
        _ proposal: Identifier, _ council: Identifier, _ decision: Decision, on date: String,
        body: String = "Cabinet"
    ) -> Int {
        add(date, by: Author(council: council, officer: "democratic-services"),
            .councilDecided(CouncilDecided(
                proposal: proposal, council: council, decision: decision, body: body, minute: "min-\(nextSeq)")))
    }

    @discardableResult
    mutating func vote(
        _ proposal: Identifier, on date: String, _ votes: [MemberVotes], chair: Identifier? = nil,
        casting: CastingVote? = nil, committee: String = "Joint Committee"
    ) -> Int {
        add(date, .committeeVoted(CommitteeVoted(
            proposal: proposal, committee: committee, votes: votes, chair: chair, casting: casting)))
    }

    @discardableResult
    mutating func agreement(
        _ id: Identifier, parties: [Identifier], notice: NoticeRule = NoticeRule(months: 24, alignment: .none),
        quorum: Int? = nil, on date: String = "2010-02-01", proposal: Identifier = "p-agreement"
    ) -> Int {
        add(date, .agreementEstablished(AgreementEstablished(
            agreement: id, title: "Agreement \(id.raw)", parties: parties, notice: notice, quorum: quorum,
            proposal: proposal)))
    }

    @discardableResult
    mutating func post(
        _ id: Identifier, agreement: Identifier, employer: Identifier, notice: NoticeRule? = nil,
        on date: String = "2010-03-01", proposal: Identifier = "p-post"
    ) -> Int {
        add(date, .postEstablished(PostEstablished(
            post: id, title: "Post \(id.raw)", agreement: agreement, employer: employer, roles: [],
            arrangement: .s113, notice: notice, proposal: proposal)))
    }

    @discardableResult
    mutating func cost(_ post: Identifier, _ annualPence: Int64, onCost basisPoints: Int64 = 0, on date: String)
        -> Int
    {
        add(date, .postCosted(PostCosted(post: post, annualPence: annualPence, onCostBasisPoints: basisPoints)))
    }

    @discardableResult
    mutating func apportion(
        _ post: Identifier, _ weights: KeyValuePairs<Identifier, Int64>, on date: String,
        basis: Basis = .fixed, proposal: Identifier = "p-costs"
    ) -> Int {
        add(date, .costsApportioned(CostsApportioned(
            post: post, basis: basis, weights: weights.map { Weight(council: $0.key, weight: $0.value) },
            proposal: proposal)))
    }

    @discardableResult
    mutating func apportion(
        _ post: Identifier, weights: [Weight], on date: String, proposal: Identifier = "p-costs"
    ) -> Int {
        add(date, .costsApportioned(CostsApportioned(post: post, basis: .fixed, weights: weights, proposal: proposal)))
    }

    @discardableResult
    mutating func end(_ post: Identifier, on date: String, proposal: Identifier = "p-end") -> Int {
        add(date, .postEnded(PostEnded(post: post, proposal: proposal)))
    }

    @discardableResult
    mutating func notice(
        _ council: Identifier, _ subject: Subject, on date: String, leaves: String? = nil,
        proposal: Identifier? = nil
    ) -> Int {
        add(date, by: Author(council: council, officer: "legal"),
            .noticeServed(NoticeServed(
                council: council, subject: subject, leaves: leaves.map(d), proposal: proposal)))
    }

    @discardableResult
    mutating func rescind(_ council: Identifier, notice: Int, on date: String) -> Int {
        add(date, by: Author(council: council, officer: "legal"),
            .noticeRescinded(NoticeRescinded(council: council, notice: notice)))
    }

    @discardableResult
    mutating func retract(_ seq: Int, on date: String, reason: String = "entered in error") -> Int {
        add(date, .recordRetracted(RecordRetracted(seq: seq, reason: reason)))
    }
}

extension PostSplit {
    /// A council's whole pence, or nil if it bears nothing in the period.
    func pence(_ council: Identifier) -> Int64? { councils.first { $0.council == council }?.pence }

    /// Councils' pence by id, plus the unapportioned pence under `"(unapportioned)"`.
    var penceByCouncil: [String: Int64] {
        var result: [String: Int64] = [:]
        for share in councils { result[share.council.raw] = share.pence }
        result["(unapportioned)"] = unapportionedPence
        return result
    }
}

/// Splits one post for a period, expecting it to have cost.
func splitOf(_ world: World, _ post: Identifier, from: String, to: String) throws -> PostSplit {
    guard let split = try Splits.split(world, post: post, from: d(from), to: d(to)) else {
        throw NoSplit(post: post)
    }
    return split
}

struct NoSplit: Error, CustomStringConvertible {
    var post: Identifier
    var description: String { "post \(post) has no cost in the period" }
}
