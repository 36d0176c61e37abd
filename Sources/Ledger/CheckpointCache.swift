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
struct CheckpointCache<State: ReplayState> {
    /// Enough that a shard of a million-record ledger is a few kilobytes.
    static var shardCount: Int { 1 << 16 }
    static var kind: String { State.checkpointKind }

    let ledgerPath: String
    var head = ChainPosition.genesis
    var recorded: Instant?
    var state = State()
    var generation: UInt64
    /// The stamps read from the table or set since; every other shard's is in
    /// `table` (or, for a state built from the first record, is 0: empty).
    var stamps: [Int: Int] = [:]
    var table: StampTable?
    /// Idempotency key → (seq, SHA-256 of the event's canonical content), for the loaded shards.
    var ids: [String: (seq: Int, content: SHA256Digest)] = [:]
    var loaded: Set<Int> = []
    var complete: Bool
    /// Shards changed since the checkpoint was read.
    var dirty: Set<Int> = []

    var shardDirectory: String { CheckpointShard.directory(for: ledgerPath) }

    /// An empty state, to be built from the ledger's first record.
    init(ledgerPath: String) {
        self.ledgerPath = ledgerPath
        generation = UInt64.random(in: 1...UInt64.max)
        complete = true
    }

    /// The saved core, if it was written by this kind of state, for this many
    /// shards, and reads back. Whether it matches the ledger is the caller's to check.
    init?(restoring ledgerPath: String) {
        guard let bytes = Self.readFile(Checkpoint.path(for: ledgerPath)), let saved = Checkpoint.decode(bytes),
            saved.kind == Self.kind, saved.shardCount == Self.shardCount, let state = State(checkpoint: saved.state)
        else { return nil }
        self.ledgerPath = ledgerPath
        head = saved.head
        recorded = saved.recorded
        self.state = state
        generation = saved.generation
        guard let table = StampTable.open(
            StampTable.path(in: CheckpointShard.directory(for: ledgerPath)), generation: generation,
            count: Self.shardCount, head: saved.head.seq)
        else { return nil }
        self.table = table
        complete = false
    }

    /// The stamp shard `index` must carry (0: it holds nothing), or nil if the table cannot say.
    mutating func stamp(_ index: Int) -> Int? {
        if let known = stamps[index] { return known }
        guard let table else { return 0 }
        guard let stamp = table.stamp(index), stamp <= head.seq else { return nil }
        stamps[index] = stamp
        return stamp
    }

    /// Loads the shards `record` reaches, and those the loaded entries lead
    /// to; false if one of them is not the shard the core expects, in which
    /// case the caller must rebuild from the ledger.
    mutating func prepare(for record: Record) -> Bool {
        guard !complete else { return true }
        // Each round can only reveal entries named by those loaded in the last;
        // the validator's chains are at most two long (proposal → contract).
        for _ in 0..<8 {
            guard let wanted = shards(for: record) else { return false }
            let missing = wanted.subtracting(loaded)
            if missing.isEmpty { return true }
            for index in missing.sorted() where !load(index) { return false }
        }
        return shards(for: record)?.isSubset(of: loaded) ?? false
    }

    /// Folds an acknowledged (or about to be) record in; `prepare` must have succeeded for it.
    mutating func apply(_ record: Record) {
        let reached = shards(for: record)!
        precondition(complete || reached.isSubset(of: loaded), "record \(record.seq) applied unprepared")
        dirty.formUnion(reached)
        state.apply(record)
        if let id = record.envelope.id { ids[id] = (record.seq, SHA256.hash(EventEncoder.content(record.envelope))) }
    }

    /// The shards a record reads or changes: its id's and its keys'; nil if
    /// the stamp table cannot say which shards are in use.
    mutating func shards(for record: Record) -> Set<Int>? {
        var result: Set<Int> = []
        if let id = record.envelope.id { result.insert(CheckpointShard.index(of: id, count: Self.shardCount)) }
        switch state.keys(for: record) {
        case .named(let names):
            for name in names { result.insert(CheckpointShard.index(of: name, count: Self.shardCount)) }
        case .everything:
            if let table, stamps.count < Self.shardCount {
                guard let all = table.all(), all.allSatisfy({ $0 <= head.seq }) else { return nil }
                for (index, stamp) in all.enumerated() where stamps[index] == nil { stamps[index] = stamp }
            }
            result.formUnion(stamps.keys.filter { stamps[$0] != 0 })
            result.formUnion(loaded)
            result.formUnion(dirty)
        }
        return result
    }

    private mutating func load(_ index: Int) -> Bool {
        guard let stamp = stamp(index) else { return false }
        guard stamp != 0 else {
            loaded.insert(index)  // never written: nothing in it yet
            return true
        }
        guard let bytes = Self.readFile(CheckpointShard.path(index, in: shardDirectory)),
            let shard = CheckpointShard.decode(bytes), shard.generation == generation, shard.stamp == stamp,
            state.load(shard: shard.state)
        else { return false }
        for (key, entry) in shard.ids {
            guard CheckpointShard.index(of: key, count: Self.shardCount) == index else { return false }
            ids[key] = entry
        }
        loaded.insert(index)
        return true
    }

    /// Writes the changed shards, then their stamps (synced), then the core.
    /// A crash part-way leaves shards and stamps that disagree, or stamps past
    /// the old core's head, so the next append notices and rebuilds; the
    /// ledger itself was synced before any of this.
    mutating func save() {
        guard head.seq > 0 else { return }
        let core = Checkpoint.path(for: ledgerPath)
        do {
            try Platform.makeDirectory(shardDirectory)
            if !dirty.isEmpty {
                let states = state.shards(dirty, of: Self.shardCount)
                var idsByShard: [Int: [String: (seq: Int, content: SHA256Digest)]] = [:]
                for (key, entry) in ids {
                    let index = CheckpointShard.index(of: key, count: Self.shardCount)
                    if dirty.contains(index) { idsByShard[index, default: [:]][key] = entry }
                }
                for index in dirty.sorted() {
                    let shard = CheckpointShard(
                        generation: generation, stamp: head.seq, ids: idsByShard[index] ?? [:],
                        state: states[index] ?? .null)
                    try Self.overwrite(CheckpointShard.path(index, in: shardDirectory), with: shard.encode())
                    stamps[index] = head.seq
                }
            }
            if let table {
                for index in dirty.sorted() { try table.set(index, to: head.seq) }
                try table.seal(head: head.seq)
            } else {
                var all = [Int](repeating: 0, count: Self.shardCount)
                for (index, stamp) in stamps { all[index] = stamp }
                table = try StampTable.create(StampTable.path(in: shardDirectory), generation: generation, stamps: all, head: head.seq)
            }
            let checkpoint = Checkpoint(
                kind: Self.kind, head: head, recorded: recorded, generation: generation,
                shardCount: Self.shardCount, state: state.checkpoint())
            try Self.replace(core, with: checkpoint.encode())
            dirty = []
        } catch {
            // Failing to save costs the next append a rebuild, never a record.
            Platform.unlink(core)
        }
    }

    /// Rewrites a shard in place. Renaming a new file over it each time would
    /// leave the file system a deleted inode per shard per append, which makes
    /// creating files slow. A crash part-way leaves a shard whose seal fails,
    /// or whose stamp the table does not expect: either way, a rebuild.
    static func overwrite(_ path: String, with bytes: [UInt8]) throws(Platform.SystemError) {
        let fd = try Platform.open(path, flags: O_WRONLY | O_CREAT, mode: 0o644)
        defer { Platform.close(fd) }
        try Platform.pwrite(fd, bytes, offset: 0, path: path)
        try Platform.ftruncate(fd, to: bytes.count, path: path)
    }

    /// Write-then-rename, so a crash leaves the old file or the new one, never half of one.
    static func replace(_ path: String, with bytes: [UInt8]) throws(Platform.SystemError) {
        let temporary = path + ".tmp"
        let fd = try Platform.open(temporary, flags: O_WRONLY | O_CREAT | O_TRUNC, mode: 0o644)
        var failure: Platform.SystemError?
        do { try Platform.writeAll(fd, bytes[...], path: temporary) } catch { failure = error }
        Platform.close(fd)
        if failure == nil {
            do { try Platform.rename(temporary, path) } catch { failure = error }
        }
        if let failure {
            Platform.unlink(temporary)
            throw failure
        }
    }

    static func readFile(_ path: String) -> [UInt8]? {
        guard let fd = try? Platform.open(path, flags: O_RDONLY) else { return nil }
        defer { Platform.close(fd) }
        guard let size = try? Platform.fileSize(fd, path: path), size < 1 << 30 else { return nil }
        var bytes = [UInt8](repeating: 0, count: size)
        let got = (try? Platform.pread(fd, into: &bytes, offset: 0, path: path)) ?? -1
        return got == size ? bytes : nil
    }
}
