import Foundation
import Testing
import TestSupport

@testable import Ledger

#if canImport(Glibc)
import Glibc
#endif

/// `Platform.readAll` reads a large regular file in pieces on every core
/// (`readInPieces`) and anything else in one stream; either way it gives the
/// bytes from where the descriptor stands to the end, leaves the descriptor
/// at the end, and refuses a file over the limit.
@Suite struct ReadAllTests {
    static func file(_ count: Int, in directory: TemporaryDirectory) throws -> (path: String, bytes: [UInt8]) {
        var random = SplitMix64(seed: UInt64(count))
        let bytes = (0..<count).map { _ in UInt8(truncatingIfNeeded: random.next()) }
        let path = directory.url.appendingPathComponent("input-\(count)").path
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        return (path, bytes)
    }

    /// Sizes either side of the pieces' threshold and of an odd split, read
    /// from the start and from part-way (a redirected standard input another
    /// reader has already read from).
    @Test(arguments: [1, 2, 3, 4_097, 65_537], [0, 1, 1_000])
    func readsFromWhereTheDescriptorStands(_ count: Int, _ skip: Int) throws {
        let directory = try TemporaryDirectory("read-all")
        let (path, bytes) = try Self.file(count, in: directory)
        for piecesFrom in [1, count, Int.max] {
            let fd = try Platform.open(path, flags: O_RDONLY)
            defer { Platform.close(fd) }
            let start = min(skip, count)
            #expect(lseek(fd, off_t(start), SEEK_SET) == off_t(start))
            let read = try Platform.readAll(fd: fd, path: path, limit: 1 << 20, piecesFrom: piecesFrom)
            #expect(read == Array(bytes[start...]), "\(count) bytes from \(start), in pieces from \(piecesFrom)")
            #expect(lseek(fd, 0, SEEK_CUR) == off_t(count), "left at the end")
        }
    }

    @Test func aFileOverTheLimitIsRefusedWholeOrInPieces() throws {
        let directory = try TemporaryDirectory("read-all")
        let (path, bytes) = try Self.file(10_000, in: directory)
        for piecesFrom in [1, Int.max] {
            let fd = try Platform.open(path, flags: O_RDONLY)
            defer { Platform.close(fd) }
            #expect(try Platform.readAll(fd: fd, path: path, limit: 9_999, piecesFrom: piecesFrom) == nil)
        }
        let fd = try Platform.open(path, flags: O_RDONLY)
        defer { Platform.close(fd) }
        #expect(try Platform.readAll(fd: fd, path: path, limit: 10_000, piecesFrom: 1) == bytes)
    }

    /// Read in pieces, a file that has shrunk since its size was taken is
    /// not given with a hole in it: the pieces say so and it is read again.
    @Test func aFileShorterThanItsSizeIsNotGivenInPieces() throws {
        let directory = try TemporaryDirectory("read-all")
        let (path, bytes) = try Self.file(5_000, in: directory)
        let fd = try Platform.open(path, flags: O_RDONLY)
        defer { Platform.close(fd) }
        #expect(try Platform.readInPieces(fd, from: 0, count: 6_000, path: path) == nil)
        #expect(try Platform.readInPieces(fd, from: 100, count: 4_900, path: path) == Array(bytes[100...]))
    }
}
