import Foundation
import Testing
import TestSupport
@testable import Ledger

// SHA256Tests.swift exercises whichever compression this machine picks. These
// tests run the portable Swift path and the SHA-extensions path explicitly,
// so neither can rot just because the CI machine happens to prefer the other.
// The accelerated path runs only where the CPU supports it; elsewhere those
// cases quietly repeat the portable path (see `accelerationIsDetected`).

enum CompressionPath: String, CaseIterable, Sendable, CustomTestStringConvertible {
    case portable, accelerated
    var forcePortable: Bool { self == .portable }
    var testDescription: String { rawValue }
}

// MARK: - Detection

@Test func accelerationIsDetected() throws {
    #if os(Linux) && arch(x86_64)
    // If cpuid detection broke, every "accelerated" case below would silently
    // test the portable code twice; /proc/cpuinfo is an independent witness.
    let cpuinfo = try String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8)
    let cpuHasSHA = cpuinfo.split(separator: "\n").contains {
        $0.hasPrefix("flags") && $0.split(separator: " ").contains("sha_ni")
    }
    #expect(SHA256.hardwareAccelerationAvailable == cpuHasSHA)
    #elseif !arch(x86_64)
    #expect(!SHA256.hardwareAccelerationAvailable)
    #endif
}

// MARK: - Known answers on both paths

@Test(arguments: CompressionPath.allCases, nistVectors)
func nistExampleOnPath(_ path: CompressionPath, _ vector: NISTVector) {
    #expect(SHA256.hash(vector.message, forcePortable: path.forcePortable).hex == vector.digest)

    var hasher = SHA256(forcePortable: path.forcePortable)
    var offset = 0
    while offset < vector.message.count {
        let end = min(offset + 1_000, vector.message.count)
        hasher.update(vector.message[offset ..< end])
        offset = end
    }
    #expect(hasher.finalize().hex == vector.digest)
}

@Test(arguments: CompressionPath.allCases)
func everyLengthMatchesSha256sumOnPath(_ path: CompressionPath) throws {
    let entries = try LengthFixture.entries.get()
    for length in 0 ... 130 {
        let expected = try #require(entries[length], "no fixture line for length \(length)")
        #expect(SHA256.hash(lengthPattern(length), forcePortable: path.forcePortable).hex == expected,
                "length \(length)")
    }
}

@Test(arguments: CompressionPath.allCases)
func unalignedMultiBlockInputOnPath(_ path: CompressionPath) {
    // Many whole blocks in one update reach the C loop as a single call, at
    // every misalignment the SIMD loads could trip over.
    let input = lengthPattern(64 * 9 + 17)
    let expected = SHA256.hash(input, forcePortable: true)
    for shift in 0 ..< 16 {
        let padded = [UInt8](repeating: 0xaa, count: shift) + input
        padded.withUnsafeBytes { raw in
            let digest = SHA256.hash(UnsafeRawBufferPointer(rebasing: raw[shift...]), forcePortable: path.forcePortable)
            #expect(digest == expected, "shift \(shift)")
        }
    }
}

// MARK: - Both paths agree on random input

@Test(arguments: [7, 2024, 0x5eed_cafe] as [UInt64])
func pathsAgreeOnRandomBuffers(seed: UInt64) {
    var rng = SplitMix64(state: seed)
    for inputIndex in 0 ..< 40 {
        // Mostly short, like ledger lines, with some long enough for many blocks per call.
        let length = Bool.random(using: &rng)
            ? Int.random(in: 0 ..< 300, using: &rng)
            : Int.random(in: 300 ..< 20_000, using: &rng)
        let input = (0 ..< length).map { _ in UInt8.random(in: 0 ... 255, using: &rng) }
        let portable = SHA256.hash(input, forcePortable: true)
        let accelerated = SHA256.hash(input, forcePortable: false)
        #expect(portable == accelerated, "seed \(seed), input #\(inputIndex), length \(length)")

        // The same input split at random points, on each path.
        for path in CompressionPath.allCases {
            var hasher = SHA256(forcePortable: path.forcePortable)
            var offset = 0
            var cuts: [Int] = []
            while offset < length {
                let size = min(Int.random(in: 0 ... 700, using: &rng), length - offset)
                input[offset ..< offset + size].withUnsafeBytes { hasher.update($0) }
                offset += size
                cuts.append(offset)
            }
            #expect(hasher.finalize() == portable,
                    "seed \(seed), input #\(inputIndex), length \(length), \(path) path, cuts \(cuts)")
        }
    }
}

@Test func pathsAgreeOnAFewMegabytes() {
    // Long runs of the C loop, so a state-carrying bug between blocks cannot
    // hide behind the short inputs above.
    var rng = SplitMix64(state: 99)
    let input = (0 ..< (3 << 20) + 5).map { _ in UInt8(truncatingIfNeeded: rng.next()) }
    #expect(SHA256.hash(input, forcePortable: true) == SHA256.hash(input, forcePortable: false))
}
