import Events
import Ledger

enum LogCommand {
    static let command = Command(
        name: "log", summary: "list records",
        usage: """
            usage: accord log [--type TYPE] [--council C] [--ledger PATH] [--format table|csv|json]

            Lists the ledger's records in order, after verifying the chain. --type keeps
            one event type (e.g. council.decided); --council keeps records a council
            recorded or that name it.

            """,
        spec: OptionSpec(values: ["--type", "--council"]),
        run: run)

    static func run(_ arguments: Arguments) throws(AccordError) -> CommandResult {
        let format = try arguments.format()
        var type: EventType?
        if let text = arguments.value("--type") {
            guard let parsed = EventType(rawValue: text) else {
                throw AccordError(
                    .usage, position: "--type", "\"\(text)\" is not an event type",
                    hint: "types: " + EventType.allCases.map(\.rawValue).joined(separator: ", "))
            }
            type = parsed
        }
        let council = try arguments.identifier("--council")
        var table = Table([
            .init(title: "seq", alignment: .right), .init(title: "effective"), .init(title: "recorded"), .init(title: "type"),
            .init(title: "by"), .init(title: "what"),
        ])
        var json: [JSONValue] = []
        _ = try LedgerStore(path: arguments.ledgerPath).readVerified { (record) throws(AccordError) in
            if let type, record.type != type { return }
            if let council, record.by.council != council, !record.event.councils.contains(council) { return }
            switch format {
            case .json:
                let line = EventEncoder.encodeRecord(record)
                json.append((try? JSONParser.parse(line)) ?? .null)
            case .table, .csv:
                table.add([
                    String(record.seq), record.effective.iso, record.recorded.rfc3339, record.type.rawValue,
                    record.by.description, record.event.summary,
                ])
            }
        }
        switch format {
        case .json: return CommandResult(stdout: JSONOut.render(JSONOut.object([("records", .array(json))])))
        case .csv: return CommandResult(stdout: table.renderCSV())
        case .table: return CommandResult(stdout: table.renderText())
        }
    }
}
