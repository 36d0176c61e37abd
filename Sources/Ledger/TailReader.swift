import Events

/// Reads a line backwards from a known end, so that a checkpoint can be checked
/// against the ledger without reading the ledger from the start.
enum TailReader {
    /// Whether the line ending at `head.offset` is `head`'s record (seq 0: an empty prefix).
    static func holds(_ head: ChainPosition, fd: Int32, path: String) throws(AccordError) -> Bool {
        if head.seq == 0 { return head.offset == 0 && head.hash == .zero }
        guard let line = try line(endingAt: head.offset, fd: fd, path: path) else { return false }
        return SHA256.hash(line) == head.hash
    }

    /// The bytes of the line whose newline is at `end - 1`, or nil if there is none.
    static func line(endingAt end: Int, fd: Int32, path: String) throws(AccordError) -> [UInt8]? {
        guard end > 0 else { return nil }
        var window = 4096
        while true {
            let start = max(0, end - window)
            var bytes = [UInt8](repeating: 0, count: end - start)
            let got: Int
            do {
                got = try Platform.pread(fd, into: &bytes, offset: start, path: path)
            } catch {
                throw AccordError.io(error, "cannot read the ledger")
            }
            guard got == bytes.count, bytes.last == 0x0A else { return nil }
            if let newline = bytes.dropLast().lastIndex(of: 0x0A) {
                return Array(bytes[(newline + 1)..<(bytes.count - 1)])
            }
            if start == 0 { return Array(bytes.dropLast()) }
            guard window < LineBlockReader.maxLineBytes else { return nil }
            window *= 4
        }
    }
}
