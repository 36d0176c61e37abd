import Events

/// What the appender saves beside the ledger after every append: the verified
/// chain position, the idempotency keys seen, and the validator's state.
///
/// It is a cache, never the record: it is trusted only when the line ending at
/// its offset still hashes to its head, and it is rebuilt from the ledger when
/// missing, stale or damaged. Its last line is the SHA-256 of the rest, so a
/// half-written or edited checkpoint is noticed rather than believed.
struct Checkpoint {
    static let version: Int64 = 1

    var head: ChainPosition
    var recorded: Instant?
    /// Idempotency key → (seq, SHA-256 of the event's canonical content).
    var ids: [String: (seq: Int, content: SHA256Digest)]
    var state: JSONValue

    static func path(for ledgerPath: String) -> String { ledgerPath + ".checkpoint" }

    func encode() -> [UInt8] {
        var idMembers: [JSONObject.Member] = []
        idMembers.reserveCapacity(ids.count)
        for key in ids.keys.sorted() {
            let entry = ids[key]!
            idMembers.append(.init(key: key, value: .array([.integer(Int64(entry.seq)), .string(entry.content.hex)])))
        }
        var members: [JSONObject.Member] = [
            .init(key: "version", value: .integer(Self.version)),
            .init(key: "seq", value: .integer(Int64(head.seq))),
            .init(key: "hash", value: .string(head.hash.hex)),
            .init(key: "offset", value: .integer(Int64(head.offset))),
            .init(key: "ids", value: .object(JSONObject(idMembers))),
            .init(key: "state", value: state),
        ]
        if let recorded { members.append(.init(key: "recorded", value: .string(recorded.rfc3339))) }
        var body = JSONWriter.encode(.object(JSONObject(members)))
        let digest = SHA256.hash(body)
        body.append(0x0A)
        digest.writeHex(into: &body)
        body.append(0x0A)
        return body
    }

    static func decode(_ bytes: [UInt8]) -> Checkpoint? {
        guard bytes.count > 66, bytes.last == 0x0A, bytes[bytes.count - 66] == 0x0A else { return nil }
        let body = Array(bytes[0..<(bytes.count - 66)])
        guard let digest = SHA256Digest(hex: String(decoding: bytes[(bytes.count - 65)..<(bytes.count - 1)], as: UTF8.self)),
            SHA256.hash(body) == digest,
            case .object(let o)? = try? JSONParser.parse(body),
            o["version"] == .integer(version),
            case .integer(let seq)? = o["seq"], case .string(let hashText)? = o["hash"],
            let hash = SHA256Digest(hex: hashText), case .integer(let offset)? = o["offset"],
            case .object(let idObject)? = o["ids"], let state = o["state"]
        else { return nil }
        var ids: [String: (seq: Int, content: SHA256Digest)] = [:]
        for member in idObject.members {
            guard case .array(let pair) = member.value, pair.count == 2, case .integer(let s) = pair[0],
                case .string(let contentHex) = pair[1], let content = SHA256Digest(hex: contentHex)
            else { return nil }
            ids[member.key] = (Int(s), content)
        }
        var recorded: Instant?
        if case .string(let text)? = o["recorded"] { recorded = Instant(rfc3339: text) }
        return Checkpoint(
            head: ChainPosition(seq: Int(seq), hash: hash, offset: Int(offset)), recorded: recorded, ids: ids, state: state)
    }
}
