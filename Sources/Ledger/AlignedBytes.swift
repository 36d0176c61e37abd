/// A batch's bytes, laid out in memory so that each byte bound for a
/// block-aligned offset of the ledger sits at a block-aligned address:
/// O_DIRECT asks both of a write, and this lets the whole blocks of a large
/// batch go to the disk from where they were encoded (`LedgerStore.write`).
///
/// A class because the batch's encoder fills it on one thread and hands it
/// to the writer whole; it is never copied.
final class AlignedBytes: @unchecked Sendable {
    /// The block O_DIRECT is aligned to: a multiple of the 512-byte and
    /// 4,096-byte logical blocks disks have, so one choice serves both.
    static let blockBytes = 4096

    /// Where in its block the first byte lands in the file; its address has the same remainder.
    let phase: Int
    /// Block-aligned; the bytes start `phase` into it.
    private var storage: UnsafeMutableRawPointer
    /// Bytes of `storage` from the start of its first block, a whole number of blocks.
    private var capacityBytes: Int
    private(set) var count = 0

    /// Bytes to be written at `fileOffset`, with room for `reserving` before the buffer moves.
    init(fileOffset: Int, reserving: Int = 0) {
        precondition(fileOffset >= 0 && reserving >= 0)
        phase = fileOffset % Self.blockBytes
        capacityBytes = Self.wholeBlocks(phase + max(reserving, 1))
        storage = .allocate(byteCount: capacityBytes, alignment: Self.blockBytes)
    }

    deinit { storage.deallocate() }

    /// `bytes` rounded up to whole blocks.
    static func wholeBlocks(_ bytes: Int) -> Int { (bytes + blockBytes - 1) / blockBytes * blockBytes }

    /// Room for `total` bytes in all, so that appending up to there does not move them.
    func reserve(_ total: Int) {
        guard phase + total > capacityBytes else { return }
        let grown = Self.wholeBlocks(phase + total)
        let moved = UnsafeMutableRawPointer.allocate(byteCount: grown, alignment: Self.blockBytes)
        moved.copyMemory(from: storage, byteCount: phase + count)
        storage.deallocate()
        storage = moved
        capacityBytes = grown
        checkInvariants()
    }

    func append(_ bytes: UnsafeRawBufferPointer) {
        guard !bytes.isEmpty else { return }
        if phase + count + bytes.count > capacityBytes { reserve(max(count + bytes.count, 2 * count)) }
        (storage + phase + count).copyMemory(from: bytes.baseAddress!, byteCount: bytes.count)
        count += bytes.count
    }

    func withUnsafeBytes<Result, Failure>(
        _ body: (UnsafeRawBufferPointer) throws(Failure) -> Result
    ) throws(Failure) -> Result {
        try body(UnsafeRawBufferPointer(start: storage + phase, count: count))
    }

    /// The bytes that fill whole blocks of the file once written at an
    /// offset `phase` into a block: the part O_DIRECT can take. Empty if
    /// the batch fills no block whole.
    var wholeBlockRange: Range<Int> {
        let first = (Self.blockBytes - phase) % Self.blockBytes
        guard first < count else { return count..<count }
        return first..<(first + (count - first) / Self.blockBytes * Self.blockBytes)
    }

    func checkInvariants() {
        precondition(Int(bitPattern: storage) % Self.blockBytes == 0, "the storage starts on a block")
        precondition(capacityBytes % Self.blockBytes == 0 && phase + count <= capacityBytes, "the bytes fit whole blocks")
        let blocks = wholeBlockRange
        precondition(blocks.isEmpty || Int(bitPattern: storage + phase + blocks.lowerBound) % Self.blockBytes == 0)
    }
}
