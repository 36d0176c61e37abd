/// Why a document is not (strict, RFC 8259) JSON, and where.
///
/// `offset` is the zero-based byte offset into the input of the byte that made
/// the document invalid (for an unexpected end, the input's length).
public struct JSONError: Error, Sendable, Equatable, CustomStringConvertible {
    /// Byte offset in the input where the problem is.
    public var offset: Int
    /// Plain English, e.g. `duplicate key "council"` or `unexpected end of input`.
    public var message: String

    public init(offset: Int, message: String) {
        self.offset = offset
        self.message = message
    }

    public var description: String { "byte \(offset): \(message)" }
}
