#if canImport(Glibc)
import Glibc
#endif

extension LedgerStore {
    /// Writes, syncs and reads back; on any failure the file is cut back to
    /// `originalSize` so no part of an unacknowledged batch remains. Returns
    /// how many of the bytes went around the page cache.
    ///
    /// No byte is written before its line has read back as the record it was
    /// made from (`readBack`, which the batch's encoder advances on other
    /// threads; nil: all have). A line that does not read back stops the
    /// write, and what was written of the batch is cut off again.
    ///
    /// A batch of `directWriteMinimumBytes` or more writes the blocks it
    /// fills whole with O_DIRECT, a step at a time as its lines read back,
    /// and reads them back from the disk on a thread of its own as they are
    /// written (`DiskReadBack`); the block it starts in and the one it ends
    /// in go through the cache. On a virtual machine whose memory is backed
    /// only when first touched, the kernel copying a 37 MB batch into fresh
    /// page-cache pages was the largest part of writing it. Where direct I/O
    /// is refused, the rest is written through the cache, and the read-back
    /// is the same either way.
    ///
    /// `whenWritten` is called once every byte is written, before the sync.
    @discardableResult
    func write(
        _ bytes: AlignedBytes, fd: Int32, originalSize: Int, readBack: ReadBackProgress? = nil, whenWritten: () -> Void = {}
    ) throws(AccordError) -> Int {
        precondition(bytes.phase == originalSize % AlignedBytes.blockBytes, "the batch was laid out for where it goes")
        precondition(
            directWriteStepBytes >= AlignedBytes.blockBytes && directWriteStepBytes % AlignedBytes.blockBytes == 0,
            "direct steps of whole blocks")
        let readBack = readBack ?? .complete(bytes.count)
        precondition(readBack.totalBytes == bytes.count, "the read-back is of these bytes")
        let blocks = bytes.count >= directWriteMinimumBytes ? bytes.wholeBlockRange : bytes.count..<bytes.count
        let directFD = blocks.isEmpty ? nil : Platform.openDirect(path, sameFileAs: fd)
        defer { if let directFD { Platform.close(directFD) } }
        // Where the direct blocks end: the disk has read back `blocks.lowerBound..<directEnd`.
        var directEnd = blocks.lowerBound
        var diskReadBack: DiskReadBack?
        /// Every failure: the disk's reading stopped, then the file cut back.
        func cutBack() {
            diskReadBack?.stop()
            rollBack(fd: fd, to: originalSize)
        }
        var notReadBack: Int?
        do {
            try bytes.withUnsafeBytes { (all) throws(Platform.SystemError) in
                if case .failed(let seq) = readBack.wait(atLeast: blocks.lowerBound) {
                    notReadBack = seq
                    return
                }
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
                    let check = DiskReadBack(bytes, fd: directFD, fileOffset: originalSize, from: written, path: path)
                    diskReadBack = check
                    // Bounded: each turn writes at least a block, or stops where direct I/O is refused.
                    while written < blocks.upperBound {
                        let state = readBack.wait(atLeast: min(written + directWriteStepBytes, blocks.upperBound))
                        guard case .readBack(let count) = state else {
                            if case .failed(let seq) = state { notReadBack = seq }
                            return
                        }
                        let start = written
                        let upTo = min(blocks.upperBound, start + (count - start) / AlignedBytes.blockBytes * AlignedBytes.blockBytes)
                        let taken = try Platform.pwriteDirect(
                            directFD, UnsafeRawBufferPointer(rebasing: all[start..<upTo]), offset: originalSize + start, path: path)
                        // `written` is where the file ends (the appending descriptor
                        // writes the rest there); the disk reads back whole blocks only,
                        // and a short count that is not (a size limit reached part-way
                        // through a block) leaves its part-block to the read through the cache.
                        written += taken
                        directEnd = start + taken / AlignedBytes.blockBytes * AlignedBytes.blockBytes
                        check.written(through: directEnd)
                        if taken < upTo - start { break }  // refused: the rest goes through the cache
                    }
                }
                if case .failed(let seq) = readBack.wait(atLeast: all.count) {
                    notReadBack = seq
                    return
                }
                // The descriptor appends: the rest goes where the direct write stopped.
                try Platform.writeAll(fd, UnsafeRawBufferPointer(rebasing: all[written...]), path: path)
            }
            if let seq = notReadBack {
                cutBack()
                throw AccordError(
                    .integrity, position: path,
                    "the record that would have been seq \(seq) did not read back as the record it was made from; nothing was appended",
                    hint: "this is a fault in Accord, not in the input: please report it with the input; the ledger is as it was")
            }
            whenWritten()
            try Platform.fsync(fd, path: path)
            // The direct blocks were read back from the disk as they were written; the rest is read here.
            let directSame = try diskReadBack?.finish() ?? true
            let same = try bytes.withUnsafeBytes { (all) throws(Platform.SystemError) in
                try Self.readsBack(
                    all, fd: fd, at: originalSize, path: path, direct: directFD.map { ($0, blocks.lowerBound..<directEnd) },
                    readingDirect: false)
            }
            guard directSame && same else {
                cutBack()
                throw AccordError(
                    .integrity, position: path, "the records read back differently from what was written; nothing was appended",
                    hint: "check the disk; the ledger is as it was before this append")
            }
        } catch let error as AccordError {
            throw error
        } catch {
            cutBack()
            let systemError = error as! Platform.SystemError
            throw AccordError(
                .integrity, position: path,
                systemError.isFileTooLargeOrDiskFull
                    ? "the disk is full or the file size limit was reached; nothing was appended"
                    : "the append could not be written durably; nothing was appended",
                hint: "free space (or raise the limit) and append again; the ledger is exactly as it was",
                cause: systemError.description)
        }
        return directEnd - blocks.lowerBound
    }

    /// Whether the file holds exactly `bytes` from `offset`: read a piece at a
    /// time into one small buffer, because a second whole copy of a large
    /// batch was faulted into memory page by page. The bytes in
    /// `direct.range` (whole blocks) are read through the direct descriptor:
    /// from the disk, not from a copy the page cache kept; or, without
    /// `readingDirect`, not read here at all.
    static func readsBack(
        _ bytes: UnsafeRawBufferPointer, fd: Int32, at offset: Int, path: String,
        direct: (fd: Int32, range: Range<Int>)? = nil, readingDirect: Bool = true, pieceBytes: Int = 1 << 20,
        into buffer: UnsafeMutableRawBufferPointer? = nil
    ) throws(Platform.SystemError) -> Bool {
        let blockBytes = AlignedBytes.blockBytes
        // A caller reading back again and again lends one buffer (block-aligned, whole blocks) for all of it.
        let piece =
            buffer
            ?? .allocate(byteCount: max(blockBytes, AlignedBytes.wholeBlocks(min(pieceBytes, bytes.count))), alignment: blockBytes)
        defer { if buffer == nil { piece.deallocate() } }
        let capacity = piece.count
        precondition(capacity % blockBytes == 0 && Int(bitPattern: piece.baseAddress) % blockBytes == 0, "a piece of whole, aligned blocks")
        let directRange = direct?.range ?? bytes.count..<bytes.count
        precondition(
            directRange.isEmpty || (offset + directRange.lowerBound) % blockBytes == 0 && directRange.count % blockBytes == 0,
            "direct reads are of whole blocks")
        let spans = [
            (range: 0..<directRange.lowerBound, fd: fd, pieceBytes: min(pieceBytes, capacity)),
            (range: directRange, fd: direct?.fd ?? fd, pieceBytes: capacity),
            (range: directRange.upperBound..<bytes.count, fd: fd, pieceBytes: min(pieceBytes, capacity)),
        ]
        // Without `readingDirect`, the direct blocks were read back already (`DiskReadBack`).
        for (index, span) in spans.enumerated() where readingDirect || index != 1 {
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
