import Events

#if canImport(Glibc)
import Glibc
#endif

/// Where each checkpoint shard lies in the pack (`ShardPack`) and the stamp
/// it must carry (the head seq of the append that last wrote it), in a
/// fixed-width file, so that an append reads and writes only the entries of
/// the shards it touches.
///
/// Layout: 40 bytes of header (`ACCORDST`, version, generation, count, and the
/// head seq of the append that last wrote the table, which must be the core
/// checkpoint's: an old table put back beside a newer core is refused), then
/// `count` entries of three little-endian 64-bit words (stamp, offset,
/// length), each XOR the generation: a zeroed or foreign page reads as
/// entries no checkpoint can expect, so it forces a rebuild rather than
/// passing for "this shard is empty".
///
/// The table is synced before the core checkpoint that relies on it is
/// renamed into place: a core is never newer than its table.
final class ShardTable {
    struct Entry: Equatable {
        var stamp: Int
        var offset: Int
        var length: Int
        static let empty = Entry(stamp: 0, offset: 0, length: 0)
    }

    static let magic = Array("ACCORDST".utf8)
    static let version: UInt64 = 2
    static let headerBytes = 40
    static let entryBytes = 24

    let path: String
    let fd: Int32
    let generation: UInt64
    let count: Int

    init(path: String, fd: Int32, generation: UInt64, count: Int) {
        self.path = path
        self.fd = fd
        self.generation = generation
        self.count = count
    }

    deinit { Platform.close(fd) }

    static func path(in directory: String) -> String { directory + "/table" }

    /// The table, if its header is this generation's, was last written at
    /// `head` and has room for `count` entries.
    static func open(_ path: String, generation: UInt64, count: Int, head: Int) -> ShardTable? {
        guard let fd = try? Platform.open(path, flags: O_RDWR) else { return nil }
        var header = [UInt8](repeating: 0, count: headerBytes)
        guard (try? Platform.pread(fd, into: &header, offset: 0, path: path)) == headerBytes,
            Array(header[0..<8]) == magic, word(header, 1) == version, word(header, 2) == generation,
            word(header, 3) == UInt64(count), word(header, 4) == UInt64(head),
            (try? Platform.fileSize(fd, path: path)) == headerBytes + count * entryBytes
        else {
            Platform.close(fd)
            return nil
        }
        return ShardTable(path: path, fd: fd, generation: generation, count: count)
    }

    /// Writes a whole new table, synced, in place of any old one.
    static func create(_ path: String, generation: UInt64, entries: [Entry], head: Int) throws(Platform.SystemError)
        -> ShardTable
    {
        var bytes = magic
        for value in [version, generation, UInt64(entries.count), UInt64(head)] { append(value, to: &bytes) }
        bytes.reserveCapacity(headerBytes + entries.count * entryBytes)
        for entry in entries { encode(entry, generation: generation, into: &bytes) }
        try Platform.replaceFile(path, with: bytes, sync: true)
        return ShardTable(path: path, fd: try Platform.open(path, flags: O_RDWR), generation: generation, count: entries.count)
    }

    /// The entry of shard `index`, or nil if it cannot be read or makes no sense.
    func entry(_ index: Int) -> Entry? {
        var bytes = [UInt8](repeating: 0, count: Self.entryBytes)
        guard (try? Platform.pread(fd, into: &bytes, offset: Self.headerBytes + index * Self.entryBytes, path: path))
            == Self.entryBytes
        else { return nil }
        return Self.decode(bytes, at: 0, generation: generation)
    }

    /// Every entry, or nil if the table cannot be read whole.
    func all() -> [Entry]? {
        guard let snapshot = snapshot() else { return nil }
        var entries: [Entry] = []
        entries.reserveCapacity(count)
        for index in 0..<count {
            guard let entry = snapshot.entry(index) else { return nil }
            entries.append(entry)
        }
        return entries
    }

    /// The entries as they are now, read in one piece and each decoded when
    /// asked for: a reader that needs a third of them (`ShardPrefetch`)
    /// does not fill an array of them all, a second copy of the table in
    /// fresh memory. Nil if the table cannot be read whole.
    func snapshot() -> Snapshot? {
        let byteCount = count * Self.entryBytes
        var read = 0
        // Not zeroed first: the read fills it, and a short read is refused.
        let bytes = [UInt8](unsafeUninitializedCapacity: byteCount) { buffer, initialized in
            read = (try? Platform.pread(fd, into: UnsafeMutableRawBufferPointer(buffer), offset: Self.headerBytes, path: path)) ?? 0
            initialized = read
        }
        guard read == byteCount else { return nil }
        return Snapshot(bytes: bytes, generation: generation)
    }

    /// `snapshot()`'s entries.
    struct Snapshot: Sendable {
        let bytes: [UInt8]
        let generation: UInt64

        var count: Int { bytes.count / ShardTable.entryBytes }

        /// Entry `index`, or nil if it makes no sense (`decode`).
        func entry(_ index: Int) -> Entry? {
            precondition(index >= 0 && index < count, "shard \(index) is not in a table of \(count)")
            return ShardTable.decode(bytes, at: index * 3, generation: generation)
        }
    }

    /// Points each shard in `changes` at its new entry. A few are written one
    /// by one; many, dense enough, by reading the span they fall in, patching
    /// it and writing it back in one write, the entries between rewritten as
    /// they were. (A batch onto 900,000 records changes 24,000 of the 65,536
    /// entries: a write each was 14 ms at the end of its save, under perf.)
    func set(_ changes: [(index: Int, entry: Entry)]) throws(Platform.SystemError) {
        guard let low = changes.lazy.map({ $0.index }).min(), let high = changes.lazy.map({ $0.index }).max() else { return }
        precondition(low >= 0 && high < count, "shard \(low < 0 ? low : high) is not in a table of \(count)")
        let spanEntries = high - low + 1
        let asSpan = changes.count >= Self.fewestWrittenAsASpan && spanEntries <= changes.count * Self.mostEntriesPerChange
        let spanOffset = Self.headerBytes + low * Self.entryBytes
        var span: [UInt8] = []
        if asSpan {
            span = [UInt8](repeating: 0, count: spanEntries * Self.entryBytes)
            guard try Platform.pread(fd, into: &span, offset: spanOffset, path: path) == span.count else {
                throw Platform.SystemError(operation: "read", path: path, code: EIO)
            }
        }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(Self.entryBytes)
        for (index, entry) in changes {
            bytes.removeAll(keepingCapacity: true)
            Self.encode(entry, generation: generation, into: &bytes)
            if asSpan {
                span.replaceSubrange(((index - low) * Self.entryBytes)..<((index - low + 1) * Self.entryBytes), with: bytes)
            } else {
                try Platform.pwrite(fd, bytes, offset: Self.headerBytes + index * Self.entryBytes, path: path)
            }
        }
        if asSpan { try Platform.pwrite(fd, span, offset: spanOffset, path: path) }
    }

    /// Fewer changes than this are written one by one.
    static let fewestWrittenAsASpan = 64
    /// A span is written whole only if it holds at most this many entries per change.
    static let mostEntriesPerChange = 8

    /// Records that the table is now the one for `head`, and syncs it.
    func seal(head: Int) throws(Platform.SystemError) {
        var bytes: [UInt8] = []
        Self.append(UInt64(head), to: &bytes)
        try Platform.pwrite(fd, bytes, offset: 32, path: path)
        try Platform.fsync(fd, path: path)
    }

    static func encode(_ entry: Entry, generation: UInt64, into bytes: inout [UInt8]) {
        for value in [entry.stamp, entry.offset, entry.length] { append(UInt64(value) ^ generation, to: &bytes) }
    }

    static func decode(_ bytes: [UInt8], at word: Int, generation: UInt64) -> Entry? {
        let limit = UInt64(Int32.max) << 16  // far beyond any real seq, offset or length
        // Three words, not a list of them: a list for each of the 65,536
        // entries was most of reading the table whole, which the judging thread waits for.
        let stamp = Self.word(bytes, word) ^ generation
        let offset = Self.word(bytes, word + 1) ^ generation
        let length = Self.word(bytes, word + 2) ^ generation
        guard stamp < limit, offset < limit, length < limit else { return nil }
        let entry = Entry(stamp: Int(stamp), offset: Int(offset), length: Int(length))
        if entry.stamp == 0 { return entry == .empty ? entry : nil }
        return entry.length > 0 ? entry : nil
    }

    static func append(_ value: UInt64, to bytes: inout [UInt8]) {
        withUnsafeBytes(of: value.littleEndian) { bytes.append(contentsOf: $0) }
    }

    static func word(_ bytes: [UInt8], _ n: Int) -> UInt64 {
        precondition(n >= 0 && (n + 1) * 8 <= bytes.count, "word \(n) is past the \(bytes.count) bytes read")
        return UInt64(littleEndian: bytes.withUnsafeBytes { $0.loadUnaligned(fromByteOffset: n * 8, as: UInt64.self) })
    }
}
