import Events

/// Reads a line backwards from a known end, so that a checkpoint can be checked
/// against the ledger without reading the ledger from the start.
enum TailReader {
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
            guard window < LineScanner.maxLineBytes else { return nil }
            window *= 4
        }
    }
}
