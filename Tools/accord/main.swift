import Events
import Ledger

#if canImport(Glibc)
import Glibc
#endif

/// Entry point: finds the command, runs it, and turns its result or error
/// into output and an exit status (SPEC §7).
func runAccord(_ arguments: [String]) -> Int32 {
    guard let name = arguments.first else {
        Platform.writeStandard(2, Commands.overview)
        return 2
    }
    if name == "--help" || name == "-h" || name == "help" {
        Platform.writeStandard(1, Commands.overview)
        return 0
    }
    guard let command = Commands.named(name) else {
        Platform.writeStandard(
            2, "accord: error: unknown command \"\(name)\"\n  hint: the commands are \(Commands.all.map(\.name).joined(separator: ", "))\n")
        return 2
    }
    var jsonWanted = false
    do throws(AccordError) {
        let parsed = try Arguments(command: name, Array(arguments.dropFirst()), spec: command.spec)
        if parsed.wantsHelp {
            Platform.writeStandard(1, command.usage)
            return 0
        }
        jsonWanted = (try? parsed.format()) == .json
        let result = try command.run(parsed)
        Platform.writeStandard(1, result.output)
        return result.status
    } catch {
        if jsonWanted, !error.findings.isEmpty {
            Platform.writeStandard(1, JSONOut.render(JSONOut.object([("rejected", .array(error.findings.map(FindingJSON.encode)))])))
        }
        Platform.writeStandard(2, "accord: error: \(error)\n")
        return error.exitStatus
    }
}

exit(runAccord(Array(CommandLine.arguments.dropFirst())))
