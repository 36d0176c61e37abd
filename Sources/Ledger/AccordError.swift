import Events

/// Everything that can stop a command, with the exit status of SPEC §7 and
/// enough detail for a person to fix the input or the file.
public struct AccordError: Error, Sendable, CustomStringConvertible {
    public enum Kind: Sendable {
        /// Rejected by a sovereignty or ledger rule (exit 1).
        case rejected
        /// Bad command line or malformed input (exit 2).
        case usage
        /// Tampered, torn or unreadable ledger, or a write that could not be made durable (exit 3).
        case integrity
        /// `expect` did not match the head, or an id was reused for different content (exit 4).
        case conflict

        public var exitStatus: Int32 {
            switch self {
            case .rejected: 1
            case .usage: 2
            case .integrity: 3
            case .conflict: 4
            }
        }
    }

    public var kind: Kind
    /// Where: `input:3`, `ledger.jsonl seq 12`, `--year`; empty when it is the whole command.
    public var position: String
    /// Which field, dotted (`data.weights.redcar`); empty when not about one field.
    public var field: String
    public var message: String
    /// What to do about it, when there is something specific.
    public var hint: String?
    /// The underlying system error, if any.
    public var cause: String?
    /// Rule findings behind a rejection.
    public var findings: [Finding]

    public init(
        _ kind: Kind, position: String = "", field: String = "", _ message: String, hint: String? = nil,
        cause: String? = nil, findings: [Finding] = []
    ) {
        self.kind = kind
        self.position = position
        self.field = field
        self.message = message
        self.hint = hint
        self.cause = cause
        self.findings = findings
    }

    public var exitStatus: Int32 { kind.exitStatus }

    /// The sentence printed after `accord: error: `.
    public var description: String {
        var text = [position, field].filter { !$0.isEmpty }.joined(separator: ": ")
        text += text.isEmpty ? message : ": " + message
        if let cause { text += " (" + cause + ")" }
        if let hint { text += "\n  hint: " + hint }
        return text
    }

    static func io(_ error: Platform.SystemError, _ message: String, hint: String? = nil) -> AccordError {
        AccordError(.integrity, message, hint: hint, cause: error.description)
    }
}
