/// One JSON value, as read by `JSONParser` and written by `JSONWriter`.
///
/// Numbers are split in two so that nothing is lost: an integer literal that
/// fits `Int64` is `.integer`; every other valid number literal (a fraction,
/// an exponent, or an integer too large for `Int64`) is kept as its literal
/// text in `.number`, so errors can quote exactly what was written.
///
/// Equality of `.string` values and of object keys is Swift `String`
/// equality (Unicode canonical equivalence), the same rule the parser uses to
/// find duplicate keys.
public enum JSONValue: Sendable, Equatable {
    case null
    case bool(Bool)
    /// A number literal with no fraction or exponent that fits `Int64` (`-0` is `0`).
    case integer(Int64)
    /// Any other valid number literal, as written. `JSONWriter` copies it out
    /// verbatim, so it must be a valid JSON number literal.
    case number(String)
    case string(String)
    case array([JSONValue])
    case object(JSONObject)
}

/// A JSON object: its members in document order.
public struct JSONObject: Sendable, Equatable {
    public struct Member: Sendable, Equatable {
        public var key: String
        public var value: JSONValue

        public init(key: String, value: JSONValue) {
            self.key = key
            self.value = value
        }
    }

    /// Members in document (or writing) order. Objects from `JSONParser` never
    /// repeat a key.
    public var members: [Member]

    public init(_ members: [Member] = []) {
        self.members = members
    }

    /// The value of the first member named `key`. A linear scan: the objects
    /// in a ledger line are small.
    public subscript(key: String) -> JSONValue? {
        for member in members where member.key == key {
            return member.value
        }
        return nil
    }

    /// The keys, in order.
    public var keys: [String] { members.map(\.key) }
}
