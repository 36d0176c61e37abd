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
    /// The pack as it was when opened, mapped, which `withVersion` reads in
    /// place: a batch onto a long history reads tens of thousands of
    /// versions, and a read of each into an array of its own was a sixth of
    /// the reading thread's time (perf). Nil for an empty pack, or where it
    /// could not be mapped, and then versions are read. Only bytes below
    /// `size` are touched: the pack is cut back only past what it held when
    /// opened (`truncate`), and only the ledger's lock holder writes it.
    private let mapped: UnsafeRawBufferPointer?

    static func path(in directory: String) -> String { directory + "/shards" }

    init(path: String, fd: Int32, size: Int, mapped: UnsafeRawBufferPointer? = nil) {
        precondition(mapped.map { $0.count <= size } ?? true, "a mapping covers only what the pack holds")
        self.path = path
        self.fd = fd
        self.size = size
        self.mapped = mapped
    }

    deinit {
        if let mapped { Platform.unmap(mapped) }
        Platform.close(fd)
    }

    /// The pack at `path`; with `creating`, an empty one if there is none.
    static func open(_ path: String, creating: Bool) throws(Platform.SystemError) -> ShardPack {
        let fd = try Platform.open(path, flags: creating ? O_RDWR | O_CREAT : O_RDWR, mode: 0o644)
        do {
            let size = try Platform.fileSize(fd, path: path)
            let mapped = size > 0 ? try? Platform.mapForReading(fd, length: size, path: path) : nil
            return ShardPack(path: path, fd: fd, size: size, mapped: mapped)
        } catch {
            Platform.close(fd)
            throw error
        }
    }

    /// A copy of the `length` bytes at `offset`, nil if they are not all in the pack.
    func read(offset: Int, length: Int) -> [UInt8]? {
        guard offset >= 0, length > 0, length <= size - offset else { return nil }
        var bytes = [UInt8](repeating: 0, count: length)
        guard (try? Platform.pread(fd, into: &bytes, offset: offset, path: path)) == length else { return nil }
        return bytes
    }

    /// Lends `body` the `length` bytes at `offset`, where they lie in the
    /// mapping or else read; nil if they are not all in the pack.
    func withVersion<Result>(offset: Int, length: Int, _ body: (UnsafeRawBufferPointer) -> Result) -> Result? {
        guard offset >= 0, length > 0, length <= size - offset else { return nil }
        if let mapped, length <= mapped.count - offset {
            return body(UnsafeRawBufferPointer(rebasing: mapped[offset..<(offset + length)]))
        }
        return withUnsafeTemporaryAllocation(byteCount: length, alignment: 1) { buffer -> Result? in
            guard (try? Platform.pread(fd, into: buffer, offset: offset, path: path)) == length else { return nil }
            return body(UnsafeRawBufferPointer(buffer))
        }
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
