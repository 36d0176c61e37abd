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
    /// The entries of each shard in `group` (ascending) that holds any, as the
    /// canonical JSON text of one value per shard.
    func shards(_ group: [Int], in map: ShardMap) -> [Int: [UInt8]]
    /// Adds the entries of one shard read back; false if it is not such a value.
    mutating func load(shard: JSONValue) -> Bool
    /// One shard's entries, read from the value's canonical text by position
    /// without a JSON tree into a value apart from the state, so that the
    /// appender can read shards on another core while it judges
    /// (`ShardPrefetch`); nil if the text is not laid out as `shards` writes
    /// it, and the caller reads it through a tree (`load(shard:)`).
    associatedtype ShardPart: Sendable = Never
    static func part(ofShardText text: UnsafeRawBufferPointer) -> ShardPart?
    /// Adds a part read by `part(ofShardText:)`: `load(shard:)` without the tree.
    mutating func merge(_ part: ShardPart) -> Bool
}

extension ReplayState {
    /// `load(shard:)` from the value's canonical text, read by position;
    /// nil, with nothing changed, if the text is not laid out as `shards`
    /// writes it, and the caller reads it through a tree.
    public mutating func load(shardText text: UnsafeRawBufferPointer) -> Bool? {
        Self.part(ofShardText: text).map { merge($0) }
    }
}

extension ReplayState where ShardPart == Never {
    /// Without a reader by position, every shard is read through a tree.
    public static func part(ofShardText text: UnsafeRawBufferPointer) -> Never? { nil }
    public mutating func merge(_ part: Never) -> Bool {}
}

extension ReplayState {

    /// The entries in memory whose names fall in each of `indices`, of `count` shards.
    public func shards(_ indices: Set<Int>, of count: Int) -> [Int: [UInt8]] {
        shards(indices.sorted(), in: shardMap(of: count))
    }
}

/// What part of the sharded state a record reaches.
public enum StateKeys: Sendable, Equatable {
    /// The entries with these names (and nothing else beyond the core).
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
    public func shards(_ group: [Int], in map: Void) -> [Int: [UInt8]] { [:] }
    public mutating func load(shard: JSONValue) -> Bool { true }
}
