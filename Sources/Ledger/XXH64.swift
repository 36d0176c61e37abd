/// XXH64, the 64-bit xxHash (Yann Collet's specification, xxhash_spec.md):
/// a fast checksum, not a cryptographic hash. It seals checkpoint shards
/// (`ShardSeal`), which are a cache: damage must be noticed, and an unkeyed
/// hash of either kind cannot stop a deliberate edit. Every byte of the
/// ledger itself is still chained with SHA-256.
enum XXH64 {
    private static let prime1: UInt64 = 0x9E37_79B1_85EB_CA87
    private static let prime2: UInt64 = 0xC2B2_AE3D_27D4_EB4F
    private static let prime3: UInt64 = 0x1656_67B1_9E37_79F9
    private static let prime4: UInt64 = 0x85EB_CA77_C2B2_AE63
    private static let prime5: UInt64 = 0x27D4_EB2F_1656_67C5

    static func hash(_ bytes: UnsafeRawBufferPointer, seed: UInt64 = 0) -> UInt64 {
        let count = bytes.count
        var at = 0
        var hash: UInt64
        if count >= 32 {
            var lanes = (seed &+ prime1 &+ prime2, seed &+ prime2, seed, seed &- prime1)
            // Bounded by the length: each turn takes a 32-byte stripe.
            while at + 32 <= count {
                lanes.0 = round(lanes.0, word(bytes, at))
                lanes.1 = round(lanes.1, word(bytes, at + 8))
                lanes.2 = round(lanes.2, word(bytes, at + 16))
                lanes.3 = round(lanes.3, word(bytes, at + 24))
                at += 32
            }
            hash = lanes.0.rotated(1) &+ lanes.1.rotated(7) &+ lanes.2.rotated(12) &+ lanes.3.rotated(18)
            hash = merge(hash, lanes.0)
            hash = merge(hash, lanes.1)
            hash = merge(hash, lanes.2)
            hash = merge(hash, lanes.3)
        } else {
            hash = seed &+ prime5
        }
        hash &+= UInt64(count)
        while at + 8 <= count {
            hash ^= round(0, word(bytes, at))
            hash = hash.rotated(27) &* prime1 &+ prime4
            at += 8
        }
        if at + 4 <= count {
            hash ^= UInt64(UInt32(littleEndian: bytes.loadUnaligned(fromByteOffset: at, as: UInt32.self))) &* prime1
            hash = hash.rotated(23) &* prime2 &+ prime3
            at += 4
        }
        while at < count {
            hash ^= UInt64(bytes[at]) &* prime5
            hash = hash.rotated(11) &* prime1
            at += 1
        }
        hash ^= hash >> 33
        hash &*= prime2
        hash ^= hash >> 29
        hash &*= prime3
        hash ^= hash >> 32
        return hash
    }

    @inline(__always)
    private static func word(_ bytes: UnsafeRawBufferPointer, _ at: Int) -> UInt64 {
        UInt64(littleEndian: bytes.loadUnaligned(fromByteOffset: at, as: UInt64.self))
    }

    @inline(__always)
    private static func round(_ lane: UInt64, _ input: UInt64) -> UInt64 {
        (lane &+ input &* prime2).rotated(31) &* prime1
    }

    @inline(__always)
    private static func merge(_ hash: UInt64, _ lane: UInt64) -> UInt64 {
        (hash ^ round(0, lane)) &* prime1 &+ prime4
    }
}

extension UInt64 {
    @inline(__always)
    fileprivate func rotated(_ bits: UInt64) -> UInt64 { (self << bits) | (self >> (64 - bits)) }
}
