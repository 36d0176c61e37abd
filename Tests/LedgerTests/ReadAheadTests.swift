import Foundation
import Synchronization
import Testing

@testable import Ledger

/// A thread reading shards ahead of judging waits when it is `mostInputs`
/// inputs ahead (`ReadAhead`), and gives up at once when judging is over.
@Suite struct ReadAheadTests {
    /// A reader waiting, on a thread of its own, for room before one input.
    final class Reader: Sendable {
        let stopped = Atomic<Bool>(false)
        /// Nil while it waits; then whether it got room (false: it was stopped).
        let answer = Mutex<Bool?>(nil)

        init(_ readAhead: ReadAhead, before index: Int) {
            Thread { [self] in
                let got = readAhead.waitForRoom(before: index) { self.stopped.load(ordering: .relaxed) }
                answer.withLock { $0 = got }
            }.start()
        }

        var waiting: Bool { answer.withLock { $0 } == nil }

        /// Its answer, once it has one (nil after ten seconds).
        func outcome() -> Bool? {
            let deadline = Date().addingTimeInterval(10)
            // Bounded by the deadline.
            while Date() < deadline {
                if let got = answer.withLock({ $0 }) { return got }
                usleep(1000)
            }
            return nil
        }
    }

    /// (how far ahead it may be, the input it waits before, the input whose judging lets it pass)
    @Test(arguments: [(0, 5, 5), (2, 10, 8), (4096, 4096, 0), (4096, 5000, 904)])
    func theReaderPassesOnlyWhenJudgingIsCloseEnough(mostInputs: Int, index: Int, letThrough: Int) {
        let readAhead = ReadAhead(mostInputs: mostInputs)
        if letThrough > 0 {
            readAhead.judge(letThrough - 1)
            #expect(readAhead.waitForRoom(before: index - 1) { true }, "one input nearer is within reach, without waiting")
        }
        let reader = Reader(readAhead, before: index)
        if letThrough > 0 {
            usleep(50_000)
            #expect(reader.waiting, "input \(index) is \(mostInputs + 1) ahead of input \(letThrough - 1)")
        }
        readAhead.judge(letThrough)
        #expect(reader.outcome() == true)
    }

    @Test func aStoppedReaderGivesUp() {
        let reader = Reader(ReadAhead(mostInputs: 3), before: 100)
        usleep(20_000)
        #expect(reader.waiting)
        reader.stopped.store(true, ordering: .relaxed)
        #expect(reader.outcome() == false)
    }
}
