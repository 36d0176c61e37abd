import Events
import Ledger

enum AppendCommand {
    static let command = Command(
        name: "append", summary: "validate and append one event or a batch",
        usage: """
            usage: accord append [FILE | -] [--ledger PATH] [--format table|json]

            Reads one event object, or several as JSON Lines (a batch), from FILE or
            standard input. Each event is {"type", "effective", "by", "data"} with
            optional "id" (an idempotency key) and "expect" (the seq the head must have).
            A batch is atomic: if any event is rejected, nothing is written.
            The recorded time is the system clock, or $ACCORD_CLOCK (RFC 3339).

            """,
        spec: OptionSpec(positionals: 0...1, positionalName: "FILE"),
        run: run)

    static func run(_ arguments: Arguments) throws(AccordError) -> CommandResult {
        let format = try arguments.format()
        let source = arguments.positionals.first ?? "-"
        let input = try InputReader.read(source)
        let events = try InputReader.events(name: input.name, bytes: input.bytes)
        let clock = try Clock.fromEnvironment()
        var store = LedgerStore(path: arguments.ledgerPath)
        store.freesBatchMemory = false  // the process ends after this command
        let outcome = try store.append(events, state: ValidatorState.self, clock: clock)
        Platform.keepUntilExit(events)
        Platform.keepUntilExit(outcome)
        return CommandResult(stdout: render(outcome, format: format))
    }

    static func render(_ outcome: AppendOutcome, format: OutputFormat) -> String {
        switch format {
        case .json:
            return JSONOut.render(
                JSONOut.object([
                    ("appended", .array(outcome.appended.map { .integer(Int64($0.seq)) })),
                    (
                        "alreadyRecorded",
                        .array(
                            outcome.alreadyRecorded.map {
                                JSONOut.object([("position", .string($0.position)), ("seq", .integer(Int64($0.seq)))])
                            })
                    ),
                    ("head", HeadJSON.encode(outcome.head)),
                ]))
        case .table, .csv:
            var text = ""
            if let first = outcome.appended.first, let last = outcome.appended.last {
                text +=
                    first.seq == last.seq
                    ? "appended seq \(first.seq) (\(first.type.rawValue))\n"
                    : "appended seq \(first.seq)–\(last.seq) (\(outcome.appended.count) records, one batch)\n"
            }
            for repeated in outcome.alreadyRecorded {
                text += "\(repeated.position): already recorded as seq \(repeated.seq); not appended again\n"
            }
            text += "ledger head \(outcome.head.seq) \(outcome.head.hash.hex)\n"
            return text
        }
    }
}

enum HeadJSON {
    static func encode(_ head: ChainPosition) -> JSONValue {
        JSONOut.object([("seq", .integer(Int64(head.seq))), ("hash", .string(head.hash.hex))])
    }
}
