import Foundation
import Testing
import TestSupport
@testable import Ledger

// MARK: - FIPS 180-4 / NIST examples

struct NISTVector: Sendable, CustomTestStringConvertible {
    let name: String
    let message: [UInt8]
    let digest: String
    var testDescription: String { name }
}

let nistVectors: [NISTVector] = [
    NISTVector(name: "empty", message: [],
               digest: "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"),
    NISTVector(name: "abc", message: Array("abc".utf8),
               digest: "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"),
    NISTVector(name: "448-bit",
               message: Array("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq".utf8),
               digest: "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1"),
    NISTVector(name: "896-bit",
               message: Array(("abcdefghbcdefghicdefghijdefghijkefghijklfghijklmghijklmnhijklmno"
                               + "ijklmnopjklmnopqklmnopqrlmnopqrsmnopqrstnopqrstu").utf8),
               digest: "cf5b16a778af8380036ce59e7b0492370b249b11e8f07a51afac45037afee9d1"),
    NISTVector(name: "one million 'a'", message: [UInt8](repeating: UInt8(ascii: "a"), count: 1_000_000),
               digest: "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0"),
]

@Test(arguments: nistVectors)
func nistExample(_ vector: NISTVector) {
    #expect(SHA256.hash(vector.message).hex == vector.digest)

    // Same message fed through the streaming API, in odd-sized pieces.
    var hasher = SHA256()
    var offset = 0
    while offset < vector.message.count {
        let end = min(offset + 997, vector.message.count)
        hasher.update(vector.message[offset ..< end])
        offset = end
    }
    #expect(hasher.finalize().hex == vector.digest)
}

// MARK: - Every length 0...130 against sha256sum

/// Input of length n used by the fixture: byte i is (i*7+3) & 0xff.
func lengthPattern(_ n: Int) -> [UInt8] {
    (0 ..< n).map { UInt8(truncatingIfNeeded: $0 &* 7 &+ 3) }
}

enum LengthFixture {
    static let url = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent()
        .appendingPathComponent("Fixtures/sha256-lengths.txt")

    /// length -> hex digest, parsed once; the error is kept so each test can report it.
    static let entries: Result<[Int: String], any Error> = Result {
        let text = try String(contentsOf: url, encoding: .utf8)
        var result: [Int: String] = [:]
        for line in text.split(separator: "\n") where !line.hasPrefix("#") {
            let fields = line.split(separator: " ")
            guard fields.count == 2, let length = Int(fields[0]) else {
                throw FixtureError.malformedLine(String(line))
            }
            result[length] = String(fields[1])
        }
        return result
    }

    enum FixtureError: Error { case malformedLine(String) }
}

@Test func lengthFixtureIsComplete() throws {
    let entries = try LengthFixture.entries.get()
    #expect(entries.keys.sorted() == Array(0 ... 130))
}

@Test(arguments: 0 ... 130)
func lengthMatchesSha256sum(_ length: Int) throws {
    let expected = try #require(try LengthFixture.entries.get()[length], "no fixture line for length \(length)")
    #expect(SHA256.hash(lengthPattern(length)).hex == expected)
}

// MARK: - Streaming equals one-shot


@Test(arguments: [1, 42, 0xdead_beef] as [UInt64])
func streamingMatchesOneShot(seed: UInt64) {
    var rng = SplitMix64(state: seed)
    for inputIndex in 0 ..< 60 {
        let length = Int.random(in: 0 ..< 1_500, using: &rng)
        let input = (0 ..< length).map { _ in UInt8.random(in: 0 ... 255, using: &rng) }
        let expected = SHA256.hash(input)

        var hasher = SHA256()
        var offset = 0
        var chunkSizes: [Int] = []
        while offset < length {
            // Chunk sizes straddle block boundaries and include empty updates.
            let size = min(Int.random(in: 0 ... 150, using: &rng), length - offset)
            let chunk = input[offset ..< offset + size]
            if Bool.random(using: &rng) {
                chunk.withUnsafeBytes { hasher.update($0) }
            } else {
                hasher.update(chunk.lazy.map { $0 })  // non-contiguous Sequence path
            }
            chunkSizes.append(size)
            offset += size
        }
        let streamed = hasher.finalize()
        #expect(streamed == expected,
                "seed \(seed), input #\(inputIndex), length \(length), chunks \(chunkSizes)")
    }
}

@Test func unalignedInputMatchesAligned() {
    let input = lengthPattern(300)
    let expected = SHA256.hash(input)
    let padded = [0xaa] + input
    padded.withUnsafeBytes { raw in
        #expect(SHA256.hash(UnsafeRawBufferPointer(rebasing: raw[1...])) == expected)
    }
}

// MARK: - Digest representation

@Test(arguments: nistVectors.map(\.digest))
func hexRoundTrip(_ hex: String) throws {
    let digest = try #require(SHA256Digest(hex: hex))
    #expect(digest.hex == hex)
    #expect(digest.description == hex)
    #expect(SHA256Digest(hex: hex.uppercased()) == digest)
    #expect(SHA256Digest(hex: Substring(hex)) == digest)
    #expect(SHA256Digest(bytes: digest.bytes) == digest)
    #expect(digest.bytes.count == 32)

    var out = Array("x=".utf8)
    digest.writeHex(into: &out)
    #expect(out == Array("x=".utf8) + Array(hex.utf8))
}

@Test func bytesAreBigEndianInOrder() {
    let bytes = (0 ..< 32).map { UInt8($0) }
    let digest = SHA256Digest(bytes: bytes)
    #expect(digest.bytes == bytes)
    #expect(digest.hex == "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f")
    #expect(SHA256.hash(Array("abc".utf8)).bytes.prefix(4) == [0xba, 0x78, 0x16, 0xbf])
}

@Test func zeroDigest() {
    #expect(SHA256Digest.zero.bytes == [UInt8](repeating: 0, count: 32))
    #expect(SHA256Digest.zero.hex == String(repeating: "0", count: 64))
    #expect(SHA256Digest(hex: String(repeating: "0", count: 64)) == .zero)
}

@Test func digestsWorkAsSetElements() {
    let a = SHA256.hash(Array("a".utf8)), b = SHA256.hash(Array("b".utf8))
    let set: Set = [a, b, SHA256.hash(Array("a".utf8))]
    #expect(set.count == 2)
    #expect(set.contains(b))
}

private let validHex = "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"

let badHexInputs: [String] = [
    String(validHex.dropLast()),                       // 63 chars
    validHex + "0",                                    // 65 chars
    "",
    "g" + String(validHex.dropFirst()),                // non-hex letter
    " " + String(validHex.dropFirst()),                // whitespace
    String(validHex.dropLast(2)) + "0x",               // stray 'x'
    "\u{e9}" + String(validHex.dropFirst(2)),          // 'é' is 2 UTF-8 bytes: 64 bytes, 63 chars
    String(validHex.dropLast()) + "\u{0}",             // NUL
]

@Test(arguments: badHexInputs)
func hexRejectsBadInput(_ text: String) {
    #expect(SHA256Digest(hex: text) == nil)
}

// MARK: - Comparing a digest with its hex in place

/// The chain reader checks each `prev` by `matchesHex`, not by parsing: it
/// must accept exactly the lowercase hex of the digest and nothing else.
@Test(arguments: [7, 2013, 0xfeed] as [UInt64])
func matchesHexAcceptsOnlyTheDigestsOwnLowercaseHex(seed: UInt64) {
    var rng = SplitMix64(state: seed)
    for round in 0 ..< 200 {
        let digest = SHA256.hash((0 ..< 40).map { _ in UInt8.random(in: 0 ... 255, using: &rng) })
        let hex = Array(digest.hex.utf8)
        #expect(hex.withUnsafeBytes { digest.matchesHex($0) }, "seed \(seed), round \(round)")
        var changed = hex
        let position = Int.random(in: 0 ..< 64, using: &rng)
        changed[position] = changed[position] == UInt8(ascii: "0") ? UInt8(ascii: "f") : UInt8(ascii: "0")
        #expect(!changed.withUnsafeBytes { digest.matchesHex($0) }, "seed \(seed), round \(round), digit \(position)")
        let upper = Array(digest.hex.uppercased().utf8)
        if upper != hex { #expect(!upper.withUnsafeBytes { digest.matchesHex($0) }, "seed \(seed), round \(round)") }
    }
    #expect(Array(String(repeating: "0", count: 64).utf8).withUnsafeBytes { SHA256Digest.zero.matchesHex($0) })
    #expect(!Array(String(repeating: "0", count: 63).utf8).withUnsafeBytes { SHA256Digest.zero.matchesHex($0) })
}
