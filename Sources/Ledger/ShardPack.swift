import Events

#if canImport(Glibc)
import Glibc
#endif

/// The checkpoint shards, one after another in one file: an append adds the
/// new versions of the shards it changed at the end, in one write, and the
/// table (`ShardTable`) points at them. One file rather than one per shard:
/// creating and replacing tens of thousands of small files is what a file
/// system does slowest.
///
/// Old versions stay until the pack is compacted (`CheckpointCache.compact`), which the
/// appender does when they outweigh the live ones; a version is trusted only
/// if its own seal, generation, index and stamp are what the table expects.
final class ShardPack {
    private(set) var path: String
    let fd: Int32
    private(set) var size: Int

    static func path(in directory: String) -> String { directory + "/shards" }

    init(path: String, fd: Int32, size: Int) {
        self.path = path
        self.fd = fd
        self.size = size
    }

    deinit { Platform.close(fd) }

    /// The pack at `path`; with `creating`, an empty one if there is none.
    static func open(_ path: String, creating: Bool) throws(Platform.SystemError) -> ShardPack {
        let fd = try Platform.open(path, flags: creating ? O_RDWR | O_CREAT : O_RDWR, mode: 0o644)
        do {
            return ShardPack(path: path, fd: fd, size: try Platform.fileSize(fd, path: path))
        } catch {
            Platform.close(fd)
            throw error
        }
    }

    /// A copy of the `length` bytes at `offset`, nil if they are not all in the pack.
    func read(offset: Int, length: Int) -> [UInt8]? {
        guard holds(offset: offset, length: length) else { return nil }
        var bytes = [UInt8](repeating: 0, count: length)
        guard (try? Platform.pread(fd, into: &bytes, offset: offset, path: path)) == length else { return nil }
        return bytes
    }

    /// Lends `body` a private copy of the `length` bytes at `offset`, read
    /// into memory that lasts only for the call (no array made and freed per
    /// shard); nil if they are not all in the pack or cannot be read.
    ///
    /// Read, not mapped (README decision w): through a mapping, a read error
    /// in the pack (a bad sector) would kill every append that reaches the
    /// page, where a failed read makes the append rebuild the cache; and the
    /// seal is checked on the very bytes that are then parsed.
    func withVersion<Result>(offset: Int, length: Int, _ body: (UnsafeRawBufferPointer) -> Result) -> Result? {
        guard holds(offset: offset, length: length) else { return nil }
        return withUnsafeTemporaryAllocation(byteCount: length, alignment: 1) { buffer -> Result? in
            guard (try? Platform.pread(fd, into: buffer, offset: offset, path: path)) == length else { return nil }
            return body(UnsafeRawBufferPointer(buffer))
        }
    }

    /// Whether `length` bytes at `offset` are all in the pack; subtracted,
    /// since an `offset + length` from a damaged table can overflow.
    private func holds(offset: Int, length: Int) -> Bool {
        offset >= 0 && length > 0 && length <= size - offset
    }

    /// Syncs the pack and renames it to `path` (over any pack there).
    func syncAndRename(to path: String) throws(Platform.SystemError) {
        try Platform.fsync(fd, path: self.path)
        try Platform.rename(self.path, path)
        self.path = path
    }

    /// Cuts the pack back to `newSize`: versions written past it that
    /// nothing will point at (an append that failed).
    func truncate(to newSize: Int) throws(Platform.SystemError) {
        precondition(newSize >= 0 && newSize <= size, "a pack is cut back, never grown, by truncating")
        try Platform.ftruncate(fd, to: newSize, path: path)
        size = newSize
    }

    /// The pack now ends at `end`, written past its end by an `Appender`.
    func wrote(through end: Int) {
        precondition(end >= size, "a pack grows by appending")
        size = end
    }

    /// Writes `blobs` at the end, in one write; returns where each went.
    func append(_ blobs: [[UInt8]]) throws(Platform.SystemError) -> [(offset: Int, length: Int)] {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(blobs.reduce(0) { $0 + $1.count })
        var placed: [(offset: Int, length: Int)] = []
        for blob in blobs {
            placed.append((size + bytes.count, blob.count))
            bytes += blob
        }
        try Platform.pwrite(fd, bytes, offset: size, path: path)
        size += bytes.count
        return placed
    }
}
