import Events

/// Streams the lines of a byte range of a file through a fixed-size buffer,
/// so memory stays the same whatever the ledger's length (SPEC §8).
struct LineScanner {
    static let chunkBytes = 1 << 20
    /// No valid record comes near this; a longer line is damage, not data.
    static let maxLineBytes = 16 << 20

    let fd: Int32
    let path: String

    /// Calls `body(line, offset)` for each `\n`-terminated line in `start..<end`
    /// (line without its newline). Returns the offset just past the last
    /// complete line: less than `end` when the range ends in a partial line.
    func forEachLine(
        from start: Int, to end: Int,
        _ body: (UnsafeRawBufferPointer, Int) throws(AccordError) -> Void
    ) throws(AccordError) -> Int {
        var buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: Self.chunkBytes, alignment: 16)
        defer { buffer.deallocate() }
        var bufferStart = start  // file offset of buffer[0]
        var filled = 0
        var lineStart = 0  // index in buffer of the current line's first byte
        var consumedUpTo = start
        var fileOffset = start
        while fileOffset < end {
            if filled == buffer.count {
                // Slide the unfinished line to the front, growing only for a line longer than the buffer.
                let pending = filled - lineStart
                if pending == buffer.count {
                    guard buffer.count < Self.maxLineBytes else {
                        throw AccordError(
                            .integrity, position: "\(path) byte \(bufferStart + lineStart)",
                            "a line longer than \(Self.maxLineBytes >> 20) MiB: this is not a ledger record")
                    }
                    let bigger = UnsafeMutableRawBufferPointer.allocate(byteCount: buffer.count * 2, alignment: 16)
                    bigger.copyMemory(from: UnsafeRawBufferPointer(buffer))
                    buffer.deallocate()
                    buffer = bigger
                } else {
                    if pending > 0 {
                        UnsafeMutableRawBufferPointer(rebasing: buffer[0..<pending])
                            .copyMemory(from: UnsafeRawBufferPointer(rebasing: buffer[lineStart..<filled]))
                    }
                    bufferStart += lineStart
                    filled = pending
                    lineStart = 0
                }
            }
            let want = min(buffer.count - filled, end - fileOffset)
            let got: Int
            do {
                got = try Platform.pread(
                    fd, into: UnsafeMutableRawBufferPointer(rebasing: buffer[filled..<filled + want]), offset: fileOffset,
                    path: path)
            } catch {
                throw AccordError.io(error, "cannot read the ledger")
            }
            if got == 0 { break }  // the file shrank under us; what we have is all there is
            let scanFrom = filled
            filled += got
            fileOffset += got
            var index = scanFrom
            while index < filled {
                guard let newline = memchrIndex(buffer, from: index, to: filled) else { break }
                let line = UnsafeRawBufferPointer(rebasing: buffer[lineStart..<newline])
                try body(line, bufferStart + lineStart)
                lineStart = newline + 1
                consumedUpTo = bufferStart + lineStart
                index = lineStart
            }
        }
        return consumedUpTo
    }

    private func memchrIndex(_ buffer: UnsafeMutableRawBufferPointer, from: Int, to: Int) -> Int? {
        guard from < to, let base = buffer.baseAddress else { return nil }
        guard let hit = memchr(base + from, 0x0A, to - from) else { return nil }
        return base.distance(to: hit)
    }
}

#if canImport(Glibc)
import Glibc
#endif
