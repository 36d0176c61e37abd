/// Reads typed fields out of one JSON object, naming the dotted path of any
/// field that is missing or ill-typed.
///
/// `strict` readers (appended input) also reject fields they do not know, so a
/// misspelt optional field such as `leaves` can never be silently dropped from a
/// legal record; lenient readers (stored records) ignore them, as SPEC §4 says
/// a reader of a newer ledger must.
struct FieldReader {
    let object: JSONObject
    let path: String
    let strict: Bool

    /// Free text is for people; the cap stops a pasted document or a hostile
    /// 10 MB string from being written into a record every report prints.
    static let maxTextBytes = 2000

    init(_ object: JSONObject, path: String, strict: Bool) {
        self.object = object
        self.path = path
        self.strict = strict
    }

    init(_ value: JSONValue, path: String, strict: Bool) throws(FieldError) {
        guard case .object(let object) = value else {
            throw FieldError(field: path, message: "must be a JSON object, got \(Self.kind(of: value))")
        }
        self.init(object, path: path, strict: strict)
    }

    func fieldPath(_ key: String) -> String {
        let shown = Self.clipped(key)
        return path.isEmpty ? shown : path + "." + shown
    }

    /// Hostile input can carry megabyte keys and numbers; a message quotes at most a screenful.
    static func clipped(_ text: String, limit: Int = 64) -> String {
        text.utf8.count <= limit ? text : String(decoding: text.utf8.prefix(limit), as: UTF8.self) + "…"
    }

    func error(_ key: String, _ message: String) -> FieldError {
        FieldError(field: fieldPath(key), message: message)
    }

    /// Rejects keys outside `known` when strict.
    func checkKnown(_ known: [String]) throws(FieldError) {
        guard strict else { return }
        for key in object.keys where !known.contains(key) {
            throw error(key, "is not a field of this event (expected one of: \(known.joined(separator: ", ")))")
        }
    }

    func required(_ key: String) throws(FieldError) -> JSONValue {
        guard let value = object[key], value != .null else { throw error(key, "is required") }
        return value
    }

    func optional(_ key: String) -> JSONValue? {
        guard let value = object[key], value != .null else { return nil }
        return value
    }

    // MARK: Scalars

    func string(_ key: String) throws(FieldError) -> String {
        try text(try required(key), key)
    }

    func optionalString(_ key: String) throws(FieldError) -> String? {
        guard let value = optional(key) else { return nil }
        return try text(value, key)
    }

    private func text(_ value: JSONValue, _ key: String) throws(FieldError) -> String {
        guard case .string(let s) = value else {
            throw error(key, "must be a string, got \(Self.kind(of: value))")
        }
        if s.isEmpty { throw error(key, "must not be empty") }
        if s.utf8.count > Self.maxTextBytes {
            throw error(key, "is \(s.utf8.count) bytes long; at most \(Self.maxTextBytes) are allowed")
        }
        var text = s
        // Every text field of every record passes here: scan the contiguous bytes.
        if text.withUTF8({ $0.contains { $0 < 0x20 || $0 == 0x7F } }) {
            throw error(key, "must not contain control characters such as line breaks or tabs")
        }
        return s
    }

    func identifier(_ key: String) throws(FieldError) -> Identifier {
        try identifier(try required(key), path: fieldPath(key))
    }

    func optionalIdentifier(_ key: String) throws(FieldError) -> Identifier? {
        guard let value = optional(key) else { return nil }
        return try identifier(value, path: fieldPath(key))
    }

    /// `path` is built only for an error: every id of every record passes here.
    func identifier(_ value: JSONValue, path: @autoclosure () -> String) throws(FieldError) -> Identifier {
        guard case .string(let s) = value else {
            throw FieldError(field: path(), message: "must be an id string, got \(Self.kind(of: value))")
        }
        if let problem = Identifier.problem(with: s) {
            throw FieldError(field: path(), message: "\(Self.quote(s)) is not a valid id: \(problem)")
        }
        return Identifier(checked: s)
    }

    /// A non-empty list of distinct ids.
    func identifiers(_ key: String, allowEmpty: Bool = false) throws(FieldError) -> [Identifier] {
        try identifierList(try required(key), key, allowEmpty: allowEmpty)
    }

    func optionalIdentifiers(_ key: String) throws(FieldError) -> [Identifier] {
        guard let value = optional(key) else { return [] }
        return try identifierList(value, key, allowEmpty: true)
    }

    private func identifierList(_ value: JSONValue, _ key: String, allowEmpty: Bool) throws(FieldError) -> [Identifier] {
        guard case .array(let items) = value else {
            throw error(key, "must be a list of ids, got \(Self.kind(of: value))")
        }
        if items.isEmpty && !allowEmpty { throw error(key, "must name at least one") }
        var ids: [Identifier] = []
        ids.reserveCapacity(items.count)
        for (index, item) in items.enumerated() {
            let id = try identifier(item, path: fieldPath(key) + "[\(index)]")
            if ids.contains(id) { throw error(key, "names \(id) twice") }
            ids.append(id)
        }
        return ids
    }

    func date(_ key: String) throws(FieldError) -> CalendarDate {
        try date(try required(key), key)
    }

    func optionalDate(_ key: String) throws(FieldError) -> CalendarDate? {
        guard let value = optional(key) else { return nil }
        return try date(value, key)
    }

    private func date(_ value: JSONValue, _ key: String) throws(FieldError) -> CalendarDate {
        guard case .string(let s) = value else {
            throw error(key, "must be a date string YYYY-MM-DD, got \(Self.kind(of: value))")
        }
        guard let date = CalendarDate(iso: s) else {
            throw error(key, "\(Self.quote(s)) is not a calendar date (YYYY-MM-DD, a day that exists, years 1900-2999)")
        }
        return date
    }

    /// A whole number in `range`; `unit` words the message ("pence", "months").
    func integer(_ key: String, in range: ClosedRange<Int64>, unit: String) throws(FieldError) -> Int64 {
        try integer(try required(key), path: fieldPath(key), in: range, unit: unit)
    }

    func optionalInteger(_ key: String, in range: ClosedRange<Int64>, unit: String) throws(FieldError) -> Int64? {
        guard let value = optional(key) else { return nil }
        return try integer(value, path: fieldPath(key), in: range, unit: unit)
    }

    func integer(_ value: JSONValue, path: @autoclosure () -> String, in range: ClosedRange<Int64>, unit: String) throws(FieldError) -> Int64 {
        let number: Int64
        switch value {
        case .integer(let i): number = i
        case .number(let literal):
            let isWhole = !literal.contains(where: { $0 == "." || $0 == "e" || $0 == "E" })
            let shown = Self.clipped(literal)
            let message: String
            if !isWhole {
                message = "must be a whole number of \(unit), got \(shown)"
            } else if literal.hasPrefix("-") {
                message = range.lowerBound == 0
                    ? "must not be negative, got \(shown)" : "must be at least \(range.lowerBound) \(unit), got \(shown)"
            } else {
                message = "\(shown) is too large (at most \(range.upperBound) \(unit))"
            }
            throw FieldError(field: path(), message: message)
        default:
            throw FieldError(field: path(), message: "must be a whole number of \(unit), got \(Self.kind(of: value))")
        }
        guard range.contains(number) else {
            if number < range.lowerBound {
                throw FieldError(
                    field: path(),
                    message: range.lowerBound == 0
                        ? "must not be negative, got \(number)" : "must be at least \(range.lowerBound) \(unit), got \(number)")
            }
            throw FieldError(field: path(), message: "\(number) is too large (at most \(range.upperBound) \(unit))")
        }
        return number
    }

    func object(_ key: String) throws(FieldError) -> FieldReader {
        try FieldReader(try required(key), path: fieldPath(key), strict: strict)
    }

    func optionalObject(_ key: String) throws(FieldError) -> FieldReader? {
        guard let value = optional(key) else { return nil }
        return try FieldReader(value, path: fieldPath(key), strict: strict)
    }

    func enumeration<E: RawRepresentable & CaseIterable>(_ key: String, _ type: E.Type) throws(FieldError) -> E
    where E.RawValue == String {
        try enumeration(try required(key), key, type)
    }

    func optionalEnumeration<E: RawRepresentable & CaseIterable>(_ key: String, _ type: E.Type) throws(FieldError) -> E?
    where E.RawValue == String {
        guard let value = optional(key) else { return nil }
        return try enumeration(value, key, type)
    }

    private func enumeration<E: RawRepresentable & CaseIterable>(_ value: JSONValue, _ key: String, _ type: E.Type)
        throws(FieldError) -> E
    where E.RawValue == String {
        // The list of choices is only worded when it is needed: this runs for every stored record.
        var choices: String { E.allCases.map { Self.quote($0.rawValue) }.joined(separator: ", ") }
        guard case .string(let s) = value else {
            throw error(key, "must be one of \(choices), got \(Self.kind(of: value))")
        }
        guard let result = E(rawValue: s) else {
            throw error(key, "\(Self.quote(s)) is not one of \(choices)")
        }
        return result
    }

    // MARK: Wording

    static func kind(of value: JSONValue) -> String {
        switch value {
        case .null: "null"
        case .bool(let b): b ? "true" : "false"
        case .integer(let i): "the number \(i)"
        case .number(let literal): "the number \(literal)"
        case .string(let s): "the string \(quote(s))"
        case .array: "a list"
        case .object: "an object"
        }
    }

    /// Quotes user text for a message, cut short so a hostile value cannot flood the terminal.
    static func quote(_ s: String) -> String {
        let limit = 40
        if s.count <= limit { return "\"" + s + "\"" }
        return "\"" + s.prefix(limit) + "…\" (\(s.utf8.count) bytes)"
    }
}
