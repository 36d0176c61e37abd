import Events

/// A point in the chain: after record `seq`, whose line hashes to `hash`,
/// ending at byte `offset` (just past its newline). The head of an empty
/// ledger is seq 0 with 64 zeros.
public struct ChainPosition: Hashable, Sendable, CustomStringConvertible {
    public var seq: Int
    public var hash: SHA256Digest
    public var offset: Int

    public init(seq: Int, hash: SHA256Digest, offset: Int) {
        self.seq = seq
        self.hash = hash
        self.offset = offset
    }

    public static let genesis = ChainPosition(seq: 0, hash: .zero, offset: 0)

    /// As a council minutes it: `412:a3f9…` (full hash).
    public var description: String { "\(seq):\(hash.hex)" }
}

/// Bytes at the end of the file that were never acknowledged: a record cut
/// short, a last line that does not parse, or a batch missing its last records.
public struct TornTail: Hashable, Sendable {
    /// Where the unacknowledged bytes start; `repair` truncates here.
    public var offset: Int
    public var byteCount: Int
    public var reason: String
}

/// Where and why the chain breaks.
public struct ChainBreak: Hashable, Sendable {
    /// The earliest record that can no longer be trusted.
    public var firstBadSeq: Int
    public var message: String
}

/// What reading the whole file found.
public struct ChainSummary: Sendable {
    /// The last acknowledged, chain-valid record.
    public var head: ChainPosition
    public var recorded: Instant?
    public var tornTail: TornTail?
    public var chainBreak: ChainBreak?
    /// The file as it was when the reader fixed its length; nil for a scan of an fd already open.
    public var stamp: FileStamp?
    /// Whether the file still had that stamp when the reader finished.
    public var unchangedWhileRead = false
    /// How far a `VerifiedPrefix` vouched for the chain, so those lines were not hashed again.
    public var vouchedThrough: ChainPosition?

    public var isSound: Bool { tornTail == nil && chainBreak == nil }
}

extension ChainPosition {
    /// As the members `seq`, `hash` and `offset` of a cache file beside the
    /// ledger (checkpoint, verified-prefix note, report snapshot).
    var jsonMembers: [JSONObject.Member] {
        [
            .init(key: "seq", value: .integer(Int64(seq))),
            .init(key: "hash", value: .string(hash.hex)),
            .init(key: "offset", value: .integer(Int64(offset))),
        ]
    }

    /// Read back from those members; nil if any is missing or out of range.
    init?(members object: JSONObject) {
        guard case .integer(let seq)? = object["seq"], seq >= 0, case .string(let hashText)? = object["hash"],
            let hash = SHA256Digest(hex: hashText), case .integer(let offset)? = object["offset"], offset >= 0
        else { return nil }
        self.init(seq: Int(seq), hash: hash, offset: Int(offset))
    }
}
