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

    /// Writes `file`, then asks whether it holds `expected` from `offset`;
    /// with `direct`, reading the whole blocks through a direct descriptor
    /// where the file system has one.
    static func readsBack(_ expected: [UInt8], from file: [UInt8], at offset: Int, direct: Bool = false) throws -> Bool {
        let temporary = try TemporaryDirectory("accord-readback")
        let path = temporary.url.appendingPathComponent("ledger.jsonl").path
        try Data(file).write(to: URL(fileURLWithPath: path))
        let fd = try Platform.open(path, flags: O_RDONLY)
        defer { Platform.close(fd) }
        let directFD = direct ? Platform.openDirect(path, sameFileAs: fd) : nil
        defer { if let directFD { Platform.close(directFD) } }
        let blocks = DirectWriteTests.laidOut(expected, at: offset).wholeBlockRange
        return try expected.withUnsafeBytes {
            try LedgerStore.readsBack(
                $0, fd: fd, at: offset, path: path, direct: directFD.map { ($0, blocks) }, pieceBytes: pieceBytes)
        }
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

    /// The same, for the blocks an append wrote around the page cache and
    /// reads back from the disk: a batch of three whole blocks and parts of two more.
    static let longBatch = (0..<(3 * AlignedBytes.blockBytes + 150)).map { UInt8(0x41 + $0 % 23) }

    @Test(arguments: [0, 49, 50, 51, 50 + AlignedBytes.blockBytes, 50 + 3 * AlignedBytes.blockBytes - 1, longBatch.count - 1])
    func oneChangedByteIsSeenInABatchReadDirect(_ index: Int) throws {
        // 50 bytes fill the prefix's block; the three after lie on whole blocks.
        let prefix = [UInt8](repeating: 0x2E, count: AlignedBytes.blockBytes - 50)
        #expect(try Self.readsBack(Self.longBatch, from: prefix + Self.longBatch, at: prefix.count, direct: true))
        var file = prefix + Self.longBatch
        file[prefix.count + index] ^= 0x20
        #expect(try !Self.readsBack(Self.longBatch, from: file, at: prefix.count, direct: true), "byte \(index)")
    }

    @Test func aFileThatEndsInsideTheDirectBlocksIsSeen() throws {
        let prefix = [UInt8](repeating: 0x2E, count: AlignedBytes.blockBytes - 50)
        let file = prefix + Self.longBatch.prefix(50 + AlignedBytes.blockBytes + 10)
        #expect(try !Self.readsBack(Self.longBatch, from: file, at: prefix.count, direct: true))
    }
}
