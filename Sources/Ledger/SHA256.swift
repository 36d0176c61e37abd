// SHA-256 (FIPS 180-4).
//
// Everything lives inline in the struct (tuples, not arrays) so hashing a
// line never touches the heap; the ledger hashes millions of short lines.
//
// Block compression runs on the CPU's SHA extensions when present (the
// CSHA256 target, because Swift cannot reach those instructions) and
// otherwise in portable Swift below; padding and buffering are shared.

internal import CSHA256

public struct SHA256: Sendable {
    private typealias State = (UInt32, UInt32, UInt32, UInt32, UInt32, UInt32, UInt32, UInt32)

    private var state: State = (
        0x6a09_e667, 0xbb67_ae85, 0x3c6e_f372, 0xa54f_f53a,
        0x510e_527f, 0x9b05_688c, 0x1f83_d9ab, 0x5be0_cd19
    )
    // Holds a partial block between update() calls; 8 x UInt64 = 64 bytes inline.
    private var pending: (UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64) =
        (0, 0, 0, 0, 0, 0, 0, 0)
    private var pendingCount = 0
    private var messageLength: UInt64 = 0  // in bytes; FIPS wants bits mod 2^64, done at finalize
    // Decided per hasher, not per call or via a global switch, so tests can
    // pin one hasher to the portable path while parallel tests use the other.
    private let accelerated: Bool

    /// Whether this CPU has the SHA extensions; cpuid is asked only once.
    static let hardwareAccelerationAvailable: Bool = accord_sha256_has_shani() != 0

    public init() {
        accelerated = Self.hardwareAccelerationAvailable
    }

    /// `forcePortable` exists so tests can check the Swift compression on
    /// machines that would otherwise never run it.
    init(forcePortable: Bool) {
        accelerated = !forcePortable && Self.hardwareAccelerationAvailable
    }

    public mutating func update(_ bytes: UnsafeRawBufferPointer) {
        var input = bytes
        guard !input.isEmpty else { return }
        messageLength &+= UInt64(input.count)

        if pendingCount > 0 {
            let take = min(64 - pendingCount, input.count)
            let start = pendingCount
            withUnsafeMutableBytes(of: &pending) { buffer in
                UnsafeMutableRawBufferPointer(rebasing: buffer[start ..< start + take])
                    .copyMemory(from: UnsafeRawBufferPointer(rebasing: input[..<take]))
            }
            pendingCount += take
            input = UnsafeRawBufferPointer(rebasing: input[take...])
            guard pendingCount == 64 else { return }
            withUnsafeBytes(of: pending) { Self.compress(&state, blocks: $0, accelerated: accelerated) }
            pendingCount = 0
        }

        // Whole blocks are compressed straight from the caller's memory.
        let wholeBytes = input.count & ~63
        if wholeBytes > 0 {
            Self.compress(
                &state, blocks: UnsafeRawBufferPointer(rebasing: input[..<wholeBytes]), accelerated: accelerated)
        }

        let tail = input.count - wholeBytes
        if tail > 0 {
            withUnsafeMutableBytes(of: &pending) { buffer in
                UnsafeMutableRawBufferPointer(rebasing: buffer[..<tail])
                    .copyMemory(from: UnsafeRawBufferPointer(rebasing: input[wholeBytes...]))
            }
            pendingCount = tail
        }
    }

    public mutating func update(_ bytes: some Sequence<UInt8>) {
        let handled: Void? = bytes.withContiguousStorageIfAvailable { update(UnsafeRawBufferPointer($0)) }
        if handled == nil {
            Array(bytes).withUnsafeBytes { update($0) }
        }
    }

    public consuming func finalize() -> SHA256Digest {
        let bitLength = messageLength &* 8
        // 0x80, zeros up to 56 mod 64, then the 64-bit big-endian bit length: at most 72 bytes.
        let padCount = (pendingCount < 56 ? 56 : 120) - pendingCount + 8
        withUnsafeTemporaryAllocation(byteCount: 72, alignment: 1) { pad in
            pad.initializeMemory(as: UInt8.self, repeating: 0)
            pad[0] = 0x80
            for i in 0 ..< 8 {
                pad[padCount - 1 - i] = UInt8(truncatingIfNeeded: bitLength &>> (8 * i))
            }
            update(UnsafeRawBufferPointer(rebasing: pad[..<padCount]))
        }
        let s = state
        return SHA256Digest(
            words: (UInt64(s.0) << 32 | UInt64(s.1), UInt64(s.2) << 32 | UInt64(s.3),
                    UInt64(s.4) << 32 | UInt64(s.5), UInt64(s.6) << 32 | UInt64(s.7)))
    }

    public static func hash(_ bytes: UnsafeRawBufferPointer) -> SHA256Digest {
        var hasher = SHA256()
        hasher.update(bytes)
        return hasher.finalize()
    }

    public static func hash(_ bytes: [UInt8]) -> SHA256Digest {
        bytes.withUnsafeBytes { hash($0) }
    }

    static func hash(_ bytes: UnsafeRawBufferPointer, forcePortable: Bool) -> SHA256Digest {
        var hasher = SHA256(forcePortable: forcePortable)
        hasher.update(bytes)
        return hasher.finalize()
    }

    static func hash(_ bytes: [UInt8], forcePortable: Bool) -> SHA256Digest {
        bytes.withUnsafeBytes { hash($0, forcePortable: forcePortable) }
    }

    // MARK: - Compression

    private static let roundConstants: [UInt32] = [
        0x428a_2f98, 0x7137_4491, 0xb5c0_fbcf, 0xe9b5_dba5, 0x3956_c25b, 0x59f1_11f1, 0x923f_82a4, 0xab1c_5ed5,
        0xd807_aa98, 0x1283_5b01, 0x2431_85be, 0x550c_7dc3, 0x72be_5d74, 0x80de_b1fe, 0x9bdc_06a7, 0xc19b_f174,
        0xe49b_69c1, 0xefbe_4786, 0x0fc1_9dc6, 0x240c_a1cc, 0x2de9_2c6f, 0x4a74_84aa, 0x5cb0_a9dc, 0x76f9_88da,
        0x983e_5152, 0xa831_c66d, 0xb003_27c8, 0xbf59_7fc7, 0xc6e0_0bf3, 0xd5a7_9147, 0x06ca_6351, 0x1429_2967,
        0x27b7_0a85, 0x2e1b_2138, 0x4d2c_6dfc, 0x5338_0d13, 0x650a_7354, 0x766a_0abb, 0x81c2_c92e, 0x9272_2c85,
        0xa2bf_e8a1, 0xa81a_664b, 0xc24b_8b70, 0xc76c_51a3, 0xd192_e819, 0xd699_0624, 0xf40e_3585, 0x106a_a070,
        0x19a4_c116, 0x1e37_6c08, 0x2748_774c, 0x34b0_bcb5, 0x391c_0cb3, 0x4ed8_aa4a, 0x5b9c_ca4f, 0x682e_6ff3,
        0x748f_82ee, 0x78a5_636f, 0x84c8_7814, 0x8cc7_0208, 0x90be_fffa, 0xa450_6ceb, 0xbef9_a3f7, 0xc671_78f2,
    ]

    /// Compresses `blocks.count / 64` consecutive blocks (count must be a multiple of 64).
    @inline(__always)
    private static func compress(_ state: inout State, blocks: UnsafeRawBufferPointer, accelerated: Bool) {
        if accelerated {
            compressWithSHAExtensions(&state, blocks: blocks)
        } else {
            compressPortably(&state, blocks: blocks)
        }
    }

    private static func compressWithSHAExtensions(_ state: inout State, blocks: UnsafeRawBufferPointer) {
        guard let base = blocks.baseAddress else { return }
        // A homogeneous tuple is laid out like a C array, which is what the C side takes.
        withUnsafeMutablePointer(to: &state) { tuple in
            tuple.withMemoryRebound(to: UInt32.self, capacity: 8) { words in
                accord_sha256_compress(words, base.assumingMemoryBound(to: UInt8.self), blocks.count / 64)
            }
        }
    }

    private static func compressPortably(_ state: inout State, blocks: UnsafeRawBufferPointer) {
        guard let base = blocks.baseAddress else { return }
        let blockCount = blocks.count / 64
        roundConstants.withUnsafeBufferPointer { kBuffer in
            withUnsafeTemporaryAllocation(of: UInt32.self, capacity: 64) { wBuffer in
                guard let k = kBuffer.baseAddress, let w = wBuffer.baseAddress else { return }
                var (h0, h1, h2, h3, h4, h5, h6, h7) = state
                for blockIndex in 0 ..< blockCount {
                    let block = base + blockIndex &* 64
                    for i in 0 ..< 16 {
                        // Input may sit at any address, hence loadUnaligned.
                        w[i] = UInt32(bigEndian: block.loadUnaligned(fromByteOffset: i &* 4, as: UInt32.self))
                    }
                    for i in 16 ..< 64 {
                        let x = w[i - 15], y = w[i - 2]
                        let s0 = rotr(x, 7) ^ rotr(x, 18) ^ (x &>> 3)
                        let s1 = rotr(y, 17) ^ rotr(y, 19) ^ (y &>> 10)
                        w[i] = w[i - 16] &+ s0 &+ w[i - 7] &+ s1
                    }

                    var a = h0, b = h1, c = h2, d = h3, e = h4, f = h5, g = h6, h = h7
                    // Eight rounds per iteration with the roles of a...h rotated in the
                    // argument lists, so no variable shuffling is needed between rounds.
                    var i = 0
                    while i < 64 {
                        round(a, b, c, &d, e, f, g, &h, k[i] &+ w[i])
                        round(h, a, b, &c, d, e, f, &g, k[i &+ 1] &+ w[i &+ 1])
                        round(g, h, a, &b, c, d, e, &f, k[i &+ 2] &+ w[i &+ 2])
                        round(f, g, h, &a, b, c, d, &e, k[i &+ 3] &+ w[i &+ 3])
                        round(e, f, g, &h, a, b, c, &d, k[i &+ 4] &+ w[i &+ 4])
                        round(d, e, f, &g, h, a, b, &c, k[i &+ 5] &+ w[i &+ 5])
                        round(c, d, e, &f, g, h, a, &b, k[i &+ 6] &+ w[i &+ 6])
                        round(b, c, d, &e, f, g, h, &a, k[i &+ 7] &+ w[i &+ 7])
                        i &+= 8
                    }

                    h0 &+= a; h1 &+= b; h2 &+= c; h3 &+= d
                    h4 &+= e; h5 &+= f; h6 &+= g; h7 &+= h
                }
                state = (h0, h1, h2, h3, h4, h5, h6, h7)
            }
        }
    }

    /// One round; `d` receives the new e and `h` the new a.
    @inline(__always)
    private static func round(
        _ a: UInt32, _ b: UInt32, _ c: UInt32, _ d: inout UInt32,
        _ e: UInt32, _ f: UInt32, _ g: UInt32, _ h: inout UInt32, _ kw: UInt32
    ) {
        let sigma1 = rotr(e, 6) ^ rotr(e, 11) ^ rotr(e, 25)
        let choose = g ^ (e & (f ^ g))
        let t1 = h &+ sigma1 &+ choose &+ kw
        let sigma0 = rotr(a, 2) ^ rotr(a, 13) ^ rotr(a, 22)
        let majority = (a & b) | (c & (a | b))
        d &+= t1
        h = t1 &+ sigma0 &+ majority
    }

    @inline(__always)
    private static func rotr(_ x: UInt32, _ n: UInt32) -> UInt32 {
        (x &>> n) | (x &<< (32 &- n))
    }
}

public struct SHA256Digest: Hashable, Sendable, CustomStringConvertible {
    // Four big-endian words: byte 0 of the digest is the top byte of words.0.
    private var words: (UInt64, UInt64, UInt64, UInt64)

    init(words: (UInt64, UInt64, UInt64, UInt64)) {
        self.words = words
    }

    public static let zero = SHA256Digest(words: (0, 0, 0, 0))

    public init(bytes: [UInt8]) {
        precondition(bytes.count == 32, "SHA256Digest needs exactly 32 bytes, got \(bytes.count)")
        func word(_ start: Int) -> UInt64 {
            bytes[start ..< start + 8].reduce(0) { $0 << 8 | UInt64($1) }
        }
        words = (word(0), word(8), word(16), word(24))
    }

    public init?(hex: some StringProtocol) {
        var text = String(hex)
        // Every record's `prev` passes through here: read the contiguous UTF-8 directly.
        guard let parsed = text.withUTF8({ Self.words(fromHex: $0) }) else { return nil }
        words = parsed
    }

    /// Each 16 hex digits make one word; nil unless exactly 64 hex digits.
    /// `lowercaseOnly` for stored `prev` fields, which the ledger writes in lowercase only.
    static func words(fromHex bytes: UnsafeBufferPointer<UInt8>, lowercaseOnly: Bool = false) -> (UInt64, UInt64, UInt64, UInt64)? {
        guard bytes.count == 64 else { return nil }
        if lowercaseOnly, bytes.contains(where: { (65...70).contains($0) }) { return nil }
        func word(_ start: Int) -> UInt64? {
            // No array: this runs once per record read.
            var value: UInt64 = 0
            for index in start..<start + 16 {
                guard let nibble = nibble(bytes[index]) else { return nil }
                value = value << 4 | UInt64(nibble)
            }
            return value
        }
        guard let w0 = word(0), let w1 = word(16), let w2 = word(32), let w3 = word(48) else { return nil }
        return (w0, w1, w2, w3)
    }

    /// Whether `bytes` (64 of them) are this digest in lowercase hex. Every
    /// record's `prev` is checked against the digest of the line before it,
    /// so this compares eight bytes at a time instead of parsing the hex.
    func matchesHex(_ bytes: UnsafeRawBufferPointer) -> Bool {
        guard bytes.count == 64 else { return false }
        for index in 0..<4 {
            let word = self.word(index)
            let high = UInt64(littleEndian: bytes.loadUnaligned(fromByteOffset: index * 16, as: UInt64.self))
            let low = UInt64(littleEndian: bytes.loadUnaligned(fromByteOffset: index * 16 + 8, as: UInt64.self))
            guard high == Self.hexBytes(UInt32(truncatingIfNeeded: word >> 32)),
                low == Self.hexBytes(UInt32(truncatingIfNeeded: word))
            else { return false }
        }
        return true
    }

    /// The eight lowercase hex digits of `value`, first digit in the lowest
    /// byte (as they lie in memory, read as a little-endian word).
    @inline(__always)
    static func hexBytes(_ value: UInt32) -> UInt64 {
        var x = UInt64(value)
        x = (x | (x << 16)) & 0x0000_FFFF_0000_FFFF
        x = (x | (x << 8)) & 0x00FF_00FF_00FF_00FF
        x = (x | (x << 4)) & 0x0F0F_0F0F_0F0F_0F0F  // byte i = nibble i, from the least significant
        x = x.byteSwapped  // byte 0 = the most significant nibble: the first digit
        let letters = ((x &+ 0x0606_0606_0606_0606) >> 4) & 0x0101_0101_0101_0101  // 1 where the nibble is 10...15
        return x &+ 0x3030_3030_3030_3030 &+ letters &* 0x27
    }

    public var bytes: [UInt8] {
        var result: [UInt8] = []
        result.reserveCapacity(32)
        for wordIndex in 0 ..< 4 {
            let word = self.word(wordIndex)
            for shift in stride(from: 56, through: 0, by: -8) {
                result.append(UInt8(truncatingIfNeeded: word >> UInt64(shift)))
            }
        }
        return result
    }

    public var hex: String {
        String(unsafeUninitializedCapacity: 64) { buffer in
            fillHex(buffer)
            return 64
        }
    }

    public var description: String { hex }

    public func writeHex(into output: inout [UInt8]) {
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 64) { buffer in
            fillHex(buffer)
            // append(contentsOf:) grows geometrically; reserveCapacity here would not.
            output.append(contentsOf: buffer)
        }
    }

    public static func == (lhs: SHA256Digest, rhs: SHA256Digest) -> Bool {
        lhs.words == rhs.words
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(words.0)
        hasher.combine(words.1)
        hasher.combine(words.2)
        hasher.combine(words.3)
    }

    /// Writes the 64 lowercase hex digits into `buffer`, which must hold 64 bytes.
    func fillHex(_ buffer: UnsafeMutableBufferPointer<UInt8>) {
        precondition(buffer.count == 64, "a digest is 64 hex digits")
        let raw = UnsafeMutableRawBufferPointer(buffer)
        for index in 0 ..< 4 {
            let word = self.word(index)
            raw.storeBytes(of: Self.hexBytes(UInt32(truncatingIfNeeded: word >> 32)).littleEndian, toByteOffset: index * 16, as: UInt64.self)
            raw.storeBytes(of: Self.hexBytes(UInt32(truncatingIfNeeded: word)).littleEndian, toByteOffset: index * 16 + 8, as: UInt64.self)
        }
    }

    // A switch rather than an array literal, so callers never allocate.
    @inline(__always)
    private func word(_ index: Int) -> UInt64 {
        switch index {
        case 0: words.0
        case 1: words.1
        case 2: words.2
        default: words.3
        }
    }

    /// Every stored record's `prev` is read back through here, so arithmetic,
    /// not a table: a static table costs a lazy-initialisation check per
    /// character, which was 7% of `accord splits`.
    @inline(__always)
    private static func nibble(_ char: UInt8) -> UInt8? {
        let digit = char &- 0x30
        if digit < 10 { return digit }
        let letter = (char | 0x20) &- 0x61  // 'A'...'F' and 'a'...'f' alike
        return letter < 6 ? letter + 10 : nil
    }
}
