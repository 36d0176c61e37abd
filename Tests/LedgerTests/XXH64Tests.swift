import Testing

@testable import Ledger

/// XXH64 against the reference implementation. The first four are the
/// examples xxHash's users publish (python-xxhash's README among them); the
/// rest were computed with the reference C library (libxxhash, through
/// python-xxhash 3) to take every path: under 4 bytes, a 4-byte word, an
/// 8-byte word, both, exactly one 32-byte stripe, a stripe and a byte, many
/// whole stripes, five stripes and a 15-byte tail, and seeds on short and
/// long inputs (a seed reaches the four lanes only from 32 bytes).
@Suite struct XXH64Tests {
    /// Every byte value three times over: 24 whole stripes.
    static let allBytesThrice = (0..<768).map { UInt8($0 % 256) }
    /// Five stripes and a 15-byte tail.
    static let stripesAndTail = (0..<175).map { UInt8(($0 * 7 + 3) % 256) }

    static let vectors: [(message: [UInt8], seed: UInt64, hash: UInt64)] = [
        (Array("".utf8), 0, 0xef46_db37_51d8_e999),
        (Array("a".utf8), 0, 0xd24e_c4f1_a98c_6e5b),
        (Array("abc".utf8), 0, 0x44bc_2cf5_ad77_0999),
        (Array("Nobody inspects the spammish repetition".utf8), 0, 0xfbce_a83c_8a37_8bf1),
        (Array("xxhash".utf8), 20_141_025, 0xb559_b98d_844e_0635),
        (Array("abcd".utf8), 0, 0xde03_27b0_d25d_92cc),
        (Array("abcde".utf8), 0, 0x07e3_670c_0c8d_c7eb),
        (Array("abcdefgh".utf8), 0, 0x3ad3_5177_5b46_34b7),
        (Array("abcdefghijkl".utf8), 7, 0x6867_77d3_03d5_9700),
        (Array("0123456789abcdef0123456789abcde".utf8), 0, 0x1fdf_c63f_ebac_fde7),
        (Array("0123456789abcdef0123456789abcdef".utf8), 0, 0x642a_9495_8e71_e6c5),
        (Array("0123456789abcdef0123456789abcdef0".utf8), 0, 0xe876_84f0_8d6d_0816),
        (allBytesThrice, 0, 0x8e03_c838_c596_036f),
        (allBytesThrice, UInt64.max, 0x63de_20ff_b02c_ef5e),
        (stripesAndTail, 0, 0x7a0e_1818_1c1a_016b),
        (stripesAndTail, 20_141_025, 0xaa6c_f910_3fe4_cd81),
    ]

    @Test(arguments: vectors.indices)
    func theReferenceImplementationAgrees(_ index: Int) {
        let (message, seed, hash) = Self.vectors[index]
        #expect(message.withUnsafeBytes { XXH64.hash($0, seed: seed) } == hash, "\(message.count) bytes, seed \(seed)")
    }

    /// The same bytes at any address hash the same: words are read unaligned.
    @Test func theAddressDoesNotMatter() {
        let message = Array("Nobody inspects the spammish repetition".utf8)
        for shift in 0..<8 {
            let placed = [UInt8](repeating: 0xAA, count: shift) + message
            let hash = placed.withUnsafeBytes { XXH64.hash(UnsafeRawBufferPointer(rebasing: $0[shift...])) }
            #expect(hash == 0xfbce_a83c_8a37_8bf1, "shifted \(shift)")
        }
    }
}
