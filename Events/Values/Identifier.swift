/// A short id chosen by the people who register a thing (`darlington`, `p-12`).
///
/// The shape `[a-z0-9-]+` keeps ids safe to print in any report, file name or
/// minute, and the length cap stops a pasted paragraph becoming a key.
public struct Identifier: Hashable, Comparable, Sendable, CustomStringConvertible, ExpressibleByStringLiteral {
    public let raw: String

    public static let maxLength = 64

    public init?(_ text: String) {
        guard Self.problem(with: text) == nil else { return nil }
        raw = text
    }

    /// For a decoder that has just checked `problem(with:)` itself, so an id is not checked twice.
    package init(checked text: String) {
        assert(Self.problem(with: text) == nil, "unchecked identifier \(text)")
        raw = text
    }

    public init(stringLiteral value: String) {
        precondition(Self.problem(with: value) == nil, "invalid identifier literal \(value)")
        raw = value
    }

    /// Why `text` is not an id, in words an officer can act on; `nil` if it is one.
    public static func problem(with text: String) -> String? {
        if text.isEmpty { return "must not be empty" }
        if text.utf8.count > maxLength { return "must be at most \(maxLength) characters" }
        for byte in text.utf8 where !isIDByte(byte) {
            return "must use only lowercase letters a-z, digits 0-9 and '-'"
        }
        return nil
    }

    /// A byte an id may hold: a-z, 0-9 or '-'.
    @usableFromInline
    static func isIDByte(_ byte: UInt8) -> Bool {
        byte &- 97 < 26 || byte &- 48 < 10 || byte == UInt8(ascii: "-")
    }

    /// Whether every one of `bytes` is an id's, with no early exit: the
    /// layout reader asks this of every id of every line it reads, and over a
    /// slice with ranges it cost a thousand instructions a line (callgrind).
    static func areIDBytes(_ bytes: UnsafeRawBufferPointer) -> Bool {
        var bad = false
        for byte in bytes { bad = bad || !isIDByte(byte) }
        return !bad
    }

    public var description: String { raw }
    public static func < (lhs: Identifier, rhs: Identifier) -> Bool {
        // Byte order, as SPEC §5.1's tie rule says. An id is ASCII, and for
        // ASCII the standard library's string order is byte order, on a path
        // faster than walking the two UTF-8 views (`IdentifierOrderTests`).
        lhs.raw < rhs.raw
    }

    /// `ids` in byte order. Each id's first sixteen bytes, as two integers,
    /// decide most comparisons (ids are short): sorting thousands of ids by
    /// comparing strings cost a report milliseconds.
    /// Inlinable so that callers in other modules get it specialized for
    /// their sequence (a dictionary's keys), not generic code asking for type
    /// metadata at run time.
    @inlinable
    public static func sorted(_ ids: some Sequence<Identifier>) -> [Identifier] {
        var keyed = ids.map { (key: $0.prefixKey, id: $0) }
        keyed.sort { $0.key != $1.key ? $0.key < $1.key : $0.id < $1.id }
        return keyed.map(\.id)
    }

    /// A dictionary's entries, in the order `sorted(_:)` gives their ids.
    public static func sortedByID<Value>(_ all: [Identifier: Value]) -> [(id: Identifier, entry: Value)] {
        sorted(all.keys).map { ($0, all[$0]!) }
    }

    /// The first sixteen bytes, big-endian, zero-padded: zero is below every
    /// byte an id may hold, so a shorter id comes first as in byte order.
    @usableFromInline
    var prefixKey: (UInt64, UInt64) {
        var high: UInt64 = 0, low: UInt64 = 0
        for (index, byte) in raw.utf8.prefix(16).enumerated() {
            if index < 8 { high |= UInt64(byte) << (56 - 8 * index) } else { low |= UInt64(byte) << (56 - 8 * (index - 8)) }
        }
        return (high, low)
    }
}

/// Who recorded an event: `"<council>/<officer>"`.
public struct Author: Hashable, Sendable, CustomStringConvertible {
    public let council: Identifier
    public let officer: Identifier

    public init(council: Identifier, officer: Identifier) {
        self.council = council
        self.officer = officer
    }

    public init?(_ text: String) {
        // Ids never contain '/', so the first slash splits; a second makes the officer invalid.
        guard let slash = text.utf8.firstIndex(of: UInt8(ascii: "/")),
            let council = Identifier(String(text[..<slash])),
            let officer = Identifier(String(text[text.utf8.index(after: slash)...]))
        else { return nil }
        self.init(council: council, officer: officer)
    }

    public var description: String { council.raw + "/" + officer.raw }
}
