import Events
import Ledger
import Projections

/// What a command printed and how it ended, so `main` is the only place that
/// touches the process's streams and exit status.
struct CommandResult {
    /// What goes to standard output, as bytes: a report of megabytes is
    /// written as it was encoded, not turned into a `String` and back.
    var output: [UInt8]
    var status: Int32 = 0

    init(stdout: String = "", status: Int32 = 0) {
        self.init(output: Array(stdout.utf8), status: status)
    }

    init(output: [UInt8], status: Int32 = 0) {
        self.output = output
        self.status = status
    }

    var stdout: String { String(decoding: output, as: UTF8.self) }
}

/// One `accord` subcommand.
struct Command: Sendable {
    var name: String
    var summary: String
    var usage: String
    var spec: OptionSpec
    var run: @Sendable (Arguments) throws(AccordError) -> CommandResult
}

enum Commands {
    /// The cores the command line lends to projections (`Cores.Runner`).
    static let cores: Cores.Runner = { Platform.inParallel($0, chunk: $1, $2) }

    static let all: [Command] = [
        InitCommand.command, AppendCommand.command, LogCommand.command, VerifyCommand.command,
        RepairCommand.command, SplitsCommand.command, NoticesCommand.command, DecisionsCommand.command,
        HistoryCommand.command, CheckCommand.command,
    ]

    static func named(_ name: String) -> Command? { all.first { $0.name == name } }

    static var overview: String {
        var text = """
            accord — the collaboration ledger for councils that share posts and services

            usage: accord <command> [options]

            commands:

            """
        let width = all.map(\.name.count).max() ?? 0
        for command in all {
            text += "  " + command.name + String(repeating: " ", count: width - command.name.count + 2) + command.summary + "\n"
        }
        text += """

            options every command takes:
              --ledger PATH     the ledger file (default: $ACCORD_LEDGER, else ledger.jsonl)
              --format FORMAT   table (default), csv or json
              --help            what a command does and the options it takes

            exit status: 0 success; 1 rejected by a rule, or check found breaches;
            2 usage error or malformed input; 3 integrity failure (tampered, torn or
            unreadable ledger, or a write that could not be made durable);
            4 conflict (expect did not match the head, or an id reused).

            """
        return text
    }
}
