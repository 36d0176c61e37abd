import Dispatch
import Events

/// Turns a batch's records into chained ledger lines while the rest of the
/// batch is still being judged. Judging has to go in order on one core; this
/// keeps the other busy. Each chunk of judged records is encoded on one serial
/// queue with a placeholder `prev`, then each of its lines is given its `prev`
/// in place and hashed, in order. (Encoding chunks side by side on every core
/// slowed the judging it was meant to hide behind.)
///
/// Every line carries the batch's record count, which judging learns only at
/// the end (an input already recorded is skipped). Lines are encoded for the
/// count the caller expects, and `finish` returns nil if it turned out
/// otherwise, so the caller encodes again.
final class BatchEncoder: @unchecked Sendable {
    static let chunkRecords = 1024

    private let head: ChainPosition
    private let mark: BatchMark?
    private let expectedCount: Int
    /// Every record added, moved in by the caller's thread and read by the
    /// chain's queue only once handed over (the queue orders the two).
    /// (Handing the queue an array per chunk, then appending it to a
    /// batch-wide array, copied every record, a retain and a release of each
    /// of its strings, on the busier core.)
    private let records: UnsafeMutablePointer<Record>
    /// Per record: the bytes its input data was decoded from, if known.
    private let inputData: UnsafeMutablePointer<InputData?>
    /// Records added, and those of them handed over; touched by the caller's thread only.
    private var added = 0
    private var submitted = 0
    /// Set once `finish` has read every line back: from then on the records are read only.
    private var finished = false
    private let chainQueue = DispatchQueue(label: "accord.batch-chain")
    // Touched only on `chainQueue`, and after `finish` has waited for it.
    private var bytes: [UInt8] = []
    private var lineEnds: [Int] = []
    /// The digest each line was chained to, its `prev`: kept after `finish` for `written`.
    private var prevs: [SHA256Digest] = []
    private var chained = 0
    private var previous: SHA256Digest

    /// Encodes a batch of `expectedCount` records to follow `head`.
    init(after head: ChainPosition, expectedCount: Int) {
        self.head = head
        self.expectedCount = expectedCount
        mark = expectedCount > 1 ? BatchMark(first: head.seq + 1, count: expectedCount) : nil
        previous = head.hash
        records = .allocate(capacity: expectedCount)
        inputData = .allocate(capacity: expectedCount)
        lineEnds.reserveCapacity(expectedCount)
        prevs.reserveCapacity(expectedCount)
    }

    deinit {
        // No chunk can still be chaining: each chunk's closure holds the
        // encoder. So the last owner may be that closure, and this may run on
        // the chain's queue itself, where waiting for the queue would trap (a
        // batch refused while its first chunk was still being encoded did).
        records.deinitialize(count: added)
        records.deallocate()
        inputData.deinitialize(count: added)
        inputData.deallocate()
    }

    /// Takes the next judged record, in seq order. Records go to the other
    /// core a chunk at a time, moved rather than copied: the judging thread
    /// keeps no list of its own, which cost a copy of every record.
    ///
    /// `data`, if given, is what `record`'s data was decoded from.
    func add(_ record: consuming Record, data: InputData? = nil) {
        precondition(added < expectedCount, "no more records than the batch was made for")
        precondition(record.seq == head.seq + 1 + added, "records are handed over in seq order, once each")
        // Marked here, where the record is still the caller's alone: marking
        // it on the chain's queue copied the whole chunk (shared with the
        // closure that carried it) before changing it.
        record.batch = mark
        record.prev = Record.genesisPrev  // a placeholder of the right length, given its digits once chained
        (records + added).initialize(to: record)
        (inputData + added).initialize(to: data)
        added += 1
        if added - submitted == Self.chunkRecords { handOver() }
    }

    /// Hands over the records not handed over yet: judging is over.
    func flush() {
        if added > submitted { handOver() }
    }

    /// How many records were added.
    var count: Int { added }

    private func handOver() {
        let chunk = submitted..<added
        submitted = added
        chainQueue.async { self.chain(chunk) }
    }

    /// Every record added, with the bytes its data was decoded from, once all
    /// are handed over and chained: for encoding again when the batch's count
    /// turned out other than expected.
    func judgedRecords() -> [(record: Record, data: InputData?)] {
        precondition(submitted == added, "flush before taking the records")
        chainQueue.sync {}
        return (0..<added).map { (records[$0], inputData[$0]) }
    }

    /// The batch's bytes (every line followed by its newline), its records as
    /// written and the new head, once every line has been read back as the
    /// record it was made from; nil if the batch held other than `expectedCount` records.
    func finish() -> (bytes: [UInt8], records: AppendedRecords, head: ChainPosition)? {
        chainQueue.sync {}
        guard submitted == expectedCount, submitted > 0, !finished else { return nil }
        precondition(chained == added, "every record handed over was chained")
        readBack()
        finished = true
        let newHead = ChainPosition(seq: head.seq + added, hash: previous, offset: head.offset + bytes.count)
        assert(records[added - 1].seq == newHead.seq, "the last record written is the new head")
        // The encoder lives on as long as its records are wanted
        // (`AppendedRecords`); what it needed only to write them goes now.
        var written: [UInt8] = []
        swap(&written, &bytes)
        lineEnds = []
        inputData.update(repeating: nil, count: added)
        return (written, AppendedRecords(self, count: added), newHead)
    }

    /// Record `index` of the batch as written, once finished: given its
    /// `prev` here, from the digest it was chained to, rather than each
    /// record keeping a string of 64 digits (11 MB for 100,000 records).
    fileprivate func written(_ index: Int) -> Record {
        precondition(finished && index >= 0 && index < added, "record \(index) of \(added) read before the batch was finished")
        var record = records[index]
        record.prev = prevs[index].hex
        return record
    }

    private func chain(_ chunk: Range<Int>) {
        // Encoded straight into the batch's buffer: a buffer per chunk grew a
        // dozen times and was then copied in whole, 36 MB for 100,000 lines.
        // Its arrays are taken out of `self` for the chunk, because each touch
        // of a class's stored property is checked at run time for overlapping access.
        var bytes: [UInt8] = []
        var lineEnds: [Int] = []
        var prevs: [SHA256Digest] = []
        var previous = self.previous
        swap(&bytes, &self.bytes)
        swap(&lineEnds, &self.lineEnds)
        swap(&prevs, &self.prevs)
        defer {
            swap(&bytes, &self.bytes)
            swap(&lineEnds, &self.lineEnds)
            swap(&prevs, &self.prevs)
            self.previous = previous
        }
        let chunkStart = bytes.count
        let firstLine = lineEnds.count
        precondition(chunk.lowerBound == chained, "chunks are chained in order")
        for i in chunk {
            if let known = inputData[i], known.isEncoded {
                known.bytes.withUnsafeBytes { EventEncoder.encodeRecord(records[i], encodedData: $0, appendingTo: &bytes) }
            } else {
                EventEncoder.encodeRecord(records[i], appendingTo: &bytes)
            }
            lineEnds.append(bytes.count)
            bytes.append(0x0A)
        }
        if chunkStart == 0 {
            // Room for the batch as the first chunk's lines suggest, so the buffer is rarely copied to grow.
            bytes.reserveCapacity(bytes.count / chunk.count * expectedCount * 9 / 8)
        }
        var lineStart = chunkStart
        for lineEnd in lineEnds[firstLine...] {
            prevs.append(previous)
            let digits = EventEncoder.prevDigits(in: bytes, lineEnd: lineEnd)
            bytes.withUnsafeMutableBufferPointer { previous.fillHex(UnsafeMutableBufferPointer(rebasing: $0[digits])) }
            previous = bytes.withUnsafeBytes { SHA256.hash(UnsafeRawBufferPointer(rebasing: $0[lineStart..<lineEnd])) }
            lineStart = lineEnd + 1
        }
        chained = chunk.upperBound
    }

    /// Reads every line back as reports will read it: by the layout reader, or,
    /// for a line it leaves alone (an id with an escaped quote), by the general
    /// decoder. A line whose data is byte for byte what the input's data was
    /// decoded from is given that decoding (`decodeCanonicalRecord(_:knowing:)`);
    /// its envelope is still read and every field compared, where it lies if
    /// it matches (`prevIfReadsBack`), else through a record decoded whole.
    private func readBack() {
        let lineEnds = self.lineEnds
        let prevs = self.prevs
        let inputData = UnsafeBufferPointer(start: self.inputData, count: added)
        let records = UnsafeBufferPointer(start: self.records, count: added)
        bytes.withUnsafeBytes { all in
            Platform.inParallel(records.count, chunk: Self.chunkRecords) { run in
                for i in run {
                    let line = UnsafeRawBufferPointer(rebasing: all[(i == 0 ? 0 : lineEnds[i - 1] + 1)..<lineEnds[i]])
                    // The record keeps its placeholder prev (`written` gives it the real
                    // one); the line's digits are checked against the digest it was chained to.
                    func checkPrev(_ digits: UnsafeRawBufferPointer) {
                        precondition(prevs[i].matchesHex(digits), "record \(records[i].seq) reads back with another prev")
                    }
                    // Nearly every line: compared with its record where it lies
                    // (`prevIfReadsBack`), so no second record is made of it.
                    if let data = inputData[i],
                        let digits = data.bytes.withUnsafeBytes({
                            EventDecoder.prevIfReadsBack(line, as: records[i], knownData: $0)
                        })
                    {
                        checkPrev(UnsafeRawBufferPointer(rebasing: line[digits]))
                        continue
                    }
                    // Else decoded whole and compared, as every line once was.
                    let canonical =
                        if let data = inputData[i] {
                            data.bytes.withUnsafeBytes { EventDecoder.decodeCanonicalRecord(line, knowing: ($0, records[i].event)) }
                        } else {
                            EventDecoder.decodeCanonicalRecord(line)
                        }
                    // Unwrapped before comparing: an optional on one side made a copy of the other.
                    guard let decoded = canonical ?? (try? EventDecoder.decodeRecord(line)) else {
                        preconditionFailure("record \(records[i].seq) does not read back from its own encoding")
                    }
                    var prev = decoded.prev
                    prev.withUTF8 { checkPrev(UnsafeRawBufferPointer($0)) }
                    var expected = records[i]
                    expected.prev = prev
                    precondition(decoded == expected, "record \(records[i].seq) does not survive its own encoding")
                }
            }
        }
    }
}

/// The records an append wrote, read where the batch's encoder keeps them:
/// moved into an array of their own, they were 20 MB more at the peak of a
/// 100,000-record batch.
public struct AppendedRecords: RandomAccessCollection, Sendable {
    private let encoder: BatchEncoder?
    public let endIndex: Int
    public var startIndex: Int { 0 }

    /// None.
    init() {
        encoder = nil
        endIndex = 0
    }

    fileprivate init(_ encoder: BatchEncoder, count: Int) {
        self.encoder = encoder
        endIndex = count
    }

    public subscript(position: Int) -> Record { encoder!.written(position) }
}
