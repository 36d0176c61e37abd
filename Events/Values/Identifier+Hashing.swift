/// Where a dictionary or set keyed by ids puts each one.
///
/// The standard library hashes a key by running SipHash over it through a
/// `Hasher`, which is made, fed and finalized for every lookup. Every table
/// of councils, proposals, posts and agreements is keyed by ids, and under
/// callgrind of the 10th 100,000-record batch onto 900,000 records that
/// hashing was three quarters of the cost of the 1.3 million lookups (342 of
/// 461 M instructions), most of them on the one thread that judges. An id is
/// at most 64 ASCII bytes, so its bucket comes from its bytes a word at a
/// time, each folded in by a 64 × 64 → 128-bit multiply, with the table's own
/// seed and a key drawn once per process mixed in, so that which ids collide
/// differs from run to run as it does with SipHash. `hash(into:)`, used where
/// an id is part of a larger key, is still the standard one.
///
/// Equal ids hash alike because equal ids have the same bytes: an id holds
/// only a-z, 0-9 and '-' (`problem(with:)`), and for ASCII, string equality
/// is byte equality.
extension Identifier {
    /// Drawn once per process.
    static let hashKey = UInt64.random(in: UInt64.min...UInt64.max)

    public func _rawHashValue(seed: Int) -> Int {
        let start = Self.hashKey ^ UInt64(truncatingIfNeeded: seed)
        // Every string on this platform is native and so contiguous; the
        // fallback is for a string that is not, which would hash alike on every call.
        guard let hash = raw.utf8.withContiguousStorageIfAvailable({ Self.hash(UnsafeRawBufferPointer($0), start: start) })
        else {
            var hasher = Hasher()
            hasher.combine(seed)
            hasher.combine(raw)
            return hasher.finalize()
        }
        return Int(truncatingIfNeeded: hash)
    }

    /// `bytes` folded into `start`, a word at a time, then the length.
    static func hash(_ bytes: UnsafeRawBufferPointer, start: UInt64) -> UInt64 {
        var hash = start
        var offset = 0
        // Bounded by the bytes: eight a pass.
        while offset + 8 <= bytes.count {
            hash = fold(hash ^ bytes.loadUnaligned(fromByteOffset: offset, as: UInt64.self), 0xA076_1D64_78BD_642F)
            offset += 8
        }
        let rest = bytes.count - offset
        var last: UInt64 = 0
        if rest > 0, bytes.count >= 8 {
            // The last eight bytes in one load, those already folded in shifted out.
            last = bytes.loadUnaligned(fromByteOffset: bytes.count - 8, as: UInt64.self) >> UInt64(8 * (8 - rest))
        } else {
            var shift: UInt64 = 0
            // Bounded: fewer than eight bytes.
            while offset < bytes.count {
                last |= UInt64(bytes[offset]) << shift
                shift += 8
                offset += 1
            }
        }
        hash = fold(hash ^ last ^ 0xE703_7ED1_A0B4_28DB, 0xA076_1D64_78BD_642F)
        return fold(hash ^ UInt64(bytes.count), 0x8EBC_6AF0_9C88_C6E3)
    }

    /// The two halves of `a × b` folded together: every bit of each input
    /// reaches the low bits, which pick the bucket.
    @inline(__always)
    static func fold(_ a: UInt64, _ b: UInt64) -> UInt64 {
        let product = a.multipliedFullWidth(by: b)
        return product.high ^ product.low
    }
}
