import Events
import Foundation
import Testing
import TestSupport

@testable import Ledger

#if canImport(Glibc)
import Glibc
#endif

/// A large batch's whole blocks are written around the page cache (O_DIRECT)
/// and the rest through it (`LedgerStore.write`): the file must come out
/// byte for byte as one ordinary write would leave it, wherever in a block
/// the ledger ended and however the batch ends, and on a file system that
/// refuses direct I/O too.
@Suite struct DirectWriteTests {
    static let block = AlignedBytes.blockBytes

    /// Whether the file system holding the test's files takes direct I/O:
    /// where it does, the blocks must have gone that way.
    static func directIsTaken(in directory: URL) throws -> Bool {
        let path = directory.appendingPathComponent("probe").path
        let fd = try Platform.open(path, flags: O_RDWR | O_CREAT)
        defer { Platform.close(fd) }
        guard let direct = Platform.openDirect(path, sameFileAs: fd) else { return false }
        Platform.close(direct)
        return true
    }

    static func pattern(_ count: Int, seed: UInt64) -> [UInt8] {
        var random = SplitMix64(seed: seed)
        return (0..<count).map { _ in UInt8(truncatingIfNeeded: random.next() & 0xFF) }
    }

    static func laidOut(_ bytes: [UInt8], at offset: Int) -> AlignedBytes {
        let aligned = AlignedBytes(fileOffset: offset)
        bytes.withUnsafeBytes { aligned.append($0) }
        return aligned
    }

    /// Writes `batchBytes` after `ledgerBytes` through the store; returns the file and how much went direct.
    static func write(batchBytes: Int, after ledgerBytes: Int, minimumBytes: Int) throws -> (file: [UInt8], direct: Int, taken: Bool) {
        let temporary = try TemporaryDirectory("accord-direct")
        let path = temporary.url.appendingPathComponent("ledger.jsonl").path
        try Data(pattern(ledgerBytes, seed: 1)).write(to: URL(fileURLWithPath: path))
        var store = LedgerStore(path: path)
        store.directWriteMinimumBytes = minimumBytes
        let fd = try Platform.open(path, flags: O_RDWR | O_APPEND)
        defer { Platform.close(fd) }
        let direct = try store.write(laidOut(pattern(batchBytes, seed: 2), at: ledgerBytes), fd: fd, originalSize: ledgerBytes)
        return (Array(try Data(contentsOf: URL(fileURLWithPath: path))), direct, try directIsTaken(in: temporary.url))
    }

    @Test(arguments: [0, 1, 100, block - 1, block, block + 1, 3 * block - 7])
    func theFileIsWhatOneWriteWouldLeave(ledgerBytes: Int) throws {
        for batchBytes in [1, 10, Self.block - 1, Self.block, Self.block + 1, 2 * Self.block, 5 * Self.block + 123] {
            let (file, direct, taken) = try Self.write(batchBytes: batchBytes, after: ledgerBytes, minimumBytes: 0)
            let expected = Self.pattern(ledgerBytes, seed: 1) + Self.pattern(batchBytes, seed: 2)
            #expect(file == expected ? true : false, "\(batchBytes) bytes after \(ledgerBytes)")
            // The blocks the batch fills whole, and no more, went direct.
            let start = (Self.block - ledgerBytes % Self.block) % Self.block
            let whole = batchBytes > start ? (batchBytes - start) / Self.block * Self.block : 0
            #expect(direct == (taken ? whole : 0), "\(batchBytes) bytes after \(ledgerBytes)")
        }
    }

    @Test func aBatchUnderTheMinimumGoesThroughTheCache() throws {
        let (file, direct, _) = try Self.write(batchBytes: 4 * Self.block, after: 10, minimumBytes: 4 * Self.block + 1)
        #expect(direct == 0)
        #expect(file == Self.pattern(10, seed: 1) + Self.pattern(4 * Self.block, seed: 2))
    }

    /// The flag taken for O_DIRECT is that flag: a write through it that is
    /// not aligned is refused, as only direct I/O refuses one.
    @Test func anUnalignedWriteThroughTheDirectDescriptorIsRefused() throws {
        let temporary = try TemporaryDirectory("accord-direct")
        guard try Self.directIsTaken(in: temporary.url) else { return }
        let path = temporary.url.appendingPathComponent("probe").path
        let fd = try Platform.open(path, flags: O_RDWR)
        defer { Platform.close(fd) }
        let direct = try #require(Platform.openDirect(path, sameFileAs: fd))
        defer { Platform.close(direct) }
        let written = try Self.pattern(Self.block + 1, seed: 3).withUnsafeBytes {
            try Platform.pwriteDirect(direct, UnsafeRawBufferPointer(rebasing: $0[1...]), offset: 1, path: path)
        }
        #expect(written == 0)
    }

    @Test func aFileRenamedOverThePathIsNotWrittenDirect() throws {
        let temporary = try TemporaryDirectory("accord-direct")
        let path = temporary.url.appendingPathComponent("ledger.jsonl").path
        let other = temporary.url.appendingPathComponent("other").path
        try Data([1]).write(to: URL(fileURLWithPath: path))
        try Data([2]).write(to: URL(fileURLWithPath: other))
        let fd = try Platform.open(path, flags: O_RDWR)
        defer { Platform.close(fd) }
        try Platform.rename(other, path)
        #expect(Platform.openDirect(path, sameFileAs: fd) == nil)
    }

    /// End to end: the same batch onto two copies of a ledger, one writing
    /// its blocks direct and one not, leaves the same bytes, which verify.
    @Test func anAppendWrittenDirectIsTheSameLedger() throws {
        let events = (1...300).map { TestLedger.council($0, id: "reg-\($0)", name: String(repeating: "n", count: 1 + $0 % 97)) }
        var files: [[UInt8]] = []
        for minimumBytes in [0, Int.max] {
            let ledger = try TestLedger()
            try ledger.fill(3)
            var store = ledger.store
            store.directWriteMinimumBytes = minimumBytes
            let positioned = events.enumerated().map { PositionedEvent(position: "input:\($0.offset + 1)", event: $0.element) }
            let outcome = try store.append(positioned, state: UncheckedState.self, clock: ledger.clock)
            #expect(try store.verify().head == outcome.head)
            files.append(try ledger.bytes())
        }
        #expect(files[0].count > 8 * Self.block)
        #expect(files[0] == files[1] ? true : false)
    }
}

@Suite struct AlignedBytesTests {
    /// Bytes appended in pieces of every size, with the buffer moving as it
    /// grows, are the same bytes, and the ones bound for a block's start sit at one.
    @Test(arguments: [0, 1, 511, 4095, 4096, 9000])
    func appendedPiecesStayInOrderAndOnTheirBlocks(fileOffset: Int) {
        let seed = UInt64(0xACC0 + fileOffset)
        var random = SplitMix64(seed: seed)
        let aligned = AlignedBytes(fileOffset: fileOffset, reserving: 10)
        var expected: [UInt8] = []
        for _ in 0..<200 {
            let piece = (0..<random.int(0...3000)).map { _ in UInt8(truncatingIfNeeded: random.next() & 0xFF) }
            piece.withUnsafeBytes { aligned.append($0) }
            expected += piece
            aligned.checkInvariants()
        }
        #expect(aligned.count == expected.count, "seed \(seed)")
        #expect(aligned.withUnsafeBytes { Array($0) } == expected ? true : false, "seed \(seed)")
        let blocks = aligned.wholeBlockRange
        #expect((fileOffset + blocks.lowerBound) % AlignedBytes.blockBytes == 0, "seed \(seed)")
        #expect(blocks.count % AlignedBytes.blockBytes == 0 && expected.count - blocks.upperBound < AlignedBytes.blockBytes)
        aligned.withUnsafeBytes { #expect(Int(bitPattern: $0.baseAddress! + blocks.lowerBound) % AlignedBytes.blockBytes == 0) }
    }

    @Test(arguments: [
        (fileOffset: 0, count: 4095, blocks: 0..<0),
        (fileOffset: 0, count: 4096, blocks: 0..<4096),
        (fileOffset: 1, count: 4095, blocks: 4095..<4095),
        (fileOffset: 1, count: 4096, blocks: 4095..<4095),
        (fileOffset: 1, count: 8191, blocks: 4095..<8191),
        (fileOffset: 4097, count: 12_300, blocks: 4095..<12_287),
    ])
    func wholeBlocks(fileOffset: Int, count: Int, blocks: Range<Int>) {
        let aligned = DirectWriteTests.laidOut([UInt8](repeating: 7, count: count), at: fileOffset)
        #expect(aligned.wholeBlockRange == blocks)
    }
}
