import Events

/// The shards a record reaches (`ReplayState.reach(of:into:)`), worked out
/// from each name as it is reached, into one buffer the caller keeps from
/// record to record. (Each record's names gathered in an array of their own,
/// then hashed into a second array of shard numbers, made two arrays and
/// copied every name for each of the 123,677 times the 10th batch onto
/// 900,000 records asked.)
public struct ShardReach: Sendable {
    public let shardCount: Int
    /// The shard of each name reached, in the order reached, a shard perhaps more than once.
    public private(set) var shards: [Int] = []
    /// The record can reach anything (a retraction): `shards` says nothing.
    public private(set) var reachesEverything = false

    public init(shardCount: Int) {
        precondition(shardCount > 0, "names fall among at least one shard")
        self.shardCount = shardCount
        shards.reserveCapacity(64)
    }

    /// The entry named `key` is reached.
    public mutating func name(_ key: String) {
        shards.append(StateKeys.shard(of: key, count: shardCount))
    }

    public mutating func everything() {
        reachesEverything = true
    }

    /// Starts again, keeping the buffer, with the shards `record` reaches in
    /// `state` and then its idempotency key's: worked out the same way by the
    /// judging thread (`CheckpointCache.shards(for:)`) and the thread reading
    /// ahead of it (`ShardPrefetch`). False if the record can reach anything,
    /// and then only the key's shard is held.
    mutating func fill<State: ReplayState>(with record: Record, in state: State) -> Bool {
        start()
        state.reach(of: record, into: &self)
        let named = !reachesEverything
        if !named { start() }
        if let id = record.envelope.id { name(id) }
        return named
    }

    private mutating func start() {
        shards.removeAll(keepingCapacity: true)
        reachesEverything = false
    }
}
