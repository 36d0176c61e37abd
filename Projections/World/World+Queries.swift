import Events

extension World {
    /// The quorum (members per council) of the agreement a proposal belongs to, if any.
    public func quorum(for proposal: Identifier) -> Int? {
        guard let agreement = proposals[proposal]?.tabled.agreement else { return nil }
        return agreements[agreement]?.established.quorum
    }

    /// The notice rule that governs leaving `subject`: a post's own rule, else its agreement's.
    public func noticeRule(for subject: Subject) -> NoticeRule? {
        switch subject {
        case .agreement(let id):
            return agreements[id]?.established.notice
        case .post(let id):
            guard let post = posts[id] else { return nil }
            return post.established.notice ?? agreements[post.agreement]?.established.notice
        }
    }

    /// The day a notice's council stops being a party: `leaves` if the notice
    /// names one (SG-6 judges whether it may), else what the rule allows.
    public func lastDay(of notice: NoticeServed, served: CalendarDate) -> CalendarDate? {
        if let leaves = notice.leaves { return leaves }
        return noticeRule(for: notice.subject)?.lastDay(servedOn: served)
    }

    /// When `council`'s spell as a party of `agreement` that is current on
    /// `date` began: a council that left and joined again starts a new spell.
    public func spellStart(of council: Identifier, in agreement: Identifier, on date: CalendarDate) -> CalendarDate? {
        var start: CalendarDate?
        for member in agreements[agreement]?.members ?? [] where member.council == council && member.from <= date {
            if start.map({ member.from > $0 }) ?? true { start = member.from }
        }
        return start
    }

    /// The earliest last day of `council` under a standing notice that takes
    /// it out of `post` (notice on the post, or on the post's agreement).
    /// With `asAt`, only notices served in the council's spell current then count.
    /// `index`, when a caller asks many times of one world, saves scanning every notice each time.
    public func lastDay(
        of council: Identifier, inPost post: Identifier, asAt date: CalendarDate? = nil, index: StandingNotices? = nil
    ) -> CalendarDate? {
        guard let entry = posts[post] else { return nil }
        return lastDay(
            of: council, inPost: post, agreement: entry.agreement, asAt: date,
            standing: index?.of(council) ?? standingNotices(of: council))
    }

    /// The same, for a caller that already holds the post's agreement and the
    /// council's standing notices: splits ask it of every segment of every
    /// post, and SG-4 of every council an apportionment names.
    public func lastDay(
        of council: Identifier, inPost post: Identifier, agreement: Identifier, asAt date: CalendarDate?,
        standing: [NoticeEntry]
    ) -> CalendarDate? {
        // Most councils never serve notice: say so before working out their spell.
        guard !standing.isEmpty else { return nil }
        let since = date.flatMap { spellStart(of: council, in: agreement, on: $0) }
        var earliest: CalendarDate?
        for notice in standing where since.map({ notice.served >= $0 }) ?? true {
            let reaches: Bool
            switch notice.subject {
            case .post(let id): reaches = id == post
            case .agreement(let id): reaches = id == agreement
            }
            if reaches, earliest.map({ notice.lastDay < $0 }) ?? true { earliest = notice.lastDay }
        }
        return earliest
    }

    /// The earliest last day of `council` in `agreement` under a standing notice;
    /// with `asAt`, only notices served in the council's spell current then.
    /// `standing`, if given, holds the council's standing notices that count, else all are found by a scan.
    public func lastDay(
        of council: Identifier, inAgreement agreement: Identifier, asAt date: CalendarDate? = nil, standing: [NoticeEntry]? = nil
    ) -> CalendarDate? {
        let standing = standing ?? standingNotices(of: council)
        guard !standing.isEmpty else { return nil }
        let since = date.flatMap { spellStart(of: council, in: agreement, on: $0) }
        return standing.filter { notice in
            notice.subject == .agreement(agreement) && since.map { notice.served >= $0 } ?? true
        }.map(\.lastDay).min()
    }

    /// Whether `council` has left `post` by `date`: a notice of its current spell has run out.
    public func hasLeft(_ council: Identifier, post: Identifier, on date: CalendarDate, index: StandingNotices? = nil) -> Bool {
        guard let last = lastDay(of: council, inPost: post, asAt: date, index: index) else { return false }
        return last < date
    }

    /// The council's notices that stand (not rescinded): what `StandingNotices.of` holds, found by a scan.
    /// Filtered in place: copying every notice first made each question cost as much as the notices loaded.
    public func standingNotices(of council: Identifier) -> [NoticeEntry] {
        notices.values.filter { $0.council == council && $0.rescinded == nil }
    }

    /// Parties of an agreement on `date`: joined by then and not yet past their last day.
    public func parties(of agreement: Identifier, on date: CalendarDate) -> [Identifier] {
        guard agreements.index(forKey: agreement) != nil else { return [] }
        // One pass over the notices finds the few on this agreement; asking
        // each member's notices in turn scanned every notice once per member.
        return parties(of: agreement, on: date, standingOnIt: standingNotices(on: .agreement(agreement)))
    }

    /// The same, given the standing notices served on the agreement, for a
    /// caller that keeps notices by subject (the validator): a pass over every
    /// notice loaded, for each record that binds an agreement's parties, was
    /// most of judging those records late in a long history.
    public func parties(of agreement: Identifier, on date: CalendarDate, standingOnIt: [NoticeEntry]) -> [Identifier] {
        guard let members = agreements[agreement]?.members else { return [] }
        var result: [Identifier] = []
        for member in members where member.from <= date && !result.contains(member.council) {
            // Mostly none: then lastDay says nil before working out a spell.
            let own = standingOnIt.filter { $0.council == member.council }
            if let last = lastDay(of: member.council, inAgreement: agreement, asAt: date, standing: own), last < date { continue }
            result.append(member.council)
        }
        return result.sorted()
    }

    /// Councils sharing a post's cost on `date`: those with a weight in force
    /// that have not left it; if no apportionment is in force yet, the
    /// agreement's parties.
    public func sharing(post: Identifier, on date: CalendarDate) -> [Identifier] {
        sharing(post: post, on: date, standingOn: standingNotices(on:))
    }

    /// The same, given the standing notices served on a subject (`standingOn`),
    /// as for `parties(of:on:standingOnIt:)`.
    public func sharing(post: Identifier, on date: CalendarDate, standingOn: (Subject) -> [NoticeEntry]) -> [Identifier] {
        guard let entry = posts[post] else { return [] }
        let onAgreement = standingOn(.agreement(entry.agreement))
        let candidates =
            entry.shares.value(on: date)?.weights.map(\.council)
            ?? parties(of: entry.agreement, on: date, standingOnIt: onAgreement)
        // A council leaves a post by notice on the post or on its agreement.
        let onEither = standingOn(.post(post)) + onAgreement
        return candidates.filter { council in
            let own = onEither.filter { $0.council == council }
            guard let last = lastDay(of: council, inPost: post, agreement: entry.agreement, asAt: date, standing: own) else {
                return true
            }
            return !(last < date)
        }.sorted()
    }

    /// The notices on `subject` that stand (not rescinded), found by a scan.
    public func standingNotices(on subject: Subject) -> [NoticeEntry] {
        notices.values.filter { $0.subject == subject && $0.rescinded == nil }
    }

    /// A council's position on a proposal as at `date`: its latest decision or
    /// committee-derived position effective on or before then.
    public func position(of council: Identifier, on proposal: Identifier, asOf date: CalendarDate) -> Decision? {
        proposals[proposal]?.positions[council]?.value(on: date)?.decision
    }
}
