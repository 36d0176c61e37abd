#if canImport(Glibc)
import Glibc
#endif

extension ShardPack {
    /// Appends a save's versions group by group, either as `append` does or,
    /// for a large save, around the page cache (O_DIRECT), as a large batch
    /// of the ledger is written (README decision u). On the benchmark machine
    /// the kernel copying the 10th 100,000-record batch's 26 MB of shards
    /// into fresh page-cache pages was 58 ms of the thread writing them
    /// (perf), and that thread shared the two cores with the shards' encoding
    /// and the lines' read-back.
    ///
    /// Direct writes start at the first block boundary at or after the
    /// pack's end, so up to a block before it is left as a gap nothing points
    /// at (counted, like an old version, towards compaction); each group's
    /// whole blocks go direct, the bytes after them wait for the next group,
    /// and `finish` writes the last part-block through the cache. Where the
    /// file system refuses direct I/O, the rest goes through the cache: the
    /// versions land at the same offsets either way.
    final class Appender {
        let pack: ShardPack
        /// Nil for appends through the cache, from the start or once refused.
        private var direct: Int32?
        /// Block-aligned: where the bytes held back (`heldCount`) go in the file.
        private var blockOffset: Int
        /// Block-aligned, reused for every group; its first `heldCount` bytes are held back.
        private var buffer = UnsafeMutableRawBufferPointer(start: nil, count: 0)
        private var heldCount = 0

        /// Writes through a direct descriptor as much as the file system takes (`Platform.pwriteDirect`).
        typealias DirectWrite = (Int32, UnsafeRawBufferPointer, Int, String) throws(Platform.SystemError) -> Int
        private let directWrite: DirectWrite

        /// Appends to `pack` around the page cache if `directly` and the file
        /// system allows it. (Tests give a `directWrite` that refuses part-way,
        /// as a file system may.)
        init(to pack: ShardPack, directly: Bool, directWrite: @escaping DirectWrite = Platform.pwriteDirect) {
            self.pack = pack
            self.directWrite = directWrite
            direct = directly ? Platform.openDirect(pack.path, sameFileAs: pack.fd) : nil
            blockOffset = AlignedBytes.wholeBlocks(pack.size)
        }

        deinit {
            if let direct { Platform.close(direct) }
            buffer.deallocate()
        }

        /// Whether the versions are going around the page cache.
        var isDirect: Bool { direct != nil }

        /// Appends `blobs`; returns where each went. With direct writes, a
        /// version may be held back in memory until the next call or `finish`.
        func append(_ blobs: [[UInt8]]) throws(Platform.SystemError) -> [(offset: Int, length: Int)] {
            guard let direct else { return try pack.append(blobs) }
            let total = blobs.reduce(heldCount) { $0 + $1.count }
            reserve(total)
            var placed: [(offset: Int, length: Int)] = []
            placed.reserveCapacity(blobs.count)
            var end = heldCount
            for blob in blobs {
                placed.append((blockOffset + end, blob.count))
                // An empty version takes no room; the buffer may not exist yet (nothing larger came first).
                if !blob.isEmpty { blob.withUnsafeBytes { (buffer.baseAddress! + end).copyMemory(from: $0.baseAddress!, byteCount: $0.count) } }
                end += blob.count
            }
            let whole = total / AlignedBytes.blockBytes * AlignedBytes.blockBytes
            guard whole > 0 else {
                heldCount = total
                checkInvariants()
                return placed
            }
            let taken = try directWrite(direct, UnsafeRawBufferPointer(rebasing: buffer[..<whole]), blockOffset, pack.path)
            if taken > 0 { pack.wrote(through: blockOffset + taken) }
            guard taken == whole else {
                // Refused part-way: this group's rest, and every later one, through the cache.
                Platform.close(direct)
                self.direct = nil
                try Platform.pwrite(pack.fd, UnsafeRawBufferPointer(rebasing: buffer[taken..<total]), offset: blockOffset + taken, path: pack.path)
                pack.wrote(through: blockOffset + total)
                heldCount = 0
                checkInvariants()
                return placed
            }
            // The part-block after the whole ones moves to the front, for the next group.
            heldCount = total - whole
            if heldCount > 0 { buffer.baseAddress!.copyMemory(from: buffer.baseAddress! + whole, byteCount: heldCount) }
            blockOffset += whole
            checkInvariants()
            return placed
        }

        /// Writes what is held back, through the cache: the pack then holds every version appended.
        func finish() throws(Platform.SystemError) {
            guard direct != nil, heldCount > 0 else { return }
            try Platform.pwrite(pack.fd, UnsafeRawBufferPointer(rebasing: buffer[..<heldCount]), offset: blockOffset, path: pack.path)
            pack.wrote(through: blockOffset + heldCount)
            heldCount = 0
            blockOffset = AlignedBytes.wholeBlocks(pack.size)
            checkInvariants()
        }

        func checkInvariants() {
            guard direct != nil else { return }
            precondition(blockOffset % AlignedBytes.blockBytes == 0 && pack.size <= blockOffset, "direct writes go at a block boundary past the pack's end")
            precondition(heldCount < AlignedBytes.blockBytes && heldCount <= buffer.count, "no more than a part-block is held back")
        }

        /// Room for `total` bytes from the buffer's start, the held-back ones kept.
        private func reserve(_ total: Int) {
            guard total > buffer.count else { return }
            let grown = UnsafeMutableRawBufferPointer.allocate(
                byteCount: AlignedBytes.wholeBlocks(max(total, 2 * buffer.count)), alignment: AlignedBytes.blockBytes)
            if heldCount > 0 { grown.baseAddress!.copyMemory(from: buffer.baseAddress!, byteCount: heldCount) }
            buffer.deallocate()
            buffer = grown
        }
    }
}
