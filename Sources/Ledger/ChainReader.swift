import Events

/// Reads a ledger from a known-good position to the end, checking every link
/// of the hash chain, and hands each acknowledged record to the caller.
///
/// A reader takes a shared lock only long enough to fix the file's length, so
/// it never sees half of a record an appender is writing and never holds a
/// writer up for the length of a report.
public struct ChainReader {
    public let path: String

    public init(path: String) { self.path = path }

    /// Streams records after `start` (default: the beginning). `body` is given
    /// each record with its raw line; records of a batch that turns out to be
    /// incomplete are given too, and the summary says so — callers must check
    /// the summary before trusting what they computed.
    /// `decoding` says which event types the caller needs as records; lines of
    /// other types reach `body` as a frame only (record nil), their chain
    /// checked without decoding the event.
    /// With `prefix`, a note that vouches for the file exactly as it is now,
    /// the lines it covers are framed and decoded but not hashed again. From
    /// a `start` other than the first record, the note must vouch for the
    /// lines before it, or nothing is read (`vouchedThrough` stays nil).
    public func read(
        from start: ChainPosition = .genesis, decoding: (EventType) -> Bool = { _ in true },
        trusting prefix: VerifiedPrefix? = nil,
        _ body: (Record?, RecordFrame, UnsafeRawBufferPointer) throws(AccordError) -> Void = { _, _, _ in }
    ) throws(AccordError) -> ChainSummary {
        let fd: Int32
        do {
            fd = try Platform.open(path, flags: O_RDONLY)
        } catch {
            throw AccordError(
                .integrity, position: path, "cannot open the ledger", hint: "run `accord init` to create one, or pass --ledger PATH",
                cause: error.reason)
        }
        defer { Platform.close(fd) }
        let stamp: FileStamp
        do {
            try Platform.lock(fd, .shared, path: path)
            stamp = try Platform.fileStamp(fd, path: path)
            Platform.unlock(fd)
        } catch {
            throw AccordError.io(error, "cannot read the ledger")
        }
        let vouched = prefix.flatMap { $0.vouches(for: stamp) && $0.head.offset >= start.offset ? $0.head : nil }
        if start != .genesis, vouched == nil {
            // Nothing vouches for the records before `start` any more: reading on
            // from it would not be a verified read, so nothing is read.
            var unread = ChainSummary(head: start)
            unread.stamp = stamp
            return unread
        }
        var summary = try scan(fd: fd, from: start, to: stamp.size, decoding: decoding, vouched: vouched, body)
        summary.stamp = stamp
        summary.unchangedWhileRead = (try? Platform.fileStamp(fd, path: path)) == stamp
        return summary
    }

    /// `vouched`, if given, ends on a line boundary the caller has checked: the
    /// lines up to it are checked for seq and batch order but not hashed.
    ///
    /// Blocks of lines are prepared (framed, decoded, hashed) on every core
    /// while the block before is walked in order, and only the walk, which
    /// checks each link and calls `body`, sees one line after another.
    func scan(
        fd: Int32, from start: ChainPosition, to end: Int, decoding: (EventType) -> Bool = { _ in true },
        vouched: ChainPosition? = nil,
        _ body: (Record?, RecordFrame, UnsafeRawBufferPointer) throws(AccordError) -> Void
    ) throws(AccordError) -> ChainSummary {
        var walk = ChainWalk(start: start, vouched: vouched)
        var reader = LineBlockReader(fd: fd, path: path, from: start.offset, to: end)
        let cores = Platform.processorCount
        var walking: LineBlock?
        var failure: AccordError?
        // Bounded by the file: every turn reads at least one whole line or stops.
        while true {
            let incoming = try reader.next()
            let runs = incoming?.startPreparing(parts: 4 * cores) ?? []
            Platform.inParallel(runs.count + 1) { index in
                if index == 0 {
                    guard let block = walking else { return }
                    do throws(AccordError) {
                        try walk.walk(block, body)
                    } catch {
                        failure = error
                    }
                } else {
                    incoming!.prepare(runs[index - 1], vouched: vouched, decoding: decoding)
                }
            }
            if let failure { throw failure }
            guard let incoming, !walk.broken else { break }
            walking = incoming
        }
        return walk.finish(consumed: reader.consumed, end: end)
    }
}

#if canImport(Glibc)
import Glibc
#endif
