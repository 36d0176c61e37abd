import Events

// The packed layout of a world (`PackedWriter`), for the checkpoint's shards:
// the listing's members in the order `World+CheckpointWriting.swift` writes
// them, each as its values alone. `World+PackedReading.swift` reads it back.

extension World {
    /// Bumped whenever the layout below changes; a reader takes only its own.
    /// Version 2 gives each proposal the length of what follows its id (`PackedProposal`).
    static let packedVersion: UInt8 = 2
}

extension Position.Source: PackedChoice { package static let packedCases: [Self] = [.decided, .committee] }
extension OwnCostEntry.Kind: PackedChoice { package static let packedCases: [Self] = [.withdrawal, .variation] }

extension World.CheckpointListing {
    /// The listing in the packed layout, appended to `bytes`.
    public func writePacked(into bytes: inout [UInt8]) {
        var w = PackedWriter(appendingTo: &bytes)
        w.byte(World.packedVersion)
        w.count(head)
        w.optional(latestEffective) { $0.date($1) }
        w.list(councils) { $0.council($1.id, $1.entry) }
        w.list(proposals) { $0.proposal($1.id, $1.entry) }
        w.list(agreements) { $0.agreement($1.id, $1.entry) }
        w.list(posts) { $0.post($1.id, $1.entry) }
        w.list(notices) { $0.notice($1.seq, $1.entry) }
        w.list(contracts) { $0.contract($1.id, $1.entry) }
        w.list(ownCosts) { $0.ownCost($1) }
        w.list(retracted) { w, retraction in
            w.count(retraction.seq)
            w.count(retraction.by)
        }
        w.finish(into: &bytes)
    }
}

extension World {
    /// Where a shard's entries lie in this world's dictionaries, each list in
    /// the checkpoint's order (ids in byte order, notices by seq).
    public struct PackedSelection {
        public var councils: [Dictionary<Identifier, CouncilEntry>.Index] = []
        public var proposals: [Dictionary<Identifier, ProposalEntry>.Index] = []
        public var agreements: [Dictionary<Identifier, AgreementEntry>.Index] = []
        public var posts: [Dictionary<Identifier, PostEntry>.Index] = []
        public var notices: [Dictionary<Int, NoticeEntry>.Index] = []
        public var contracts: [Dictionary<Identifier, ContractEntry>.Index] = []
        /// Proposals left packed (`PackedProposal`), in id order, written
        /// among `proposals` where their ids fall.
        public var packedProposals: [(id: Identifier, proposal: PackedProposal)] = []

        public init() {}

        public var isEmpty: Bool {
            councils.isEmpty && proposals.isEmpty && agreements.isEmpty && posts.isEmpty && notices.isEmpty
                && contracts.isEmpty && packedProposals.isEmpty
        }
    }

    /// The selected entries packed as a listing of them (head, no latest
    /// date, no own costs or retractions) would be, read in place: gathering
    /// them into a listing first copied every entry, a retain and a release of
    /// everything in it, for each of tens of thousands of shards.
    public func writePacked(_ selection: PackedSelection, into bytes: inout [UInt8]) {
        var w = PackedWriter(appendingTo: &bytes)
        w.byte(World.packedVersion)
        w.count(head)
        w.optional(CalendarDate?.none) { $0.date($1) }
        w.list(selection.councils) { $0.council(councils.keys[$1], councils.values[$1]) }
        w.count(selection.proposals.count + selection.packedProposals.count)
        // Two lists in id order, merged.
        var packed = selection.packedProposals[...]
        for index in selection.proposals {
            let id = proposals.keys[index]
            while let next = packed.first, next.id < id {
                next.proposal.write(into: &w)
                packed.removeFirst()
            }
            w.proposal(id, proposals.values[index])
        }
        for rest in packed { rest.proposal.write(into: &w) }
        w.list(selection.agreements) { $0.agreement(agreements.keys[$1], agreements.values[$1]) }
        w.list(selection.posts) { $0.post(posts.keys[$1], posts.values[$1]) }
        w.list(selection.notices) { $0.notice(notices.keys[$1], notices.values[$1]) }
        w.list(selection.contracts) { $0.contract(contracts.keys[$1], contracts.values[$1]) }
        w.count(0)  // own costs
        w.count(0)  // retractions
        w.finish(into: &bytes)
    }
}

extension PackedWriter {
    fileprivate mutating func council(_ id: Identifier, _ entry: CouncilEntry) {
        entryHead(id, entry.seq, entry.effective)
        string(entry.name)
        optional(entry.population) { $0.signed($1) }
    }

    /// Its id, the length of the rest, then the rest: a reader can step over
    /// it without decoding it, and a writer copy it back (`PackedProposal`).
    fileprivate mutating func proposal(_ id: Identifier, _ entry: ProposalEntry) {
        self.id(id)
        let start = bytes.count
        proposalBody(entry)
        insertCount(bytes.count - start, at: start)
    }

    private mutating func proposalBody(_ entry: ProposalEntry) {
        count(entry.seq)
        date(entry.effective)
        packed(entry.tabled)
        list(entry.positions.entries) { w, positions in
            w.id(positions.council)
            w.timeline(positions.timeline) { w, position in
                w.choice(position.decision)
                w.choice(position.source)
                w.string(position.body)
            }
        }
        list(entry.votes) { w, vote in
            w.count(vote.seq)
            w.date(vote.effective)
            w.packed(vote.vote)
        }
    }

    fileprivate mutating func agreement(_ id: Identifier, _ entry: AgreementEntry) {
        entryHead(id, entry.seq, entry.effective)
        packed(entry.established)
        list(entry.members) { w, member in
            w.id(member.council)
            w.date(member.from)
            w.count(member.seq)
        }
    }

    fileprivate mutating func post(_ id: Identifier, _ entry: PostEntry) {
        entryHead(id, entry.seq, entry.effective)
        packed(entry.established)
        timeline(entry.costs) { w, cost in
            w.signed(cost.annualPence)
            w.signed(cost.onCostBasisPoints)
        }
        entry.shares.write(into: &self)
        timeline(entry.appointments) { $0.string($1) }
        optional(entry.ended) { w, ended in
            w.date(ended.date)
            w.count(ended.seq)
        }
        list(entry.assurances) { w, assurance in
            w.count(assurance.seq)
            w.date(assurance.effective)
            w.id(assurance.council)
            w.choice(assurance.worst)
        }
    }

    fileprivate mutating func notice(_ seq: Int, _ entry: NoticeEntry) {
        count(seq)
        count(entry.seq)
        date(entry.served)
        packed(entry.notice)
        date(entry.lastDay)
        optional(entry.rescinded) { w, rescinded in
            w.count(rescinded.seq)
            w.date(rescinded.effective)
        }
    }

    fileprivate mutating func contract(_ id: Identifier, _ entry: ContractEntry) {
        let registered = entry.registered
        self.id(id)
        count(entry.seq)
        self.id(registered.council)
        self.id(registered.contract)
        string(registered.counterparty)
        optional(registered.ends) { $0.date($1) }
    }

    fileprivate mutating func ownCost(_ cost: OwnCostEntry) {
        count(cost.seq)
        date(cost.effective)
        choice(cost.kind)
        self.id(cost.council)
        packed(cost.subject)
        signed(cost.pence)
        string(cost.description)
    }
}

extension PackedWriter {
    fileprivate mutating func entryHead(_ id: Identifier, _ seq: Int, _ effective: CalendarDate) {
        self.id(id)
        count(seq)
        date(effective)
    }

    fileprivate mutating func timeline<Value>(_ timeline: Timeline<Value>, _ value: (inout Self, Value) -> Void) {
        list(timeline.entries) { w, entry in
            w.date(entry.effective)
            w.count(entry.seq)
            value(&w, entry.value)
        }
    }

    fileprivate mutating func packed(_ subject: Subject) {
        switch subject {
        case .agreement(let agreement):
            byte(0)
            id(agreement)
        case .post(let post):
            byte(1)
            id(post)
        }
    }

    fileprivate mutating func packed(_ rule: NoticeRule) {
        signed(rule.months)
        choice(rule.alignment)
    }

    fileprivate mutating func packed(_ e: ProposalTabled) {
        id(e.proposal)
        string(e.title)
        string(e.matter.description)
        ids(e.affects)
        optional(e.agreement) { $0.id($1) }
        ids(e.terminates)
    }

    fileprivate mutating func packed(_ e: CommitteeVoted) {
        id(e.proposal)
        string(e.committee)
        list(e.votes) { w, votes in
            w.id(votes.council)
            w.signed(votes.votesFor)
            w.signed(votes.against)
            w.signed(votes.abstain)
        }
        optional(e.chair) { $0.id($1) }
        optional(e.casting) { $0.choice($1) }
    }

    fileprivate mutating func packed(_ e: AgreementEstablished) {
        id(e.agreement)
        string(e.title)
        ids(e.parties)
        packed(e.notice)
        optional(e.quorum) { $0.signed($1) }
        id(e.proposal)
    }

    fileprivate mutating func packed(_ e: PostEstablished) {
        id(e.post)
        string(e.title)
        id(e.agreement)
        id(e.employer)
        list(e.roles) { $0.string($1) }
        choice(e.arrangement)
        optional(e.notice) { $0.packed($1) }
        optional(e.assuranceMonths) { $0.signed($1) }
        id(e.proposal)
    }

    fileprivate mutating func packed(_ e: NoticeServed) {
        id(e.council)
        packed(e.subject)
        optional(e.leaves) { $0.date($1) }
        optional(e.proposal) { $0.id($1) }
    }
}
