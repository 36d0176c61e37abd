import Events

#if canImport(Glibc)
import Glibc
#endif

/// One shard of the checkpoint: the idempotency keys and the part of the
/// validator's state whose keys hash to this shard, so that an append reads
/// and rewrites only the few shards its events reach, not the whole state.
///
/// A version of a shard in the pack is trusted only when its `generation` is
/// the checkpoint's and its `index` and `stamp` (the head seq of the append
/// that wrote it) are those the table holds for it; anything else means a
/// crash or an edit came between them, and the whole checkpoint is rebuilt
/// from the ledger. Its last line is the XXH64 of the rest (`ShardSeal`).
///
/// Its body is a line of JSON (the header: version, generation, index, stamp
/// and the keys), then the state's own bytes (`ReplayState.shards`), if any.
/// Version 1 held the state as JSON text inside the header, and version 2 was
/// sealed with SHA-256; a pack of either is not read (its seal does not
/// match), so the first append after an upgrade rebuilds it.
struct CheckpointShard {
    static let version: Int64 = 3

    var generation: UInt64
    var index: Int
    var stamp: Int
    var ids: [String: (seq: Int, content: SHA256Digest)]
    /// Where the state's bytes lie in the body; nil for a shard holding only idempotency keys.
    var state: Range<Int>?

    /// Which of `count` shards a key (an id, or a name in the state) lives in: FNV-1a, so it never changes.
    static func index(of key: String, count: Int) -> Int {
        // Over the bytes where they lie: stepping through `utf8` a byte at a
        // time went through the string's representations at every step, and
        // this runs for every name every record reaches, on both threads.
        let hash = key.utf8.withContiguousStorageIfAvailable(fnv1a) ?? fnv1a(Array(key.utf8))
        // The same number either way for a power of two (every real count);
        // a division by a count known only at run time waits tens of cycles,
        // for each of the 1.8 million names the 10th batch onto 900,000 records reaches.
        guard count & (count - 1) == 0 else { return Int(hash % UInt64(count)) }
        return Int(truncatingIfNeeded: hash & UInt64(count - 1))
    }

    /// FNV-1a, 64 bits.
    static func fnv1a<Bytes: Sequence<UInt8>>(_ bytes: Bytes) -> UInt64 {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in bytes {
            hash ^= UInt64(byte)
            hash = hash &* 0x100_0000_01b3
        }
        return hash
    }

    static func directory(for ledgerPath: String) -> String { ledgerPath + ".checkpoint.d" }

    /// A shard's sealed bytes. `state` is the state's bytes for this shard
    /// (nil for a shard holding only idempotency keys), written as they are.
    static func encode(
        generation: UInt64, index: Int, stamp: Int, ids: [String: (seq: Int, content: SHA256Digest)],
        state: UnsafeRawBufferPointer?
    ) -> [UInt8] {
        // Sized once for the header, the state and the seal, and sealed in place:
        // tens of thousands of shards were each copied twice on the way out.
        var writer = JSONWriter()
        writer.bytes.reserveCapacity((state?.count ?? 0) + 128 + ids.count * 96 + ShardSeal.sealBytes)
        // Written member by member in the order `laidOut` reads: made through
        // an object encoder (names checked, the generation made a String
        // first), the headers of the 23,000 shards a late batch writes cost
        // 4,500 instructions each.
        writer.writeRaw(#"{"version":"#)
        writer.writeInteger(version)
        // A string: JSON integers here are signed 64-bit.
        writer.writeRaw(#","generation":""#)
        appendHex(generation, to: &writer.bytes)
        writer.writeRaw(#"","index":"#)
        writer.writeInteger(Int64(index))
        writer.writeRaw(#","stamp":"#)
        writer.writeInteger(Int64(stamp))
        if ids.isEmpty {
            writer.writeRaw(#","ids":{}"#)  // nearly every shard: no sort, no nested encoder
        } else {
            writer.writeRaw(#","ids":"#)
            var members = ObjectEncoder(appendingTo: &writer.bytes)
            for key in ids.keys.sorted() {
                let entry = ids[key]!
                members.array(named: key) { pair in
                    pair.integer(Int64(entry.seq))
                    pair.string(entry.content.hex)
                }
            }
            writer = members.finish()
        }
        // The header's end: JSON text escapes every newline inside a string.
        writer.writeRaw("}\n")
        var bytes: [UInt8] = []
        swap(&bytes, &writer.bytes)  // taken, not shared: appending to a shared buffer would copy it
        if let state { bytes.append(contentsOf: state) }
        ShardSeal.seal(&bytes)
        return bytes
    }

    /// `value` in lowercase hex, no leading zeros, as `String(_:radix:)` writes it.
    private static func appendHex(_ value: UInt64, to bytes: inout [UInt8]) {
        let digitCount = max(1, (64 - value.leadingZeroBitCount + 3) / 4)
        for position in stride(from: digitCount - 1, through: 0, by: -1) {
            bytes.append(JSONWriter.lowerHex[Int((value >> UInt64(position * 4)) & 0xF)])
        }
    }

    /// A shard from its unsealed body (`ShardSeal.body(of:)`), its header through a JSON tree.
    static func decode(_ body: UnsafeRawBufferPointer) -> CheckpointShard? {
        guard let newline = body.firstIndex(of: 0x0A),
            case .object(let o)? = try? JSONParser.parse(UnsafeRawBufferPointer(rebasing: body[..<newline])),
            o.members.count == 5, o["version"] == .integer(version),
            case .string(let generationText)? = o["generation"], let generation = UInt64(generationText, radix: 16),
            case .integer(let index)? = o["index"], index >= 0,
            case .integer(let stamp)? = o["stamp"], stamp >= 1,
            case .object(let idObject)? = o["ids"],
            let ids = readIDs(idObject)
        else { return nil }
        let state = newline + 1 < body.count ? (newline + 1)..<body.count : nil
        return CheckpointShard(generation: generation, index: Int(index), stamp: Int(stamp), ids: ids, state: state)
    }
}

extension CheckpointShard {
    /// The header of a shard with no idempotency keys, read by position as
    /// `encode` writes it, and where its state's bytes lie in `body` (nil for
    /// none). Nil for anything else, which `decode` reads through a tree.
    static func laidOut(_ body: UnsafeRawBufferPointer) -> (generation: UInt64, index: Int, stamp: Int, state: Range<Int>?)? {
        var c = LayoutCursor(bytes: body)
        guard c.expect(#"{"version":"#), c.integer() == Int(version), c.expect(#","generation":""#), let hex = c.plain(),
            let generation = hexValue(UnsafeRawBufferPointer(rebasing: body[hex])),
            c.expect(#","index":"#), let index = c.integer(), c.expect(#","stamp":"#), let stamp = c.integer(), stamp >= 1,
            c.expect(#","ids":{}}"#), c.expect("\n")
        else { return nil }
        return (generation, index, stamp, c.offset < body.count ? c.offset..<body.count : nil)
    }

    /// 1 to 16 lowercase hex digits, no leading zero, as `encode` writes a
    /// generation; nil for anything else (which `decode` then reads, if it can).
    /// Not through a String: that was a thousand instructions a shard.
    private static func hexValue(_ digits: UnsafeRawBufferPointer) -> UInt64? {
        guard (1...16).contains(digits.count), digits.count == 1 || digits[0] != UInt8(ascii: "0") else { return nil }
        var value: UInt64 = 0
        for digit in digits {
            let nibble: UInt8
            switch digit {
            case 48...57: nibble = digit - 48
            case 97...102: nibble = digit - 87
            default: return nil
            }
            value = value << 4 | UInt64(nibble)
        }
        return value
    }

    fileprivate static func readIDs(_ object: JSONObject) -> [String: (seq: Int, content: SHA256Digest)]? {
        var ids: [String: (seq: Int, content: SHA256Digest)] = [:]
        ids.reserveCapacity(object.members.count)
        for member in object.members {
            guard case .array(let pair) = member.value, pair.count == 2, case .integer(let s) = pair[0], s >= 1,
                case .string(let contentHex) = pair[1], let content = SHA256Digest(hex: contentHex)
            else { return nil }
            ids[member.key] = (Int(s), content)
        }
        return ids
    }
}

/// A body (JSON, or a shard's header and state) followed by a line holding
/// its SHA-256, so that a torn or edited cache file is noticed rather than believed.
enum Sealed {
    static func seal(_ body: consuming [UInt8]) -> [UInt8] {
        var bytes = consume body
        seal(&bytes)
        return bytes
    }

    /// What `seal` adds: a newline, 64 hex digits, a newline.
    static let sealBytes = 66

    /// Seals `bytes` where they are. (Passed by value, a buffer the caller
    /// still held was copied whole before the seal went on: a copy of every
    /// shard a batch writes.)
    static func seal(_ bytes: inout [UInt8]) {
        let digest = SHA256.hash(bytes)
        bytes.append(0x0A)
        digest.writeHex(into: &bytes)
        bytes.append(0x0A)
    }

    /// A cache file's members as one sealed JSON object.
    static func seal(_ members: [JSONObject.Member]) -> [UInt8] {
        seal(JSONWriter.encode(.object(JSONObject(members))))
    }

    /// The object a sealed file holds, if the seal matches and it parses.
    static func object(_ bytes: [UInt8]) -> JSONObject? {
        guard let body = body(of: bytes),
            case .object(let object)? = bytes.withUnsafeBytes({ try? JSONParser.parse(UnsafeRawBufferPointer(rebasing: $0[body])) })
        else { return nil }
        return object
    }

    /// Writes a cache beside the ledger, best effort: one that cannot be
    /// written only means the next command does more work. Several readers
    /// may write the same one at once, so each uses its own temporary file.
    static func writeBestEffort(_ bytes: [UInt8], to path: String) {
        try? Platform.makeDirectory(Platform.directory(of: path))
        try? Platform.replaceFile(path, with: bytes, sync: false, temporarySuffix: ".tmp.\(getpid())")
    }

    /// Where the body lies in `bytes`, if the seal matches it: a range, not a
    /// copy, since a report's snapshot is megabytes read on every run.
    static func body(of bytes: [UInt8]) -> Range<Int>? {
        bytes.withUnsafeBytes { body(of: $0) }
    }

    /// `body(of:)` over bytes lent for a call.
    static func body(of bytes: UnsafeRawBufferPointer) -> Range<Int>? {
        // Compared with the hex as `seal` writes it (lowercase), eight digits
        // at a time: parsed through a String first, the seal of each of the
        // 23,000 shards a late batch read cost more than 1,500 instructions.
        body(of: bytes, sealBytes: sealBytes) { body, digits in SHA256.hash(body).matchesHex(digits) }
    }

    /// Where the body lies in `bytes`, if they end in a newline, a line of
    /// `sealBytes - 2` digits and a newline, and `matches` takes the digits for the body.
    static func body(
        of bytes: UnsafeRawBufferPointer, sealBytes: Int,
        matching matches: (_ body: UnsafeRawBufferPointer, _ digits: UnsafeRawBufferPointer) -> Bool
    ) -> Range<Int>? {
        guard bytes.count > sealBytes, bytes[bytes.count - 1] == 0x0A, bytes[bytes.count - sealBytes] == 0x0A else {
            return nil
        }
        let body = 0..<(bytes.count - sealBytes)
        let digits = UnsafeRawBufferPointer(rebasing: bytes[(bytes.count - sealBytes + 1)..<(bytes.count - 1)])
        return matches(UnsafeRawBufferPointer(rebasing: bytes[body]), digits) ? body : nil
    }
}
