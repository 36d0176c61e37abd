import Events
import Ledger
import Projections

// A shard as `shards(_:in:)` writes it, read by position:
// `{"world":<checkpoint text>,"noticeOwners":[[seq,"council"],…]}`. The world
// goes to the checkpoint's own reader (`World(checkpointText:)`). The last
// 100,000-record batch onto 900,000 spent a quarter of its time building
// JSON trees of the shards it loaded.

extension SovereigntyState {
    /// One shard's world and the owners of the notices in it, read apart from the state.
    public struct ShardPart: Sendable {
        /// Nil for a shard holding only idempotency keys.
        var world: World?
        var owners: [(seq: Int, council: Identifier)]
    }

    public mutating func merge(_ part: ShardPart) -> Bool {
        guard let world = part.world else { return part.owners.isEmpty }
        return merge(world, owners: part.owners)
    }

    public static func part(ofShardText text: UnsafeRawBufferPointer) -> ShardPart? {
        let opening: StaticString = #"{"world":"#, owners: StaticString = #","noticeOwners":["#
        let start = LayoutCursor(bytes: text)
        if text.count == 4, start.matches("null", at: 0) { return ShardPart(world: nil, owners: []) }
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
            let world = World(checkpointText: UnsafeRawBufferPointer(rebasing: text[opening.utf8CodeUnitCount..<split]))
        else { return nil }
        return ShardPart(world: world, owners: pairs)
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
