import Foundation
import Testing
import TestSupport

@testable import Ledger

#if canImport(Glibc)
import Glibc
#endif

/// A batch is written as its lines read back (`ReadBackProgress`), no byte
/// before its line, and its direct blocks are read back from the disk as
/// they are written (`DiskReadBack`). However the read-back advances, the
/// file is what one write would leave; a line that does not read back,
/// wherever it falls, leaves the file exactly as it was.
@Suite struct PipelinedWriteTests {
    static let block = AlignedBytes.blockBytes

    /// A read-back advancing `stepBytes` at a time on another thread, the
    /// way the batch's encoder does, and failing at `failingAt` bytes if given.
    static func advancing(_ total: Int, stepBytes: Int, failingAt: Int?) -> ReadBackProgress {
        let progress = ReadBackProgress(totalBytes: total)
        Thread {
            var done = 0
            // Bounded: each turn advances by a step, to the end or the failure.
            while done < total {
                let next = min(total, done + stepBytes)
                if let failingAt, next > failingAt {
                    progress.advance(to: max(done, failingAt))
                    usleep(2000)  // the writer has written what read back by then
                    progress.fail(seq: 42)
                    return
                }
                progress.advance(to: next)
                done = next
                usleep(100)
            }
        }.start()
        return progress
    }

    /// `batchBytes` written after `ledgerBytes`, directly in steps of a
    /// block, as the read-back advances; the file after, and the error if any.
    static func write(batchBytes: Int, after ledgerBytes: Int, stepBytes: Int, failingAt: Int? = nil) throws -> (
        file: [UInt8], error: AccordError?
    ) {
        let temporary = try TemporaryDirectory("accord-pipelined")
        let path = temporary.url.appendingPathComponent("ledger.jsonl").path
        try Data(DirectWriteTests.pattern(ledgerBytes, seed: 1)).write(to: URL(fileURLWithPath: path))
        var store = LedgerStore(path: path)
        store.directWriteMinimumBytes = 0
        store.directWriteStepBytes = Self.block
        let fd = try Platform.open(path, flags: O_RDWR | O_APPEND)
        defer { Platform.close(fd) }
        let bytes = DirectWriteTests.laidOut(DirectWriteTests.pattern(batchBytes, seed: 2), at: ledgerBytes)
        let progress = Self.advancing(batchBytes, stepBytes: stepBytes, failingAt: failingAt)
        var failure: AccordError?
        do {
            try store.write(bytes, fd: fd, originalSize: ledgerBytes, readBack: progress)
        } catch {
            failure = error
        }
        return (Array(try Data(contentsOf: URL(fileURLWithPath: path))), failure)
    }

    @Test(arguments: [0, 100, block - 1, block + 1], [97, 777, 3 * block + 5])
    func theFileIsWhatOneWriteWouldLeave(ledgerBytes: Int, stepBytes: Int) throws {
        for batchBytes in [10, 2 * Self.block, 9 * Self.block + 123] {
            let (file, error) = try Self.write(batchBytes: batchBytes, after: ledgerBytes, stepBytes: stepBytes)
            #expect(error == nil, "\(batchBytes) bytes after \(ledgerBytes), steps of \(stepBytes)")
            let expected = DirectWriteTests.pattern(ledgerBytes, seed: 1) + DirectWriteTests.pattern(batchBytes, seed: 2)
            #expect(file == expected ? true : false, "\(batchBytes) bytes after \(ledgerBytes), steps of \(stepBytes)")
        }
    }

    /// Failing in the head's part-block, among the direct blocks (some
    /// written by then), in the last part-block, or at the very end.
    @Test(arguments: [0, 50, 3 * block, 6 * block + 10, 9 * block + 122])
    func aLineThatDoesNotReadBackLeavesTheFileAsItWas(failingAt: Int) throws {
        let (ledgerBytes, batchBytes) = (100, 9 * Self.block + 123)
        let (file, error) = try Self.write(batchBytes: batchBytes, after: ledgerBytes, stepBytes: 777, failingAt: failingAt)
        let failure = try #require(error, "failing at \(failingAt)")
        #expect(failure.kind == .integrity)
        #expect(failure.message.contains("record 42"), "\(failure.message)")
        #expect(file == DirectWriteTests.pattern(ledgerBytes, seed: 1) ? true : false, "failing at \(failingAt): the file as it was")
    }

    @Test func progressIsWaitedForAndAFailureSeen() {
        let progress = ReadBackProgress(totalBytes: 100)
        #expect(progress.state == .readBack(bytes: 0))
        progress.advance(to: 60)
        #expect(progress.wait(atLeast: 40) == .readBack(bytes: 60))
        #expect(ReadBackProgress.complete(7).wait(atLeast: 1_000) == .readBack(bytes: 7), "at most all of them")
        progress.fail(seq: 9)
        #expect(progress.wait(atLeast: 100) == .failed(seq: 9))
    }
}
