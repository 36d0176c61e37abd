#if canImport(Glibc)
import Glibc
#endif

extension CheckpointCache {
    /// Batches smaller than this never ask for room: their tables stay small.
    static var roomMinimumInputs: Int { 8192 }

    /// Whether judging, at input `index` of `count`, should make room now: an
    /// eighth of the way through, late enough to have seen how fast the batch
    /// reaches new shards, early enough that most of the loading is still to come.
    static func makesRoom(at index: Int, of count: Int) -> Bool {
        count >= roomMinimumInputs && index == count / 8
    }

    /// Asks the state to make room for what the rest of the batch will load
    /// at the rate seen so far (`expectedGrowth`). The 10th 100,000-record
    /// batch onto 900,000 records loads 104,000 proposals into one table;
    /// grown by doubling from empty, its last doubling alone (moving 98,000
    /// entries into fresh pages) held up judging for a tenth of the batch.
    mutating func makeRoom(judged: Int, of count: Int) {
        guard !complete, !loaded.isEmpty else { return }
        let factor = Self.expectedGrowth(
            shardsLoaded: loaded.count, of: Self.shardCount, inputsJudged: judged, of: count)
        if factor > 1 { state.reserveRoom(growingBy: factor) }
    }

    /// By how much the entries in memory will grow by the end of a batch, if
    /// having judged `judged` of `count` inputs it has loaded `loaded` of
    /// `shardCount` shards: each input reaching shards as if at random, the
    /// share of shards not yet loaded shrinks geometrically, so the batch ends
    /// having loaded 1 - (1 - share)^(count / judged) of them. Never more than
    /// the inputs grow (`count / judged`), never less than nothing.
    static func expectedGrowth(shardsLoaded loaded: Int, of shardCount: Int, inputsJudged judged: Int, of count: Int)
        -> Double
    {
        guard loaded > 0, judged > 0, count > judged, shardCount > 0 else { return 1 }
        let share = Double(min(loaded, shardCount)) / Double(shardCount)
        let rounds = Double(count) / Double(judged)
        let expectedShare = 1 - pow(1 - share, rounds)
        return min(max(expectedShare / share, 1), rounds)
    }
}
