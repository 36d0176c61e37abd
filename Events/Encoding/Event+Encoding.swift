extension Event {
    /// Writes the `data` object, fields in SPEC §4 order, optional fields only when present.
    func encodeData(_ o: inout ObjectEncoder) {
        switch self {
        case .councilRegistered(let e):
            o.id("council", e.council)
            o.string("name", e.name)
            o.integer("population", e.population)
        case .proposalTabled(let e):
            o.id("proposal", e.proposal)
            o.string("title", e.title)
            o.string("matter", e.matter.description)
            o.ids("affects", e.affects)
            o.id("agreement", e.agreement)
            if !e.terminates.isEmpty { o.ids("terminates", e.terminates) }
        case .councilDecided(let e):
            o.id("proposal", e.proposal)
            o.id("council", e.council)
            o.string("decision", e.decision.rawValue)
            o.string("body", e.body)
            o.string("minute", e.minute)
        case .agreementEstablished(let e):
            o.id("agreement", e.agreement)
            o.string("title", e.title)
            o.ids("parties", e.parties)
            o.object("notice") { Self.encode(&$0, e.notice) }
            o.integer("quorum", e.quorum)
            o.id("proposal", e.proposal)
        case .agreementJoined(let e):
            o.id("agreement", e.agreement)
            o.id("council", e.council)
            o.id("proposal", e.proposal)
        case .postEstablished(let e):
            o.id("post", e.post)
            o.string("title", e.title)
            o.id("agreement", e.agreement)
            o.id("employer", e.employer)
            o.strings("roles", e.roles)
            o.string("arrangement", e.arrangement.rawValue)
            if let notice = e.notice { o.object("notice") { Self.encode(&$0, notice) } }
            o.integer("assuranceMonths", e.assuranceMonths)
            o.id("proposal", e.proposal)
        case .postCosted(let e):
            o.id("post", e.post)
            o.integer("annualPence", e.annualPence)
            o.integer("onCostBasisPoints", e.onCostBasisPoints)
        case .postAppointed(let e):
            o.id("post", e.post)
            o.string("holder", e.holder)
            o.id("proposal", e.proposal)
        case .postEnded(let e):
            o.id("post", e.post)
            o.id("proposal", e.proposal)
        case .costsApportioned(let e):
            o.id("post", e.post)
            o.string("basis", e.basis.rawValue)
            o.object("weights") { w in
                for weight in e.weights { w.integer(named: weight.council.raw, weight.weight) }
            }
            o.id("proposal", e.proposal)
        case .noticeServed(let e):
            o.id("council", e.council)
            Self.encode(&o, e.subject)
            o.date("leaves", e.leaves)
            o.id("proposal", e.proposal)
        case .noticeRescinded(let e):
            o.id("council", e.council)
            o.integer("notice", e.notice)
        case .withdrawalCosted(let e):
            o.id("council", e.council)
            o.id("agreement", e.agreement)
            o.integer("amountPence", e.amountPence)
            o.string("description", e.description)
        case .variationSpecified(let e):
            o.id("council", e.council)
            Self.encode(&o, e.subject)
            o.string("description", e.description)
            o.integer("annualPence", e.annualPence)
        case .contractRegistered(let e):
            o.id("council", e.council)
            o.id("contract", e.contract)
            o.string("counterparty", e.counterparty)
            o.date("ends", e.ends)
        case .assuranceRecorded(let e):
            o.id("post", e.post)
            o.id("council", e.council)
            o.object("ratings") { r in
                for answer in e.ratings { r.string(named: answer.question.rawValue, answer.rating.rawValue) }
            }
            o.string("reviewer", e.reviewer)
        case .committeeVoted(let e):
            o.id("proposal", e.proposal)
            o.string("committee", e.committee)
            o.object("votes") { v in
                for votes in e.votes {
                    v.object(named: votes.council.raw) { c in
                        c.integer("for", votes.votesFor)
                        c.integer("against", votes.against)
                        c.integer("abstain", votes.abstain)
                    }
                }
            }
            o.id("chair", e.chair)
            o.string("casting", e.casting?.rawValue)
        case .disputeRaised(let e):
            o.id("proposal", e.proposal)
            o.ids("councils", e.councils)
            o.string("mediator", e.mediator)
        case .recordRetracted(let e):
            o.integer("seq", e.seq)
            o.string("reason", e.reason)
        }
    }

    private static func encode(_ o: inout ObjectEncoder, _ rule: NoticeRule) {
        o.integer("months", rule.months)
        o.string("alignment", rule.alignment.rawValue)
    }

    private static func encode(_ o: inout ObjectEncoder, _ subject: Subject) {
        switch subject {
        case .agreement(let id): o.id("agreement", id)
        case .post(let id): o.id("post", id)
        }
    }
}
