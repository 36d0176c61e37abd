import Dispatch
import Events
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
    /// way the batch's encoder does, and failing at `failingAt` bytes if
    /// given. Before each step it looks at the file (`fd`, which held
    /// `ledgerBytes`) and notes any time it held more of the batch than had
    /// read back (`written`).
    static func advancing(
        _ total: Int, stepBytes: Int, failingAt: Int?, fd: Int32, ledgerBytes: Int, written: Platform.Locked<[String]>,
        done: DispatchSemaphore
    ) -> ReadBackProgress {
        let progress = ReadBackProgress(totalBytes: total)
        Thread {
            defer { done.signal() }
            var readBack = 0
            // Bounded: each turn advances by a step, to the end or the failure.
            while readBack < total {
                for _ in 0..<3 {
                    let size = (try? Platform.fileSize(fd, path: "ledger")) ?? 0
                    if size > ledgerBytes + readBack {
                        written.withLock { $0.append("\(size - ledgerBytes) bytes written, \(readBack) read back") }
                    }
                    usleep(50)
                }
                let next = min(total, readBack + stepBytes)
                if let failingAt, next > failingAt {
                    progress.advance(to: max(readBack, failingAt))
                    usleep(2000)  // the writer has written what read back by then
                    progress.fail(seq: 42)
                    return
                }
                progress.advance(to: next)
                readBack = next
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
        let early = Platform.Locked<[String]>([])
        let done = DispatchSemaphore(value: 0)
        let progress = Self.advancing(
            batchBytes, stepBytes: stepBytes, failingAt: failingAt, fd: fd, ledgerBytes: ledgerBytes, written: early, done: done)
        var failure: AccordError?
        do throws(AccordError) {
            try store.write(bytes, fd: fd, originalSize: ledgerBytes, readBack: progress)
        } catch {
            failure = error
        }
        done.wait()
        let writtenEarly = early.withLock { $0 }
        #expect(writtenEarly.isEmpty, "no byte before its line reads back: \(writtenEarly.first ?? "")")
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
        #expect(failure.message.contains("seq 42"), "\(failure.message)")
        #expect(file == DirectWriteTests.pattern(ledgerBytes, seed: 1) ? true : false, "failing at \(failingAt): the file as it was")
    }

    /// The disk's copy of a direct block that differs by one bit from what
    /// was written is seen, in a later step than the first.
    @Test func aBlockTheDiskHoldsOtherwiseIsSeen() throws {
        let temporary = try TemporaryDirectory("accord-pipelined")
        guard try DirectWriteTests.directIsTaken(in: temporary.url) else { return }
        let path = temporary.url.appendingPathComponent("ledger.jsonl").path
        var written = DirectWriteTests.pattern(8 * Self.block, seed: 3)
        try Data(written).write(to: URL(fileURLWithPath: path))
        written[5 * Self.block + 7] ^= 0x01
        let fd = try Platform.open(path, flags: O_RDWR)
        defer { Platform.close(fd) }
        let direct = try #require(Platform.openDirect(path, sameFileAs: fd))
        defer { Platform.close(direct) }
        for (changed, same) in [(written, false), (DirectWriteTests.pattern(8 * Self.block, seed: 3), true)] {
            let check = DiskReadBack(DirectWriteTests.laidOut(changed, at: 0), fd: direct, fileOffset: 0, from: 0, path: path)
            check.written(through: 4 * Self.block)
            usleep(2000)
            check.written(through: 8 * Self.block)
            #expect(try check.finish() == same)
        }
    }

    /// End to end through the store: a batch of several read-back segments
    /// (read back on a thread of its own, written in several direct steps),
    /// alone and with an input already recorded (encoded again): each line
    /// is its record encoded alone, chained to the one before, and the chain
    /// verifies.
    @Test(arguments: [false, true])
    func aBatchOfSeveralSegments(withARepeat: Bool) throws {
        let ledger = try TestLedger()
        try ledger.fill(2)
        let count = 3 * BatchEncoder.readBackSegmentRecords + 17
        let events = (3...(count + 2)).map {
            TestLedger.council($0, id: "reg-\($0)", name: "Council number \($0) " + String(repeating: "x", count: 200))
        }
        let outcome = try ledger.append(withARepeat ? events + [events[0]] : events)
        #expect(outcome.appended.count == count)
        #expect(outcome.alreadyRecorded.count == (withARepeat ? 1 : 0))
        #expect(try ledger.store.verify().head == outcome.head)
        let lines = try ledger.lines()
        #expect(lines.count == count + 2)
        #expect(try ledger.bytes().count > 3 * (2 << 20), "several direct steps")
        var previous = SHA256.hash(lines[1])
        var differing = 0
        for (offset, line) in lines.dropFirst(2).enumerated() {
            var expected = outcome.appended[offset]
            if expected.prev != previous.hex { differing += 1 }
            expected.prev = previous.hex
            if EventEncoder.encodeRecord(expected) != line { differing += 1 }
            previous = SHA256.hash(line)
        }
        #expect(differing == 0)
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
