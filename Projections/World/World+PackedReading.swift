import Events

// Reads the packed layout `World+PackedWriting.swift` writes, and only that:
// any other byte where the writer would have put something gives nil. It
// checks what the checkpoint's readers check of a value (ids in strictly
// increasing order, seqs within 1...head, timelines in (effective, seq)
// order, a retraction after what it retracts), so that damage a seal missed
// cannot make a world the text would not have made (`PackedWorldTests`).

extension World {
    /// The world packed in `bytes`, all of them; nil if they are anything else.
    public init?(packed bytes: UnsafeRawBufferPointer) {
        var reader = PackedReader(bytes)
        guard let world = World(packed: &reader), reader.atEnd else { return nil }
        self = world
    }

    /// The world packed at `reader`'s offset, leaving the reader past it.
    package init?(packed reader: inout PackedReader) {
        guard let (world, _) = World.packed(&reader, leavingPacked: nil) else { return nil }
        self = world
    }

    /// The world packed at `reader`'s offset, leaving the reader past it,
    /// with the proposals `leavingPacked` picks left packed, apart from it
    /// (nil: none).
    package static func packed(_ reader: inout PackedReader, leavingPacked: ((Identifier) -> Bool)?)
        -> (world: World, packedProposals: PackedProposals)?
    {
        var r = PackedWorldReader(reader: reader)
        guard let read = r.world(leavingPacked: leavingPacked) else { return nil }
        reader = r.reader
        return read
    }
}

/// The reader itself: a `PackedReader` and the head that bounds every seq.
struct PackedWorldReader {
    var reader: PackedReader
    var head = 0

    mutating func world(leavingPacked: ((Identifier) -> Bool)?) -> (World, PackedProposals)? {
        guard reader.byte() == World.packedVersion, let head = reader.count() else { return nil }
        self.head = head
        guard let latestEffective = optional({ $0.date() }),
            let councils = entries({ $0.council() }),
            let (proposals, packed) = self.proposals(leavingPacked: leavingPacked),
            let agreements = entries({ $0.agreement() }),
            let posts = entries({ $0.post() }),
            let notices = notices(),
            let contracts = entries({ $0.contract() }),
            let ownCosts = list({ $0.ownCost() }),
            let retracted = retractions()
        else { return nil }
        let world = World(
            head: head, latestEffective: latestEffective, councils: councils, proposals: proposals, agreements: agreements,
            posts: posts, notices: notices, contracts: contracts, ownCosts: ownCosts, retracted: retracted)
        return (world, packed)
    }

    // MARK: - Values

    mutating func seq() -> Int? {
        guard let seq = reader.count(), seq >= 1, seq <= head else { return nil }
        return seq
    }

    mutating func date() -> CalendarDate? { reader.date(days: CheckpointCoding.dayNumbers) }

    mutating func list<Element>(_ read: (inout Self) -> Element?) -> [Element]? {
        guard let count = reader.listCount() else { return nil }
        var elements: [Element] = []
        elements.reserveCapacity(PackedReader.room(for: count))
        for _ in 0..<count {
            guard let element = read(&self) else { return nil }
            elements.append(element)
        }
        return elements
    }

    mutating func ids() -> [Identifier]? { list { $0.reader.id() } }

    /// Entries keyed by id (or by seq), keys strictly increasing.
    mutating func entries<Key: Hashable & Comparable, Value>(_ read: (inout Self) -> (Key, Value)?) -> [Key: Value]? {
        guard let count = reader.listCount() else { return nil }
        // Sized as it is made: `reserveCapacity` on a dictionary is not
        // specialized, and looked up the dictionary's type metadata at run
        // time for every list of every shard (an eighth of reading them).
        var result = count == 0 ? [:] : [Key: Value](minimumCapacity: PackedReader.room(for: count))
        var previous: Key?
        for _ in 0..<count {
            guard let (id, value) = read(&self), previous.map({ $0 < id }) ?? true else { return nil }
            previous = id
            result[id] = value
        }
        return result
    }

    mutating func entryHead() -> (id: Identifier, seq: Int, effective: CalendarDate)? {
        guard let id = reader.id(), let seq = seq(), let effective = date() else { return nil }
        return (id, seq, effective)
    }

    /// Entries `(effective, seq, value)` in (effective, seq) order.
    mutating func timeline<Value>(_ value: (inout Self) -> Value?) -> Timeline<Value>? {
        guard
            let entries = list({ r -> Timeline<Value>.Entry? in
                guard let effective = r.date(), let seq = r.seq(), let entry = value(&r) else { return nil }
                return Timeline.Entry(effective: effective, seq: seq, value: entry)
            })
        else { return nil }
        for (before, after) in zip(entries, entries.dropFirst())
        where (after.effective, after.seq) < (before.effective, before.seq) {
            return nil
        }
        return Timeline(ordered: entries)
    }

    mutating func subject() -> Subject? {
        switch reader.byte() {
        case 0: reader.id().map(Subject.agreement)
        case 1: reader.id().map(Subject.post)
        default: nil
        }
    }

    mutating func noticeRule() -> NoticeRule? {
        guard let months = reader.signedInt(), let alignment = reader.choice(Alignment.self) else { return nil }
        return NoticeRule(months: months, alignment: alignment)
    }

    // MARK: - The world's entries

    mutating func council() -> (Identifier, CouncilEntry)? {
        guard let head = entryHead(), let name = reader.string(), let population = optional({ $0.reader.signed() })
        else { return nil }
        return (head.id, CouncilEntry(seq: head.seq, effective: head.effective, name: name, population: population))
    }

    mutating func proposal() -> (Identifier, ProposalEntry)? {
        guard let id = reader.id(), let entry = proposalAfterID() else { return nil }
        return (id, entry)
    }

    /// The length of the rest of a proposal, and the rest, which must be exactly that long.
    private mutating func proposalAfterID() -> ProposalEntry? {
        guard let length = reader.listCount() else { return nil }
        let end = reader.offset + length
        guard let entry = proposalBody(), reader.offset == end else { return nil }
        return entry
    }

    /// The proposals, ids strictly increasing; those `leavingPacked` picks
    /// (nil: none) are stepped over unread and kept as their bytes.
    mutating func proposals(leavingPacked: ((Identifier) -> Bool)?) -> ([Identifier: ProposalEntry], PackedProposals)? {
        guard let count = reader.listCount() else { return nil }
        // Read whole, sized as `entries` sizes its lists; a batch decodes one or
        // two of a shard's handful, so then grown as needed.
        var decoded =
            leavingPacked == nil && count > 0 ? [Identifier: ProposalEntry](minimumCapacity: PackedReader.room(for: count)) : [:]
        var packed: [(id: Identifier, range: Range<Int>)] = []
        var previous: Identifier?
        for _ in 0..<count {
            let start = reader.offset
            guard let id = reader.id(), previous.map({ $0 < id }) ?? true else { return nil }
            previous = id
            if leavingPacked?(id) == true {
                guard let length = reader.listCount() else { return nil }
                reader.skip(length)
                packed.append((id, start..<reader.offset))
            } else {
                guard let entry = proposalAfterID() else { return nil }
                decoded[id] = entry
            }
        }
        return (decoded, PackedProposals(packed, in: reader.bytes, head: head))
    }

    private mutating func proposalBody() -> ProposalEntry? {
        guard let seq = seq(), let effective = date(), let tabled = proposalTabled() else { return nil }
        var entry = ProposalEntry(seq: seq, effective: effective, tabled: tabled)
        guard
            let positions = list({ r -> Positions.Entry? in
                guard let council = r.reader.id(), let timeline = r.timeline({ $0.position() }) else { return nil }
                return Positions.Entry(council: council, timeline: timeline)
            }),
            zip(positions, positions.dropFirst()).allSatisfy({ $0.council < $1.council })
        else { return nil }
        entry.positions = Positions(ordered: positions)
        guard
            let votes = list({ r -> VoteEntry? in
                guard let seq = r.seq(), let effective = r.date(), let vote = r.committeeVoted() else { return nil }
                return VoteEntry(seq: seq, effective: effective, vote: vote)
            })
        else { return nil }
        entry.votes = votes
        return entry
    }

    mutating func position() -> Position? {
        guard let decision = reader.choice(Decision.self), let source = reader.choice(Position.Source.self),
            let body = reader.string()
        else { return nil }
        return Position(decision: decision, source: source, body: body)
    }

    mutating func agreement() -> (Identifier, AgreementEntry)? {
        guard let head = entryHead(), let established = agreementEstablished(),
            let members = list({ r -> Membership? in
                guard let council = r.reader.id(), let from = r.date(), let seq = r.seq() else { return nil }
                return Membership(council: council, from: from, seq: seq)
            })
        else { return nil }
        return (
            head.id,
            AgreementEntry(seq: head.seq, effective: head.effective, established: established, members: members)
        )
    }

    mutating func post() -> (Identifier, PostEntry)? {
        guard let head = entryHead(), let established = postEstablished() else { return nil }
        var entry = PostEntry(seq: head.seq, effective: head.effective, established: established)
        guard
            let costs = timeline({ r -> CostEntry? in
                guard let annual = r.reader.signed(), let onCost = r.reader.signed() else { return nil }
                return CostEntry(annualPence: annual, onCostBasisPoints: onCost)
            }),
            let shares = shares(),
            let appointments = timeline({ $0.reader.string() }),
            let ended = optional({ r -> (date: CalendarDate, seq: Int)? in
                guard let date = r.date(), let seq = r.seq() else { return nil }
                return (date, seq)
            }),
            let assurances = list({ r -> AssuranceEntry? in
                guard let seq = r.seq(), let effective = r.date(), let council = r.reader.id(),
                    let worst = r.reader.choice(Rating.self)
                else { return nil }
                return AssuranceEntry(seq: seq, effective: effective, council: council, worst: worst)
            })
        else { return nil }
        entry.costs = costs
        entry.shares = shares
        entry.appointments = appointments
        entry.ended = ended
        entry.assurances = assurances
        return (head.id, entry)
    }

    /// Notices keyed by the seq that served them, strictly increasing.
    mutating func notices() -> [Int: NoticeEntry]? {
        entries { r -> (Int, NoticeEntry)? in
            guard let id = r.seq(), let seq = r.seq(), let served = r.date(), let notice = r.noticeServed(),
                let lastDay = r.date(),
                let rescinded = r.optional({ r -> (seq: Int, effective: CalendarDate)? in
                    guard let seq = r.seq(), let effective = r.date() else { return nil }
                    return (seq, effective)
                })
            else { return nil }
            return (id, NoticeEntry(seq: seq, served: served, notice: notice, lastDay: lastDay, rescinded: rescinded))
        }
    }

    /// `.some(nil)` for the writer's "none", nil if unreadable.
    mutating func optional<Value>(_ read: (inout Self) -> Value?) -> Value?? {
        switch reader.byte() {
        case 0: return .some(nil)
        case 1: return read(&self).map { .some($0) }
        default: return nil
        }
    }

    mutating func contract() -> (Identifier, ContractEntry)? {
        guard let id = reader.id(), let seq = seq(), let council = reader.id(), let contract = reader.id(),
            let counterparty = reader.string(), let ends = optionalDate()
        else { return nil }
        let registered = ContractRegistered(council: council, contract: contract, counterparty: counterparty, ends: ends)
        return (id, ContractEntry(seq: seq, registered: registered))
    }

    mutating func optionalDate() -> CalendarDate?? { optional { $0.date() } }

    mutating func ownCost() -> OwnCostEntry? {
        guard let seq = seq(), let effective = date(), let kind = reader.choice(OwnCostEntry.Kind.self),
            let council = reader.id(), let subject = subject(), let pence = reader.signed(),
            let description = reader.string()
        else { return nil }
        return OwnCostEntry(
            seq: seq, effective: effective, kind: kind, council: council, subject: subject, pence: pence,
            description: description)
    }

    /// Retracted seqs and the seq retracting each, strictly increasing, each retracted by a later record.
    mutating func retractions() -> [Int: Int]? {
        entries { r -> (Int, Int)? in
            guard let seq = r.seq(), let by = r.seq(), seq < by else { return nil }
            return (seq, by)
        }
    }

    // MARK: - Event payloads, in the writer's order

    mutating func proposalTabled() -> ProposalTabled? {
        guard let proposal = reader.id(), let title = reader.string(), let matter = reader.string().flatMap(Matter.init),
            let affects = ids(), let agreement = optional({ $0.reader.id() }), let terminates = ids()
        else { return nil }
        return ProposalTabled(
            proposal: proposal, title: title, matter: matter, affects: affects, agreement: agreement,
            terminates: terminates)
    }

    mutating func committeeVoted() -> CommitteeVoted? {
        guard let proposal = reader.id(), let committee = reader.string(),
            let votes = list({ r -> MemberVotes? in
                guard let council = r.reader.id(), let votesFor = r.reader.signedInt(), let against = r.reader.signedInt(),
                    let abstain = r.reader.signedInt()
                else { return nil }
                return MemberVotes(council: council, votesFor: votesFor, against: against, abstain: abstain)
            }),
            let chair = optional({ $0.reader.id() }), let casting = optional({ $0.reader.choice(CastingVote.self) })
        else { return nil }
        return CommitteeVoted(proposal: proposal, committee: committee, votes: votes, chair: chair, casting: casting)
    }

    mutating func agreementEstablished() -> AgreementEstablished? {
        guard let agreement = reader.id(), let title = reader.string(), let parties = ids(),
            let notice = noticeRule(), let quorum = optional({ $0.reader.signedInt() }), let proposal = reader.id()
        else { return nil }
        return AgreementEstablished(
            agreement: agreement, title: title, parties: parties, notice: notice, quorum: quorum, proposal: proposal)
    }

    mutating func postEstablished() -> PostEstablished? {
        guard let post = reader.id(), let title = reader.string(), let agreement = reader.id(),
            let employer = reader.id(), let roles = list({ $0.reader.string() }),
            let arrangement = reader.choice(Arrangement.self)
        else { return nil }
        guard let notice = optional({ $0.noticeRule() }), let assuranceMonths = optional({ $0.reader.signedInt() }),
            let proposal = reader.id()
        else { return nil }
        return PostEstablished(
            post: post, title: title, agreement: agreement, employer: employer, roles: roles, arrangement: arrangement,
            notice: notice, assuranceMonths: assuranceMonths, proposal: proposal)
    }

    mutating func noticeServed() -> NoticeServed? {
        guard let council = reader.id(), let subject = subject(), let leaves = optionalDate(),
            let proposal = optional({ $0.reader.id() })
        else { return nil }
        return NoticeServed(council: council, subject: subject, leaves: leaves, proposal: proposal)
    }
}
