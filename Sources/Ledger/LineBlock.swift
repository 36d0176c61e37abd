import Events

#if canImport(Glibc)
import Glibc
#endif

/// About a quarter of a megabyte of a file cut at a newline: whole lines only, each known
/// by where it starts, so that its lines can be prepared on several cores and
/// then walked in order. It owns its bytes; a line handed out points into them.
final class LineBlock {
    /// File offset of `bytes[0]`.
    let offset: Int
    private let storage: UnsafeMutableRawBufferPointer
    /// Bytes of whole lines at the front of `storage`; the rest is a partial line, read again with the next block.
    let count: Int
    /// Start and length (without the newline) of each line, in `bytes`.
    let lines: [(start: Int, length: Int)]
    /// Filled by `prepare`, one per line. Not an array: runs are prepared on
    /// several threads at once, and an array may not be written from two.
    /// Allocated by `startPreparing`; a block only scanned for its lines has none.
    private(set) var prepared = UnsafeMutableBufferPointer<PreparedLine>(start: nil, count: 0)

    var bytes: UnsafeRawBufferPointer { UnsafeRawBufferPointer(rebasing: storage[0..<count]) }

    init(offset: Int, storage: UnsafeMutableRawBufferPointer, count: Int) {
        self.offset = offset
        self.storage = storage
        self.count = count
        var lines: [(start: Int, length: Int)] = []
        var start = 0
        let base = storage.baseAddress!
        while start < count, let hit = memchr(base + start, 0x0A, count - start) {
            let newline = base.distance(to: hit)
            lines.append((start, newline - start))
            start = newline + 1
        }
        precondition(start == count, "a line block must end with a newline")
        self.lines = lines
    }

    deinit {
        // Every slot was initialized: `ChainReader.scan` prepares all runs in the turn that starts them.
        if prepared.baseAddress != nil { prepared.deinitialize().deallocate() }
        storage.deallocate()
    }

    /// Makes room for one prepared line per line, left uninitialized, and
    /// splits the lines into about `parts` runs of consecutive lines, none
    /// tiny, each for `prepare`. Every run must then be prepared.
    func startPreparing(parts: Int) -> [Range<Int>] {
        precondition(prepared.baseAddress == nil, "a block is prepared once")
        let count = lines.count
        prepared = .allocate(capacity: count)
        let size = max(64, (count + parts - 1) / parts)
        return stride(from: 0, to: count, by: size).map { $0..<min($0 + size, count) }
    }

    func line(_ index: Int) -> UnsafeRawBufferPointer {
        let (start, length) = lines[index]
        return UnsafeRawBufferPointer(rebasing: bytes[start..<start + length])
    }

    /// Prepares the lines of one run. Runs of one block may be prepared at
    /// the same time: each writes only its own slots of `prepared`.
    func prepare(_ run: Range<Int>, vouched: ChainPosition?, decoding: (EventType) -> Bool) {
        var previous: SHA256Digest?
        for index in run {
            let slot = prepared.baseAddress! + index
            PreparedLine.prepare(
                line(index), offset: offset + lines[index].start, expectingPrev: previous, vouched: vouched,
                decoding: decoding, into: slot)
            previous = slot.pointee.isVouched ? nil : slot.pointee.digest
        }
    }
}

/// Reads `start..<end` of a file as `LineBlock`s; what follows the last
/// newline is left unread and `consumed` says where it starts.
struct LineBlockReader {
    static let blockBytes = 1 << 18
    /// No valid record comes near this; a longer line is damage, not data.
    static let maxLineBytes = 16 << 20

    let fd: Int32
    let path: String
    let end: Int
    /// Just past the last complete line handed out.
    private(set) var consumed: Int

    init(fd: Int32, path: String, from start: Int, to end: Int) {
        self.fd = fd
        self.path = path
        self.end = end
        consumed = start
    }

    /// The next block, or nil when only a partial line (or nothing) is left.
    mutating func next() throws(AccordError) -> LineBlock? {
        var capacity = Self.blockBytes
        // A line longer than a block is read into a bigger one; a line longer
        // than `maxLineBytes` is damage, not data.
        while consumed < end {
            let want = min(capacity, end - consumed)
            let storage = UnsafeMutableRawBufferPointer.allocate(byteCount: want, alignment: 16)
            var filled = 0
            while filled < want {
                let got: Int
                do {
                    got = try Platform.pread(
                        fd, into: UnsafeMutableRawBufferPointer(rebasing: storage[filled..<want]), offset: consumed + filled,
                        path: path)
                } catch {
                    storage.deallocate()
                    throw AccordError.io(error, "cannot read the ledger")
                }
                if got == 0 { break }  // the file shrank under us; what we have is all there is
                filled += got
            }
            let base = storage.baseAddress!
            var lastNewline = filled - 1
            while lastNewline >= 0 && base.load(fromByteOffset: lastNewline, as: UInt8.self) != 0x0A { lastNewline -= 1 }
            if lastNewline >= 0 {
                let block = LineBlock(offset: consumed, storage: storage, count: lastNewline + 1)
                consumed += block.count
                return block
            }
            storage.deallocate()
            if filled < want || consumed + filled >= end { return nil }  // a partial last line
            guard capacity < Self.maxLineBytes else {
                throw AccordError(
                    .integrity, position: "\(path) byte \(consumed)",
                    "a line longer than \(Self.maxLineBytes >> 20) MiB: this is not a ledger record")
            }
            capacity *= 2
        }
        return nil
    }
}
