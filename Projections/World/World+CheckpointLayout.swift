import Events

// Reading a checkpoint by position: the bytes `World.writeCheckpoint` writes,
// member after member in its fixed order, without a JSON tree between. A
// report's snapshot is such bytes; parsing it into a tree and then walking
// the tree cost as much as the report's arithmetic. (An append's shards hold
// the same listing in a packed layout instead: `World+PackedReading.swift`.)
//
// This reader takes only what the writer writes: members in its order, no
// whitespace, whole numbers of up to 15 digits. Anything else (a file edited
// by hand, an amount of a trillion pounds) makes it give up, and
// `World(checkpointText:)` hands the bytes to the general decoder, which
// reads any valid checkpoint and refuses the rest. A string with an escape or
// an accent is parsed alone by the general parser. Everything the general
// decoder checks of a value this reader checks too: ids in strictly
// increasing order, seqs within 1...head, dates that exist,
// timelines in (effective, seq) order, a retraction after what it retracts.
// So when it reads a world at all, it reads the world the general decoder
// would (`CheckpointLayoutTests` holds it to that, damaged bytes included).

extension World {
    /// The world in canonical checkpoint text, or nil if it is not a checkpoint
    /// `World(checkpointJSON:)` would read.
    /// `runner` may read the posts of a large text on two cores.
    public init?(checkpointText bytes: UnsafeRawBufferPointer, runner: @escaping Cores.Runner = Cores.serially) {
        var reader = CheckpointLayout(bytes)
        reader.runner = runner
        if let world = reader.world(), reader.atEnd {
            self = world
            return
        }
        guard let json = try? JSONParser.parse(bytes) else { return nil }
        self.init(checkpointJSON: json)
    }
}

/// The reader itself. Every method returns nil (or false) at the first byte
/// that is not where the writer would have put it.
struct CheckpointLayout {
    var c: LayoutCursor
    /// Seqs read must lie in 1...head, as in the general decoder.
    private var head = 0
    var runner: Cores.Runner = Cores.serially
    /// Below this many bytes a text is read on one core: handing half over costs more than it saves.
    var sharedOutBytes = 256 << 10
    /// Whether the posts were read in two halves (for the tests).
    private(set) var postsSharedOut = false

    init(_ bytes: UnsafeRawBufferPointer) { c = LayoutCursor(bytes: bytes) }

    var atEnd: Bool { c.offset == c.bytes.count }

    mutating func world() -> World? {
        guard c.expect(#"{"version":"#), c.integer() == Int(World.checkpointVersion), c.expect(#","head":"#),
            let head = c.integer()
        else { return nil }
        self.head = head
        guard let latestEffective = optional(#","latestEffective":"#, { $0.date() }) else { return nil }
        guard c.expect(#","councils":["#), let councils = entries({ $0.council() }),
            c.expect(#","proposals":["#), let proposals = entries({ $0.proposal() }),
            c.expect(#","agreements":["#), let agreements = entries({ $0.agreement() }),
            c.expect(#","posts":["#), let posts = posts(),
            c.expect(#","notices":["#), let notices = notices(),
            c.expect(#","contracts":["#), let contracts = entries({ $0.contract() }),
            c.expect(#","ownCosts":["#), let ownCosts = list({ $0.ownCost() }),
            c.expect(#","retracted":["#), let retracted = retractions(),
            c.expect("}")
        else { return nil }
        return World(
            head: head, latestEffective: latestEffective, councils: councils, proposals: proposals, agreements: agreements,
            posts: posts, notices: notices, contracts: contracts, ownCosts: ownCosts, retracted: retracted)
    }

    // MARK: - Lists and keyed entries

    /// Elements up to the closing `]` (the `[` is already read), `element` reading each.
    mutating func list<Element>(_ element: (inout Self) -> Element?) -> [Element]? {
        var result: [Element] = []
        if c.expect("]") { return result }
        // Each element takes at least two bytes, which bounds the loop.
        while c.offset < c.bytes.count {
            guard let next = element(&self) else { return nil }
            result.append(next)
            if c.expect("]") { return result }
            guard c.expect(",") else { return nil }
        }
        return nil
    }

    // MARK: - Posts, on two cores

    /// The posts, which are most of a large world: the half from the first
    /// post boundary past the middle of the text is read on the other core.
    /// Both halves read entries exactly as one pass would, from the same
    /// offsets; if the boundary proves not to be one, or either half gives
    /// up, the posts are read again in one pass, which decides.
    mutating func posts() -> [Identifier: PostEntry]? {
        let start = c.offset
        if c.bytes.count - start >= sharedOutBytes, let split = postBoundary(after: start + (c.bytes.count - start) / 2) {
            var halves: [(entries: [(Identifier, PostEntry)], end: Int)?] = [nil, nil]
            let reader = self
            halves.withUnsafeMutableBufferPointer { out in
                runner(2, 1) { range in
                    for half in range {
                        var part = reader
                        part.c.offset = half == 0 ? start : split + 1
                        if let entries = part.postList(endingAt: half == 0 ? split : nil) { out[half] = (entries, part.c.offset) }
                    }
                }
            }
            if let first = halves[0], let second = halves[1], let last = first.entries.last?.0,
                let next = second.entries.first?.0, last < next
            {
                var posts: [Identifier: PostEntry] = [:]
                posts.reserveCapacity(first.entries.count + second.entries.count)
                for (id, entry) in first.entries { posts[id] = entry }
                for (id, entry) in second.entries { posts[id] = entry }
                c.offset = second.end
                postsSharedOut = true
                return posts
            }
            c.offset = start
        }
        return entries { $0.post() }
    }

    /// Where one post ends and the next begins at or after `from`: the comma
    /// of `},{"id":"`. Inside a string every quote is escaped, and among the
    /// posts only a post opens with `{"id":`, so nothing else matches; past
    /// the posts it may match a contract, and the first half then gives up.
    func postBoundary(after from: Int) -> Int? {
        let pattern: StaticString = #"},{"id":""#
        var at = from
        // A post is well under 64 KB, so a boundary lies within that of any point among them.
        let end = min(c.bytes.count, from + (64 << 10))
        while at < end {
            if c.bytes[at] == UInt8(ascii: "}"), c.matches(pattern, at: at) { return at + 1 }
            at += 1
        }
        return nil
    }

    /// Posts up to `endingAt` (the comma after the last one), or through the closing `]` if nil,
    /// ids strictly increasing.
    mutating func postList(endingAt stop: Int?) -> [(Identifier, PostEntry)]? {
        var result: [(Identifier, PostEntry)] = []
        // Each post takes dozens of bytes, which bounds the loop.
        while c.offset < c.bytes.count {
            guard let (id, entry) = post(), result.last.map({ $0.0 < id }) ?? true else { return nil }
            result.append((id, entry))
            if let stop, c.offset == stop { return result }
            if stop == nil, c.expect("]") { return result }
            guard c.offset < (stop ?? c.bytes.count), c.expect(",") else { return nil }
        }
        return nil
    }

    /// `{"id":…,"seq":…[,"effective":…],…}` objects keyed by id, ids strictly increasing.
    mutating func entries<Value>(_ value: (inout Self) -> (Identifier, Value)?) -> [Identifier: Value]? {
        var result: [Identifier: Value] = [:]
        var previous: Identifier?
        let ok = list { reader -> Bool? in
            guard let (id, entry) = value(&reader), previous.map({ $0 < id }) ?? true else { return nil }
            previous = id
            result[id] = entry
            return true
        }
        return ok == nil ? nil : result
    }

    /// `{"id":"…","seq":N,"effective":"…"` opening an entry.
    mutating func entryHead() -> (id: Identifier, seq: Int, effective: CalendarDate)? {
        guard c.expect(#"{"id":"#), let id = id(), c.expect(#","seq":"#), let seq = seq(), c.expect(#","effective":"#),
            let effective = date()
        else { return nil }
        return (id, seq, effective)
    }

    // MARK: - Values

    /// A member the writer leaves out when it has no value: nil if it is there
    /// but unreadable, `.some(nil)` if it is not there.
    mutating func optional<Value>(_ key: StaticString, _ read: (inout Self) -> Value?) -> Value?? {
        guard c.expect(key) else { return .some(nil) }
        guard let value = read(&self) else { return nil }
        return .some(value)
    }

    mutating func seq() -> Int? {
        guard let seq = c.integer(), seq >= 1, seq <= head else { return nil }
        return seq
    }

    /// A quoted string. Printable ASCII is taken as it is; a string with an
    /// escape or a non-ASCII byte is handed, alone, to the general parser, so
    /// that what such a string means is decided in one place.
    mutating func string() -> String? {
        guard c.expect("\"") else { return nil }
        let start = c.offset - 1
        if let range = c.plain() { return String(decoding: UnsafeRawBufferPointer(rebasing: c.bytes[range]), as: UTF8.self) }
        c.offset = start + 1
        guard c.skipEscapedString(),
            case .string(let text)? = try? JSONParser.parse(UnsafeRawBufferPointer(rebasing: c.bytes[start..<c.offset]))
        else { return nil }
        return text
    }

    mutating func id() -> Identifier? { string().flatMap(Identifier.init) }

    mutating func ids() -> [Identifier]? {
        guard c.expect("[") else { return nil }
        return list { $0.id() }
    }

    mutating func raw<T: RawRepresentable>(_: T.Type) -> T? where T.RawValue == String {
        string().flatMap(T.init(rawValue:))
    }

    /// An ISO date in the years `CalendarDate(iso:)` reads, or the day number the writer uses for any other.
    mutating func date() -> CalendarDate? {
        if c.expect("\"") {
            guard let date = c.date(), CalendarDate.supportedYears.contains(date.year) else { return nil }
            return date
        }
        // Only dates past the ISO years come as numbers, and those are never negative.
        guard let day = c.integer(), CheckpointCoding.dayNumbers.contains(day) else { return nil }
        let date = CalendarDate(dayNumber: day)
        guard !CalendarDate.supportedYears.contains(date.year) else { return nil }
        return date
    }

    /// An amount or weight, which may be negative (a variation that saves money); never written as `-0`.
    mutating func integer64() -> Int64? {
        let negative = c.expect("-")
        guard let magnitude = c.integer(), !(negative && magnitude == 0) else { return nil }
        return Int64(negative ? -magnitude : magnitude)
    }

    /// `"agreement":"…"` or `"post":"…"`, after the comma before it.
    mutating func subject() -> Subject? {
        if c.expect(#""agreement":"#) { return id().map(Subject.agreement) }
        if c.expect(#""post":"#) { return id().map(Subject.post) }
        return nil
    }

    mutating func noticeRule() -> NoticeRule? {
        guard c.expect(#"{"months":"#), let months = c.integer(), c.expect(#","alignment":"#),
            let alignment = raw(Alignment.self), c.expect("}")
        else { return nil }
        return NoticeRule(months: months, alignment: alignment)
    }

    /// A timeline's entries `{"effective","seq",…}`, the rest read by `value`, in (effective, seq) order.
    mutating func timeline<Value>(_ value: (inout Self) -> Value?) -> Timeline<Value>? {
        var entries: [(effective: CalendarDate, seq: Int, value: Value)] = []
        let ok = list { reader -> Bool? in
            guard reader.c.expect(#"{"effective":"#), let effective = reader.date(), reader.c.expect(#","seq":"#),
                let seq = reader.seq(), let entry = value(&reader), reader.c.expect("}")
            else { return nil }
            if let last = entries.last, (effective, seq) < (last.effective, last.seq) { return nil }
            entries.append((effective, seq, entry))
            return true
        }
        return ok == nil ? nil : CheckpointCoding.timeline(ordered: entries)
    }

    // MARK: - The world's entries

    mutating func council() -> (Identifier, CouncilEntry)? {
        guard let head = entryHead(), c.expect(#","name":"#), let name = string(),
            let population = optional(#","population":"#, { $0.integer64() }), c.expect("}")
        else { return nil }
        return (head.id, CouncilEntry(seq: head.seq, effective: head.effective, name: name, population: population))
    }

    mutating func proposal() -> (Identifier, ProposalEntry)? {
        guard let head = entryHead(), c.expect(#","tabled":"#), let tabled = proposalTabled(),
            c.expect(#","positions":["#)
        else { return nil }
        var entry = ProposalEntry(seq: head.seq, effective: head.effective, tabled: tabled)
        var previous: Identifier?
        let positions = list { reader -> Bool? in
            guard reader.c.expect(#"{"council":"#), let council = reader.id(), previous.map({ $0 < council }) ?? true,
                reader.c.expect(#","timeline":["#), let timeline = reader.timeline({ $0.position() }), reader.c.expect("}")
            else { return nil }
            previous = council
            entry.positions[council] = timeline  // councils come in order: each goes at the end
            return true
        }
        guard positions != nil, c.expect(#","votes":["#) else { return nil }
        let votes = list { reader -> VoteEntry? in
            guard reader.c.expect(#"{"seq":"#), let seq = reader.seq(), reader.c.expect(#","effective":"#),
                let effective = reader.date(), reader.c.expect(#","vote":"#), let vote = reader.committeeVoted(),
                reader.c.expect("}")
            else { return nil }
            return VoteEntry(seq: seq, effective: effective, vote: vote)
        }
        guard let votes, c.expect("}") else { return nil }
        entry.votes = votes
        return (head.id, entry)
    }

    mutating func position() -> Position? {
        guard c.expect(#","decision":"#), let decision = raw(Decision.self), c.expect(#","source":"#),
            let source = raw(Position.Source.self), c.expect(#","body":"#), let body = string()
        else { return nil }
        return Position(decision: decision, source: source, body: body)
    }

    mutating func agreement() -> (Identifier, AgreementEntry)? {
        guard let head = entryHead(), c.expect(#","established":"#), let established = agreementEstablished(),
            c.expect(#","members":["#)
        else { return nil }
        let members = list { reader -> Membership? in
            guard reader.c.expect(#"{"council":"#), let council = reader.id(), reader.c.expect(#","from":"#),
                let from = reader.date(), reader.c.expect(#","seq":"#), let seq = reader.seq(), reader.c.expect("}")
            else { return nil }
            return Membership(council: council, from: from, seq: seq)
        }
        guard let members, c.expect("}") else { return nil }
        return (
            head.id,
            AgreementEntry(seq: head.seq, effective: head.effective, established: established, members: members)
        )
    }

    mutating func post() -> (Identifier, PostEntry)? {
        guard let head = entryHead(), c.expect(#","established":"#), let established = postEstablished() else { return nil }
        var entry = PostEntry(seq: head.seq, effective: head.effective, established: established)
        guard c.expect(#","costs":["#),
            let costs = timeline({ reader -> CostEntry? in
                guard reader.c.expect(#","annualPence":"#), let annual = reader.integer64(),
                    reader.c.expect(#","onCostBasisPoints":"#), let onCost = reader.integer64()
                else { return nil }
                return CostEntry(annualPence: annual, onCostBasisPoints: onCost)
            }),
            c.expect(#","shares":["#),
            let shares = timeline({ reader -> ShareEntry? in
                guard reader.c.expect(#","basis":"#), let basis = reader.raw(Basis.self),
                    reader.c.expect(#","weights":["#), let weights = reader.list({ $0.weight() }),
                    reader.c.expect(#","proposal":"#), let proposal = reader.id()
                else { return nil }
                return ShareEntry(basis: basis, weights: weights, proposal: proposal)
            }),
            c.expect(#","appointments":["#),
            let appointments = timeline({ reader -> String? in
                reader.c.expect(#","holder":"#) ? reader.string() : nil
            })
        else { return nil }
        entry.costs = costs
        entry.shares = ShareTimeline(shares)
        entry.appointments = appointments
        guard let ended = optional(#","ended":{"date":"#, { $0.dateAndSeq() }), c.expect(#","assurances":["#) else {
            return nil
        }
        entry.ended = ended
        let assurances = list { reader -> AssuranceEntry? in
            guard reader.c.expect(#"{"seq":"#), let seq = reader.seq(), reader.c.expect(#","effective":"#),
                let effective = reader.date(), reader.c.expect(#","council":"#), let council = reader.id(),
                reader.c.expect(#","worst":"#), let worst = reader.raw(Rating.self), reader.c.expect("}")
            else { return nil }
            return AssuranceEntry(seq: seq, effective: effective, council: council, worst: worst)
        }
        guard let assurances, c.expect("}") else { return nil }
        entry.assurances = assurances
        return (head.id, entry)
    }

    /// `…","seq":N}` after an ended post's date.
    mutating func dateAndSeq() -> (date: CalendarDate, seq: Int)? {
        guard let date = date(), c.expect(#","seq":"#), let seq = seq(), c.expect("}") else { return nil }
        return (date, seq)
    }

    /// `N,"effective":"…"}` after a rescinded notice's `{"seq":`.
    mutating func seqAndDate() -> (seq: Int, effective: CalendarDate)? {
        guard let seq = seq(), c.expect(#","effective":"#), let effective = date(), c.expect("}") else { return nil }
        return (seq, effective)
    }

    mutating func weight() -> Weight? {
        guard c.expect(#"{"council":"#), let council = id(), c.expect(#","weight":"#), let weight = integer64(),
            c.expect("}")
        else { return nil }
        return Weight(council: council, weight: weight)
    }

    /// Notices keyed by the seq that served them, written as `id`, strictly increasing.
    mutating func notices() -> [Int: NoticeEntry]? {
        var result: [Int: NoticeEntry] = [:]
        var previous = 0
        let ok = list { reader -> Bool? in
            guard reader.c.expect(#"{"id":"#), let id = reader.seq(), id > previous, reader.c.expect(#","seq":"#),
                let seq = reader.seq(), reader.c.expect(#","served":"#), let served = reader.date(),
                reader.c.expect(#","notice":"#), let notice = reader.noticeServed(), reader.c.expect(#","lastDay":"#),
                let lastDay = reader.date()
            else { return nil }
            guard let rescinded = reader.optional(#","rescinded":{"seq":"#, { $0.seqAndDate() }), reader.c.expect("}")
            else { return nil }
            previous = id
            result[id] = NoticeEntry(seq: seq, served: served, notice: notice, lastDay: lastDay, rescinded: rescinded)
            return true
        }
        return ok == nil ? nil : result
    }

    mutating func contract() -> (Identifier, ContractEntry)? {
        guard c.expect(#"{"id":"#), let id = id(), c.expect(#","seq":"#), let seq = seq(),
            c.expect(#","registered":{"council":"#), let council = self.id(), c.expect(#","contract":"#),
            let contract = self.id(), c.expect(#","counterparty":"#), let counterparty = string(),
            let ends = optional(#","ends":"#, { $0.date() }), c.expect("}}")
        else { return nil }
        let registered = ContractRegistered(council: council, contract: contract, counterparty: counterparty, ends: ends)
        return (id, ContractEntry(seq: seq, registered: registered))
    }

    mutating func ownCost() -> OwnCostEntry? {
        guard c.expect(#"{"seq":"#), let seq = seq(), c.expect(#","effective":"#), let effective = date(),
            c.expect(#","kind":"#), let kind = raw(OwnCostEntry.Kind.self), c.expect(#","council":"#),
            let council = id(), c.expect(","), let subject = subject(), c.expect(#","pence":"#),
            let pence = integer64(), c.expect(#","description":"#), let description = string(), c.expect("}")
        else { return nil }
        return OwnCostEntry(
            seq: seq, effective: effective, kind: kind, council: council, subject: subject, pence: pence,
            description: description)
    }

    /// Retracted seqs and the seq retracting each, strictly increasing, each retracted by a later record.
    mutating func retractions() -> [Int: Int]? {
        var result: [Int: Int] = [:]
        var previous = 0
        let ok = list { reader -> Bool? in
            guard reader.c.expect(#"{"seq":"#), let seq = reader.seq(), seq > previous, reader.c.expect(#","by":"#),
                let by = reader.seq(), seq < by, reader.c.expect("}")
            else { return nil }
            previous = seq
            result[seq] = by
            return true
        }
        return ok == nil ? nil : result
    }

    // MARK: - Event payloads, in the writer's member order

    mutating func proposalTabled() -> ProposalTabled? {
        guard c.expect(#"{"proposal":"#), let proposal = id(), c.expect(#","title":"#), let title = string(),
            c.expect(#","matter":"#), let matter = string().flatMap(Matter.init), c.expect(#","affects":"#),
            let affects = ids()
        else { return nil }
        guard let agreement = optional(#","agreement":"#, { $0.id() }), c.expect(#","terminates":"#),
            let terminates = ids(), c.expect("}")
        else { return nil }
        return ProposalTabled(
            proposal: proposal, title: title, matter: matter, affects: affects, agreement: agreement,
            terminates: terminates)
    }

    mutating func committeeVoted() -> CommitteeVoted? {
        guard c.expect(#"{"proposal":"#), let proposal = id(), c.expect(#","committee":"#), let committee = string(),
            c.expect(#","votes":["#)
        else { return nil }
        let votes = list { reader -> MemberVotes? in
            guard reader.c.expect(#"{"council":"#), let council = reader.id(), reader.c.expect(#","for":"#),
                let votesFor = reader.c.integer(), reader.c.expect(#","against":"#), let against = reader.c.integer(),
                reader.c.expect(#","abstain":"#), let abstain = reader.c.integer(), reader.c.expect("}")
            else { return nil }
            return MemberVotes(council: council, votesFor: votesFor, against: against, abstain: abstain)
        }
        guard let votes, let chair = optional(#","chair":"#, { $0.id() }),
            let casting = optional(#","casting":"#, { $0.raw(CastingVote.self) }), c.expect("}")
        else { return nil }
        return CommitteeVoted(proposal: proposal, committee: committee, votes: votes, chair: chair, casting: casting)
    }

    mutating func agreementEstablished() -> AgreementEstablished? {
        guard c.expect(#"{"agreement":"#), let agreement = id(), c.expect(#","title":"#), let title = string(),
            c.expect(#","parties":"#), let parties = ids(), c.expect(#","notice":"#), let notice = noticeRule()
        else { return nil }
        guard let quorum = optional(#","quorum":"#, { $0.c.integer() }), c.expect(#","proposal":"#),
            let proposal = id(), c.expect("}")
        else { return nil }
        return AgreementEstablished(
            agreement: agreement, title: title, parties: parties, notice: notice, quorum: quorum, proposal: proposal)
    }

    mutating func postEstablished() -> PostEstablished? {
        guard c.expect(#"{"post":"#), let post = id(), c.expect(#","title":"#), let title = string(),
            c.expect(#","agreement":"#), let agreement = id(), c.expect(#","employer":"#), let employer = id(),
            c.expect(#","roles":["#), let roles = list({ $0.string() }), c.expect(#","arrangement":"#),
            let arrangement = raw(Arrangement.self)
        else { return nil }
        guard let notice = optional(#","notice":"#, { $0.noticeRule() }),
            let assuranceMonths = optional(#","assuranceMonths":"#, { $0.c.integer() }), c.expect(#","proposal":"#),
            let proposal = id(), c.expect("}")
        else { return nil }
        return PostEstablished(
            post: post, title: title, agreement: agreement, employer: employer, roles: roles, arrangement: arrangement,
            notice: notice, assuranceMonths: assuranceMonths, proposal: proposal)
    }

    mutating func noticeServed() -> NoticeServed? {
        guard c.expect(#"{"council":"#), let council = id(), c.expect(","), let subject = subject() else { return nil }
        guard let leaves = optional(#","leaves":"#, { $0.date() }),
            let proposal = optional(#","proposal":"#, { $0.id() }), c.expect("}")
        else { return nil }
        return NoticeServed(council: council, subject: subject, leaves: leaves, proposal: proposal)
    }
}
