import Events

#if canImport(Glibc)
import Glibc
#endif

/// For each checkpoint shard, the stamp it must carry (the head seq of the
/// append that last wrote it), in a fixed-width file beside the shards, so an
/// append reads and writes only the entries of the shards it touches.
///
/// Layout: 40 bytes of header (`ACCORDST`, version, generation, count, and
/// the head seq of the append that last wrote the table, which must be the
/// core checkpoint's: an old table put back beside a newer core is refused), then
/// `count` little-endian 64-bit entries, each the stamp XOR the generation: a
/// zeroed or foreign page reads as stamps no checkpoint can expect, so it
/// forces a rebuild rather than passing for "this shard is empty".
///
/// The table is synced before the core checkpoint that relies on it is
/// renamed into place: a core can never be newer than its table. Shards need
/// no sync: one whose write was lost no longer carries its table stamp.
final class StampTable {
    static let magic = Array("ACCORDST".utf8)
    static let version: UInt64 = 1
    static let headerBytes = 40

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

    static func path(in directory: String) -> String { directory + "/stamps" }

    /// The table, if its header is this generation's, was last written at
    /// `head` and has room for `count` entries.
    static func open(_ path: String, generation: UInt64, count: Int, head: Int) -> StampTable? {
        guard let fd = try? Platform.open(path, flags: O_RDWR) else { return nil }
        var header = [UInt8](repeating: 0, count: headerBytes)
        guard (try? Platform.pread(fd, into: &header, offset: 0, path: path)) == headerBytes,
            Array(header[0..<8]) == magic, word(header, 1) == version, word(header, 2) == generation,
            word(header, 3) == UInt64(count), word(header, 4) == UInt64(head), (try? Platform.fileSize(fd, path: path)) == headerBytes + count * 8
        else {
            Platform.close(fd)
            return nil
        }
        return StampTable(path: path, fd: fd, generation: generation, count: count)
    }

    /// Writes a whole new table, synced, in place of any old one.
    static func create(_ path: String, generation: UInt64, stamps: [Int], head: Int) throws(Platform.SystemError) -> StampTable {
        var bytes = magic
        for value in [version, generation, UInt64(stamps.count), UInt64(head)] { append(value, to: &bytes) }
        bytes.reserveCapacity(headerBytes + stamps.count * 8)
        for stamp in stamps { append(UInt64(stamp) ^ generation, to: &bytes) }
        let temporary = path + ".tmp"
        let fd = try Platform.open(temporary, flags: O_RDWR | O_CREAT | O_TRUNC, mode: 0o644)
        do {
            try Platform.writeAll(fd, bytes[...], path: temporary)
            try Platform.fsync(fd, path: temporary)
            try Platform.rename(temporary, path)
        } catch {
            Platform.close(fd)
            Platform.unlink(temporary)
            throw error
        }
        return StampTable(path: path, fd: fd, generation: generation, count: stamps.count)
    }

    /// The stamp of shard `index`, or nil if the entry cannot be read.
    func stamp(_ index: Int) -> Int? {
        var bytes = [UInt8](repeating: 0, count: 8)
        guard (try? Platform.pread(fd, into: &bytes, offset: Self.headerBytes + index * 8, path: path)) == 8 else {
            return nil
        }
        let stamp = Self.word(bytes, 0) ^ generation
        return stamp <= UInt64(Int.max) ? Int(stamp) : nil
    }

    /// Every stamp, or nil if the table cannot be read whole.
    func all() -> [Int]? {
        var bytes = [UInt8](repeating: 0, count: count * 8)
        guard (try? Platform.pread(fd, into: &bytes, offset: Self.headerBytes, path: path)) == count * 8 else { return nil }
        var stamps = [Int](repeating: 0, count: count)
        for index in 0..<count {
            let stamp = Self.word(bytes, index) ^ generation
            guard stamp <= UInt64(Int.max) else { return nil }
            stamps[index] = Int(stamp)
        }
        return stamps
    }

    func set(_ index: Int, to stamp: Int) throws(Platform.SystemError) {
        var bytes: [UInt8] = []
        Self.append(UInt64(stamp) ^ generation, to: &bytes)
        try Platform.pwrite(fd, bytes, offset: Self.headerBytes + index * 8, path: path)
    }

    /// Records that the table is now the one for `head`, and syncs it.
    func seal(head: Int) throws(Platform.SystemError) {
        var bytes: [UInt8] = []
        Self.append(UInt64(head), to: &bytes)
        try Platform.pwrite(fd, bytes, offset: 32, path: path)
        try Platform.fsync(fd, path: path)
    }

    static func append(_ value: UInt64, to bytes: inout [UInt8]) {
        withUnsafeBytes(of: value.littleEndian) { bytes.append(contentsOf: $0) }
    }

    static func word(_ bytes: [UInt8], _ n: Int) -> UInt64 {
        var value: UInt64 = 0
        for shift in 0..<8 { value |= UInt64(bytes[n * 8 + shift]) << (8 * UInt64(shift)) }
        return value
    }
}
