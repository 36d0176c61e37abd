import Events
import Ledger
import Projections

enum NoticesCommand {
    static let command = Command(
        name: "notices", summary: "notices served, when each takes effect, days left",
        usage: """
            usage: accord notices [--as-of DATE] [--known-at SEQ] [--ledger PATH] [--format table|csv|json]

            Every notice to withdraw served by the as-of date: the council's last day
            as a party (SPEC §5.2: the corresponding date after the notice period, or
            the last day of a shorter month, then aligned to a month end or 31 March
            if the rule says so; a post's own rule before its agreement's) and the
            days left from the as-of date to that last day.
            \(ReportContext.viewpointUsage)

            """,
        spec: OptionSpec(values: ReportContext.viewpointOptions),
        run: run)

    static func run(_ arguments: Arguments) throws(AccordError) -> CommandResult {
        let format = try arguments.format()
        // Notices need only who is party to what and the notices themselves.
        var world = World()
        world.keepsProposals = false
        world.keepsMoney = false
        let context = try ReportContext.load(arguments, world: world, needs: Notices.eventTypes.contains)
        let rows = Notices.rows(context.world, asOf: context.referenceDate)
        switch format {
        case .json:
            let notices: [JSONValue] = rows.map { row in
                var members: [(String, JSONValue)] = [("seq", JSONOut.int(row.seq)), ("council", .string(row.council.raw))]
                switch row.subject {
                case .agreement(let id): members.append(("agreement", .string(id.raw)))
                case .post(let id): members.append(("post", .string(id.raw)))
                }
                members += [
                    ("served", JSONOut.date(row.served)), ("lastDay", JSONOut.date(row.lastDay)),
                    ("daysLeft", JSONOut.int(row.daysLeft)), ("rescinded", .bool(row.rescinded)),
                    ("status", .string(row.status.rawValue)),
                ]
                return JSONOut.object(members)
            }
            return CommandResult(stdout: JSONOut.render(JSONOut.object(context.jsonMembers + [("notices", .array(notices))])))
        case .csv, .table:
            var table = Table([
                .init(title: "seq", alignment: .right), .init(title: "council"), .init(title: "withdraws from"),
                .init(title: "served"), .init(title: "last day"), .init(title: "days left", alignment: .right),
                .init(title: "status"),
            ])
            for row in rows {
                table.add([
                    String(row.seq), row.council.raw, row.subject.description, row.served.iso, row.lastDay.iso,
                    String(row.daysLeft), row.status.rawValue,
                ])
            }
            if format == .csv { return CommandResult(stdout: table.renderCSV()) }
            let body = rows.isEmpty ? "No notice has been served.\n" : table.renderText()
            return CommandResult(stdout: "Notices \(context.caption)\n\n" + body)
        }
    }
}
