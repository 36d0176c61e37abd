import Events

#if canImport(Glibc)
import Glibc
#endif

/// A report's folded state as it stood at one record of the ledger, saved so
/// the next run of the same report folds only the records added since, the
/// way an append uses the checkpoint. The state is the report's to encode
/// (`World.writeCheckpoint`); this type decides only whether it may be used.
///
/// It is used only when a `VerifiedPrefix` vouches for the whole file as it is
/// now (the chain verified, nothing written since but what appends carried
/// forward), the line ending at the snapshot's offset still hashes to its
/// head (so, by the chain, every record up to it is the one folded), and no
/// `record.retracted` came after it (a retraction can void a record the state
/// already folded or forgot). Anything else, or a damaged file, and the
/// report reads the whole ledger as before: a snapshot costs time, never
/// correctness.
public struct ReportSnapshot: Sendable {
    /// Version 2 keeps the state as the world's own checkpoint text after a
    /// header line, so it is read by position (`World(checkpointText:)`), not
    /// parsed into a tree first; a version 1 snapshot is simply not used.
    static let version: Int64 = 2

    /// Which report, with every option that shapes its state, e.g. `splits 2024-04-01 2025-03-31`.
    public var name: String
    public var head: ChainPosition
    /// The report's state as canonical JSON text (a slice of the file it was read from).
    public var state: ArraySlice<UInt8>

    public init(name: String, head: ChainPosition, state: ArraySlice<UInt8>) {
        self.name = name
        self.head = head
        self.state = state
    }

    /// One file per report and options, beside the checkpoint.
    static func path(for ledgerPath: String, name: String) -> String {
        let safe = String(name.map { $0.isLetter || $0.isNumber || $0 == "-" ? $0 : "_" })
        return CheckpointShard.directory(for: ledgerPath) + "/report-" + safe
    }

    /// The saved snapshot of report `name`, if it may be used on the ledger as it is now.
    public static func usable(name: String, ledgerPath: String) -> ReportSnapshot? {
        guard let bytes = Platform.readFileIfPresent(path(for: ledgerPath, name: name)),
            let snapshot = decode(bytes), snapshot.name == name,
            let note = VerifiedPrefix.load(for: ledgerPath), snapshot.head.offset <= note.head.offset,
            !note.retractions.contains(where: { $0.seq > snapshot.head.seq }),
            let fd = try? Platform.open(ledgerPath, flags: O_RDONLY)
        else { return nil }
        defer { Platform.close(fd) }
        guard let stamp = try? Platform.fileStamp(fd, path: ledgerPath), note.vouches(for: stamp),
            (try? TailReader.holds(snapshot.head, fd: fd, path: ledgerPath)) == true
        else { return nil }
        return snapshot
    }

    /// How many reports' snapshots are kept beside one ledger; a script asking
    /// for day after day of periods must not fill the disk with them.
    static let kept = 8

    /// Best effort, like the note: a snapshot that cannot be written only means the next report reads everything.
    /// The oldest snapshots beyond `kept` are removed.
    public func save(for ledgerPath: String) {
        Self.save(name: name, head: head, stateText: Array(state), for: ledgerPath)
    }

    /// `save` from the state's text, as the report that folded it holds it.
    public static func save(name: String, head: ChainPosition, stateText: [UInt8], for ledgerPath: String) {
        Sealed.writeBestEffort(encode(name: name, head: head, stateText: stateText), to: path(for: ledgerPath, name: name))
        let directory = CheckpointShard.directory(for: ledgerPath)
        let saved = Platform.directoryEntries(directory).filter { $0.hasPrefix("report-") && !$0.contains(".tmp.") }
        guard saved.count > kept else { return }
        let byAge = saved.map { (name: $0, modified: Platform.modifiedNanoseconds(directory + "/" + $0) ?? 0) }
            .sorted { ($0.modified, $0.name) < ($1.modified, $1.name) }
        for old in byAge.prefix(saved.count - kept) { Platform.unlink(directory + "/" + old.name) }
    }

    /// The header object on one line (canonical JSON has no raw newline), then the state.
    static func encode(name: String, head: ChainPosition, stateText: [UInt8]) -> [UInt8] {
        let members: [JSONObject.Member] = [
            .init(key: "version", value: .integer(version)),
            .init(key: "name", value: .string(name)),
        ] + head.jsonMembers
        // One buffer sized for the header, the state and the seal: the state can be megabytes.
        var body = JSONWriter.encode(.object(JSONObject(members)))
        body.reserveCapacity(body.count + 1 + stateText.count + 66)
        body.append(0x0A)
        body += stateText
        return Sealed.seal(body)
    }

    static func decode(_ bytes: [UInt8]) -> ReportSnapshot? {
        guard let body = Sealed.body(of: bytes), let newline = bytes[body].firstIndex(of: 0x0A),
            case .object(let o)? = try? JSONParser.parse(Array(bytes[body.lowerBound..<newline])),
            o["version"] == .integer(version), case .string(let name)? = o["name"], let head = ChainPosition(members: o)
        else { return nil }
        return ReportSnapshot(name: name, head: head, state: bytes[(newline + 1)..<body.upperBound])
    }
}
