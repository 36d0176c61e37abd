/// A problem with one field of one event, in words an officer can act on.
/// The caller adds the position (`input:3`, `ledger seq 12`).
public struct FieldError: Error, Hashable, Sendable, CustomStringConvertible {
    /// Dotted path from the event object, e.g. `data.weights.redcar`; empty for the whole line.
    public var field: String
    public var message: String

    public init(field: String, message: String) {
        self.field = field
        self.message = message
    }

    public var description: String { field.isEmpty ? message : field + ": " + message }
}
