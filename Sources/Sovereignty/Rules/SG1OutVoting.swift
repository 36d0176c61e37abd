import Events
import Projections

/// SG-1: an event that binds councils must cite a proposal every council it
/// binds approved, by a decision effective on or before the event.
enum SG1OutVoting: Rule {
    static let id = "SG-1"

    static func judge(_ j: Judgement) -> [Finding] {
        guard let (proposal, bound) = binding(j) else { return [] }
        // SG-8 reports a missing proposal.
        guard let terminates = j.world.proposals[proposal]?.tabled.terminates else { return [] }
        // A council whose contract the proposal would end is SG-5's to report.
        let owners = Set(terminates.compactMap { j.world.contracts[$0]?.registered.council })
        let missing = unapprovedWithReasons(
            j, proposal: proposal, councils: owners.isEmpty ? bound : bound.filter { !owners.contains($0) })
        // Words are made only for a finding: most records bind with every approval in place.
        guard !missing.isEmpty else { return [] }
        let what = action(j)
        let positions = j.world.proposals[proposal]?.positions ?? Positions()
        return missing.map { council, reason in
            // An apportionment approved only after it takes effect breaks SG-4's "agreed
            // before it takes effect"; one never approved is out-voting, SG-1.
            let approvedLater = positions[council]?.entries.contains {
                $0.value.decision == .approve && $0.effective > j.date
            } ?? false
            let late = j.record.type == .costsApportioned && approvedLater
            return j.finding(
                late ? SG4Apportionment.id : id, councils: [council], field: "data.proposal",
                "\(j.says(council, reason)); \(what) on \(j.date) would bind \(j.name(council)) without its own prior approval of proposal \(proposal). A majority binds nobody: \(late ? Promise.apportionment : Promise.outVoting)")
        }
    }

    /// The proposal a binding event cites, without working out whom it binds.
    static func cited(_ j: Judgement) -> Identifier? {
        switch j.record.type {
        case .agreementEstablished, .agreementJoined, .postEstablished, .costsApportioned, .postAppointed, .postEnded:
            j.record.event.proposal
        default: nil
        }
    }

    /// The proposal cited and the councils the event binds.
    static func binding(_ j: Judgement) -> (Identifier, [Identifier])? {
        guard let proposal = cited(j) else { return nil }
        switch j.record.event {
        case .agreementEstablished(let e):
            return (proposal, e.parties)
        case .agreementJoined(let e):
            return (proposal, j.parties(of: e.agreement) + [e.council])
        case .postEstablished(let e):
            let affects = j.world.proposals[proposal]?.tabled.affects ?? []
            return (proposal, unique([e.employer] + affects))
        case .costsApportioned(let e):
            return (proposal, e.weights.map(\.council))
        case .postAppointed(let e):
            return (proposal, j.sharing(post: e.post))
        case .postEnded(let e):
            return (proposal, j.sharing(post: e.post))
        default:
            return nil
        }
    }

    /// What a binding event would do, in words.
    static func action(_ j: Judgement) -> String {
        switch j.record.event {
        case .agreementEstablished(let e): "establishing agreement \(e.agreement)"
        case .agreementJoined(let e): "\(j.name(e.council)) joining agreement \(e.agreement)"
        case .postEstablished(let e): "establishing post \(e.post)"
        case .costsApportioned(let e): "apportioning the costs of \(e.post)"
        case .postAppointed(let e): "appointing \(e.holder) to \(e.post)"
        case .postEnded(let e): "ending post \(e.post)"
        default: j.record.type.rawValue
        }
    }

    /// Each council among `councils` without an approval of `proposal`
    /// effective on or before the judged event.
    static func unapproved(_ j: Judgement, proposal: Identifier, councils: [Identifier]) -> [Identifier] {
        guard let positions = j.world.proposals[proposal]?.positions else { return [] }
        return unique(councils).filter { council in
            positions[council]?.entry(on: j.date)?.value.decision != .approve
        }
    }

    /// `unapproved`, each with the reason in words, for a rule about to report them.
    static func unapprovedWithReasons(_ j: Judgement, proposal: Identifier, councils: [Identifier]) -> [(Identifier, String)] {
        let missing = unapproved(j, proposal: proposal, councils: councils)
        guard !missing.isEmpty, let entry = j.world.proposals[proposal] else { return [] }
        return missing.map { ($0, reason(j, entry: entry, council: $0, timeline: entry.positions[$0])) }
    }

    static func reason(_ j: Judgement, entry: ProposalEntry, council: Identifier, timeline: Timeline<Position>?) -> String {
        let quorum = j.world.quorum(for: entry.tabled.proposal)
        let inquorate = entry.votes.last {
            $0.effective <= j.date && !CommitteeRule.isQuorate($0.vote, quorum: quorum)
                && $0.vote.votes.contains { $0.council == council }
        }
        guard let timeline, let position = timeline.entry(on: j.date) else {
            if let inquorate, let quorum {
                let short = inquorate.vote.votes.filter { $0.present < quorum }.map { "\(j.name($0.council)) \($0.present)" }
                return "has no binding decision on proposal \(entry.tabled.proposal): the vote at \(inquorate.vote.committee) (seq \(inquorate.seq)) was short of the quorum of \(quorum) members per council (present: \(short.joined(separator: ", "))), so it binds nobody"
            }
            if let first = timeline?.entries.first {
                return "had not yet decided on \(j.date): its decision is dated \(first.effective)"
            }
            return "has not decided on proposal \(entry.tabled.proposal)"
        }
        if position.value.source == .committee,
            let vote = entry.votes.first(where: { $0.seq == position.seq })?.vote,
            let votes = vote.votes.first(where: { $0.council == council })
        {
            let tally = "\(votes.votesFor)–\(votes.against)" + (votes.abstain > 0 ? " with \(votes.abstain) abstaining" : "")
            let overall = CommitteeRule.carriedOverall(vote)
                ? ", though the committee as a whole carried it" + (vote.casting != nil ? " on the chair's casting vote" : "")
                : ""
            return "'s members voted \(tally) on proposal \(entry.tabled.proposal) at \(vote.committee) (seq \(position.seq))\(overall)"
        }
        switch position.value.decision {
        case .reject: return "rejected proposal \(entry.tabled.proposal) (\(position.value.body), seq \(position.seq))"
        case .abstain: return "abstained on proposal \(entry.tabled.proposal) (\(position.value.body), seq \(position.seq)); abstaining is not approving"
        case .approve: return "approved"
        }
    }

    /// `ids` in order, each once.
    static func unique(_ ids: [Identifier]) -> [Identifier] {
        // A handful as a rule, scanned: a set built for each record was
        // 5,000 instructions a call, in callgrind of the 10th batch onto
        // 900,000 records, on the one thread that judges.
        guard ids.count > 16 else {
            var result: [Identifier] = []
            result.reserveCapacity(ids.count)
            for id in ids where !result.contains(id) { result.append(id) }
            return result
        }
        var seen = Set<Identifier>(minimumCapacity: ids.count)
        return ids.filter { seen.insert($0).inserted }
    }
}
