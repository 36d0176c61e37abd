import Events

/// State derived from the history that an append needs in order to judge a
/// new event without replaying the ledger: the sovereignty validator's view
/// of councils, proposals, agreements and posts.
///
/// The appender keeps it current record by record and saves it beside the
/// ledger in two parts: a small core (`checkpoint()`), read on every append,
/// and shards of named entries (`shards(_:in:)`), of which an append reads and
/// rewrites only those its events name (`keys(for:)`). So an append costs the
/// same on a million records as on ten.
public protocol ReplayState: Sendable {
    /// Names this kind of state in its checkpoint; a state never reads another's.
    static var checkpointKind: String { get }
    init()
    /// The names of the sharded entries that judging or applying `record`
    /// reads or changes. Asked again after those are loaded, so an entry can
    /// lead to others (a proposal to the contracts it would end).
    func keys(for record: Record) -> StateKeys
    /// The shards of what `keys(for:)` names, added to `reach`: what the
    /// appender asks, for every record, perhaps more than once. A state may
    /// work them out without gathering the names.
    func reach(of record: Record, into reach: inout ShardReach)
    /// Folds one acknowledged record into the state.
    mutating func apply(_ record: Record)
    /// The findings that would reject `candidate` (already given its seq) if it were appended now.
    func check(_ candidate: Record) -> [Finding]
    /// The core: everything not kept in shards. `init(checkpoint:)` must read it back exactly.
    func checkpoint() -> JSONValue
    init?(checkpoint: JSONValue)
    /// Where each entry in memory lies among `count` shards
    /// (`StateKeys.shard(of:count:)`): worked out once for a save, which
    /// writes its shards group by group.
    associatedtype ShardMap: Sendable
    func shardMap(of count: Int) -> ShardMap
    /// The entries of each shard in `group` (ascending) that holds any, as
    /// the bytes of one value per shard, in a layout of the state's choosing
    /// that `part(ofShard:)` reads back, handed to `body` shard by shard in
    /// ascending order. The bytes are lent only for the call: the saver
    /// copies them once, into the shard's sealed bytes.
    func forEachShard(_ group: [Int], in map: ShardMap, _ body: (_ index: Int, _ bytes: UnsafeRawBufferPointer) -> Void)
    /// One shard's entries, read from its bytes into a value apart from the
    /// state, so that the appender can read shards on another core while it
    /// judges (`ShardPrefetch`); nil if the bytes are not what `shards` writes.
    /// Entries whose names are not in `named` (`expect(_:)`) may be left
    /// packed, for `unpack(for:)` to decode if a record reaches them after
    /// all; nil: decode everything.
    associatedtype ShardPart: Sendable = Never
    static func part(ofShard bytes: UnsafeRawBufferPointer, named: Set<Identifier>?) -> ShardPart?
    /// The names the events of a batch name themselves, worked out once
    /// before its shards are read (for `part(ofShard:named:)`); nil if the
    /// state leaves nothing packed. The state may make room for what they name.
    mutating func expect(_ inputs: [PositionedEvent]) -> Set<Identifier>?
    /// Decodes the entries `record` reaches that were left packed when their
    /// shards were read. Asked once `keys(for:)` names no shard left to
    /// load; after `.unpacked`, `keys(for:)` is asked again, since an entry
    /// decoded can lead to others.
    mutating func unpack(for record: Record) -> Unpacking
    /// Adds a part read by `part(ofShard:)`, moving its entries out of it
    /// (what is left holds nothing but its empty tables); false if it cannot
    /// be this state's, and then the state is for throwing away.
    mutating func merge(_ part: inout ShardPart) -> Bool
    /// Makes room for the entries held now grown by `growth`, because a batch
    /// part of the way through expects to load that many: its tables are then
    /// sized once instead of regrown, and rehashed, as the rest of it loads.
    /// Only time depends on it.
    mutating func reserveRoom(growing growth: Growth)
}

extension ReplayState {
    public func reach(of record: Record, into reach: inout ShardReach) {
        switch keys(for: record) {
        case .named(let names): for name in names { reach.name(name) }
        case .everything: reach.everything()
        }
    }

    public mutating func reserveRoom(growing growth: Growth) {}
    public mutating func expect(_ inputs: [PositionedEvent]) -> Set<Identifier>? { nil }
    public mutating func unpack(for record: Record) -> Unpacking { .nothing }
}

/// What `ReplayState.unpack(for:)` did.
public enum Unpacking: Sendable, Equatable {
    /// Nothing the record reaches was left packed.
    case nothing
    /// Decoded what the record reaches: ask `keys(for:)` again.
    case unpacked
    /// Bytes left packed did not decode: the state is for throwing away, and the cache for rebuilding.
    case unreadable
}

extension ReplayState {
    /// Adds the entries of one shard's bytes, leaving packed what `named`
    /// allows; false, for a rebuild, if they are not such a value.
    public mutating func load(shard bytes: UnsafeRawBufferPointer, named: Set<Identifier>? = nil) -> Bool {
        guard var part = Self.part(ofShard: bytes, named: named) else { return false }
        return merge(&part)
    }
}

extension ReplayState where ShardPart == Never {
    /// A state that shards nothing reads no shard.
    public static func part(ofShard bytes: UnsafeRawBufferPointer, named: Set<Identifier>?) -> Never? { nil }
    public mutating func merge(_ part: inout Never) -> Bool {}
}

extension ReplayState {
    /// `forEachShard`'s bytes, each shard's copied out.
    public func shards(_ group: [Int], in map: ShardMap) -> [Int: [UInt8]] {
        var result: [Int: [UInt8]] = [:]
        forEachShard(group, in: map) { index, bytes in result[index] = Array(bytes) }
        return result
    }

    /// The entries in memory whose names fall in each of `indices`, of `count` shards.
    public func shards(_ indices: Set<Int>, of count: Int) -> [Int: [UInt8]] {
        shards(indices.sorted(), in: shardMap(of: count))
    }
}

/// What part of the sharded state a record reaches.
public enum StateKeys: Sendable, Equatable {
    /// The entries with these names (and nothing else beyond the core), a
    /// name perhaps more than once.
    case named([String])
    /// Anything: a retraction can undo whatever record it names.
    case everything

    /// Which of `count` shards the entry named `key` lives in (FNV-1a, fixed for ever).
    public static func shard(of key: String, count: Int) -> Int { CheckpointShard.index(of: key, count: count) }
}

/// No rules at all: the state of a ledger whose appends are only checked for
/// shape, chain and idempotency. Tests use it to write histories the
/// validator would refuse, so that `check` can be tested on them.
public struct UncheckedState: ReplayState {
    public static var checkpointKind: String { "unchecked" }
    public init() {}
    public func keys(for record: Record) -> StateKeys { .named([]) }
    public mutating func apply(_ record: Record) {}
    public func check(_ candidate: Record) -> [Finding] { [] }
    public func checkpoint() -> JSONValue { .null }
    public init?(checkpoint: JSONValue) {}
    public func shardMap(of count: Int) {}
    public func forEachShard(_ group: [Int], in map: Void, _ body: (Int, UnsafeRawBufferPointer) -> Void) {}
}
