import Events

extension CheckpointCache {
    /// Below this many inputs a batch reads its few shards itself: a thread
    /// and a copy of the table cost more than they save.
    static var prefetchMinimumInputs: Int { 64 }

    /// Starts reading the shards `inputs` will reach on another core
    /// (`ShardPrefetch`), if the state was restored and the batch is large
    /// enough to gain, and there is another core to read on; `stopPrefetching`
    /// must follow before the pack is written.
    mutating func startPrefetching(_ inputs: [PositionedEvent], now: Instant, readAhead: ReadAhead?) {
        guard Platform.processorCount > 1, !complete, prefetch == nil, inputs.count >= Self.prefetchMinimumInputs,
            let table, let pack
        else { return }
        prefetch = ShardPrefetch(
            inputs: inputs, firstSeq: head.seq + 1, now: now, state: state, loaded: loaded, table: table, head: head.seq,
            generation: generation, pack: pack, named: named, readAhead: readAhead)
    }

    /// Ends the reading thread; shards read and not taken are dropped.
    mutating func stopPrefetching() {
        prefetch?.stop()
        prefetch = nil
    }
}
