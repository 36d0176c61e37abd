import Events

/// A checkpoint shard's seal: its body, then a line holding the body's XXH64
/// in 16 lowercase hex digits, so that a torn or damaged version is noticed
/// and the shard rebuilt from the ledger rather than believed. The other
/// cache files keep SHA-256 (`Sealed`); shards are the ones read and written
/// by the tens of thousands, where SHA-256 was the cost: the 10th
/// 100,000-record batch onto 900,000 records seals 26 MB of shards and checks
/// 53 MB, about 44 ms of SHA-256 against 8 ms of XXH64 (measured in C on the
/// benchmark machine, 800-byte pieces).
enum ShardSeal {
    /// What `seal` adds: a newline, 16 hex digits, a newline.
    static let sealBytes = 18

    /// Seals `bytes` where they are.
    static func seal(_ bytes: inout [UInt8]) {
        let checksum = bytes.withUnsafeBytes { XXH64.hash($0) }
        bytes.append(0x0A)
        for position in stride(from: 15, through: 0, by: -1) {
            bytes.append(JSONWriter.lowerHex[Int((checksum >> UInt64(position * 4)) & 0xF)])
        }
        bytes.append(0x0A)
    }

    static func sealed(_ body: [UInt8]) -> [UInt8] {
        var bytes = body
        seal(&bytes)
        return bytes
    }

    /// Where the body lies in `bytes`, if the seal matches it as `seal` writes it.
    static func body(of bytes: [UInt8]) -> Range<Int>? {
        bytes.withUnsafeBytes { body(of: $0) }
    }

    /// `body(of:)` over bytes lent for a call (a shard read from the pack).
    static func body(of bytes: UnsafeRawBufferPointer) -> Range<Int>? {
        Sealed.body(of: bytes, sealBytes: sealBytes) { body, digits in
            let checksum = XXH64.hash(body)
            // Compared with the digits as `seal` writes them, where they lie.
            return (0..<16).allSatisfy { digits[$0] == JSONWriter.lowerHex[Int((checksum >> UInt64((15 - $0) * 4)) & 0xF)] }
        }
    }
}
