#if canImport(Glibc)
import Glibc
#endif

extension LedgerStore {
    /// Writes, syncs and reads back; on any failure the file is cut back to
    /// `originalSize` so no part of an unacknowledged batch remains. Returns
    /// how many of the bytes went around the page cache.
    ///
    /// A batch of `directWriteMinimumBytes` or more writes the blocks it
    /// fills whole with O_DIRECT, and reads them back from the disk; the
    /// block it starts in and the one it ends in go through the cache. On a
    /// virtual machine whose memory is backed only when first touched, the
    /// kernel copying a 37 MB batch into fresh page-cache pages was the
    /// largest part of writing it. Where direct I/O is refused, the rest is
    /// written through the cache, and the read-back is the same either way.
    ///
    /// `whenWritten` is called once every byte is written, before the sync.
    @discardableResult
    func write(_ bytes: AlignedBytes, fd: Int32, originalSize: Int, whenWritten: () -> Void = {}) throws(AccordError) -> Int {
        precondition(bytes.phase == originalSize % AlignedBytes.blockBytes, "the batch was laid out for where it goes")
        let blocks = bytes.count >= directWriteMinimumBytes ? bytes.wholeBlockRange : bytes.count..<bytes.count
        let directFD = blocks.isEmpty ? nil : Platform.openDirect(path, sameFileAs: fd)
        defer { if let directFD { Platform.close(directFD) } }
        var directRange = blocks.lowerBound..<blocks.lowerBound
        do {
            try bytes.withUnsafeBytes { (all) throws(Platform.SystemError) in
                try Platform.writeAll(fd, UnsafeRawBufferPointer(rebasing: all[..<blocks.lowerBound]), path: path)
                var written = blocks.lowerBound
                if let directFD {
                    // The head, written through the cache, reaches the disk before any
                    // direct block: a direct write past the end of the file can make
                    // the new size durable before the head's page is written back, and
                    // a power cut then would leave zeros inside the ledger, ahead of
                    // whole records (a break in the chain that repair must refuse),
                    // where it must leave only a torn tail. (Found by review.)
                    if written > 0 { try Platform.fdatasync(fd, path: path) }
                    let taken = try Platform.pwriteDirect(
                        directFD, UnsafeRawBufferPointer(rebasing: all[blocks]), offset: originalSize + blocks.lowerBound,
                        path: path)
                    written += taken
                    directRange = blocks.lowerBound..<(blocks.lowerBound + taken / AlignedBytes.blockBytes * AlignedBytes.blockBytes)
                }
                // The descriptor appends: the rest goes where the direct write stopped.
                try Platform.writeAll(fd, UnsafeRawBufferPointer(rebasing: all[written...]), path: path)
            }
            whenWritten()
            try Platform.fsync(fd, path: path)
            let same = try bytes.withUnsafeBytes { (all) throws(Platform.SystemError) in
                try Self.readsBack(all, fd: fd, at: originalSize, path: path, direct: directFD.map { ($0, directRange) })
            }
            guard same else {
                rollBack(fd: fd, to: originalSize)
                throw AccordError(
                    .integrity, position: path, "the records read back differently from what was written; nothing was appended",
                    hint: "check the disk; the ledger is as it was before this append")
            }
        } catch let error as AccordError {
            throw error
        } catch {
            rollBack(fd: fd, to: originalSize)
            let systemError = error as! Platform.SystemError
            throw AccordError(
                .integrity, position: path,
                systemError.isFileTooLargeOrDiskFull
                    ? "the disk is full or the file size limit was reached; nothing was appended"
                    : "the append could not be written durably; nothing was appended",
                hint: "free space (or raise the limit) and append again; the ledger is exactly as it was",
                cause: systemError.description)
        }
        return directRange.count
    }

    /// Whether the file holds exactly `bytes` from `offset`: read a piece at a
    /// time into one small buffer, because a second whole copy of a large
    /// batch was faulted into memory page by page. The bytes in
    /// `direct.range` (whole blocks) are read through the direct descriptor:
    /// from the disk, not from a copy the page cache kept.
    static func readsBack(
        _ bytes: UnsafeRawBufferPointer, fd: Int32, at offset: Int, path: String,
        direct: (fd: Int32, range: Range<Int>)? = nil, pieceBytes: Int = 1 << 20
    ) throws(Platform.SystemError) -> Bool {
        let blockBytes = AlignedBytes.blockBytes
        let capacity = max(blockBytes, AlignedBytes.wholeBlocks(min(pieceBytes, bytes.count)))
        let piece = UnsafeMutableRawBufferPointer.allocate(byteCount: capacity, alignment: blockBytes)
        defer { piece.deallocate() }
        let directRange = direct?.range ?? bytes.count..<bytes.count
        precondition(
            directRange.isEmpty || (offset + directRange.lowerBound) % blockBytes == 0 && directRange.count % blockBytes == 0,
            "direct reads are of whole blocks")
        let spans = [
            (range: 0..<directRange.lowerBound, fd: fd, pieceBytes: min(pieceBytes, capacity)),
            (range: directRange, fd: direct?.fd ?? fd, pieceBytes: capacity),
            (range: directRange.upperBound..<bytes.count, fd: fd, pieceBytes: min(pieceBytes, capacity)),
        ]
        for span in spans {
            var checked = span.range.lowerBound
            // Bounded: each turn checks a full piece or ends the loop.
            while checked < span.range.upperBound {
                let want = min(span.pieceBytes, span.range.upperBound - checked)
                let got = try Platform.pread(
                    span.fd, into: UnsafeMutableRawBufferPointer(rebasing: piece[..<want]), offset: offset + checked, path: path)
                guard got == want, memcmp(piece.baseAddress!, bytes.baseAddress! + checked, want) == 0 else { return false }
                checked += want
            }
        }
        return true
    }

    func rollBack(fd: Int32, to size: Int) {
        try? Platform.ftruncate(fd, to: size, path: path)
        try? Platform.fsync(fd, path: path)
    }
}
