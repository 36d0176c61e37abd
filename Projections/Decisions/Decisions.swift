import Events

/// Each proposal, each affected council's position, and whether it is adopted (SPEC §5.3).
public enum Decisions {
    public enum Stance: String, Sendable {
        case approve, reject, abstain, undecided
    }

    public struct CouncilPosition: Sendable {
        public var council: Identifier
        public var stance: Stance
        /// The body that decided (e.g. "Cabinet"), or the committee whose vote gave the position.
        public var body: String?
        public var effective: CalendarDate?
        public var seq: Int?
    }

    public struct Row: Sendable {
        public var proposal: Identifier
        public var title: String
        public var matter: Matter
        public var tabled: CalendarDate
        public var positions: [CouncilPosition]
        /// Adopted only when every affected council approves: a majority binds nobody.
        public var adopted: Bool
        public var undecided: [Identifier] { positions.filter { $0.stance == .undecided }.map(\.council) }
        /// Committee votes carried overall while some council's own members did not approve.
        public var outvoted: [Identifier]
    }

    public static func rows(_ world: World, asOf: CalendarDate?, proposal only: Identifier? = nil) -> [Row] {
        world.proposals.values.sorted { $0.seq < $1.seq }.compactMap { entry in
            let id = entry.tabled.proposal
            if let only, only != id { return nil }
            let positions = entry.tabled.affects.map { council -> CouncilPosition in
                let timeline = entry.positions[council]
                let latest = asOf.map { timeline?.entry(on: $0) } ?? timeline?.entries.last
                guard let latest else { return CouncilPosition(council: council, stance: .undecided) }
                return CouncilPosition(
                    council: council, stance: Stance(rawValue: latest.value.decision.rawValue)!,
                    body: latest.value.body, effective: latest.effective, seq: latest.seq)
            }
            var outvoted: [Identifier] = []
            for vote in entry.votes
            where CommitteeRule.carriedOverall(vote.vote) && CommitteeRule.isQuorate(vote.vote, quorum: world.quorum(for: id)) {
                for votes in vote.vote.votes
                where CommitteeRule.position(of: votes) != .approve
                    && !outvoted.contains(votes.council)
                {
                    outvoted.append(votes.council)
                }
            }
            return Row(
                proposal: id, title: entry.tabled.title, matter: entry.tabled.matter, tabled: entry.effective,
                positions: positions, adopted: !positions.isEmpty && positions.allSatisfy { $0.stance == .approve },
                outvoted: outvoted)
        }
    }
}
