import Events

/// The core of what the appender saves beside the ledger after every append:
/// the verified chain position, the validator's core state, and which build
/// of the shards (`CheckpointShard`, `ShardTable`, `ShardPack`) goes with it.
///
/// It is a cache, never the record: it is trusted only when the line ending at
/// its offset still hashes to its head, and it is rebuilt from the ledger when
/// missing, stale or damaged. Its last line is the SHA-256 of the rest, so a
/// half-written or edited checkpoint is noticed rather than believed.
struct Checkpoint {
    static let version: Int64 = 2

    /// Which `ReplayState` wrote it: a state never reads another's.
    var kind: String
    var head: ChainPosition
    var recorded: Instant?
    /// Chosen afresh whenever the checkpoint is rebuilt from the ledger, so
    /// that no shard or stamp table left from an earlier build can pass for a current one.
    var generation: UInt64
    /// Bytes of the pack that the table points at; the rest is old versions.
    var packLive: Int
    var state: JSONValue

    static func path(for ledgerPath: String) -> String { ledgerPath + ".checkpoint" }

    func encode() -> [UInt8] {
        var members: [JSONObject.Member] = [
            .init(key: "version", value: .integer(Self.version)),
            .init(key: "kind", value: .string(kind)),
        ] + head.jsonMembers + [
            .init(key: "generation", value: .string(String(generation, radix: 16))),
            .init(key: "packLive", value: .integer(Int64(packLive))),
            .init(key: "state", value: state),
        ]
        if let recorded { members.append(.init(key: "recorded", value: .string(recorded.rfc3339))) }
        return Sealed.seal(members)
    }

    static func decode(_ bytes: [UInt8]) -> Checkpoint? {
        guard let o = Sealed.object(bytes), o["version"] == .integer(version), case .string(let kind)? = o["kind"], let head = ChainPosition(members: o),
            case .string(let generationText)? = o["generation"], let generation = UInt64(generationText, radix: 16),
            case .integer(let packLive)? = o["packLive"], packLive >= 0,
            let state = o["state"]
        else { return nil }
        var recorded: Instant?
        if case .string(let text)? = o["recorded"] { recorded = Instant(rfc3339: text) }
        return Checkpoint(
            kind: kind, head: head, recorded: recorded,
            generation: generation, packLive: Int(packLive), state: state)
    }
}
