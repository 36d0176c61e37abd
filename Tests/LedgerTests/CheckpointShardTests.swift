import Events
import Testing

@testable import Ledger

/// A shard's body is a line of JSON (its header) and then the state's own
/// bytes, sealed (`CheckpointShard`). Both readers of the header find the
/// state's bytes exactly, whatever bytes the state holds; a shard of the
/// earlier version, with its state as JSON inside the header, is not read.
@Suite struct CheckpointShardTests {
    static let someIDs: [String: (seq: Int, content: SHA256Digest)] = [
        "invoice-7": (3, SHA256.hash(Array("a".utf8))), "line \"2\"\n": (9, SHA256.hash(Array("b".utf8))),
    ]

    /// The state's bytes include newlines, braces and zero bytes, which a header reader must not stop at.
    static let stateBytes: [UInt8] = [0x01, 0x0A, 0x7D, 0x00, 0x0A, 0x7B, 0xFF]

    static func body(ids: [String: (seq: Int, content: SHA256Digest)], state: [UInt8]?) throws -> [UInt8] {
        let sealed = CheckpointShard.encode(generation: 0xDEAD_BEEF_0042, index: 17, stamp: 400, ids: ids, state: state)
        let body = try #require(Sealed.body(of: sealed))
        return Array(sealed[body])
    }

    @Test(arguments: [false, true])
    func bothReadersFindTheStateExactly(_ withState: Bool) throws {
        let state = withState ? Self.stateBytes : nil
        for ids in [[:], Self.someIDs] {
            let body = try Self.body(ids: ids, state: state)
            let decoded = try #require(body.withUnsafeBytes { CheckpointShard.decode($0) })
            #expect(decoded.generation == 0xDEAD_BEEF_0042 && decoded.index == 17 && decoded.stamp == 400)
            #expect(decoded.state.map { Array(body[$0]) } == state)
            #expect(decoded.ids.mapValues(\.seq) == ids.mapValues(\.seq))
            #expect(decoded.ids.mapValues(\.content) == ids.mapValues(\.content))
            let laidOut = body.withUnsafeBytes { CheckpointShard.laidOut($0) }
            if ids.isEmpty {
                let header = try #require(laidOut)
                #expect(header.generation == 0xDEAD_BEEF_0042 && header.index == 17 && header.stamp == 400)
                #expect(header.state.map { Array(body[$0]) } == state)
            } else {
                #expect(laidOut == nil, "a header with keys is left to the JSON reader")
            }
        }
    }

    /// Version 1 held the state inside the header; such a shard is refused by
    /// both readers, so the cache is rebuilt from the ledger, not misread.
    @Test func aShardOfTheEarlierVersionIsNotRead() throws {
        let old = Array(#"{"version":1,"generation":"dead","index":17,"stamp":400,"ids":{},"state":{"world":{}}}"#.utf8)
        #expect(old.withUnsafeBytes { CheckpointShard.laidOut($0) } == nil)
        #expect(old.withUnsafeBytes { CheckpointShard.decode($0) } == nil)
        var renumbered = try Self.body(ids: [:], state: Self.stateBytes)
        let versionDigit = Array(#"{"version":"#.utf8).count
        #expect(renumbered[versionDigit] == UInt8(ascii: "2"))
        renumbered[versionDigit] = UInt8(ascii: "1")
        #expect(renumbered.withUnsafeBytes { CheckpointShard.laidOut($0) } == nil)
        #expect(renumbered.withUnsafeBytes { CheckpointShard.decode($0) } == nil)
    }
}
