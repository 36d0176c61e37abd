import Events
import Ledger
import Projections

enum SplitsCommand {
    static let command = Command(
        name: "splits", summary: "cost splits per post and council, to the penny",
        usage: """
            usage: accord splits [--year Y | --from DATE --to DATE] [--post P] [--council C]
                                 [--as-of DATE] [--known-at SEQ] [--ledger PATH] [--format table|csv|json]

            Each shared post's cost over the period, day by day at the cost and
            apportionment in force, split between the councils sharing it (SPEC §5.1).
            Cost nobody has agreed to bear (no apportionment, or a leaver's share) is
            shown as unapportioned, never spread over the others. Each post is rounded
            once: its total half up to the penny, councils by largest remainder.

            --year Y       the financial year starting 1 April Y (2013 or 2013-14);
                           default: the year containing the as-of date
            --from, --to   any period instead, both days included
            --post P       only this post;  --council C  only this council's lines
            \(ReportContext.viewpointUsage)

            """,
        spec: OptionSpec(values: ["--year", "--from", "--to", "--post", "--council"] + ReportContext.viewpointOptions),
        run: run)

    static func run(_ arguments: Arguments) throws(AccordError) -> CommandResult {
        let format = try arguments.format()
        let post = try arguments.identifier("--post")
        let council = try arguments.identifier("--council")
        let requested = try period(arguments)
        // Splits need costs, apportionments and parties only; over a given period,
        // history superseded before it is forgotten as it streams past.
        var world = World()
        world.keepsProposals = false
        world.forgetsBefore = requested?.0
        world.ignoresAfter = requested?.1
        // The period shapes the world (what is forgotten before it, ignored after it), so it names the snapshot.
        let snapshot = "splits " + (requested.map { "\($0.0.iso) \($0.1.iso)" } ?? "whole-history")
        let context = try ReportContext.load(arguments, world: world, needs: Splits.eventTypes.contains, snapshot: snapshot)
        let (from, to) = requested ?? {
            let year = FinancialYear(containing: context.referenceDate)
            return (year.first, year.last)
        }()
        if let post, context.world.posts[post] == nil {
            throw AccordError(.usage, position: "--post", "there is no post \"\(post)\" in the ledger")
        }
        let runner = Commands.cores
        // The process ends after this report: the world is left for the exit to reclaim, not freed entry by entry.
        defer { Platform.keepUntilExit(context) }
        do throws(Splits.Failure) {
            if format == .json {
                // Each post is written out on the core that worked it out, and not kept.
                let posts = try Splits.chunks(context.world, from: from, to: to, post: post, runner: runner, start: [UInt8]()) {
                    SplitsReport.appendJSON($1, council: council, to: &$0)
                }
                let report = SplitsReport(from: from, to: to, splits: [], council: council, context: context)
                var output = report.json(posts: posts)
                output.append(UInt8(ascii: "\n"))
                return CommandResult(output: output)
            }
            let splits = try Splits.compute(context.world, from: from, to: to, post: post, runner: runner)
            let report = SplitsReport(from: from, to: to, splits: splits, council: council, context: context)
            return CommandResult(stdout: format == .csv ? report.csv() : report.text())
        } catch {
            throw AccordError(.integrity, position: "post \(error.post)", error.message)
        }
    }

    static func period(_ arguments: Arguments) throws(AccordError) -> (CalendarDate, CalendarDate)? {
        let from = try arguments.date("--from"), to = try arguments.date("--to")
        if let text = arguments.value("--year") {
            guard from == nil, to == nil else {
                throw arguments.usage("give either --year or --from and --to, not both")
            }
            guard let year = FinancialYear(parsing: text), (1900...2998).contains(year.startYear) else {
                throw AccordError(
                    .usage, position: "--year", "\"\(text)\" is not a financial year; use 2013 or 2013-14")
            }
            return (year.first, year.last)
        }
        switch (from, to) {
        case (nil, nil): return nil
        case (let from?, let to?):
            guard from <= to else {
                throw AccordError(.usage, position: "--to", "the period ends (\(to)) before it starts (\(from))")
            }
            return (from, to)
        default:
            throw arguments.usage("--from and --to go together")
        }
    }
}
