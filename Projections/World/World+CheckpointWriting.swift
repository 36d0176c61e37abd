import Events

// Writes the checkpoint layout described in `World+Checkpoint.swift` straight
// into bytes. An append after a long batch writes tens of thousands of shards,
// each a small world; building a `JSONValue` tree for each and then walking it
// cost more than the rest of the save.

extension World {
    /// Every stored property of the world as canonical JSON text, appended to `bytes`.
    public func writeCheckpoint(into bytes: inout [UInt8]) {
        CheckpointListing(self).write(into: &bytes)
    }
}

extension World.CheckpointListing {
    /// The listing as the checkpoint's canonical JSON text, appended to `bytes`.
    public func write(into bytes: inout [UInt8]) {
        var o = ObjectEncoder(appendingTo: &bytes)
        o.integer("version", World.checkpointVersion)
        o.integer("head", head)
        if let latestEffective { o.checkpointDate("latestEffective", latestEffective) }
        o.entries("councils", councils, { ($0.seq, $0.effective) }) { c, entry in
            c.string("name", entry.name)
            c.integer("population", entry.population)
        }
        o.entries("proposals", proposals, { ($0.seq, $0.effective) }) { p, entry in
            p.object("tabled") { $0.checkpoint(entry.tabled) }
            p.objects("positions", entry.positions.entries) { c, positions in
                c.id("council", positions.council)
                c.checkpoint("timeline", positions.timeline) { t, position in
                    t.string("decision", position.decision.rawValue)
                    t.string("source", position.source.rawValue)
                    t.string("body", position.body)
                }
            }
            p.objects("votes", entry.votes) { v, vote in
                v.integer("seq", vote.seq)
                v.checkpointDate("effective", vote.effective)
                v.object("vote") { $0.checkpoint(vote.vote) }
            }
        }
        o.entries("agreements", agreements, { ($0.seq, $0.effective) }) { a, entry in
            a.object("established") { $0.checkpoint(entry.established) }
            a.objects("members", entry.members) { m, member in
                m.id("council", member.council)
                m.checkpointDate("from", member.from)
                m.integer("seq", member.seq)
            }
        }
        o.entries("posts", posts, { ($0.seq, $0.effective) }) { p, entry in
            p.object("established") { $0.checkpoint(entry.established) }
            p.checkpoint("costs", entry.costs) { c, cost in
                c.integer("annualPence", cost.annualPence)
                c.integer("onCostBasisPoints", cost.onCostBasisPoints)
            }
            p.checkpoint("shares", entry.shares.timeline) { s, share in
                s.string("basis", share.basis.rawValue)
                s.checkpoint("weights", share.weights)
                s.id("proposal", share.proposal)
            }
            p.checkpoint("appointments", entry.appointments) { a, holder in a.string("holder", holder) }
            if let ended = entry.ended {
                p.object("ended") { e in
                    e.checkpointDate("date", ended.date)
                    e.integer("seq", ended.seq)
                }
            }
            p.objects("assurances", entry.assurances) { a, assurance in
                a.integer("seq", assurance.seq)
                a.checkpointDate("effective", assurance.effective)
                a.id("council", assurance.council)
                a.string("worst", assurance.worst.rawValue)
            }
        }
        o.objects("notices", notices) { n, notice in
            let (key, entry) = notice
            n.integer("id", key)
            n.integer("seq", entry.seq)
            n.checkpointDate("served", entry.served)
            n.object("notice") { $0.checkpoint(entry.notice) }
            n.checkpointDate("lastDay", entry.lastDay)
            if let rescinded = entry.rescinded {
                n.object("rescinded") { r in
                    r.integer("seq", rescinded.seq)
                    r.checkpointDate("effective", rescinded.effective)
                }
            }
        }
        o.entries("contracts", contracts, { ($0.seq, nil) }) { c, entry in
            c.object("registered") { r in
                r.id("council", entry.registered.council)
                r.id("contract", entry.registered.contract)
                r.string("counterparty", entry.registered.counterparty)
                if let ends = entry.registered.ends { r.checkpointDate("ends", ends) }
            }
        }
        o.objects("ownCosts", ownCosts) { c, cost in
            c.integer("seq", cost.seq)
            c.checkpointDate("effective", cost.effective)
            c.string("kind", cost.kind.rawValue)
            c.id("council", cost.council)
            c.checkpoint(cost.subject)
            c.integer("pence", cost.pence)
            c.string("description", cost.description)
        }
        o.objects("retracted", retracted) { r, retraction in
            r.integer("seq", retraction.seq)
            r.integer("by", retraction.by)
        }
        bytes = o.finish().bytes
    }
}

extension World {
    /// `writeCheckpoint` on its own.
    public func checkpointBytes() -> [UInt8] {
        var bytes: [UInt8] = []
        writeCheckpoint(into: &bytes)
        return bytes
    }

    /// The checkpoint as a `JSONValue`, for the caches that hold it inside a larger object.
    public func checkpointJSON() -> JSONValue {
        do {
            return try JSONParser.parse(checkpointBytes())
        } catch {
            preconditionFailure("the checkpoint writer wrote JSON its parser refuses: \(error)")
        }
    }
}

extension ObjectEncoder {
    /// An array of one object per element of `items`, each written by `body`.
    /// Written here rather than in `Events`: a generic from another module was
    /// not specialized, and every element fetched type metadata at run time
    /// (a seventh of writing a checkpoint).
    fileprivate mutating func objects<Items: Sequence>(
        _ name: StaticString, _ items: Items, _ body: (inout ObjectEncoder, Items.Element) -> Void
    ) {
        array(name) { list in
            for item in items { list.object { body(&$0, item) } }
        }
    }

    /// `all` (in id order) as an array of `{"id","seq","effective"?,…}`, the rest written by `fields`.
    fileprivate mutating func entries<Entry>(
        _ name: StaticString, _ all: [(id: Identifier, entry: Entry)],
        _ head: (Entry) -> (seq: Int, effective: CalendarDate?), _ fields: (inout ObjectEncoder, Entry) -> Void
    ) {
        array(name) { list in
            for (id, entry) in all {
                list.object { o in
                    o.id("id", id)
                    let (seq, effective) = head(entry)
                    o.integer("seq", seq)
                    if let effective { o.checkpointDate("effective", effective) }
                    fields(&o, entry)
                }
            }
        }
    }

    /// A date as an ISO string, or as its day number in years `CalendarDate(iso:)`
    /// would not read back (a notice's last day computed decades past 2999).
    fileprivate mutating func checkpointDate(_ name: StaticString, _ value: CalendarDate) {
        if CalendarDate.supportedYears.contains(value.year) {
            date(name, value)
        } else {
            integer(name, value.dayNumber)
        }
    }

    /// A timeline as an array of `{"effective","seq",…}`, the rest written by `fields`.
    fileprivate mutating func checkpoint<Value>(
        _ name: StaticString, _ timeline: Timeline<Value>, _ fields: (inout ObjectEncoder, Value) -> Void
    ) {
        objects(name, timeline.entries) { e, entry in
            e.checkpointDate("effective", entry.effective)
            e.integer("seq", entry.seq)
            fields(&e, entry.value)
        }
    }

    fileprivate mutating func checkpoint(_ name: StaticString, _ weights: [Weight]) {
        objects(name, weights) { w, weight in
            w.id("council", weight.council)
            w.integer("weight", weight.weight)
        }
    }

    fileprivate mutating func checkpoint(_ subject: Subject) {
        switch subject {
        case .agreement(let agreement): id("agreement", agreement)
        case .post(let post): id("post", post)
        }
    }

    fileprivate mutating func checkpoint(_ rule: NoticeRule) {
        integer("months", rule.months)
        string("alignment", rule.alignment.rawValue)
    }

    fileprivate mutating func checkpoint(_ e: ProposalTabled) {
        id("proposal", e.proposal)
        string("title", e.title)
        string("matter", e.matter.description)
        ids("affects", e.affects)
        id("agreement", e.agreement)
        ids("terminates", e.terminates)
    }

    fileprivate mutating func checkpoint(_ e: CommitteeVoted) {
        id("proposal", e.proposal)
        string("committee", e.committee)
        objects("votes", e.votes) { v, votes in
            v.id("council", votes.council)
            v.integer("for", votes.votesFor)
            v.integer("against", votes.against)
            v.integer("abstain", votes.abstain)
        }
        id("chair", e.chair)
        string("casting", e.casting?.rawValue)
    }

    fileprivate mutating func checkpoint(_ e: AgreementEstablished) {
        id("agreement", e.agreement)
        string("title", e.title)
        ids("parties", e.parties)
        object("notice") { $0.checkpoint(e.notice) }
        integer("quorum", e.quorum)
        id("proposal", e.proposal)
    }

    fileprivate mutating func checkpoint(_ e: PostEstablished) {
        id("post", e.post)
        string("title", e.title)
        id("agreement", e.agreement)
        id("employer", e.employer)
        strings("roles", e.roles)
        string("arrangement", e.arrangement.rawValue)
        if let notice = e.notice { object("notice") { $0.checkpoint(notice) } }
        integer("assuranceMonths", e.assuranceMonths)
        id("proposal", e.proposal)
    }

    fileprivate mutating func checkpoint(_ e: NoticeServed) {
        id("council", e.council)
        checkpoint(e.subject)
        if let leaves = e.leaves { checkpointDate("leaves", leaves) }
        id("proposal", e.proposal)
    }
}
