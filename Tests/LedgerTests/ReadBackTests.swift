import Foundation
import Testing
import TestSupport

@testable import Ledger

#if canImport(Glibc)
import Glibc
#endif

/// An append reads back what it wrote, a piece at a time, before it answers
/// (`LedgerStore.readsBack`). A difference anywhere, in the first piece, the
/// last, or astride the border between two, must be seen, and so must a file
/// that ends too soon.
@Suite struct ReadBackTests {
    static let pieceBytes = 64

    /// Writes `file`, then asks whether it holds `expected` from `offset`.
    static func readsBack(_ expected: [UInt8], from file: [UInt8], at offset: Int) throws -> Bool {
        let temporary = try TemporaryDirectory("accord-readback")
        let path = temporary.url.appendingPathComponent("ledger.jsonl").path
        try Data(file).write(to: URL(fileURLWithPath: path))
        let fd = try Platform.open(path, flags: O_RDONLY)
        defer { Platform.close(fd) }
        return try LedgerStore.readsBack(expected, fd: fd, at: offset, path: path, pieceBytes: pieceBytes)
    }

    static let prefix = Array("earlier records\n".utf8)
    static let batch = (0..<(pieceBytes * 3 + 17)).map { UInt8(0x41 + $0 % 26) }

    @Test func whatWasWrittenReadsBack() throws {
        #expect(try Self.readsBack(Self.batch, from: Self.prefix + Self.batch, at: Self.prefix.count))
    }

    @Test(arguments: [0, 1, pieceBytes - 1, pieceBytes, pieceBytes + 1, 2 * pieceBytes, 3 * pieceBytes + 16])
    func oneChangedByteIsSeen(_ index: Int) throws {
        var file = Self.prefix + Self.batch
        file[Self.prefix.count + index] ^= 0x20
        #expect(try !Self.readsBack(Self.batch, from: file, at: Self.prefix.count), "byte \(index)")
    }

    @Test(arguments: [1, 17, pieceBytes + 17])
    func aFileThatEndsTooSoonIsSeen(_ missing: Int) throws {
        let file = Self.prefix + Self.batch.dropLast(missing)
        #expect(try !Self.readsBack(Self.batch, from: file, at: Self.prefix.count), "\(missing) bytes short")
    }
}
