import Dispatch
import Events

/// Turns a batch's records into chained ledger lines while the rest of the
/// batch is still being judged. Judging has to go in order on one core; this
/// keeps the other busy. Each chunk of judged records is encoded on one serial
/// queue with a placeholder `prev`, then each of its lines is given its `prev`
/// in place and hashed, in order. (Encoding chunks side by side on every core
/// slowed the judging it was meant to hide behind.)
///
/// It keeps no records: each is made again from its input where a line is
/// encoded or read back, or `AppendedRecords` is read.
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
    /// The batch's inputs and the time it is recorded at: a record is made
    /// from its input where it is needed, and is not kept. (A record kept
    /// for each line, copied from its input, was 24 MB of a 100,000-record
    /// batch, touched fresh on the judging thread.)
    private let inputs: [PositionedEvent]
    private let recorded: Instant
    /// Per record added: the input it was made from. Written by the caller's
    /// thread and read by the chain's queue only once handed over (the queue
    /// orders the two).
    private let sources: UnsafeMutablePointer<Int>
    /// Records added, and those of them handed over; touched by the caller's thread only.
    private var added = 0
    private var submitted = 0
    /// Set once `finish` has read every line back: from then on nothing here changes.
    private var finished = false
    private let chainQueue = DispatchQueue(label: "accord.batch-chain")
    // Touched only on `chainQueue`, and after `finish` has waited for it.
    /// The batch's lines, laid out for a direct write; handed to the caller by `finish`.
    private var bytes: AlignedBytes?
    /// A chunk's lines as they are encoded: the encoders append to an array,
    /// and one array reused for every chunk stays in the cache while its
    /// lines are chained, then is copied to `bytes` whole.
    private var scratch: [UInt8] = []
    private var lineEnds: [Int] = []
    /// The digest each line was chained to, its `prev`: kept after `finish` for `written`.
    private var prevs: [SHA256Digest] = []
    private var chained = 0
    private var previous: SHA256Digest

    /// Encodes a batch of `expectedCount` records to follow `head`, made
    /// from `inputs` and recorded at `recorded`.
    init(after head: ChainPosition, expectedCount: Int, inputs: [PositionedEvent], recorded: Instant) {
        self.head = head
        self.expectedCount = expectedCount
        self.inputs = inputs
        self.recorded = recorded
        mark = expectedCount > 1 ? BatchMark(first: head.seq + 1, count: expectedCount) : nil
        previous = head.hash
        bytes = AlignedBytes(fileOffset: head.offset)
        sources = .allocate(capacity: expectedCount)
        lineEnds.reserveCapacity(expectedCount)
        prevs.reserveCapacity(expectedCount)
    }

    deinit {
        // No chunk can still be chaining: each chunk's closure holds the
        // encoder. So the last owner may be that closure, and this may run on
        // the chain's queue itself, where waiting for the queue would trap (a
        // batch refused while its first chunk was still being encoded did).
        sources.deallocate()
    }

    /// The seq the next record added must have.
    var nextSeq: Int { head.seq + 1 + added }

    /// Takes the next judged record, in seq order: the one made from input
    /// `index`, with seq `nextSeq`. Records go to the other core a chunk at a time.
    func add(input index: Int) {
        precondition(added < expectedCount, "no more records than the batch was made for")
        precondition(inputs.indices.contains(index), "a record is made from one of the batch's inputs")
        sources[added] = index
        added += 1
        if added - submitted == Self.chunkRecords { handOver() }
    }

    /// Record `index` of the batch with `prev`.
    private func record(_ index: Int, prev: String) -> Record {
        Record(seq: head.seq + 1 + index, recorded: recorded, envelope: inputs[sources[index]].event.envelope, prev: prev, batch: mark)
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

    /// The input of every record added, in order, once all are handed over
    /// and chained: for encoding again when the batch's count turned out other than expected.
    func judgedInputs() -> [Int] {
        precondition(submitted == added, "flush before taking the records")
        chainQueue.sync {}
        return (0..<added).map { sources[$0] }
    }

    /// Lines read back together, in order, before the writer is told (`ReadBackProgress`).
    static let readBackSegmentRecords = 8192

    /// The batch's bytes (every line followed by its newline), its records as
    /// written and the new head, once every line is chained; nil if the
    /// batch held other than `expectedCount` records. Every line is then read
    /// back as the record it was made from, a segment at a time on a thread
    /// of its own, the writer told how far it has got (`readBack`): it writes
    /// no line before then. A batch of one segment is read back here, before
    /// this returns.
    func finish() -> (bytes: AlignedBytes, records: AppendedRecords, head: ChainPosition, readBack: ReadBackProgress)? {
        chainQueue.sync {}
        guard submitted == expectedCount, submitted > 0, !finished else { return nil }
        precondition(chained == added, "every record handed over was chained")
        finished = true
        let written = bytes!
        let newHead = ChainPosition(seq: head.seq + added, hash: previous, offset: head.offset + written.count)
        assert(head.seq + added == newHead.seq, "the last record written is the new head")
        let progress = ReadBackProgress(totalBytes: written.count)
        if added <= Self.readBackSegmentRecords {
            readBackInSegments(into: progress)
        } else {
            Platform.startThread { [self] in readBackInSegments(into: progress) }
        }
        return (written, AppendedRecords(self, count: added), newHead, progress)
    }

    /// Reads every line back, segment by segment, telling `progress`; then
    /// lets go of what only writing needed (the encoder lives on as long as
    /// its records are wanted, `AppendedRecords`).
    private func readBackInSegments(into progress: ReadBackProgress) {
        // Bounded by the records: each turn reads a segment back.
        for start in stride(from: 0, to: added, by: Self.readBackSegmentRecords) {
            let end = min(added, start + Self.readBackSegmentRecords)
            if let seq = readBack(start..<end) {
                progress.fail(seq: seq)
                return
            }
            progress.advance(to: lineEnds[end - 1] + 1)
        }
        bytes = nil
        scratch = []
        lineEnds = []
    }

    /// Record `index` of the batch as written, once finished, made again
    /// from its input and given its `prev` from the digest it was chained to
    /// (a string of 64 digits kept for each record was 11 MB of 100,000).
    fileprivate func written(_ index: Int) -> Record {
        precondition(finished && index >= 0 && index < added, "record \(index) of \(added) read before the batch was finished")
        return record(index, prev: prevs[index].hex)
    }

    private func chain(_ chunk: Range<Int>) {
        // The arrays are taken out of `self` for the chunk, because each touch
        // of a class's stored property is checked at run time for overlapping access.
        var scratch: [UInt8] = []
        var lineEnds: [Int] = []
        var prevs: [SHA256Digest] = []
        var previous = self.previous
        swap(&scratch, &self.scratch)
        swap(&lineEnds, &self.lineEnds)
        swap(&prevs, &self.prevs)
        defer {
            swap(&scratch, &self.scratch)
            swap(&lineEnds, &self.lineEnds)
            swap(&prevs, &self.prevs)
            self.previous = previous
        }
        let bytes = self.bytes!
        let chunkStart = bytes.count
        let firstLine = lineEnds.count
        precondition(chunk.lowerBound == chained, "chunks are chained in order")
        scratch.removeAll(keepingCapacity: true)
        // Every line's `recorded` is the batch's, and a batch's effective dates come in runs.
        var dates = DateTexts(recorded: recorded)
        for i in chunk {
            // Encoded from the input where it lies, its prev a placeholder of the
            // right length, given its digits below once the line before is hashed.
            let (source, seq) = (sources[i], head.seq + 1 + i)
            dates.setEffective(inputs[source].event.envelope.effective)
            if let known = inputs[source].data, known.isEncoded {
                known.bytes.withUnsafeBytes {
                    EventEncoder.encodeRecord(
                        seq: seq, recorded: recorded, envelope: inputs[source].event.envelope, batch: mark,
                        prev: Record.genesisPrev, encodedData: $0, dates: dates, appendingTo: &scratch)
                }
            } else {
                EventEncoder.encodeRecord(
                    seq: seq, recorded: recorded, envelope: inputs[source].event.envelope, batch: mark,
                    prev: Record.genesisPrev, dates: dates, appendingTo: &scratch)
            }
            lineEnds.append(chunkStart + scratch.count)
            scratch.append(0x0A)
        }
        if chunkStart == 0 {
            // Room for the batch as the first chunk's lines suggest, so the buffer is rarely moved to grow.
            bytes.reserve(scratch.count / chunk.count * expectedCount * 9 / 8)
        }
        var lineStart = 0
        for lineEnd in lineEnds[firstLine...] {
            let end = lineEnd - chunkStart
            prevs.append(previous)
            let digits = EventEncoder.prevDigits(in: scratch, lineEnd: end)
            scratch.withUnsafeMutableBufferPointer { previous.fillHex(UnsafeMutableBufferPointer(rebasing: $0[digits])) }
            previous = scratch.withUnsafeBytes { SHA256.hash(UnsafeRawBufferPointer(rebasing: $0[lineStart..<end])) }
            lineStart = end + 1
        }
        scratch.withUnsafeBytes { bytes.append($0) }
        chained = chunk.upperBound
    }

    /// Reads every line back as reports will read it: by the layout reader, or,
    /// for a line it leaves alone (an id with an escaped quote), by the general
    /// decoder. A line whose data is byte for byte what the input's data was
    /// decoded from is given that decoding (`decodeCanonicalRecord(_:knowing:)`);
    /// its envelope is still read and every field compared, where it lies if
    /// it matches (`prevIfReadsBack`), else through a record decoded whole.
    ///
    /// Reads back the lines of `records` (a range of the batch's); the seq of
    /// the first that does not read back, if any.
    private func readBack(_ records: Range<Int>) -> Int? {
        let lineEnds = self.lineEnds
        let prevs = self.prevs
        let inputs = self.inputs
        let sources = UnsafeBufferPointer(start: self.sources, count: added)
        let (firstSeq, recorded, mark) = (head.seq + 1, self.recorded, self.mark)
        // Nil for an instant no reader would take back: every line is then decoded whole, and refused.
        let recordedText = EventDecoder.RecordedText(recorded)?.bytes
        // Per chunk of the records, the first of its records that did not read back.
        var failures = [Int?](repeating: nil, count: (records.count + Self.chunkRecords - 1) / Self.chunkRecords)
        failures.withUnsafeMutableBufferPointer { failures in
            bytes!.withUnsafeBytes { all in
                Platform.inParallel(records.count, chunk: Self.chunkRecords) { run in
                    for i in (records.lowerBound + run.lowerBound)..<(records.lowerBound + run.upperBound) where !readsBack(i) {
                        failures[run.lowerBound / Self.chunkRecords] = firstSeq + i
                        return
                    }
                }
                /// Whether line `i` reads back as the record it was made from, its prev the digest it was chained to.
                func readsBack(_ i: Int) -> Bool {
                    let line = UnsafeRawBufferPointer(rebasing: all[(i == 0 ? 0 : lineEnds[i - 1] + 1)..<lineEnds[i]])
                    let (source, seq) = (sources[i], firstSeq + i)
                    // Nearly every line: compared with its input where both lie
                    // (`prevIfReadsBack`), so no record is made for it.
                    if let data = inputs[source].data, let recordedText,
                        let digits = data.bytes.withUnsafeBytes({ data in
                            recordedText.withUnsafeBytes { recordedText in
                                EventDecoder.prevIfReadsBack(
                                    line, seq: seq, recorded: recordedText, envelope: inputs[source].event.envelope,
                                    batch: mark, knownData: data)
                            }
                        })
                    {
                        return prevs[i].matchesHex(UnsafeRawBufferPointer(rebasing: line[digits]))
                    }
                    // Else decoded whole and compared with the record, as every line once was.
                    let canonical =
                        if let data = inputs[source].data {
                            data.bytes.withUnsafeBytes {
                                EventDecoder.decodeCanonicalRecord(line, knowing: ($0, inputs[source].event.envelope.event))
                            }
                        } else {
                            EventDecoder.decodeCanonicalRecord(line)
                        }
                    // Unwrapped before comparing: an optional on one side made a copy of the other.
                    guard let decoded = canonical ?? (try? EventDecoder.decodeRecord(line)) else { return false }
                    var prev = decoded.prev
                    guard prev.withUTF8({ prevs[i].matchesHex(UnsafeRawBufferPointer($0)) }) else { return false }
                    return decoded == record(i, prev: prev)
                }
            }
        }
        return failures.lazy.compactMap { $0 }.first
    }
}

/// The records an append wrote, made on demand from what the batch's encoder
/// keeps (the inputs, which input each record was, and each line's prev
/// digest): kept as records, they were 24 MB more of a 100,000-record batch.
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
