import Events

// The packed layout of a world (`PackedWriter`), for the checkpoint's shards:
// the listing's members in the order `World+CheckpointWriting.swift` writes
// them, each as its values alone. `World+PackedReading.swift` reads it back.

extension World {
    /// Bumped whenever the layout below changes; a reader takes only its own.
    static let packedVersion: UInt8 = 1
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
        w.list(councils) { w, item in
            w.entryHead(item.id, item.entry.seq, item.entry.effective)
            w.string(item.entry.name)
            w.optional(item.entry.population) { $0.signed($1) }
        }
        w.list(proposals) { w, item in
            let entry = item.entry
            w.entryHead(item.id, entry.seq, entry.effective)
            w.packed(entry.tabled)
            w.list(Identifier.sorted(entry.positions.keys)) { w, council in
                w.id(council)
                w.timeline(entry.positions[council]!) { w, position in
                    w.choice(position.decision)
                    w.choice(position.source)
                    w.string(position.body)
                }
            }
            w.list(entry.votes) { w, vote in
                w.count(vote.seq)
                w.date(vote.effective)
                w.packed(vote.vote)
            }
        }
        w.list(agreements) { w, item in
            w.entryHead(item.id, item.entry.seq, item.entry.effective)
            w.packed(item.entry.established)
            w.list(item.entry.members) { w, member in
                w.id(member.council)
                w.date(member.from)
                w.count(member.seq)
            }
        }
        w.list(posts) { w, item in
            let entry = item.entry
            w.entryHead(item.id, entry.seq, entry.effective)
            w.packed(entry.established)
            w.timeline(entry.costs) { w, cost in
                w.signed(cost.annualPence)
                w.signed(cost.onCostBasisPoints)
            }
            w.timeline(entry.shares) { w, share in
                w.choice(share.basis)
                w.list(share.weights) { w, weight in
                    w.id(weight.council)
                    w.signed(weight.weight)
                }
                w.id(share.proposal)
            }
            w.timeline(entry.appointments) { $0.string($1) }
            w.optional(entry.ended) { w, ended in
                w.date(ended.date)
                w.count(ended.seq)
            }
            w.list(entry.assurances) { w, assurance in
                w.count(assurance.seq)
                w.date(assurance.effective)
                w.id(assurance.council)
                w.choice(assurance.worst)
            }
        }
        w.list(notices) { w, item in
            let entry = item.entry
            w.count(item.seq)
            w.count(entry.seq)
            w.date(entry.served)
            w.packed(entry.notice)
            w.date(entry.lastDay)
            w.optional(entry.rescinded) { w, rescinded in
                w.count(rescinded.seq)
                w.date(rescinded.effective)
            }
        }
        w.list(contracts) { w, item in
            let registered = item.entry.registered
            w.id(item.id)
            w.count(item.entry.seq)
            w.id(registered.council)
            w.id(registered.contract)
            w.string(registered.counterparty)
            w.optional(registered.ends) { $0.date($1) }
        }
        w.list(ownCosts) { w, cost in
            w.count(cost.seq)
            w.date(cost.effective)
            w.choice(cost.kind)
            w.id(cost.council)
            w.packed(cost.subject)
            w.signed(cost.pence)
            w.string(cost.description)
        }
        w.list(retracted) { w, retraction in
            w.count(retraction.seq)
            w.count(retraction.by)
        }
        w.finish(into: &bytes)
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
