import Synchronization

#if canImport(Glibc)
import Glibc
#endif

/// How far a thread reading ahead of judging may get: at most `mostInputs`
/// inputs past the one being judged. What it has read and judging has not yet
/// taken is held in memory, so without a bound a reader that outruns judging
/// holds the shards of most of a batch at once.
final class ReadAhead: Sendable {
    /// A few thousand inputs: judging them takes tens of milliseconds, enough
    /// for the reader to stay ahead, and they reach a few thousand shards.
    static let defaultMostInputs = 4096

    let mostInputs: Int
    private let judging = Atomic<Int>(0)

    init(mostInputs: Int) {
        precondition(mostInputs >= 0, "a reader may be no inputs ahead, not fewer")
        self.mostInputs = mostInputs
    }

    /// Judging has reached input `index`.
    func judge(_ index: Int) {
        judging.store(index, ordering: .relaxed)
    }

    /// Waits until input `index` is no more than `mostInputs` ahead of
    /// judging; false, at once, if `stopped` says judging is over.
    func waitForRoom(before index: Int, unless stopped: () -> Bool) -> Bool {
        // Bounded: judging either moves on or ends, and when it ends it stops the reader.
        while index - judging.load(ordering: .relaxed) > mostInputs {
            if stopped() { return false }
            // The reader is ahead, so its core has nothing better to do; a
            // fraction of a millisecond is nothing against what judging reads in that time.
            usleep(200)
        }
        return true
    }
}
