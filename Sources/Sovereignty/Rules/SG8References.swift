import Events
import Projections

/// SG-8: ids refer to things that exist, nothing is defined twice, and dates
/// are in order (nothing takes effect before what it depends on).
enum SG8References: Rule {
    static let id = "SG-8"

    static func judge(_ j: Judgement) -> [Finding] {
        var check = Checker()
        let e = j.record.event
        if case .councilRegistered(let r) = e, r.council == j.record.by.council {
            // A council's first record is its own registration.
        } else {
            check.council(j, j.record.by.council, field: "by")
        }
        switch e {
        case .councilRegistered(let r):
            if let existing = j.world.councils[r.council] {
                check.fail(j, "data.council", "council \(r.council) is already registered (seq \(existing.seq))", [r.council])
            }
        case .proposalTabled(let r):
            if let existing = j.world.proposals[r.proposal] {
                check.fail(j, "data.proposal", "proposal \(r.proposal) is already tabled (seq \(existing.seq))")
            }
            check.councils(j, r.affects, field: "data.affects")
            if let agreement = r.agreement { check.agreement(j, agreement, field: "data.agreement") }
            for contract in r.terminates where j.world.contracts[contract] == nil {
                check.fail(j, "data.terminates", "contract \(contract) is not registered")
            }
        case .councilDecided(let r):
            check.council(j, r.council, field: "data.council")
            // A reserved proposal decided by another council is SG-2's to report.
            if let proposal = check.proposal(j, r.proposal, field: "data.proposal"), !proposal.affects.contains(r.council),
                !proposal.reserved
            {
                check.fail(j, "data.council", "proposal \(r.proposal) is not put to \(j.name(r.council)); it affects \(j.names(proposal.affects))", [r.council])
            }
        case .committeeVoted(let r):
            check.councils(j, r.votes.map(\.council), field: "data.votes")
            if let proposal = check.proposal(j, r.proposal, field: "data.proposal") {
                for votes in r.votes where !proposal.affects.contains(votes.council) {
                    check.fail(j, "data.votes.\(votes.council)", "proposal \(r.proposal) is not put to \(j.name(votes.council))", [votes.council])
                }
            }
            if let chair = r.chair, !r.votes.contains(where: { $0.council == chair }) {
                check.fail(j, "data.chair", "the chair's council \(chair) has no members in the vote", [chair])
            }
        case .disputeRaised(let r):
            check.councils(j, r.councils, field: "data.councils")
            _ = check.proposal(j, r.proposal, field: "data.proposal")
        case .agreementEstablished(let r):
            if let existing = j.world.agreements[r.agreement] {
                check.fail(j, "data.agreement", "agreement \(r.agreement) is already established (seq \(existing.seq))")
            }
            check.councils(j, r.parties, field: "data.parties")
            _ = check.proposal(j, r.proposal, field: "data.proposal")
        case .agreementJoined(let r):
            check.council(j, r.council, field: "data.council")
            if check.agreement(j, r.agreement, field: "data.agreement"),
                j.parties(of: r.agreement).contains(r.council)
            {
                check.fail(j, "data.council", "\(j.name(r.council)) is already a party to \(r.agreement)", [r.council])
            }
            _ = check.proposal(j, r.proposal, field: "data.proposal")
        case .postEstablished(let r):
            if let existing = j.world.posts[r.post] {
                check.fail(j, "data.post", "post \(r.post) is already established (seq \(existing.seq))")
            }
            check.council(j, r.employer, field: "data.employer")
            if check.agreement(j, r.agreement, field: "data.agreement"),
                !j.parties(of: r.agreement).contains(r.employer)
            {
                check.fail(j, "data.employer", "the employer \(j.name(r.employer)) is not a party to \(r.agreement) on \(j.date)", [r.employer])
            }
            _ = check.proposal(j, r.proposal, field: "data.proposal")
        case .postCosted(let r):
            check.livePost(j, r.post)
        case .postAppointed(let r):
            check.livePost(j, r.post)
            _ = check.proposal(j, r.proposal, field: "data.proposal")
        case .postEnded(let r):
            if check.livePost(j, r.post), let ended = j.world.posts[r.post]?.ended {
                check.fail(j, "data.post", "post \(r.post) already ended on \(ended.date) (seq \(ended.seq))")
            }
            _ = check.proposal(j, r.proposal, field: "data.proposal")
        case .costsApportioned(let r):
            check.livePost(j, r.post)
            check.councils(j, r.weights.map(\.council), field: "data.weights")
            _ = check.proposal(j, r.proposal, field: "data.proposal")
        case .noticeServed(let r):
            check.council(j, r.council, field: "data.council")
            check.subject(j, r.subject)
            if let proposal = r.proposal { _ = check.proposal(j, proposal, field: "data.proposal") }
            if let leaves = r.leaves, leaves < j.date {
                check.fail(j, "data.leaves", "the last day \(leaves) is before the notice is served (\(j.date))")
            }
            check.isParty(j, r.council, of: r.subject)
        case .noticeRescinded(let r):
            if let notice = j.world.notices[r.notice] {
                if notice.council != r.council {
                    check.fail(j, "data.notice", "notice seq \(r.notice) is \(j.name(notice.council))'s, not \(j.name(r.council))'s", [notice.council])
                } else if let rescinded = notice.rescinded {
                    check.fail(j, "data.notice", "notice seq \(r.notice) was already rescinded (seq \(rescinded.seq))")
                } else if notice.lastDay < j.date {
                    check.fail(j, "data.notice", "notice seq \(r.notice) took effect after \(notice.lastDay); it can no longer be rescinded")
                } else if j.date < notice.served {
                    check.fail(j, "effective", "notice seq \(r.notice) is served on \(notice.served), after this rescinding")
                }
            } else {
                check.fail(j, "data.notice", "seq \(r.notice) is not a notice in force in the ledger")
            }
        case .withdrawalCosted(let r):
            check.council(j, r.council, field: "data.council")
            check.agreement(j, r.agreement, field: "data.agreement")
        case .variationSpecified(let r):
            check.council(j, r.council, field: "data.council")
            check.subject(j, r.subject)
        case .contractRegistered(let r):
            check.council(j, r.council, field: "data.council")
            if let existing = j.world.contracts[r.contract] {
                check.fail(j, "data.contract", "contract \(r.contract) is already registered (seq \(existing.seq))")
            }
        case .assuranceRecorded(let r):
            check.council(j, r.council, field: "data.council")
            check.livePost(j, r.post)
        case .recordRetracted(let r):
            if r.seq >= j.seq || r.seq < 1 {
                check.fail(j, "data.seq", "seq \(r.seq) is not an earlier record")
            } else if let by = j.world.retracted[r.seq] {
                check.fail(j, "data.seq", "seq \(r.seq) was already retracted by seq \(by)")
            } else if j.world.retracted.values.contains(r.seq) || Retractions.isRetraction(r.seq, in: j.world) {
                check.fail(j, "data.seq", "seq \(r.seq) is itself a retraction; a retraction cannot be retracted, record the fact again instead")
            }
        }
        return check.findings
    }

    /// Accumulates SG-8 findings for one record. It is handed the judgement
    /// at each question rather than holding it: a copy of the record and the
    /// world per record (a retain and a release for every table) was a fifth
    /// of this rule's time, on the core judging runs on. Entries are read a
    /// field at a time for the same reason.
    struct Checker {
        var findings: [Finding] = []

        mutating func fail(_ j: Judgement, _ field: String, _ problem: String, _ councils: [Identifier] = []) {
            findings.append(j.finding(SG8References.id, councils: councils, field: field, "\(problem): \(Promise.references)"))
        }

        mutating func council(_ j: Judgement, _ id: Identifier, field: String) {
            if j.world.councils[id] == nil { fail(j, field, "council \(id) is not registered", [id]) }
        }

        mutating func councils(_ j: Judgement, _ ids: [Identifier], field: String) {
            for id in ids where j.world.councils[id] == nil { fail(j, field + "." + id.raw, "council \(id) is not registered", [id]) }
        }

        /// The councils a tabled proposal is put to, and whether it is a reserved matter; nil if it was never tabled.
        mutating func proposal(_ j: Judgement, _ id: Identifier, field: String) -> (affects: [Identifier], reserved: Bool)? {
            guard let tabled = j.world.proposals[id].map({ (on: $0.effective, affects: $0.tabled.affects, reserved: $0.tabled.matter.isReserved) })
            else {
                fail(j, field, "proposal \(id) has not been tabled")
                return nil
            }
            if j.date < tabled.on {
                fail(j, "effective", "this takes effect on \(j.date), before proposal \(id) was tabled on \(tabled.on)")
            }
            return (tabled.affects, tabled.reserved)
        }

        /// Whether the agreement has been established.
        @discardableResult
        mutating func agreement(_ j: Judgement, _ id: Identifier, field: String) -> Bool {
            guard let effective = j.world.agreements[id]?.effective else {
                fail(j, field, "agreement \(id) has not been established")
                return false
            }
            if j.date < effective {
                fail(j, "effective", "this takes effect on \(j.date), before agreement \(id) took effect on \(effective)")
            }
            return true
        }

        /// Whether the post was established (a finding says so if not).
        @discardableResult
        mutating func livePost(_ j: Judgement, _ id: Identifier) -> Bool {
            guard let post = j.world.posts[id].map({ (start: $0.start, ended: $0.ended) }) else {
                fail(j, "data.post", "post \(id) has not been established")
                return false
            }
            if j.date < post.start {
                fail(j, "effective", "this takes effect on \(j.date), before post \(id) was established on \(post.start)")
            }
            if let ended = post.ended, ended.date <= j.date, j.record.type != .postEnded {
                fail(j, "effective", "post \(id) ended on \(ended.date)")
            }
            return true
        }

        mutating func subject(_ j: Judgement, _ subject: Subject) {
            switch subject {
            case .agreement(let id): agreement(j, id, field: "data.agreement")
            case .post(let id): livePost(j, id)
            }
        }

        mutating func isParty(_ j: Judgement, _ council: Identifier, of subject: Subject) {
            switch subject {
            case .agreement(let id):
                guard j.world.agreements[id] != nil else { return }
                if !j.parties(of: id).contains(council) {
                    fail(j, "data.council", "\(j.name(council)) is not a party to \(id) on \(j.date), so it has nothing to withdraw from", [council])
                }
            case .post(let id):
                guard let agreement = j.world.posts[id]?.agreement else { return }
                if !j.parties(of: agreement).contains(council) {
                    fail(j, "data.council", "\(j.name(council)) is not a party to \(agreement), the agreement of post \(id), on \(j.date)", [council])
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
