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
        let sealed =
            if let state {
                state.withUnsafeBytes {
                    CheckpointShard.encode(generation: 0xDEAD_BEEF_0042, index: 17, stamp: 400, ids: ids, state: $0)
                }
            } else {
                CheckpointShard.encode(generation: 0xDEAD_BEEF_0042, index: 17, stamp: 400, ids: ids, state: nil)
            }
        let body = try #require(ShardSeal.body(of: sealed))
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

    /// A header without keys is written by hand, for speed: byte for byte
    /// the JSON the encoder writes, read back by both readers, at the ends of
    /// every field's range.
    @Test(arguments: [
        (0 as UInt64, 0, 1), (1, 1, 2), (0xF, 9, 10), (0x10, 10, 99), (0xDEAD_BEEF_0042, 17, 400),
        (UInt64.max, 65_535, Int(Int32.max) << 16),
    ])
    func aHeaderWithoutKeysIsTheJSONTheEncoderWrites(generation: UInt64, index: Int, stamp: Int) throws {
        let sealed = CheckpointShard.encode(generation: generation, index: index, stamp: stamp, ids: [:], state: nil)
        let body = Array(sealed[try #require(ShardSeal.body(of: sealed))])
        var expected: [UInt8] = []
        var o = ObjectEncoder(appendingTo: &expected)
        o.integer("version", CheckpointShard.version)
        o.string("generation", String(generation, radix: 16))
        o.integer("index", index)
        o.integer("stamp", stamp)
        o.object("ids") { _ in }
        expected = o.finish().bytes + [0x0A]
        #expect(body == expected, "\(String(decoding: body, as: UTF8.self))")
        let laidOut = try #require(body.withUnsafeBytes { CheckpointShard.laidOut($0) })
        #expect(laidOut.generation == generation && laidOut.index == index && laidOut.stamp == stamp)
        #expect(laidOut.state == nil)
        let decoded = try #require(body.withUnsafeBytes { CheckpointShard.decode($0) })
        #expect(decoded.generation == generation && decoded.index == index && decoded.stamp == stamp)
    }

    /// With idempotency keys too, the header is the encoder's JSON, the keys
    /// in byte order, which the JSON reader then reads back.
    @Test func aHeaderWithKeysIsTheJSONTheEncoderWrites() throws {
        let sealed = CheckpointShard.encode(generation: 0xDEAD_BEEF_0042, index: 17, stamp: 400, ids: Self.someIDs, state: nil)
        let body = Array(sealed[try #require(ShardSeal.body(of: sealed))])
        var expected: [UInt8] = []
        var o = ObjectEncoder(appendingTo: &expected)
        o.integer("version", CheckpointShard.version)
        o.string("generation", String(0xDEAD_BEEF_0042 as UInt64, radix: 16))
        o.integer("index", 17)
        o.integer("stamp", 400)
        o.object("ids") { members in
            for key in Self.someIDs.keys.sorted() {
                let entry = Self.someIDs[key]!
                members.array(named: key) { pair in
                    pair.integer(Int64(entry.seq))
                    pair.string(entry.content.hex)
                }
            }
        }
        expected = o.finish().bytes + [0x0A]
        #expect(body == expected, "\(String(decoding: body, as: UTF8.self))")
    }

    /// The header reader by position takes the generation only as `encode`
    /// writes it (lowercase, no leading zero, at most 16 digits); any other
    /// spelling is left to the JSON reader, which decides.
    @Test(arguments: ["0ff", "FF", "", "1x", "11111111111111111", "-1", "+f"])
    func aGenerationSpeltOtherwiseIsLeftToTheJSONReader(_ spelling: String) {
        let header =
            Array(#"{"version":\#(CheckpointShard.version),"generation":"\#(spelling)","index":17,"stamp":400,"ids":{}}"#.utf8) + [0x0A]
        #expect(header.withUnsafeBytes { CheckpointShard.laidOut($0) } == nil)
    }

    /// The seal is the XXH64 of the body in 16 lowercase hex digits, as
    /// `seal` writes it; the same checksum in capitals, any digit changed, a
    /// byte of the body changed or cut off is not believed, and the shard is
    /// then read from the ledger instead.
    @Test func onlyTheSealAsWrittenIsBelieved() {
        let body = Array("a shard's body".utf8)
        let sealed = ShardSeal.sealed(body)
        #expect(sealed.count == body.count + ShardSeal.sealBytes)
        #expect(ShardSeal.body(of: sealed) == 0..<14)
        let checksum = body.withUnsafeBytes { XXH64.hash($0) }
        #expect(Array(sealed[14...]) == Array("\n\(String(checksum, radix: 16).leftPadded(to: 16))\n".utf8))
        let digits = (sealed.count - 17)..<(sealed.count - 1)
        var capitals = sealed
        // a-f to A-F; digits stay.
        for index in digits where sealed[index] >= UInt8(ascii: "a") { capitals[index] = sealed[index] - 32 }
        #expect(capitals != sealed, "the checksum has letters in it")
        #expect(ShardSeal.body(of: capitals) == nil)
        for index in digits {
            var changed = sealed
            changed[index] = changed[index] == UInt8(ascii: "0") ? UInt8(ascii: "1") : UInt8(ascii: "0")
            #expect(ShardSeal.body(of: changed) == nil, "digit \(index)")
        }
        for index in body.indices {
            var changed = sealed
            changed[index] ^= 0x01
            #expect(ShardSeal.body(of: changed) == nil, "body byte \(index)")
        }
        #expect(ShardSeal.body(of: Array(sealed.dropFirst())) == nil)
        #expect(ShardSeal.body(of: Array(sealed.dropLast())) == nil)
        #expect(ShardSeal.body(of: Array(sealed.suffix(ShardSeal.sealBytes))) == nil, "a seal with no body")
    }

    /// Version 2 sealed shards with SHA-256, as the other cache files are
    /// (`Sealed`): such a shard is not believed, so the cache is rebuilt.
    @Test func aShardSealedWithSHA256IsNotRead() throws {
        let body = try Self.body(ids: [:], state: Self.stateBytes)
        #expect(ShardSeal.body(of: Sealed.seal(body)) == nil)
        #expect(ShardSeal.body(of: ShardSeal.sealed(body)) == 0..<body.count)
    }

    /// Version 1 held the state inside the header; such a shard, or this one
    /// numbered 1, is refused by both readers, so the cache is rebuilt from
    /// the ledger, not misread.
    @Test func aShardOfTheEarlierVersionIsNotRead() throws {
        let old = Array(#"{"version":1,"generation":"dead","index":17,"stamp":400,"ids":{},"state":{"world":{}}}"#.utf8)
        #expect(old.withUnsafeBytes { CheckpointShard.laidOut($0) } == nil)
        #expect(old.withUnsafeBytes { CheckpointShard.decode($0) } == nil)
        var renumbered = try Self.body(ids: [:], state: Self.stateBytes)
        let versionDigit = Array(#"{"version":"#.utf8).count
        #expect(renumbered[versionDigit] == UInt8(ascii: "3"))
        renumbered[versionDigit] = UInt8(ascii: "1")
        #expect(renumbered.withUnsafeBytes { CheckpointShard.laidOut($0) } == nil)
        #expect(renumbered.withUnsafeBytes { CheckpointShard.decode($0) } == nil)
    }

    /// Which shard a name lives in is FNV-1a over its UTF-8, fixed for ever:
    /// every checkpoint on disk is laid out by it. (key, FNV-1a 64, its shard
    /// of 65,536, its shard of the largest 32-bit prime). The first three
    /// hashes are the published FNV test vectors; the long name is stored
    /// natively, not inline, and the last is not ASCII.
    static let names: [(String, UInt64, Int, Int)] = [
        ("", 0xcbf2_9ce4_8422_2325, 8_997, 2_145_334_189),
        ("a", 0xaf63_dc4c_8601_ec8c, 60_556, 4_076_157_463),
        ("foobar", 0x8594_4171_f739_67e8, 26_600, 2_468_261_676),
        ("redcar-and-cleveland/dcs-2024", 0xfde1_aade_08a7_ede7, 60_903, 4_262_478_929),
        ("caf\u{e9}", 0x48e8_823a_cfa4_0d89, 3_465, 1_009_686_709),
    ]

    @Test(arguments: names)
    func aNameLivesInTheShardItsHashSays(_ key: String, _ hash: UInt64, _ of65536: Int, _ ofPrime: Int) {
        #expect(CheckpointShard.fnv1a(Array(key.utf8)) == hash)
        #expect(CheckpointShard.index(of: key, count: 1 << 16) == of65536)
        #expect(CheckpointShard.index(of: key, count: 4_294_967_291) == ofPrime)
    }

    /// A key's shard is its FNV-1a hash modulo the count, whether the count
    /// is a power of two (masked) or not (divided): the layout on disk.
    @Test(arguments: [1, 2, 7, 64, 1000, 4096, 1 << 16])
    func aKeysShardIsItsHashModuloTheCount(_ count: Int) {
        for key in ["darlington", "p-7", "notice #1234", "", "a-much-longer-name-than-sixteen-bytes", "line \"2\"\n"] {
            let expected = Int(CheckpointShard.fnv1a(Array(key.utf8)) % UInt64(count))
            #expect(CheckpointShard.index(of: key, count: count) == expected, "\(key) of \(count)")
        }
    }
}

extension String {
    fileprivate func leftPadded(to length: Int) -> String { String(repeating: "0", count: max(0, length - count)) + self }
}
