import Events

/// Cost splits (SPEC §5.1) computed from a `World`.
public enum Splits {
    /// The only events a split depends on: who is party to what, the posts,
    /// their costs and shares, notices, and retractions of any of these.
    public static let eventTypes: Set<EventType> = [
        .agreementEstablished, .agreementJoined, .postEstablished, .postCosted, .postEnded, .costsApportioned,
        .noticeServed, .noticeRescinded, .recordRetracted,
    ]

    public struct Failure: Error, Sendable {
        public var post: Identifier
        public var message: String
    }

    /// Posts a split is worked out for on one core at a time: a few milliseconds' work.
    static let postsPerChunk = 128

    /// Every post with cost in `period`, in post id order. Each post's split
    /// reads the world and nothing else, so the posts may be shared out between
    /// cores by `runner`; the result, and the first failure in post id order, are the same.
    public static func compute(
        _ world: World, from: CalendarDate, to: CalendarDate, post only: Identifier? = nil,
        runner: Cores.Runner = Cores.serially
    ) throws(Failure) -> [PostSplit] {
        try chunks(world, from: from, to: to, post: only, runner: runner, start: [PostSplit]()) { $0.append($1) }
            .flatMap { $0 }
    }

    /// `compute`, folded as it goes: the posts in chunks of post id order,
    /// each chunk's splits folded into a part of its own by `add`, on the core
    /// that worked them out, and the parts returned in order. A report that
    /// only writes each split out need not keep them all. `add` runs on
    /// several threads at once, each time on its own chunk's part.
    public static func chunks<Part>(
        _ world: World, from: CalendarDate, to: CalendarDate, post only: Identifier? = nil,
        runner: Cores.Runner = Cores.serially, start: Part, _ add: (inout Part, PostSplit) -> Void
    ) throws(Failure) -> [Part] {
        let standing = StandingNotices(world)
        let ids = Identifier.sorted(world.posts.keys.filter { only == nil || only == $0 })
        let count = (ids.count + postsPerChunk - 1) / postsPerChunk
        var parts = [Result<Part, Failure>](repeating: .success(start), count: count)
        // `runner` returns only when every chunk is done, so `add` does not outlive this call.
        withoutActuallyEscaping(add) { add in
            parts.withUnsafeMutableBufferPointer { out in
                runner(ids.count, postsPerChunk) { range in
                    var part = start
                    for index in range {
                        do throws(Failure) {
                            if let split = try split(world, post: ids[index], from: from, to: to, standing: standing) {
                                add(&part, split)
                            }
                        } catch {
                            // Only the first failure is reported: a chunk stops at its own, as one pass would.
                            out[range.lowerBound / postsPerChunk] = .failure(error)
                            return
                        }
                    }
                    out[range.lowerBound / postsPerChunk] = .success(part)
                }
            }
        }
        var result: [Part] = []
        result.reserveCapacity(count)
        for part in parts { result.append(try part.get()) }
        return result
    }

    /// One post's split, or nil if it has no cost in the period.
    public static func split(
        _ world: World, post id: Identifier, from: CalendarDate, to: CalendarDate, standing: StandingNotices? = nil
    ) throws(Failure) -> PostSplit? {
        guard let post = world.posts[id] else { return nil }
        var last = to
        if let ended = post.ended?.date { last = min(last, ended.adding(days: -1)) }
        guard from <= last else { return nil }
        let segments = segments(world, post: post, id: id, range: from...last, standing: standing ?? StandingNotices(world))
        guard !segments.isEmpty else { return nil }
        do throws(ExactOverflow) {
            return try total(world, post: post, id: id, from: from, to: to, segments: segments)
        } catch {
            throw Failure(
                post: id,
                message: "the exact amounts for post \(id) are too large to compute to the penny; split the period")
        }
    }

    static func segments(
        _ world: World, post: PostEntry, id: Identifier, range: ClosedRange<CalendarDate>, standing: StandingNotices
    ) -> [PostSplit.Segment] {
        // Everyone who ever holds a weight may leave, or leave and join again:
        // each notice's last day and each joining starts a new segment. A post
        // has a handful of councils and dates, so lists searched in order
        // stand in for sets (hashing each id and date cost more than the rest).
        var councils: [Identifier] = []
        for entry in post.shares.entries {
            for weight in entry.value.weights where !councils.contains(weight.council) { councils.append(weight.council) }
        }
        // Only a council with a standing notice can have left: most have none, and are asked once, not per segment.
        let mayLeave = councils.sorted().compactMap { council -> (council: Identifier, notices: [NoticeEntry])? in
            let notices = standing.of(council)
            return notices.isEmpty ? nil : (council, notices)
        }
        var starts = [range.lowerBound]
        starts += post.costs.changes(in: range)
        starts += post.shares.changes(in: range)
        for (_, notices) in mayLeave {
            for notice in notices {
                let next = notice.lastDay.adding(days: 1)
                if next > range.lowerBound && next <= range.upperBound { starts.append(next) }
            }
        }
        for member in world.agreements[post.agreement]?.members ?? [] where councils.contains(member.council) {
            if member.from > range.lowerBound && member.from <= range.upperBound { starts.append(member.from) }
        }
        var year = FinancialYear(containing: range.lowerBound)
        while year.last < range.upperBound {
            year = FinancialYear(year.startYear + 1)
            starts.append(year.first)
        }
        starts.sort()
        var ordered: [CalendarDate] = []
        ordered.reserveCapacity(starts.count)
        for start in starts where start != ordered.last { ordered.append(start) }
        var segments: [PostSplit.Segment] = []
        for (index, start) in ordered.enumerated() {
            let end = index + 1 < ordered.count ? ordered[index + 1].adding(days: -1) : range.upperBound
            guard let cost = post.costs.value(on: start) else { continue }
            let shares = post.shares.value(on: start)
            // `World.hasLeft` for each, with the post's and the council's lookups done once per post.
            let leavers = mayLeave.filter { council, notices in
                world.lastDay(of: council, inPost: id, agreement: post.agreement, asAt: start, standing: notices)
                    .map { $0 < start } ?? false
            }.map(\.council)
            let yearDays = FinancialYear(containing: start).dayCount
            segments.append(PostSplit.Segment(
                from: start, to: end, yearDays: yearDays, cost: cost, shares: shares, leavers: leavers,
                exactPence: .zero))
        }
        return segments
    }

    static func total(
        _ world: World, post: PostEntry, id: Identifier, from: CalendarDate, to: CalendarDate,
        segments input: [PostSplit.Segment]
    ) throws(ExactOverflow) -> PostSplit {
        var segments = input
        let sums: Sums
        if let common = commonDenominatorSums(&segments) { sums = common } else { sums = try fractionSums(&segments) }
        let (exactTotal, unapportioned) = (sums.total, sums.unapportioned)
        var bearers = sums.bearers
        // Tie order of SPEC §5.1: the employer, then council ids in byte order, then unapportioned.
        bearers.sort { a, b in
            if (a.council == post.employer) != (b.council == post.employer) { return a.council == post.employer }
            return a.council < b.council
        }
        let totalPence = exactTotal.roundedHalfUp
        let amounts = LargestRemainder.allocate(total: totalPence, shares: bearers.map(\.exactPence) + [unapportioned])
        let split = PostSplit(
            post: id, title: post.established.title, employer: post.employer, from: from, to: to,
            segments: segments,
            councils: bearers.enumerated().map { index, bearer in
                PostSplit.CouncilShare(
                    council: bearer.council, pence: Int64(amounts[index]), exactPence: bearer.exactPence,
                    daysBorne: bearer.days)
            }.sorted { $0.council < $1.council },
            totalPence: Int64(totalPence), unapportionedPence: Int64(amounts.last!),
            exactTotalPence: exactTotal, exactUnapportionedPence: unapportioned)
        split.checkInvariants()
        return split
    }
}
