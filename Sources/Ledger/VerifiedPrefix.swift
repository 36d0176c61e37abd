import Events

#if canImport(Glibc)
import Glibc
#endif

/// A note that the ledger's chain was checked from seq 1 to `head`, and of the
/// file exactly as it was then (`stamp`), so that a later report re-verifies
/// only the records added since, never trusting an edit (SPEC §7, issue #5).
///
/// Written by a whole-chain read that found the ledger sound and unchanged
/// while it read (`accord verify` or any report), and carried forward by an
/// append that found the file still as noted: the records it adds are its own,
/// read back after writing. A report believes the note only while the file's
/// stamp is exactly the one noted; any write, truncation, `touch`, copy or
/// replacement gives the file a new ctime or inode, and the report checks the
/// whole chain again. `accord verify` never uses the note.
///
/// Like the checkpoint it is a cache beside the ledger, sealed with the SHA-256
/// of its body; a missing, damaged or stale note costs time, never correctness.
public struct VerifiedPrefix: Equatable, Sendable {
    static let version: Int64 = 1

    public var head: ChainPosition
    public var stamp: FileStamp
    /// Every `record.retracted` up to `head`, as (its seq, the seq it retracts),
    /// so a report that forgets superseded history need not search the file for them.
    public var retractions: [Retraction]

    public struct Retraction: Equatable, Sendable {
        public var seq: Int
        public var target: Int

        init(seq: Int, target: Int) {
            self.seq = seq
            self.target = target
        }

        /// The retraction a record makes, if it is one.
        init?(_ record: Record) {
            guard case .recordRetracted(let retraction) = record.event else { return nil }
            self.init(seq: record.seq, target: retraction.seq)
        }
    }

    static func path(for ledgerPath: String) -> String { CheckpointShard.directory(for: ledgerPath) + "/verified" }

    /// True when the file is byte for byte what was verified: the same file,
    /// unwritten since, and the note covers all of it.
    func vouches(for current: FileStamp) -> Bool {
        current == stamp && head.offset == current.size
    }

    /// The note saved beside `ledgerPath`, if there is one and its seal holds.
    static func load(for ledgerPath: String) -> VerifiedPrefix? {
        guard let bytes = Platform.readFileIfPresent(path(for: ledgerPath)) else { return nil }
        return decode(bytes)
    }

    /// Best effort: a note that cannot be written only means the next report verifies everything.
    func save(for ledgerPath: String) {
        Sealed.writeBestEffort(encode(), to: Self.path(for: ledgerPath))
    }

    func encode() -> [UInt8] {
        let members: [JSONObject.Member] = [
            .init(key: "version", value: .integer(Self.version))
        ] + head.jsonMembers + [
            .init(key: "device", value: .string(String(stamp.device, radix: 16))),
            .init(key: "inode", value: .string(String(stamp.inode, radix: 16))),
            .init(key: "size", value: .integer(Int64(stamp.size))),
            .init(key: "mtimeNs", value: .integer(stamp.modifiedNanoseconds)),
            .init(key: "ctimeNs", value: .integer(stamp.changedNanoseconds)),
            .init(
                key: "retractions",
                value: .array(retractions.map { .array([.integer(Int64($0.seq)), .integer(Int64($0.target))]) })),
        ]
        return Sealed.seal(members)
    }

    static func decode(_ bytes: [UInt8]) -> VerifiedPrefix? {
        guard let o = Sealed.object(bytes), o["version"] == .integer(version), let head = ChainPosition(members: o),
            case .string(let deviceText)? = o["device"], let device = UInt64(deviceText, radix: 16),
            case .string(let inodeText)? = o["inode"], let inode = UInt64(inodeText, radix: 16),
            case .integer(let size)? = o["size"], size >= 0,
            case .integer(let modified)? = o["mtimeNs"], case .integer(let changed)? = o["ctimeNs"],
            case .array(let pairs)? = o["retractions"]
        else { return nil }
        var retractions: [Retraction] = []
        retractions.reserveCapacity(pairs.count)
        for pair in pairs {
            guard case .array(let numbers) = pair, numbers.count == 2, case .integer(let at) = numbers[0],
                case .integer(let target) = numbers[1]
            else { return nil }
            retractions.append(Retraction(seq: Int(at), target: Int(target)))
        }
        return VerifiedPrefix(
            head: head,
            stamp: FileStamp(
                device: device, inode: inode, size: Int(size), modifiedNanoseconds: modified, changedNanoseconds: changed),
            retractions: retractions)
    }
}
