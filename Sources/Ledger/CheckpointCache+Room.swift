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
        guard !complete,
            let growth = Self.expectedGrowth(shardsLoaded: loaded.count, of: Self.shardCount, inputsJudged: judged, of: count)
        else { return }
        state.reserveRoom(growing: growth)
    }

    /// How much the entries in memory will grow by the end of a batch, if
    /// having judged `judged` of `count` inputs it has loaded `loaded` of
    /// `shardCount` shards (at most 2^20); nil for no growth. Each input
    /// reaching shards as if at random, the share of shards not yet loaded
    /// shrinks by the same factor every `judged` inputs, so the batch ends
    /// having loaded 1 - (1 - loaded / shardCount)^(count / judged) of them.
    /// Never more than the inputs grow (`count / judged`). Worked in whole
    /// numbers: shards not yet loaded in units of 2^-30 of a shard, or of
    /// shardCount² / 2^62 past 65,536 shards, so the estimate is the same on
    /// every machine and no product below passes 2^62.
    static func expectedGrowth(shardsLoaded loaded: Int, of shardCount: Int, inputsJudged judged: Int, of count: Int)
        -> Growth?
    {
        guard loaded > 0, judged > 0, count > judged, shardCount > 0, shardCount <= 1 << 20 else { return nil }
        let loaded = min(loaded, shardCount)
        let rounds = count / judged
        let unit = min(1 << 30, (1 << 62) / (shardCount * shardCount))
        // At most 2^62 / shardCount here, and at most 2^46: times a shard
        // count, or times 65,536 below, within an Int.
        var unloadedUnits = shardCount * unit
        // Bounded by `rounds`, and by the shrinking: each round takes at least one unit.
        for _ in 0..<rounds {
            guard unloadedUnits > 0 else { break }
            unloadedUnits = unloadedUnits * (shardCount - loaded) / shardCount
        }
        // Past `shardCount` rounds the second term is above the first either way.
        let expectedUnits = min(shardCount * unit - unloadedUnits, loaded * min(rounds, shardCount) * unit)
        let growth = Growth(per65536: expectedUnits * 65536 / (loaded * unit))
        return growth.per65536 > 65536 ? growth : nil
    }
}

/// By how many times a batch expects the state's tables to grow, in 65,536ths
/// (a table's size is a count: no floating point is needed to estimate it).
public struct Growth: Equatable, Sendable {
    public let per65536: Int

    public init(per65536: Int) {
        precondition(per65536 >= 0, "a table does not grow by less than nothing")
        self.per65536 = per65536
    }

    /// `count` entries grown by this much, rounded up; `Int.max` if it would not fit.
    public func applied(to count: Int) -> Int {
        precondition(count >= 0, "a table holds no fewer than no entries")
        let (product, overflow) = count.multipliedReportingOverflow(by: per65536)
        return overflow ? Int.max : (product >> 16) + (product & 0xFFFF == 0 ? 0 : 1)
    }
}
