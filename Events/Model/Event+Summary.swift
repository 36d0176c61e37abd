extension Event {
    /// One line a person can read in a log or a history.
    public var summary: String {
        switch self {
        case .councilRegistered(let e):
            return "\(e.name) (\(e.council)) joins the register" + (e.population.map { ", population \($0)" } ?? "")
        case .proposalTabled(let e):
            return "proposal \(e.proposal) tabled (\(e.matter)): \(e.title); affects \(Self.list(e.affects))"
        case .councilDecided(let e):
            return "\(e.council) \(Self.past(e.decision)) \(e.proposal) (\(e.body), minute \(e.minute))"
        case .agreementEstablished(let e):
            return "agreement \(e.agreement) established: \(e.title); parties \(Self.list(e.parties)); notice \(Self.describe(e.notice))"
        case .agreementJoined(let e):
            return "\(e.council) joins agreement \(e.agreement) (\(e.proposal))"
        case .postEstablished(let e):
            let roles = e.roles.isEmpty ? "" : " [\(e.roles.joined(separator: ", "))]"
            return "post \(e.post) established: \(e.title)\(roles), employed by \(e.employer) under \(e.arrangement.rawValue)"
        case .postCosted(let e):
            return "post \(e.post) costs \(Money.pounds(e.annualPence)) a year plus \(Self.percent(e.onCostBasisPoints)) on-costs"
        case .postAppointed(let e):
            return "\(e.holder) appointed to \(e.post) (\(e.proposal))"
        case .postEnded(let e):
            return "post \(e.post) ends (\(e.proposal))"
        case .costsApportioned(let e):
            let shares = e.weights.map { "\($0.council) \($0.weight)" }.joined(separator: ", ")
            return "costs of \(e.post) apportioned by \(e.basis.rawValue): \(shares) (\(e.proposal))"
        case .noticeServed(let e):
            return "\(e.council) gives notice to leave \(e.subject)" + (e.leaves.map { ", leaving \($0)" } ?? "")
        case .noticeRescinded(let e):
            return "\(e.council) withdraws its notice of seq \(e.notice)"
        case .withdrawalCosted(let e):
            return "\(e.council) bears \(Money.pounds(e.amountPence)) for leaving \(e.agreement): \(e.description)"
        case .variationSpecified(let e):
            return "\(e.council) specifies its own delivery for \(e.subject) at \(Money.pounds(e.annualPence)) a year: \(e.description)"
        case .contractRegistered(let e):
            return "\(e.council) registers contract \(e.contract) with \(e.counterparty)" + (e.ends.map { " to \($0)" } ?? "")
        case .assuranceRecorded(let e):
            let weakest = e.ratings.map(\.rating).max { Self.rank($0) < Self.rank($1) } ?? .good
            return "test of assurance for \(e.post) by \(e.reviewer) for \(e.council): worst rating \(weakest.rawValue)"
        case .committeeVoted(let e):
            let votes = e.votes.map { "\($0.council) \($0.votesFor)-\($0.against)-\($0.abstain)" }.joined(separator: ", ")
            return "\(e.committee) voted on \(e.proposal): \(votes) (for-against-abstain)"
        case .disputeRaised(let e):
            return "dispute on \(e.proposal) between \(Self.list(e.councils))" + (e.mediator.map { ", mediator \($0)" } ?? "")
        case .recordRetracted(let e):
            return "seq \(e.seq) retracted: \(e.reason)"
        }
    }

    /// Every council an event names, for `--council` filters.
    public var councils: [Identifier] {
        var councils: [Identifier] = []
        forEachCouncil { councils.append($0) }
        return councils
    }

    /// `councils` one by one, without gathering them: the appender asks for
    /// every record, and an array for each was an allocation per record on
    /// the thread that judges them.
    public func forEachCouncil(_ body: (Identifier) -> Void) {
        switch self {
        case .councilRegistered(let e): body(e.council)
        case .proposalTabled(let e): for council in e.affects { body(council) }
        case .councilDecided(let e): body(e.council)
        case .agreementEstablished(let e): for party in e.parties { body(party) }
        case .agreementJoined(let e): body(e.council)
        case .postEstablished(let e): body(e.employer)
        case .postCosted, .postAppointed, .postEnded, .recordRetracted: break
        case .costsApportioned(let e): for weight in e.weights { body(weight.council) }
        case .noticeServed(let e): body(e.council)
        case .noticeRescinded(let e): body(e.council)
        case .withdrawalCosted(let e): body(e.council)
        case .variationSpecified(let e): body(e.council)
        case .contractRegistered(let e): body(e.council)
        case .assuranceRecorded(let e): body(e.council)
        case .committeeVoted(let e): for vote in e.votes { body(vote.council) }
        case .disputeRaised(let e): for council in e.councils { body(council) }
        }
    }

    static func list(_ ids: [Identifier]) -> String { ids.map(\.raw).joined(separator: ", ") }

    static func past(_ decision: Decision) -> String {
        switch decision {
        case .approve: "approved"
        case .reject: "rejected"
        case .abstain: "abstained on"
        }
    }

    static func describe(_ rule: NoticeRule) -> String {
        let months = rule.months == 1 ? "1 month" : "\(rule.months) months"
        switch rule.alignment {
        case .none: return months
        case .monthEnd: return months + ", to the end of a month"
        case .financialYearEnd: return months + ", to the end of a financial year"
        }
    }

    static func percent(_ basisPoints: Int64) -> String {
        let whole = basisPoints / 100, fraction = basisPoints % 100
        return fraction == 0 ? "\(whole)%" : "\(whole).\(CalendarDate.pad(Int(fraction), 2))%"
    }

    static func rank(_ rating: Rating) -> Int {
        switch rating {
        case .good: 0
        case .requiresImprovement: 1
        case .inadequate: 2
        }
    }
}
