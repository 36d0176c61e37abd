import Events

// The generic parts of the packed layout (`PackedWriter`, `PackedReader`),
// here beside their one caller rather than in `Events`: called from another
// module, they were not specialized, and every element of every shard
// fetched type metadata at run time (a save took longer packed than as text).

extension PackedWriter {
    /// A flag byte, then the value if there is one.
    mutating func optional<Value>(_ value: Value?, _ write: (inout Self, Value) -> Void) {
        guard let value else {
            byte(0)
            return
        }
        byte(1)
        write(&self, value)
    }

    mutating func list<Items: Collection>(_ items: Items, _ write: (inout Self, Items.Element) -> Void) {
        count(items.count)
        for item in items { write(&self, item) }
    }

    mutating func ids(_ values: [Identifier]) { list(values) { $0.id($1) } }

    /// A case of a fixed enumeration, as its place in `packedCases`.
    mutating func choice<Value: PackedChoice>(_ value: Value) {
        byte(UInt8(Value.packedCases.firstIndex(of: value)!))
    }
}

extension PackedReader {
    mutating func choice<Value: PackedChoice>(_: Value.Type) -> Value? {
        guard let place = byte(), Int(place) < Value.packedCases.count else { return nil }
        return Value.packedCases[Int(place)]
    }
}
