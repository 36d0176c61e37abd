import Events
import Projections

/// SG-8: ids refer to things that exist, nothing is defined twice, and dates
/// are in order (nothing takes effect before what it depends on).
enum SG8References: Rule {
    static let id = "SG-8"

    static func judge(_ j: Judgement) -> [Finding] {
        var check = Checker(j: j)
        let e = j.record.event
        if case .councilRegistered(let r) = e, r.council == j.record.by.council {
            // A council's first record is its own registration.
        } else {
            check.council(j.record.by.council, field: "by")
        }
        switch e {
        case .councilRegistered(let r):
            if let existing = j.world.councils[r.council] {
                check.fail("data.council", "council \(r.council) is already registered (seq \(existing.seq))", [r.council])
            }
        case .proposalTabled(let r):
            if let existing = j.world.proposals[r.proposal] {
                check.fail("data.proposal", "proposal \(r.proposal) is already tabled (seq \(existing.seq))")
            }
            check.councils(r.affects, field: "data.affects")
            if let agreement = r.agreement { check.agreement(agreement, field: "data.agreement") }
            for contract in r.terminates where j.world.contracts[contract] == nil {
                check.fail("data.terminates", "contract \(contract) is not registered")
            }
        case .councilDecided(let r):
            check.council(r.council, field: "data.council")
            // A reserved proposal decided by another council is SG-2's to report.
            if let proposal = check.proposal(r.proposal, field: "data.proposal"), !proposal.tabled.affects.contains(r.council),
                !proposal.tabled.matter.isReserved
            {
                check.fail("data.council", "proposal \(r.proposal) is not put to \(j.name(r.council)); it affects \(j.names(proposal.tabled.affects))", [r.council])
            }
        case .committeeVoted(let r):
            check.councils(r.votes.map(\.council), field: "data.votes")
            if let proposal = check.proposal(r.proposal, field: "data.proposal") {
                for votes in r.votes where !proposal.tabled.affects.contains(votes.council) {
                    check.fail("data.votes.\(votes.council)", "proposal \(r.proposal) is not put to \(j.name(votes.council))", [votes.council])
                }
            }
            if let chair = r.chair, !r.votes.contains(where: { $0.council == chair }) {
                check.fail("data.chair", "the chair's council \(chair) has no members in the vote", [chair])
            }
        case .disputeRaised(let r):
            check.councils(r.councils, field: "data.councils")
            _ = check.proposal(r.proposal, field: "data.proposal")
        case .agreementEstablished(let r):
            if let existing = j.world.agreements[r.agreement] {
                check.fail("data.agreement", "agreement \(r.agreement) is already established (seq \(existing.seq))")
            }
            check.councils(r.parties, field: "data.parties")
            _ = check.proposal(r.proposal, field: "data.proposal")
        case .agreementJoined(let r):
            check.council(r.council, field: "data.council")
            if check.agreement(r.agreement, field: "data.agreement") != nil,
                j.world.parties(of: r.agreement, on: j.date).contains(r.council)
            {
                check.fail("data.council", "\(j.name(r.council)) is already a party to \(r.agreement)", [r.council])
            }
            _ = check.proposal(r.proposal, field: "data.proposal")
        case .postEstablished(let r):
            if let existing = j.world.posts[r.post] {
                check.fail("data.post", "post \(r.post) is already established (seq \(existing.seq))")
            }
            check.council(r.employer, field: "data.employer")
            if check.agreement(r.agreement, field: "data.agreement") != nil,
                !j.world.parties(of: r.agreement, on: j.date).contains(r.employer)
            {
                check.fail("data.employer", "the employer \(j.name(r.employer)) is not a party to \(r.agreement) on \(j.date)", [r.employer])
            }
            _ = check.proposal(r.proposal, field: "data.proposal")
        case .postCosted(let r):
            check.livePost(r.post)
        case .postAppointed(let r):
            check.livePost(r.post)
            _ = check.proposal(r.proposal, field: "data.proposal")
        case .postEnded(let r):
            if let post = check.livePost(r.post), let ended = post.ended {
                check.fail("data.post", "post \(r.post) already ended on \(ended.date) (seq \(ended.seq))")
            }
            _ = check.proposal(r.proposal, field: "data.proposal")
        case .costsApportioned(let r):
            check.livePost(r.post)
            check.councils(r.weights.map(\.council), field: "data.weights")
            _ = check.proposal(r.proposal, field: "data.proposal")
        case .noticeServed(let r):
            check.council(r.council, field: "data.council")
            check.subject(r.subject)
            if let proposal = r.proposal { _ = check.proposal(proposal, field: "data.proposal") }
            if let leaves = r.leaves, leaves < j.date {
                check.fail("data.leaves", "the last day \(leaves) is before the notice is served (\(j.date))")
            }
            check.isParty(r.council, of: r.subject)
        case .noticeRescinded(let r):
            if let notice = j.world.notices[r.notice] {
                if notice.council != r.council {
                    check.fail("data.notice", "notice seq \(r.notice) is \(j.name(notice.council))'s, not \(j.name(r.council))'s", [notice.council])
                } else if let rescinded = notice.rescinded {
                    check.fail("data.notice", "notice seq \(r.notice) was already rescinded (seq \(rescinded.seq))")
                } else if notice.lastDay < j.date {
                    check.fail("data.notice", "notice seq \(r.notice) took effect after \(notice.lastDay); it can no longer be rescinded")
                } else if j.date < notice.served {
                    check.fail("effective", "notice seq \(r.notice) is served on \(notice.served), after this rescinding")
                }
            } else {
                check.fail("data.notice", "seq \(r.notice) is not a notice in force in the ledger")
            }
        case .withdrawalCosted(let r):
            check.council(r.council, field: "data.council")
            check.agreement(r.agreement, field: "data.agreement")
        case .variationSpecified(let r):
            check.council(r.council, field: "data.council")
            check.subject(r.subject)
        case .contractRegistered(let r):
            check.council(r.council, field: "data.council")
            if let existing = j.world.contracts[r.contract] {
                check.fail("data.contract", "contract \(r.contract) is already registered (seq \(existing.seq))")
            }
        case .assuranceRecorded(let r):
            check.council(r.council, field: "data.council")
            check.livePost(r.post)
        case .recordRetracted(let r):
            if r.seq >= j.seq || r.seq < 1 {
                check.fail("data.seq", "seq \(r.seq) is not an earlier record")
            } else if let by = j.world.retracted[r.seq] {
                check.fail("data.seq", "seq \(r.seq) was already retracted by seq \(by)")
            } else if j.world.retracted.values.contains(r.seq) || Retractions.isRetraction(r.seq, in: j.world) {
                check.fail("data.seq", "seq \(r.seq) is itself a retraction; a retraction cannot be retracted, record the fact again instead")
            }
        }
        return check.findings
    }

    /// Accumulates SG-8 findings for one record.
    struct Checker {
        let j: Judgement
        var findings: [Finding] = []

        mutating func fail(_ field: String, _ problem: String, _ councils: [Identifier] = []) {
            findings.append(j.finding(SG8References.id, councils: councils, field: field, "\(problem): \(Promise.references)"))
        }

        mutating func council(_ id: Identifier, field: String) {
            if j.world.councils[id] == nil { fail(field, "council \(id) is not registered", [id]) }
        }

        mutating func councils(_ ids: [Identifier], field: String) {
            for id in ids where j.world.councils[id] == nil { fail(field + "." + id.raw, "council \(id) is not registered", [id]) }
        }

        mutating func proposal(_ id: Identifier, field: String) -> ProposalEntry? {
            guard let proposal = j.world.proposals[id] else {
                fail(field, "proposal \(id) has not been tabled")
                return nil
            }
            if j.date < proposal.effective {
                fail("effective", "this takes effect on \(j.date), before proposal \(id) was tabled on \(proposal.effective)")
            }
            return proposal
        }

        @discardableResult
        mutating func agreement(_ id: Identifier, field: String) -> AgreementEntry? {
            guard let agreement = j.world.agreements[id] else {
                fail(field, "agreement \(id) has not been established")
                return nil
            }
            if j.date < agreement.effective {
                fail("effective", "this takes effect on \(j.date), before agreement \(id) took effect on \(agreement.effective)")
            }
            return agreement
        }

        @discardableResult
        mutating func livePost(_ id: Identifier) -> PostEntry? {
            guard let post = j.world.posts[id] else {
                fail("data.post", "post \(id) has not been established")
                return nil
            }
            if j.date < post.start {
                fail("effective", "this takes effect on \(j.date), before post \(id) was established on \(post.start)")
            }
            if let ended = post.ended, ended.date <= j.date, j.record.type != .postEnded {
                fail("effective", "post \(id) ended on \(ended.date)")
            }
            return post
        }

        mutating func subject(_ subject: Subject) {
            switch subject {
            case .agreement(let id): agreement(id, field: "data.agreement")
            case .post(let id): livePost(id)
            }
        }

        mutating func isParty(_ council: Identifier, of subject: Subject) {
            switch subject {
            case .agreement(let id):
                guard j.world.agreements[id] != nil else { return }
                if !j.world.parties(of: id, on: j.date).contains(council) {
                    fail("data.council", "\(j.name(council)) is not a party to \(id) on \(j.date), so it has nothing to withdraw from", [council])
                }
            case .post(let id):
                guard let post = j.world.posts[id] else { return }
                if !j.world.parties(of: post.agreement, on: j.date).contains(council) {
                    fail("data.council", "\(j.name(council)) is not a party to \(post.agreement), the agreement of post \(id), on \(j.date)", [council])
                }
            }
        }
    }
}

/// Which seqs are retractions: the World keeps retracted → retractor, so a
/// retraction that retracted something is known; one that matched nothing is not.
enum Retractions {
    static func isRetraction(_ seq: Int, in world: World) -> Bool {
        world.retracted.values.contains(seq)
    }
}
