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

    func shown(_ split: PostSplit) -> [PostSplit.CouncilShare] {
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

    func json() -> JSONValue {
        JSONOut.object([
            ("from", JSONOut.date(from)), ("to", JSONOut.date(to)),
        ] + context.jsonMembers + [
            ("posts", .array(splits.map { split in
                JSONOut.object([
                    ("post", .string(split.post.raw)), ("title", .string(split.title)),
                    ("employer", .string(split.employer.raw)),
                    ("totalPence", .integer(split.totalPence)), ("unapportionedPence", .integer(split.unapportionedPence)),
                    ("councils", .array(shown(split).map { share in
                        JSONOut.object([
                            ("council", .string(share.council.raw)), ("pence", .integer(share.pence)),
                            ("days", JSONOut.int(share.daysBorne)),
                        ])
                    })),
                    ("periods", .array(split.segments.map { segment in
                        JSONOut.object([
                            ("from", JSONOut.date(segment.from)), ("to", JSONOut.date(segment.to)),
                            ("days", JSONOut.int(segment.days)), ("yearDays", JSONOut.int(segment.yearDays)),
                            ("annualPence", .integer(segment.cost.annualPence)),
                            ("onCostBasisPoints", .integer(segment.cost.onCostBasisPoints)),
                            ("basis", segment.shares.map { .string($0.basis.rawValue) } ?? .null),
                            ("weights", segment.shares.map { shares in
                                JSONOut.object(shares.weights.map { ($0.council.raw, JSONValue.integer($0.weight)) })
                            } ?? .null),
                            ("leavers", .array(segment.leavers.map { .string($0.raw) })),
                        ])
                    })),
                ])
            })),
        ])
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
