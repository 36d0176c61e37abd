import Events
import Ledger

/// The options one command accepts, so a typo such as `--yaer` is an error
/// that lists what would have worked instead of being ignored.
struct OptionSpec: Sendable {
    var values: [String] = []
    var flags: [String] = []
    var positionals: ClosedRange<Int> = 0...0
    var positionalName = ""
}

/// A parsed command line: `--name value`, `--name=value`, flags, positionals.
struct Arguments {
    let command: String
    private(set) var values: [String: String] = [:]
    private(set) var flags: Set<String> = []
    private(set) var positionals: [String] = []

    /// Options every command understands.
    static let globalValues = ["--ledger", "--format"]

    init(command: String, _ arguments: [String], spec: OptionSpec) throws(AccordError) {
        self.command = command
        let allowedValues = Set(spec.values + Self.globalValues)
        let allowedFlags = Set(spec.flags + ["--help", "-h"])
        var index = 0
        var onlyPositionals = false
        while index < arguments.count {
            let argument = arguments[index]
            index += 1
            if onlyPositionals || !argument.hasPrefix("-") || argument == "-" {
                positionals.append(argument)
                continue
            }
            if argument == "--" {
                onlyPositionals = true
                continue
            }
            var name = argument
            var inlineValue: String?
            if let equals = argument.firstIndex(of: "=") {
                name = String(argument[..<equals])
                inlineValue = String(argument[argument.index(after: equals)...])
            }
            if allowedFlags.contains(name) {
                guard inlineValue == nil else {
                    throw usage("\(name) takes no value")
                }
                flags.insert(name == "-h" ? "--help" : name)
            } else if allowedValues.contains(name) {
                let value: String
                if let inlineValue {
                    value = inlineValue
                } else {
                    guard index < arguments.count else { throw usage("\(name) needs a value") }
                    value = arguments[index]
                    index += 1
                }
                if values[name] != nil { throw usage("\(name) is given twice") }
                values[name] = value
            } else {
                let known = (spec.values + Self.globalValues + spec.flags + ["--help"]).sorted().joined(separator: ", ")
                throw usage("unknown option \(name) for `accord \(command)` (it takes: \(known))")
            }
        }
        if flags.contains("--help") { return }
        if !spec.positionals.contains(positionals.count) {
            if positionals.count > spec.positionals.upperBound {
                throw usage("unexpected argument \"\(positionals[spec.positionals.upperBound])\"")
            }
            throw usage("missing \(spec.positionalName)")
        }
    }

    func usage(_ message: String) -> AccordError {
        AccordError(.usage, message, hint: "see `accord \(command) --help`")
    }

    var wantsHelp: Bool { flags.contains("--help") }

    func value(_ name: String) -> String? { values[name] }

    func date(_ name: String) throws(AccordError) -> CalendarDate? {
        guard let text = values[name] else { return nil }
        guard let date = CalendarDate(iso: text) else {
            throw AccordError(.usage, position: name, "\"\(text)\" is not a date; use YYYY-MM-DD, a day that exists")
        }
        return date
    }

    func positiveInteger(_ name: String) throws(AccordError) -> Int? {
        guard let text = values[name] else { return nil }
        guard let value = Int(text), value >= 0 else {
            throw AccordError(.usage, position: name, "\"\(text)\" is not a record seq (a whole number, 0 or more)")
        }
        return value
    }

    func identifier(_ name: String) throws(AccordError) -> Identifier? {
        guard let text = values[name] else { return nil }
        if let problem = Identifier.problem(with: text) {
            throw AccordError(.usage, position: name, "\"\(text)\" is not an id: \(problem)")
        }
        return Identifier(text)
    }

    /// `--ledger PATH`, else `ACCORD_LEDGER`, else `ledger.jsonl` (SPEC §1).
    var ledgerPath: String {
        values["--ledger"] ?? Platform.environment("ACCORD_LEDGER").flatMap { $0.isEmpty ? nil : $0 } ?? "ledger.jsonl"
    }

    func format() throws(AccordError) -> OutputFormat {
        guard let text = values["--format"] else { return .table }
        guard let format = OutputFormat(rawValue: text) else {
            throw AccordError(.usage, position: "--format", "\"\(text)\" is not a format; use table, csv or json")
        }
        return format
    }
}

enum OutputFormat: String {
    case table, csv, json
}
