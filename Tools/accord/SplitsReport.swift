import Events
import Ledger
import Projections

/// The splits as a finance officer's working paper: per post the periods and
/// what was in force, then each council's days and amount, then totals.
struct SplitsReport {
    var from: CalendarDate
    var to: CalendarDate
    var splits: [PostSplit]
    var council: Identifier?
    var context: ReportContext

    var title: String {
        let year = FinancialYear(containing: from)
        if from == year.first, to == year.last { return "Cost splits, financial year \(year) (\(from) to \(to))" }
        return "Cost splits, \(from) to \(to)"
    }

    func shown(_ split: PostSplit) -> [PostSplit.CouncilShare] { Self.shown(split, council: council) }

    static func shown(_ split: PostSplit, council: Identifier?) -> [PostSplit.CouncilShare] {
        split.councils.filter { council == nil || $0.council == council }
    }

    func text() -> String {
        var out = title + "\n" + context.caption + "\n"
        if splits.isEmpty { return out + "\nNo post has any cost in this period.\n" }
        var totals: [Identifier: Int64] = [:]
        var unapportioned: Int64 = 0
        for split in splits {
            out += "\n\(split.post): \(split.title) (employed by \(split.employer))\n"
            var periods = Table([
                .init(title: "from"), .init(title: "to"), .init(title: "days", alignment: .right),
                .init(title: "annual cost", alignment: .right), .init(title: "on-costs", alignment: .right),
                .init(title: "basis"), .init(title: "weights"),
            ])
            for segment in split.segments {
                periods.add([
                    segment.from.iso, segment.to.iso, String(segment.days),
                    Money.pounds(segment.cost.annualPence), percent(segment.cost.onCostBasisPoints),
                    segment.shares?.basis.rawValue ?? "none agreed", weights(segment),
                ])
            }
            out += indent(periods.renderText())
            var amounts = Table([
                .init(title: "council"), .init(title: "days", alignment: .right),
                .init(title: "amount", alignment: .right),
            ])
            for share in shown(split) {
                amounts.add([share.council.raw, String(share.daysBorne), Money.pounds(share.pence)])
                totals[share.council, default: 0] += share.pence
            }
            if council == nil {
                amounts.add(["unapportioned", "", Money.pounds(split.unapportionedPence)])
                amounts.add(["post total", "", Money.pounds(split.totalPence)])
                unapportioned += split.unapportionedPence
            }
            out += "\n" + indent(amounts.renderText())
        }
        var summary = Table([.init(title: "council"), .init(title: "total", alignment: .right)])
        for (council, pence) in totals.sorted(by: { $0.key < $1.key }) { summary.add([council.raw, Money.pounds(pence)]) }
        if council == nil {
            summary.add(["unapportioned", Money.pounds(unapportioned)])
            summary.add(["all posts", Money.pounds(totals.values.reduce(0, +) + unapportioned)])
        }
        out += "\nTotals\n" + indent(summary.renderText())
        return out
    }

    func csv() -> String {
        var table = Table([
            .init(title: "from"), .init(title: "to"), .init(title: "post"), .init(title: "title"),
            .init(title: "employer"), .init(title: "council"), .init(title: "days"), .init(title: "amount"),
            .init(title: "pence"),
        ])
        for split in splits {
            let lead = [from.iso, to.iso, split.post.raw, split.title, split.employer.raw]
            for share in shown(split) {
                table.add(lead + [share.council.raw, String(share.daysBorne), plain(share.pence), String(share.pence)])
            }
            if council == nil {
                table.add(lead + ["(unapportioned)", "", plain(split.unapportionedPence), String(split.unapportionedPence)])
                table.add(lead + ["(post total)", "", plain(split.totalPence), String(split.totalPence)])
            }
        }
        return table.renderCSV()
    }

    /// The SPEC §7.1 shape, written straight into bytes: a year's report on a
    /// large ledger is megabytes, and a tree of it cost as much as its
    /// arithmetic. `posts` are the posts' objects already written, comma
    /// separated, in runs (`appendJSON`, on the cores that worked them out).
    func json(posts: [[UInt8]]) -> [UInt8] {
        // Sized once: a buffer of megabytes that grows by doubling is copied, and faulted in, again each time.
        var bytes: [UInt8] = []
        bytes.reserveCapacity(posts.reduce(256) { $0 + $1.count + 1 })
        var o = ObjectEncoder(appendingTo: &bytes)
        o.date("from", from)
        o.date("to", to)
        for (name, value) in context.jsonMembers { o.value(named: name, value) }
        o.json("posts") { bytes in
            bytes.append(UInt8(ascii: "["))
            var first = true
            for run in posts where !run.isEmpty {
                if !first { bytes.append(UInt8(ascii: ",")) }
                first = false
                bytes += run
            }
            bytes.append(UInt8(ascii: "]"))
        }
        return o.finish().bytes
    }

    /// One post's object, after a comma if `run` holds one already.
    static func appendJSON(_ split: PostSplit, council: Identifier?, to run: inout [UInt8]) {
        if !run.isEmpty { run.append(UInt8(ascii: ",")) }
        var p = ObjectEncoder(appendingTo: &run)
        p.id("post", split.post)
        p.string("title", split.title)
        p.id("employer", split.employer)
        p.integer("totalPence", split.totalPence)
        p.integer("unapportionedPence", split.unapportionedPence)
        p.array("councils") { councils in
            for share in shown(split, council: council) {
                councils.object { c in
                    c.id("council", share.council)
                    c.integer("pence", share.pence)
                    c.integer("days", share.daysBorne)
                }
            }
        }
        p.array("periods") { periods in
            for segment in split.segments { periods.element { write(segment, into: &$0) } }
        }
        run = p.finish().bytes
    }

    /// One period, most of a report's bytes: its keys are fixed, so each run
    /// of punctuation and key is one literal.
    private static func write(_ segment: PostSplit.Segment, into w: inout JSONWriter) {
        w.writeRaw(#"{"from":"#)
        w.writeDate(segment.from)
        w.writeRaw(#","to":"#)
        w.writeDate(segment.to)
        w.writeRaw(#","days":"#)
        w.writeInteger(Int64(segment.days))
        w.writeRaw(#","yearDays":"#)
        w.writeInteger(Int64(segment.yearDays))
        w.writeRaw(#","annualPence":"#)
        w.writeInteger(segment.cost.annualPence)
        w.writeRaw(#","onCostBasisPoints":"#)
        w.writeInteger(segment.cost.onCostBasisPoints)
        if let shares = segment.shares {
            w.writeRaw(#","basis":"#)
            w.writeString(shares.basis.rawValue)
            w.writeRaw(#","weights":{"#)
            for (index, weight) in shares.weights.enumerated() {
                if index > 0 { w.writeRaw(",") }
                w.writeString(weight.council.raw)
                w.writeRaw(":")
                w.writeInteger(weight.weight)
            }
            w.writeRaw("}")
        } else {
            w.writeRaw(#","basis":null,"weights":null"#)
        }
        w.writeRaw(#","leavers":["#)
        for (index, leaver) in segment.leavers.enumerated() {
            if index > 0 { w.writeRaw(",") }
            w.writeString(leaver.raw)
        }
        w.writeRaw("]}")
    }

    func weights(_ segment: PostSplit.Segment) -> String {
        guard let shares = segment.shares else { return "-" }
        return shares.weights.map { weight in
            let left = segment.leavers.contains(weight.council) ? " (left)" : ""
            return "\(weight.council) \(weight.weight)\(left)"
        }.joined(separator: ", ")
    }

    func percent(_ basisPoints: Int64) -> String {
        let whole = basisPoints / 100, hundredths = basisPoints % 100
        return "\(whole).\(hundredths < 10 ? "0" : "")\(hundredths)%"
    }

    func plain(_ pence: Int64) -> String { Money.pounds(pence, symbol: false, grouping: false) }

    func indent(_ text: String) -> String {
        text.split(separator: "\n", omittingEmptySubsequences: false).map { $0.isEmpty ? "" : "  " + $0 }
            .joined(separator: "\n")
    }
}
