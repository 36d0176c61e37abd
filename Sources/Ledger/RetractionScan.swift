import Events

#if canImport(Glibc)
import Glibc
#endif

extension LedgerStore {
    /// Every `record.retracted` in the ledger (its seq, the seq it retracts),
    /// found by a byte search rather than decoding every record. A report that
    /// forgets superseded history while it streams needs to know in advance
    /// which records will be retracted, because it cannot undo what it forgot.
    /// The chain itself is checked by the report's own verified read. A
    /// `VerifiedPrefix` that vouches for the file as it is already lists them.
    public func retractions() throws(AccordError) -> [VerifiedPrefix.Retraction] {
        let fd: Int32
        do {
            fd = try Platform.open(path, flags: O_RDONLY)
        } catch {
            throw AccordError(.integrity, position: path, "cannot open the ledger", cause: error.reason)
        }
        defer { Platform.close(fd) }
        let stamp: FileStamp
        do {
            stamp = try Platform.fileStamp(fd, path: path)
        } catch {
            throw AccordError.io(error, "cannot read the ledger")
        }
        if let note = VerifiedPrefix.load(for: path), note.vouches(for: stamp) {
            return note.retractions
        }
        let needle = Array(#""type":"record.retracted""#.utf8)
        let typeKey = Array(#""type":""#.utf8)
        var found: [VerifiedPrefix.Retraction] = []
        var reader = LineBlockReader(fd: fd, path: path, from: 0, to: stamp.size)
        // Bounded by the file: each block is at least one whole line.
        while let block = try reader.next() {
            for index in block.lines.indices {
                let line = block.line(index)
                // The ledger writes `type` second, so its value is nearly always in the first bytes.
                let head = UnsafeRawBufferPointer(rebasing: line[0..<min(line.count, 96)])
                let isRetraction = Self.contains(head, typeKey) ? Self.contains(head, needle) : Self.contains(line, needle)
                guard isRetraction, let record = try? EventDecoder.decodeRecord(line),
                    let retraction = VerifiedPrefix.Retraction(record)
                else { continue }
                found.append(retraction)
            }
        }
        return found
    }

    /// Whether `needle` occurs in `haystack`; the type comes near the start of a
    /// stored line, so a plain search finds it quickly.
    static func contains(_ haystack: UnsafeRawBufferPointer, _ needle: [UInt8]) -> Bool {
        guard haystack.count >= needle.count, let first = needle.first else { return false }
        var index = 0
        let last = haystack.count - needle.count
        while index <= last {
            if haystack[index] == first {
                var matched = 1
                while matched < needle.count && haystack[index + matched] == needle[matched] { matched += 1 }
                if matched == needle.count { return true }
            }
            index += 1
        }
        return false
    }
}
