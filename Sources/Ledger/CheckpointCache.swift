import Events

#if canImport(Glibc)
import Glibc
#endif

/// The appender's view of the validator's state and the idempotency keys,
/// read from the checkpoint and its shards as far as the events being
/// appended need, kept current record by record, and saved back.
///
/// Either it was built from the ledger's first record (`complete`: everything
/// is in memory) or it was restored from a checkpoint matching the ledger's
/// head, and holds the core plus the shards loaded so far.
///
/// On disk, beside `<ledger>.checkpoint` (the core), the directory
/// `<ledger>.checkpoint.d` holds `shards` (`ShardPack`) and `table` (`ShardTable`).
struct CheckpointCache<State: ReplayState> {
    /// A record reaches a shard for one or two of its entries and the whole
    /// shard is read, decoded where named, and written again: the fewer
    /// entries beside them, the less of that is waste. 524,288 (2^19): the
    /// 10th 100,000-record batch onto 900,000 records took 955, 921, 915 and
    /// 891 ms of CPU with 2^16, 2^17, 2^18 and 2^19 shards (8 alternated
    /// rounds), and 826 against 860 ms at 2^19 against 2^18 once saves
    /// stepped over empty shards (10 rounds). The cost: the first batch onto
    /// an empty ledger, which writes every shard, about 0.31 s against 0.28 s,
    /// and a table of 24 bytes a shard, 12 MB.
    static var shardCount: Int { 1 << 19 }
    let ledgerPath: String
    var head = ChainPosition.genesis
    var recorded: Instant?
    var state = State()
    var generation: UInt64
    /// The table entries read or written so far; for a state built from the
    /// first record there is no table yet and every other shard is empty.
    var entries: [Int: ShardTable.Entry] = [:]
    var table: ShardTable?
    var pack: ShardPack?
    var packLive = 0
    /// Idempotency key → (seq, SHA-256 of the event's canonical content), for the loaded shards.
    var ids: [String: (seq: Int, content: SHA256Digest)] = [:]
    var loaded = ShardSet(capacity: Self.shardCount)
    var complete: Bool
    /// Shards changed since the checkpoint was read.
    var dirty = ShardSet(capacity: Self.shardCount)
    /// Shards being read on another core while a batch is judged.
    var prefetch: ShardPrefetch<State>?
    /// What the batch being judged names (`ReplayState.expect(_:)`): entries
    /// of other names may be left packed as shards are read. Nil: none are.
    var named: Set<Identifier>?
    /// A save of this many shards or more goes to the pack around the page
    /// cache (`ShardPack.Appender`); the store's setting (`LedgerStore`).
    var directSaveMinimumShards = Int.max
    /// What `shards(for:)` works out, in a buffer kept from record to record.
    private var reach = ShardReach(shardCount: CheckpointCache.shardCount)

    var shardDirectory: String { CheckpointShard.directory(for: ledgerPath) }

    /// An empty state, to be built from the ledger's first record.
    init(ledgerPath: String) {
        self.ledgerPath = ledgerPath
        generation = UInt64.random(in: 1...UInt64.max)
        complete = true
    }

    /// The saved core with its table and pack, if it was written by this kind
    /// of state and reads back, and the table is its build's, for this many shards. Whether it matches the
    /// ledger is the caller's to check.
    init?(restoring ledgerPath: String) {
        guard let bytes = Platform.readFileIfPresent(Checkpoint.path(for: ledgerPath)), let saved = Checkpoint.decode(bytes),
            saved.kind == State.checkpointKind, let state = State(checkpoint: saved.state)
        else { return nil }
        let directory = CheckpointShard.directory(for: ledgerPath)
        guard let table = ShardTable.open(
            ShardTable.path(in: directory), generation: saved.generation, count: Self.shardCount, head: saved.head.seq),
            let pack = try? ShardPack.open(ShardPack.path(in: directory), creating: false), saved.packLive <= pack.size
        else { return nil }
        self.ledgerPath = ledgerPath
        head = saved.head
        recorded = saved.recorded
        self.state = state
        generation = saved.generation
        packLive = saved.packLive
        self.table = table
        self.pack = pack
        complete = false
    }

    /// Where shard `index` lies and the stamp it must carry, or nil if the table cannot say.
    mutating func entry(_ index: Int) -> ShardTable.Entry? {
        if let known = entries[index] { return known }
        guard let table else { return .empty }
        guard let entry = table.entry(index), entry.stamp <= head.seq else { return nil }
        entries[index] = entry
        return entry
    }

    /// Loads the shards `record` reaches, and those the loaded entries lead
    /// to, and returns them (for `apply`); nil if one of them is not the
    /// shard the core expects, in which case the caller must rebuild from the ledger.
    mutating func prepare(for record: Record) -> [Int]? {
        guard !complete else { return [] }
        // Each round can only reveal entries named by those loaded or unpacked in
        // the last; the validator's chains are at most three long (post →
        // agreement → councils), and a proposal left packed costs one round more.
        for _ in 0..<8 {
            guard let wanted = shards(for: record) else { return nil }
            // Taken out of `self` for the closures below: reaching into a
            // generic `self` from a closure looked up the cache's type
            // metadata at every call, a tenth of judging a long batch.
            let loaded = self.loaded
            // Most records reach only loaded shards: found so without building anything.
            guard wanted.contains(where: { !loaded.contains($0) }) else {
                switch state.unpack(for: record) {
                case .nothing: return wanted
                case .unpacked: continue  // what it decoded may lead further
                case .unreadable: return nil
                }
            }
            // In order, each once (`wanted` may name a shard twice; loading one twice would merge it twice).
            let missing = wanted.filter { !loaded.contains($0) }.sorted()
            for (position, index) in missing.enumerated() where position == 0 || missing[position - 1] != index {
                guard load(index) else { return nil }
            }
        }
        return nil  // a longer chain than the rules can make: rebuild rather than guess
    }

    /// Folds an acknowledged (or about to be) record in, given the shards
    /// `prepare` returned for it.
    mutating func apply(_ record: Record, reaching reached: [Int]) {
        // Built from the first record, every shard with anything in it is
        // written at the end (`save`), so there is nothing to track.
        if !complete {
            let loaded = self.loaded  // out of the generic `self` first, as in `prepare`
            precondition(reached.allSatisfy { loaded.contains($0) }, "record \(record.seq) applied unprepared")
            dirty.formUnion(reached)
        }
        state.apply(record)
        if let id = record.envelope.id { ids[id] = (record.seq, SHA256.hash(EventEncoder.content(record.envelope))) }
    }

    /// The shards a record reads or changes, its id's and its keys', a
    /// shard perhaps more than once (a set per record, twice a record, was a
    /// tenth of judging a long batch); nil if the table cannot say which
    /// shards are in use.
    mutating func shards(for record: Record) -> [Int]? {
        // Shares the buffer until the caller is done with it, before the next record fills it again.
        if reach.fill(with: record, in: state) { return reach.shards }
        if let table, entries.count < Self.shardCount {
            guard let all = table.all(), all.allSatisfy({ $0.stamp <= head.seq }) else { return nil }
            for (index, entry) in all.enumerated() where entries[index] == nil { entries[index] = entry }
        }
        var every = loaded
        every.formUnion(dirty)
        every.formUnion(entries.keys.filter { entries[$0]!.stamp != 0 })
        return every.sorted() + reach.shards  // and the idempotency key's
    }

    private mutating func load(_ index: Int) -> Bool {
        if let fetched = prefetch?.take(index) {
            // Consumed, so the part's tables are this code's alone and its entries move rather than copy.
            switch consume fetched {
            case .stale:
                return false
            case .empty(let entry):
                entries[index] = entry
            case .part(var part, let entry):
                entries[index] = entry
                guard state.merge(&part) else { return false }
                prefetch?.discard(consume part)
            case .unread(let bytes, let body, let entry):
                entries[index] = entry
                guard bytes.withUnsafeBytes({ load(UnsafeRawBufferPointer(rebasing: $0[body]), index: index, stamp: entry.stamp) })
                else { return false }
            }
            loaded.insert(index)
            return true
        }
        guard let entry = entry(index) else { return false }
        guard entry.stamp != 0 else {
            loaded.insert(index)  // never written: nothing in it yet
            return true
        }
        let loadedVersion = pack?.withVersion(offset: entry.offset, length: entry.length) { bytes in
            guard let body = ShardSeal.body(of: bytes) else { return false }
            return load(UnsafeRawBufferPointer(rebasing: bytes[body]), index: index, stamp: entry.stamp)
        }
        guard loadedVersion == true else { return false }
        loaded.insert(index)
        return true
    }

    /// Adds one shard's unsealed body, if it is the version the table holds:
    /// its header read by position when it holds no idempotency keys, else
    /// through a JSON tree.
    private mutating func load(_ body: UnsafeRawBufferPointer, index: Int, stamp: Int) -> Bool {
        let expected = (generation, index, stamp)
        if let shard = CheckpointShard.laidOut(body) {
            guard (shard.generation, shard.index, shard.stamp) == expected else { return false }
            guard let range = shard.state else { return true }
            return state.load(shard: UnsafeRawBufferPointer(rebasing: body[range]), named: named)
        }
        guard let shard = CheckpointShard.decode(body), (shard.generation, shard.index, shard.stamp) == expected else {
            return false
        }
        if let range = shard.state, !state.load(shard: UnsafeRawBufferPointer(rebasing: body[range]), named: named) {
            return false
        }
        for (key, value) in shard.ids {
            guard CheckpointShard.index(of: key, count: Self.shardCount) == index else { return false }
            ids[key] = value
        }
        return true
    }

    /// Adds the changed shards to the pack, points the table at them (synced),
    /// then writes the core. A crash part-way leaves a table that disagrees
    /// with the shards, or that was written for a later head than the old
    /// core's, so the next append notices and rebuilds; the ledger itself was
    /// synced before any of this.
    ///
    /// `encoding`, if given, is `startEncoding` called since the last change
    /// to the state, stamped with the head's seq.
    mutating func save(compactionSlackBytes: Int, encoding started: ShardEncoding? = nil) {
        guard head.seq > 0, let encoding = started ?? startEncoding() else {
            started?.drain()  // else its thread waits for a writer for ever
            return
        }
        precondition(encoding.stamp == head.seq, "the shards are stamped with the head they are saved at")
        let core = Checkpoint.path(for: ledgerPath)
        defer { encoding.drain() }
        do {
            if complete {
                try saveWhole(encoding)
            } else {
                try saveChanges(encoding, compactionSlackBytes: compactionSlackBytes)
            }
            let checkpoint = Checkpoint(
                kind: State.checkpointKind, head: head, recorded: recorded, generation: generation,
                packLive: packLive, state: state.checkpoint())
            try Platform.replaceFile(core, with: checkpoint.encode(), sync: false)
            dirty.removeAll()
        } catch {
            // Failing to save costs the next append a rebuild, never a record.
            Platform.unlink(core)
        }
    }

    typealias IDsByShard = [Int: [String: (seq: Int, content: SHA256Digest)]]

    /// The idempotency keys in memory, by the shard each lives in.
    private func idsByShard() -> IDsByShard {
        var result: IDsByShard = [:]
        for (key, entry) in ids { result[CheckpointShard.index(of: key, count: Self.shardCount), default: [:]][key] = entry }
        return result
    }

    /// The encoded shards of `group` (ascending) that hold anything (or all of them, with `includingEmpty`).
    private func blobs(
        _ group: [Int], map: State.ShardMap, idsByShard: IDsByShard, keyed: [Int], stamp: Int, includingEmpty: Bool
    )
        -> [(index: Int, bytes: [UInt8])]
    {
        var blobs: [(index: Int, bytes: [UInt8])] = []
        // The shards the state has nothing in, up to (not including) `end`: written if they hold keys, or with `includingEmpty`.
        var next = 0
        // Whether a shard holds keys, by stepping through `keyed` (the keys
        // of `idsByShard` in order) beside the group, from the group's first:
        // looked up in `idsByShard` shard by shard, every shard of a state
        // built from the first record (524,288) was a lookup.
        var keyedNext = keyed.partitionPoint { $0 < group.first ?? Int.max }
        func rest(before end: Int) {
            // Bounded by the group, and `keyed` by it.
            while next < group.count, group[next] < end {
                let index = group[next]
                while keyedNext < keyed.count, keyed[keyedNext] < index { keyedNext += 1 }
                if includingEmpty || (keyedNext < keyed.count && keyed[keyedNext] == index) {
                    blobs.append((index, shardBytes(index, stamp: stamp, ids: idsByShard[index], state: nil)))
                }
                next += 1
            }
        }
        // Each shard's state straight into its sealed bytes, in the group's order.
        state.forEachShard(group, in: map) { index, bytes in
            rest(before: index)
            precondition(next < group.count && group[next] == index, "shard \(index) is in the group, in order")
            blobs.append((index, shardBytes(index, stamp: stamp, ids: idsByShard[index], state: bytes)))
            next += 1
        }
        rest(before: Int.max)
        return blobs
    }

    private func shardBytes(_ index: Int, stamp: Int, ids: [String: (seq: Int, content: SHA256Digest)]?, state: UnsafeRawBufferPointer?)
        -> [UInt8]
    {
        CheckpointShard.encode(generation: generation, index: index, stamp: stamp, ids: ids ?? [:], state: state)
    }

    /// Starts encoding the shards the next save writes (every shard with
    /// anything in it for a state built from the first record, else the
    /// changed ones), up to a sixty-fourth of all shards to a group, so that
    /// only a few groups' encoded shards are in memory at once. (A sixteenth
    /// made the 10th batch onto 900,000 records six groups, encoded two at a
    /// time, each round as slow as its slower group, and the pack waited for
    /// the first: 10 alternated rounds, 0.601 against 0.562 s, 55,700 against
    /// 53,100 page faults; a 256th was no faster.) Where each entry and key
    /// lives is worked out once, before the first group. The shards are
    /// stamped with `stamp`, the seq of the head they will be saved at (by
    /// default the head's now). Nil if there is nothing to save.
    func startEncoding(stamp: Int? = nil) -> ShardEncoding? {
        let stamp = stamp ?? head.seq
        guard stamp > 0 else { return nil }
        let (indices, includingEmpty) = complete ? (Array(0..<Self.shardCount), false) : (dirty.sorted(), true)
        let groupShards = Self.shardCount / 64
        let groups = stride(from: 0, to: indices.count, by: groupShards).map {
            Array(indices[$0..<min($0 + groupShards, indices.count)])
        }
        // A copy shares the state, not copies it; the other threads only read it.
        let copy = EncodingCopy(cache: self)
        // A restored state's changed shards go at the end of the pack it has.
        return ShardEncoding(
            groups: groups, stamp: stamp, writingAheadTo: complete ? nil : pack, directly: indices.count >= directSaveMinimumShards
        ) {
            let map = copy.cache.state.shardMap(of: Self.shardCount)
            let idsByShard = copy.cache.idsByShard()
            let keyed = idsByShard.keys.sorted()
            return {
                copy.cache.blobs($0, map: map, idsByShard: idsByShard, keyed: keyed, stamp: stamp, includingEmpty: includingEmpty)
            }
        }
    }

    private struct EncodingCopy: @unchecked Sendable { let cache: CheckpointCache }

    /// A state built from the first record: a new pack and a new table, for a new generation.
    private mutating func saveWhole(_ encoding: ShardEncoding) throws(Platform.SystemError) {
        try Platform.makeDirectory(shardDirectory)
        let path = ShardPack.path(in: shardDirectory)
        Platform.unlink(path)
        let pack = try ShardPack.open(path, creating: true)
        let appender = ShardPack.Appender(to: pack, directly: encoding.directly)
        var all = [ShardTable.Entry](repeating: .empty, count: Self.shardCount)
        for _ in 0..<encoding.groupCount {
            let part = encoding.next()
            let placed = try appender.append(part.map(\.bytes))
            for (blob, place) in zip(part, placed) {
                all[blob.index] = ShardTable.Entry(stamp: head.seq, offset: place.offset, length: place.length)
            }
        }
        try appender.finish()
        packLive = pack.size
        table = try ShardTable.create(ShardTable.path(in: shardDirectory), generation: generation, entries: all, head: head.seq)
        self.pack = pack
    }

    /// A restored state: the changed shards go at the end of the pack.
    private mutating func saveChanges(_ encoding: ShardEncoding, compactionSlackBytes: Int) throws(Platform.SystemError) {
        guard let table, let pack else { return }
        // In groups, as for a whole save, and for the same reason: a batch can change most
        // shards, and holding every encoded shard at once cost 720 MB on 900,000 records
        // against 417 MB in groups. The groups are written into this pack by a thread of
        // the encoding's (`startEncoding`); the ledger is synced by now, so writing may
        // start if the append has not already let it.
        precondition(encoding.pack === pack, "a restored state's shards are written ahead into its own pack")
        encoding.startWriting()
        var changes: [(index: Int, entry: ShardTable.Entry)] = []
        for _ in 0..<encoding.groupCount {
            for place in try encoding.nextPlaced().get() {
                packLive -= entries[place.index]?.length ?? 0  // every dirty shard was loaded, so its entry is known
                packLive += place.length
                let entry = ShardTable.Entry(stamp: head.seq, offset: place.offset, length: place.length)
                changes.append((place.index, entry))
                entries[place.index] = entry
            }
        }
        // Pointed at only once the pack holds every new version, and sealed after.
        try table.set(changes)
        try table.seal(head: head.seq)
        // Old versions outweigh the live ones: copy the live ones to a new pack.
        if pack.size > 4 * packLive + compactionSlackBytes { try compact() }
    }

    /// Rewrites the pack with only the versions the table points at, then the table.
    private mutating func compact() throws(Platform.SystemError) {
        guard let table, let pack, let all = table.all() else { return }
        let temporary = ShardPack.path(in: shardDirectory) + ".tmp"
        Platform.unlink(temporary)
        let fresh = try ShardPack.open(temporary, creating: true)
        var moved = all
        var batch: [(index: Int, bytes: [UInt8])] = []
        func flush() throws(Platform.SystemError) {
            let placed = try fresh.append(batch.map(\.bytes))
            for (blob, place) in zip(batch, placed) {
                moved[blob.index].offset = place.offset
                moved[blob.index].length = place.length
            }
            batch = []
        }
        for (index, entry) in all.enumerated() where entry.stamp != 0 {
            guard let bytes = pack.read(offset: entry.offset, length: entry.length) else {
                throw Platform.SystemError(operation: "read", path: pack.path, code: EIO)
            }
            batch.append((index, bytes))
            if batch.count == 1024 { try flush() }
        }
        try flush()
        // Synced first, or a power cut could keep the new table and lose the
        // pack it points at: every shard, where an append risks only its own.
        // A crash from here until the core is written leaves a table sealed
        // for a head the old core does not have, so it is refused.
        try fresh.syncAndRename(to: ShardPack.path(in: shardDirectory))
        self.table = try ShardTable.create(table.path, generation: generation, entries: moved, head: head.seq)
        self.pack = fresh
        packLive = fresh.size
        entries = [:]
    }
}
