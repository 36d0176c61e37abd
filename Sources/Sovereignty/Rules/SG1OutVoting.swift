import Events
import Projections

/// SG-1: an event that binds councils must cite a proposal every council it
/// binds approved, by a decision effective on or before the event.
enum SG1OutVoting: Rule {
    static let id = "SG-1"

    static func judge(_ j: Judgement) -> [Finding] {
        guard let (proposal, bound, what) = binding(j) else { return [] }
        guard let entry = j.world.proposals[proposal] else { return [] }  // SG-8 reports the missing proposal
        // A council whose contract the proposal would end is SG-5's to report.
        let owners = Set(entry.tabled.terminates.compactMap { j.world.contracts[$0]?.registered.council })
        return unapproved(j, proposal: proposal, councils: bound.filter { !owners.contains($0) }).map { council, reason in
            // An apportionment approved only after it takes effect breaks SG-4's "agreed
            // before it takes effect"; one never approved is out-voting, SG-1.
            let approvedLater = entry.positions[council]?.entries.contains {
                $0.value.decision == .approve && $0.effective > j.date
            } ?? false
            let late = j.record.type == .costsApportioned && approvedLater
            return j.finding(
                late ? SG4Apportionment.id : id, councils: [council], field: "data.proposal",
                "\(j.says(council, reason)); \(what) on \(j.date) would bind \(j.name(council)) without its own prior approval of proposal \(proposal). A majority binds nobody: \(late ? Promise.apportionment : Promise.outVoting)")
        }
    }

    /// The proposal cited, the councils the event binds, and what the event would do.
    static func binding(_ j: Judgement) -> (Identifier, [Identifier], String)? {
        let world = j.world
        switch j.record.event {
        case .agreementEstablished(let e):
            return (e.proposal, e.parties, "establishing agreement \(e.agreement)")
        case .agreementJoined(let e):
            return (e.proposal, world.parties(of: e.agreement, on: j.date) + [e.council],
                    "\(j.name(e.council)) joining agreement \(e.agreement)")
        case .postEstablished(let e):
            let affects = world.proposals[e.proposal]?.tabled.affects ?? []
            return (e.proposal, unique([e.employer] + affects), "establishing post \(e.post)")
        case .costsApportioned(let e):
            return (e.proposal, e.weights.map(\.council), "apportioning the costs of \(e.post)")
        case .postAppointed(let e):
            return (e.proposal, world.sharing(post: e.post, on: j.date), "appointing \(e.holder) to \(e.post)")
        case .postEnded(let e):
            return (e.proposal, world.sharing(post: e.post, on: j.date), "ending post \(e.post)")
        default:
            return nil
        }
    }

    /// Each council among `councils` without an approval of `proposal` effective
    /// on or before the judged event, with the reason in words.
    static func unapproved(_ j: Judgement, proposal: Identifier, councils: [Identifier]) -> [(Identifier, String)] {
        guard let entry = j.world.proposals[proposal] else { return [] }
        var result: [(Identifier, String)] = []
        for council in unique(councils) {
            let timeline = entry.positions[council]
            if let position = timeline?.entry(on: j.date), position.value.decision == .approve { continue }
            result.append((council, reason(j, entry: entry, council: council, timeline: timeline)))
        }
        return result
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

    static func unique(_ ids: [Identifier]) -> [Identifier] {
        var seen = Set<Identifier>()
        return ids.filter { seen.insert($0).inserted }
    }
}
