import Events
import Ledger
import Projections

// A shard as `shards(_:in:)` writes it, read by position:
// `{"world":<checkpoint text>,"noticeOwners":[[seq,"council"],…]}`. The world
// goes to the checkpoint's own reader (`World(checkpointText:)`). The last
// 100,000-record batch onto 900,000 spent a quarter of its time building
// JSON trees of the shards it loaded.

extension SovereigntyState {
    public mutating func load(shardText text: UnsafeRawBufferPointer) -> Bool? {
        let opening: StaticString = #"{"world":"#, owners: StaticString = #","noticeOwners":["#
        let start = LayoutCursor(bytes: text)
        if text.count == 4, start.matches("null", at: 0) { return true }  // a shard holding only idempotency keys
        guard start.matches(opening, at: 0), text.count > opening.utf8CodeUnitCount + owners.utf8CodeUnitCount,
            let split = Self.lastMatch(owners, in: text, after: opening.utf8CodeUnitCount)
        else { return nil }
        var cursor = LayoutCursor(bytes: text, offset: split + owners.utf8CodeUnitCount)
        var pairs: [(seq: Int, council: Identifier)] = []
        if !cursor.expect("]") {
            // Bounded by the text: each turn consumes at least `[0,""]`.
            repeat {
                guard cursor.expect("["), let seq = cursor.integer(), cursor.expect(#",""#), let range = cursor.plain(),
                    let council = Identifier(String(decoding: UnsafeRawBufferPointer(rebasing: text[range]), as: UTF8.self)),
                    cursor.expect("]")
                else { return nil }
                pairs.append((seq, council))
            } while cursor.expect(",")
            guard cursor.expect("]") else { return nil }
        }
        guard cursor.expect("}"), cursor.offset == text.count,
            let part = World(checkpointText: UnsafeRawBufferPointer(rebasing: text[opening.utf8CodeUnitCount..<split]))
        else { return nil }
        return merge(part, owners: pairs)
    }

    /// Where `literal` last begins in `text` at or after `floor`. The owners'
    /// member is the state's last, and its own text cannot hold the literal
    /// (a quote inside a string is escaped), so the last match is the member.
    private static func lastMatch(_ literal: StaticString, in text: UnsafeRawBufferPointer, after floor: Int) -> Int? {
        let cursor = LayoutCursor(bytes: text)
        var at = text.count - literal.utf8CodeUnitCount
        // Bounded: `at` falls by one each turn.
        while at >= floor {
            if cursor.matches(literal, at: at) { return at }
            at -= 1
        }
        return nil
    }
}
