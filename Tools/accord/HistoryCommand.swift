import Events
import Ledger
import Projections

enum HistoryCommand {
    static let command = Command(
        name: "history", summary: "the timeline of an agreement, a post or a council",
        usage: """
            usage: accord history (--agreement A | --post P | --council C)
                                  [--as-of DATE] [--known-at SEQ] [--ledger PATH] [--format table|csv|json]

            Every record that touches the subject, in ledger order, with when it took
            effect, when it was recorded and by whom. A retracted record stays in the
            history, marked with the seq that retracted it.
            \(ReportContext.viewpointUsage)

            """,
        spec: OptionSpec(values: ["--agreement", "--post", "--council"] + ReportContext.viewpointOptions),
        run: run)

    static func run(_ arguments: Arguments) throws(AccordError) -> CommandResult {
        let format = try arguments.format()
        let choices: [History.Subject] = [
            try arguments.identifier("--agreement").map(History.Subject.agreement),
            try arguments.identifier("--post").map(History.Subject.post),
            try arguments.identifier("--council").map(History.Subject.council),
        ].compactMap { $0 }
        guard choices.count == 1, let subject = choices.first else {
            throw arguments.usage("name exactly one of --agreement, --post or --council")
        }
        var history = History(subject: subject)
        let context = try ReportContext.load(arguments, each: { history.add($0) })
        switch subject {
        case .agreement(let id) where context.world.agreements[id] == nil && history.lines.isEmpty,
             .post(let id) where context.world.posts[id] == nil && history.lines.isEmpty,
             .council(let id) where context.world.councils[id] == nil && history.lines.isEmpty:
            throw AccordError(.usage, position: "--" + kind(subject), "nothing in the ledger is about \(kind(subject)) \"\(id)\"")
        default: break
        }
        switch format {
        case .json:
            let lines: [JSONValue] = history.lines.map { line in
                let record = (try? JSONParser.parse(EventEncoder.encodeRecord(line.record))) ?? .null
                return JSONOut.object([
                    ("record", record), ("summary", .string(line.record.event.summary)),
                    ("retractedBy", line.retractedBy.map { JSONOut.int($0) } ?? .null),
                ])
            }
            return CommandResult(stdout: JSONOut.render(JSONOut.object(context.jsonMembers + [("history", .array(lines))])))
        case .csv, .table:
            var table = Table([
                .init(title: "seq", alignment: .right), .init(title: "effective"), .init(title: "recorded"),
                .init(title: "by"), .init(title: "what"), .init(title: "note"),
            ])
            for line in history.lines {
                table.add([
                    String(line.record.seq), line.record.effective.iso, line.record.recorded.rfc3339,
                    line.record.by.description, line.record.event.summary,
                    line.retractedBy.map { "retracted by seq \($0)" } ?? "",
                ])
            }
            if format == .csv { return CommandResult(stdout: table.renderCSV()) }
            return CommandResult(stdout: "History of \(kind(subject)) \(name(subject)), \(context.caption)\n\n" + table.renderText())
        }
    }

    static func kind(_ subject: History.Subject) -> String {
        switch subject {
        case .agreement: "agreement"
        case .post: "post"
        case .council: "council"
        }
    }

    static func name(_ subject: History.Subject) -> String {
        switch subject {
        case .agreement(let id), .post(let id), .council(let id): id.raw
        }
    }
}
