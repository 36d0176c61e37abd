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
        // The entries' words stored in place: appended a word at a time, a
        // whole table of 524,288 entries was a third of a debug test's time.
        let start = bytes.count
        bytes += [UInt8](repeating: 0, count: entries.count * entryBytes)
        bytes.withUnsafeMutableBytes { buffer in
            for (index, entry) in entries.enumerated() {
                store(entry, generation: generation, in: buffer, at: start + index * entryBytes)
            }
        }
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

    /// Points each shard in `changes` at its new entry. The changes fall
    /// into runs (`runs(of:)`); a run of one is written alone, a longer one
    /// by reading its span, patching it and writing it back in one write, the
    /// entries between rewritten as they were. (One write per entry was
    /// 28,078 writes for the 10th batch onto 900,000 records with 2^18
    /// shards, by `strace -c`; with 65,536 shards a write each had been 14 ms
    /// of its save, under perf.)
    func set(_ changes: [(index: Int, entry: Entry)]) throws(Platform.SystemError) {
        // In table order; a shard changed twice keeps its last entry, as written one by one it would.
        let sorted = changes.indices.sorted { (changes[$0].index, $0) < (changes[$1].index, $1) }.map { changes[$0] }
        if let low = sorted.first?.index, let high = sorted.last?.index {
            precondition(low >= 0 && high < count, "shard \(low < 0 ? low : high) is not in a table of \(count)")
        }
        for run in Self.runs(of: sorted.map(\.index)) {
            let low = sorted[run.lowerBound].index
            let spanEntries = sorted[run.upperBound - 1].index - low + 1
            let spanOffset = Self.headerBytes + low * Self.entryBytes
            var bytes = [UInt8](repeating: 0, count: spanEntries * Self.entryBytes)
            if spanEntries > 1 {
                guard try Platform.pread(fd, into: &bytes, offset: spanOffset, path: path) == bytes.count else {
                    throw Platform.SystemError(operation: "read", path: path, code: EIO)
                }
            }
            bytes.withUnsafeMutableBytes { span in
                for (index, entry) in sorted[run] {
                    Self.store(entry, generation: generation, in: span, at: (index - low) * Self.entryBytes)
                }
            }
            try Platform.pwrite(fd, bytes, offset: spanOffset, path: path)
        }
    }

    /// `indices` (ascending) cut into runs, as ranges of their positions:
    /// a run ends where the next index is more than `mostEntriesBetween`
    /// past the last, so no write carries more than that many unchanged entries
    /// between two changed ones.
    static func runs(of indices: [Int]) -> [Range<Int>] {
        var runs: [Range<Int>] = []
        var start = 0
        for position in indices.indices.dropFirst() where indices[position] - indices[position - 1] > mostEntriesBetween + 1 {
            runs.append(start..<position)
            start = position
        }
        if !indices.isEmpty { runs.append(start..<indices.count) }
        return runs
    }

    /// Unchanged entries a write may carry between two changed ones: 170
    /// entries are 4,080 bytes, about a page. (Reasoning, not measured apart:
    /// copying a page costs about what another system call does.)
    static let mostEntriesBetween = 170

    /// Records that the table is now the one for `head`, and syncs it.
    func seal(head: Int) throws(Platform.SystemError) {
        var bytes: [UInt8] = []
        Self.append(UInt64(head), to: &bytes)
        try Platform.pwrite(fd, bytes, offset: 32, path: path)
        try Platform.fsync(fd, path: path)
    }

    /// The entry's three words, each XOR the generation, at `offset`.
    static func store(_ entry: Entry, generation: UInt64, in buffer: UnsafeMutableRawBufferPointer, at offset: Int) {
        buffer.storeBytes(of: (UInt64(entry.stamp) ^ generation).littleEndian, toByteOffset: offset, as: UInt64.self)
        buffer.storeBytes(of: (UInt64(entry.offset) ^ generation).littleEndian, toByteOffset: offset + 8, as: UInt64.self)
        buffer.storeBytes(of: (UInt64(entry.length) ^ generation).littleEndian, toByteOffset: offset + 16, as: UInt64.self)
    }

    static func decode(_ bytes: [UInt8], at word: Int, generation: UInt64) -> Entry? {
        let limit = UInt64(Int32.max) << 16  // far beyond any real seq, offset or length
        // Three words, not a list of them: a list for each of 65,536
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
