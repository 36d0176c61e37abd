import Events

// The checkpoint: the whole of a `World` as one JSON value, so the appender
// can keep the validator's state beside the ledger and not replay history on
// every append. A private cache format, not part of the ledger: anything it
// cannot read back exactly comes back as nil and the caller replays instead.
//
// Layout (version 1). Every stored property of `World` and of every entry is
// written; nothing is derived on reading. Dictionaries become arrays sorted by
// key (identifiers in byte order, seqs numerically), each element an object
// carrying its key as `id`, so the same world always gives the same bytes.
// Optional values are left out when nil. Event payloads use the field names of
// the ledger's `data` objects (SPEC §4), but lists (`weights`, `votes`) are
// arrays of objects so that order and every element survive.
//
//   {"version":1,"head":12,"latestEffective":"2015-04-01",
//    "councils":[{"id","seq","effective","name","population"?}],
//    "proposals":[{"id","seq","effective","tabled":{…},
//                  "positions":[{"council","timeline":[{"effective","seq","decision","source","body"}]}],
//                  "votes":[{"seq","effective","vote":{…}}]}],
//    "agreements":[{"id","seq","effective","established":{…},"members":[{"council","from","seq"}]}],
//    "posts":[{"id","seq","effective","established":{…},
//              "costs":[{"effective","seq","annualPence","onCostBasisPoints"}],
//              "shares":[{"effective","seq","basis","weights":[{"council","weight"}],"proposal"}],
//              "appointments":[{"effective","seq","holder"}],
//              "ended"?:{"date","seq"},"assurances":[{"seq","effective","council","worst"}]}],
//    "notices":[{"id","seq","served","notice":{…},"lastDay","rescinded"?:{"seq","effective"}}],
//    "contracts":[{"id","seq","registered":{…}}],
//    "ownCosts":[{"seq","effective","kind","council","agreement"|"post","pence","description"}],
//    "retracted":[{"seq","by"}]}
//
// Dates are ISO strings. A date outside the years `CalendarDate(iso:)` reads
// (a notice's last day computed decades past 2999) is written as its day
// number instead, so it still comes back exactly.

extension World {
    /// The version written and the only one read.
    static let checkpointVersion: Int64 = 1

    /// The world `checkpointJSON()` wrote, or nil if `checkpointJSON` is not
    /// exactly such a value (wrong version or shape, an unknown or repeated
    /// key, a bad id or date, keys out of order, a seq outside 1...head).
    public init?(checkpointJSON json: JSONValue) {
        do {
            self = try CheckpointCoding.decodeWorld(json)
        } catch {
            return nil
        }
    }
}

/// Reading back what `World.writeCheckpoint` wrote (in `World+CheckpointWriting.swift`).
enum CheckpointCoding {
    struct Malformed: Error {}

    /// An object's members by key, checked against the keys its kind may have.
    /// Objects here have a handful of members, so linear scans beat hashing
    /// (every append reads the checkpoint's core; this is most of that work).
    struct Fields {
        private let object: JSONObject

        init(_ value: JSONValue, _ allowed: [String]) throws {
            guard case .object(let object) = value else { throw Malformed() }
            for (index, member) in object.members.enumerated() {
                guard allowed.contains(member.key),
                    !object.members[..<index].contains(where: { $0.key == member.key })
                else { throw Malformed() }
            }
            self.object = object
        }

        func has(_ key: String) -> Bool { object[key] != nil }

        func callAsFunction<T>(_ key: String, _ read: (JSONValue) throws -> T) throws -> T {
            guard let value = object[key] else { throw Malformed() }
            return try read(value)
        }

        func optional<T>(_ key: String, _ read: (JSONValue) throws -> T) throws -> T? {
            guard let value = object[key] else { return nil }
            return try read(value)
        }
    }

    static func readInt64(_ value: JSONValue) throws -> Int64 {
        guard case .integer(let number) = value else { throw Malformed() }
        return number
    }

    static func readInt(_ value: JSONValue) throws -> Int {
        guard let number = Int(exactly: try readInt64(value)) else { throw Malformed() }
        return number
    }

    static func readString(_ value: JSONValue) throws -> String {
        guard case .string(let text) = value else { throw Malformed() }
        return text
    }

    static func readID(_ value: JSONValue) throws -> Identifier {
        guard let id = Identifier(try readString(value)) else { throw Malformed() }
        return id
    }

    static func readArray(_ value: JSONValue) throws -> [JSONValue] {
        guard case .array(let elements) = value else { throw Malformed() }
        return elements
    }

    static func readIDs(_ value: JSONValue) throws -> [Identifier] { try readArray(value).map(readID) }

    static func readRaw<T: RawRepresentable>(_ type: T.Type) -> (JSONValue) throws -> T where T.RawValue == String {
        { value in
            guard let result = T(rawValue: try readString(value)) else { throw Malformed() }
            return result
        }
    }

    /// Day numbers far enough out that no calendar arithmetic on them overflows.
    static let dayNumbers = -100_000_000...100_000_000

    static func readDate(_ value: JSONValue) throws -> CalendarDate {
        switch value {
        case .string(let text):
            guard let date = CalendarDate(iso: text) else { throw Malformed() }
            return date
        case .integer(let day):
            // Only for dates an ISO string cannot carry; anything else is not what we wrote.
            guard let day = Int(exactly: day), dayNumbers.contains(day) else { throw Malformed() }
            let date = CalendarDate(dayNumber: day)
            guard CalendarDate(iso: date.iso) == nil else { throw Malformed() }
            return date
        default:
            throw Malformed()
        }
    }

    static func subject(_ fields: Fields) throws -> Subject {
        switch (fields.has("agreement"), fields.has("post")) {
        case (true, false): .agreement(try fields("agreement", readID))
        case (false, true): .post(try fields("post", readID))
        default: throw Malformed()
        }
    }

    static func noticeRule(_ value: JSONValue) throws -> NoticeRule {
        let f = try Fields(value, ["months", "alignment"])
        return NoticeRule(months: try f("months", readInt), alignment: try f("alignment", readRaw(Alignment.self)))
    }

    static func weights(_ value: JSONValue) throws -> [Weight] {
        try readArray(value).map { element in
            let f = try Fields(element, ["council", "weight"])
            return Weight(council: try f("council", readID), weight: try f("weight", readInt64))
        }
    }

    static func proposalTabled(_ value: JSONValue) throws -> ProposalTabled {
        let f = try Fields(value, ["proposal", "title", "matter", "affects", "agreement", "terminates"])
        guard let matter = Matter(try f("matter", readString)) else { throw Malformed() }
        return ProposalTabled(
            proposal: try f("proposal", readID), title: try f("title", readString), matter: matter,
            affects: try f("affects", readIDs), agreement: try f.optional("agreement", readID),
            terminates: try f("terminates", readIDs))
    }

    static func committeeVoted(_ value: JSONValue) throws -> CommitteeVoted {
        let f = try Fields(value, ["proposal", "committee", "votes", "chair", "casting"])
        let votes = try f("votes", readArray).map { element in
            let v = try Fields(element, ["council", "for", "against", "abstain"])
            return MemberVotes(
                council: try v("council", readID), votesFor: try v("for", readInt), against: try v("against", readInt),
                abstain: try v("abstain", readInt))
        }
        return CommitteeVoted(
            proposal: try f("proposal", readID), committee: try f("committee", readString), votes: votes,
            chair: try f.optional("chair", readID), casting: try f.optional("casting", readRaw(CastingVote.self)))
    }

    static func agreementEstablished(_ value: JSONValue) throws -> AgreementEstablished {
        let f = try Fields(value, ["agreement", "title", "parties", "notice", "quorum", "proposal"])
        return AgreementEstablished(
            agreement: try f("agreement", readID), title: try f("title", readString),
            parties: try f("parties", readIDs),
            notice: try f("notice", noticeRule), quorum: try f.optional("quorum", readInt),
            proposal: try f("proposal", readID))
    }

    static func postEstablished(_ value: JSONValue) throws -> PostEstablished {
        let f = try Fields(
            value,
            [
                "post", "title", "agreement", "employer", "roles", "arrangement", "notice", "assuranceMonths",
                "proposal",
            ])
        return PostEstablished(
            post: try f("post", readID), title: try f("title", readString), agreement: try f("agreement", readID),
            employer: try f("employer", readID), roles: try f("roles", readArray).map(readString),
            arrangement: try f("arrangement", readRaw(Arrangement.self)), notice: try f.optional("notice", noticeRule),
            assuranceMonths: try f.optional("assuranceMonths", readInt), proposal: try f("proposal", readID))
    }

    static func noticeServed(_ value: JSONValue) throws -> NoticeServed {
        let f = try Fields(value, ["council", "agreement", "post", "leaves", "proposal"])
        return NoticeServed(
            council: try f("council", readID), subject: try subject(f), leaves: try f.optional("leaves", readDate),
            proposal: try f.optional("proposal", readID))
    }

    static func contractRegistered(_ value: JSONValue) throws -> ContractRegistered {
        let f = try Fields(value, ["council", "contract", "counterparty", "ends"])
        return ContractRegistered(
            council: try f("council", readID), contract: try f("contract", readID),
            counterparty: try f("counterparty", readString), ends: try f.optional("ends", readDate))
    }

    /// A reader of the world's seqs, all of which must lie in 1...head.
    static func seqs(head: Int) -> (JSONValue) throws -> Int {
        { value in
            let seq = try readInt(value)
            guard seq >= 1, seq <= head else { throw Malformed() }
            return seq
        }
    }

    /// A timeline from its entries, which must be in (effective, seq) order.
    static func timeline<Value>(
        _ value: JSONValue, seqs: (JSONValue) throws -> Int, keys: [String], _ read: (Fields) throws -> Value
    ) throws -> Timeline<Value> {
        var entries: [(effective: CalendarDate, seq: Int, value: Value)] = []
        for element in try readArray(value) {
            let f = try Fields(element, keys + ["effective", "seq"])
            let entry = (effective: try f("effective", readDate), seq: try f("seq", seqs), value: try read(f))
            if let last = entries.last, (entry.effective, entry.seq) < (last.effective, last.seq) { throw Malformed() }
            entries.append(entry)
        }
        return timeline(ordered: entries)
    }

    /// A timeline from entries already checked to be in (effective, seq) order.
    static func timeline<Value>(ordered entries: [(effective: CalendarDate, seq: Int, value: Value)]) -> Timeline<Value> {
        Timeline(ordered: entries.map { Timeline.Entry(effective: $0.effective, seq: $0.seq, value: $0.value) })
    }

    /// A dictionary from an array of objects, whose keys must strictly increase.
    static func dictionary<Key: Comparable, Value>(
        _ value: JSONValue, _ read: (JSONValue) throws -> (Key, Value)
    ) throws -> [Key: Value] {
        var result: [Key: Value] = [:]
        var previous: Key?
        for element in try readArray(value) {
            let (key, value) = try read(element)
            if let previous, !(previous < key) { throw Malformed() }
            previous = key
            result[key] = value
        }
        return result
    }

    static func decodeWorld(_ json: JSONValue) throws -> World {
        let top = try Fields(
            json,
            [
                "version", "head", "latestEffective", "councils", "proposals", "agreements", "posts", "notices",
                "contracts", "ownCosts", "retracted",
            ])
        guard try top("version", readInt64) == World.checkpointVersion else { throw Malformed() }
        var world = World()
        world.head = try top("head", readInt)
        guard world.head >= 0 else { throw Malformed() }
        let seq = seqs(head: world.head)
        world.latestEffective = try top.optional("latestEffective", readDate)

        world.councils = try top("councils") { value in
            try dictionary(value) { element in
                let f = try Fields(element, ["id", "seq", "effective", "name", "population"])
                return (
                    try f("id", readID),
                    CouncilEntry(
                        seq: try f("seq", seq), effective: try f("effective", readDate),
                        name: try f("name", readString),
                        population: try f.optional("population", readInt64))
                )
            }
        }

        world.proposals = try top("proposals") { value in
            try dictionary(value) { element in
                let f = try Fields(element, ["id", "seq", "effective", "tabled", "positions", "votes"])
                var entry = ProposalEntry(
                    seq: try f("seq", seq), effective: try f("effective", readDate),
                    tabled: try f("tabled", proposalTabled))
                entry.positions = try f("positions") { positions in
                    try Positions(dictionary(positions) { element in
                        let p = try Fields(element, ["council", "timeline"])
                        let keys = ["decision", "source", "body"]
                        let timeline = try p("timeline") { entries in
                            try CheckpointCoding.timeline(entries, seqs: seq, keys: keys) { t in
                                Position(
                                    decision: try t("decision", readRaw(Decision.self)),
                                    source: try t("source", readRaw(Position.Source.self)),
                                    body: try t("body", readString))
                            }
                        }
                        return (try p("council", readID), timeline)
                    })
                }
                entry.votes = try f("votes", readArray).map { element in
                    let v = try Fields(element, ["seq", "effective", "vote"])
                    return VoteEntry(
                        seq: try v("seq", seq), effective: try v("effective", readDate),
                        vote: try v("vote", committeeVoted))
                }
                return (try f("id", readID), entry)
            }
        }

        world.agreements = try top("agreements") { value in
            try dictionary(value) { element in
                let f = try Fields(element, ["id", "seq", "effective", "established", "members"])
                let members = try f("members", readArray).map { element in
                    let m = try Fields(element, ["council", "from", "seq"])
                    return Membership(
                        council: try m("council", readID), from: try m("from", readDate), seq: try m("seq", seq))
                }
                return (
                    try f("id", readID),
                    AgreementEntry(
                        seq: try f("seq", seq), effective: try f("effective", readDate),
                        established: try f("established", agreementEstablished), members: members)
                )
            }
        }

        world.posts = try top("posts") { value in
            try dictionary(value) { element in
                let f = try Fields(
                    element,
                    [
                        "id", "seq", "effective", "established", "costs", "shares", "appointments", "ended",
                        "assurances",
                    ])
                var entry = PostEntry(
                    seq: try f("seq", seq), effective: try f("effective", readDate),
                    established: try f("established", postEstablished))
                entry.costs = try f("costs") { costs in
                    try timeline(costs, seqs: seq, keys: ["annualPence", "onCostBasisPoints"]) { t in
                        CostEntry(
                            annualPence: try t("annualPence", readInt64),
                            onCostBasisPoints: try t("onCostBasisPoints", readInt64))
                    }
                }
                entry.shares = try f("shares") { shares in
                    ShareTimeline(try timeline(shares, seqs: seq, keys: ["basis", "weights", "proposal"]) { t in
                        ShareEntry(
                            basis: try t("basis", readRaw(Basis.self)), weights: try t("weights", weights),
                            proposal: try t("proposal", readID))
                    })
                }
                entry.appointments = try f("appointments") { appointments in
                    try timeline(appointments, seqs: seq, keys: ["holder"]) { t in try t("holder", readString) }
                }
                entry.ended = try f.optional("ended") { ended in
                    let e = try Fields(ended, ["date", "seq"])
                    return (date: try e("date", readDate), seq: try e("seq", seq))
                }
                entry.assurances = try f("assurances", readArray).map { element in
                    let a = try Fields(element, ["seq", "effective", "council", "worst"])
                    return AssuranceEntry(
                        seq: try a("seq", seq), effective: try a("effective", readDate),
                        council: try a("council", readID),
                        worst: try a("worst", readRaw(Rating.self)))
                }
                return (try f("id", readID), entry)
            }
        }

        world.notices = try top("notices") { value in
            try dictionary(value) { element in
                let f = try Fields(element, ["id", "seq", "served", "notice", "lastDay", "rescinded"])
                let rescinded = try f.optional("rescinded") { rescinded in
                    let r = try Fields(rescinded, ["seq", "effective"])
                    return (seq: try r("seq", seq), effective: try r("effective", readDate))
                }
                return (
                    try f("id", seq),
                    NoticeEntry(
                        seq: try f("seq", seq), served: try f("served", readDate),
                        notice: try f("notice", noticeServed),
                        lastDay: try f("lastDay", readDate), rescinded: rescinded)
                )
            }
        }

        world.contracts = try top("contracts") { value in
            try dictionary(value) { element in
                let f = try Fields(element, ["id", "seq", "registered"])
                return (
                    try f("id", readID),
                    ContractEntry(seq: try f("seq", seq), registered: try f("registered", contractRegistered))
                )
            }
        }

        world.ownCosts = try top("ownCosts", readArray).map { element in
            let f = try Fields(
                element, ["seq", "effective", "kind", "council", "agreement", "post", "pence", "description"])
            return OwnCostEntry(
                seq: try f("seq", seq), effective: try f("effective", readDate),
                kind: try f("kind", readRaw(OwnCostEntry.Kind.self)),
                council: try f("council", readID), subject: try subject(f), pence: try f("pence", readInt64),
                description: try f("description", readString))
        }

        world.retracted = try top("retracted") { value in
            try dictionary(value) { element in
                let f = try Fields(element, ["seq", "by"])
                let retracted = try f("seq", seq)
                let by = try f("by", seq)
                // A record is retracted by a later one.
                guard retracted < by else { throw Malformed() }
                return (retracted, by)
            }
        }
        return world
    }
}
