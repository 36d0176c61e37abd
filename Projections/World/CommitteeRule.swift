import Events

/// How a joint committee's vote counts for each council (SPEC §5.3).
public enum CommitteeRule {
    /// A council approves only if a majority of its own members present and
    /// voting were for. The committee's overall majority and the chair's
    /// casting vote approve for nobody else (unlike LGA 1972 Sch 12's default).
    public static func position(of votes: MemberVotes) -> Decision {
        let voting = votes.votesFor + votes.against
        guard voting > 0 else { return .abstain }
        if votes.votesFor * 2 > voting { return .approve }
        if votes.against * 2 > voting { return .reject }
        // An even split of a council's own members is not a majority for: not approval.
        return .abstain
    }

    /// Where the agreement sets a quorum (members per council), every council
    /// must have that many members present, or the vote binds nobody at all.
    public static func isQuorate(_ vote: CommitteeVoted, quorum: Int?) -> Bool {
        guard let quorum else { return true }
        return vote.votes.allSatisfy { $0.present >= quorum }
    }

    /// True when the committee as a whole carried the motion, counting the
    /// chair's casting vote on a tie, as Sch 12 would.
    public static func carriedOverall(_ vote: CommitteeVoted) -> Bool {
        let votesFor = vote.votes.reduce(0) { $0 + $1.votesFor }
        let against = vote.votes.reduce(0) { $0 + $1.against }
        if votesFor != against { return votesFor > against }
        return vote.casting == .votedFor
    }
}
