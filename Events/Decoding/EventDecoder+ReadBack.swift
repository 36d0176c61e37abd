/// An append reads back every line it wrote (`BatchEncoder`), against the
/// record it encoded and the input bytes that record's event was decoded
/// from. Decoding each line into a second record, only to compare the two and
/// drop one, was a seventh of a 100,000-record batch's instructions: three or
/// four strings made and a copy of the event taken per line. This reads the
/// line by the same layout (`LayoutEnvelope`) and the same field checks as
/// `decodeCanonicalRecord(_:knowing:)`, comparing each field where it lies.
///
/// It can only say yes: where it cannot show the line is the record, the
/// caller decodes the line whole and compares the two, as it always did.
/// `ReadBackMatchTests` holds every yes to what decoding the line gives.
extension EventDecoder {
    /// Where the line's `prev` digits lie, if `line` is what
    /// `decodeCanonicalRecord(line, knowing: (data, record.event))` reads as
    /// `record` with that `prev` (lowercase hex, which the caller checks
    /// against the digest it chained); nil if it is not, or if this cannot
    /// tell. `data` must be the bytes `record.event` was decoded from.
    public static func prevIfReadsBack(
        _ line: UnsafeRawBufferPointer, as record: Record, knownData data: UnsafeRawBufferPointer
    ) -> Range<Int>? {
        guard let text = RecordedText(record.recorded) else { return nil }
        return text.bytes.withUnsafeBytes { recorded in
            prevIfReadsBack(
                line, seq: record.seq, recorded: recorded, envelope: record.envelope, batch: record.batch, knownData: data)
        }
    }

    /// The text of an instant as a line's `recorded` holds it, between the
    /// quotes: a batch's lines share one, so it is made once and each line's
    /// compared with it (parsing each line's instead was a tenth of reading
    /// a batch back, in callgrind).
    public struct RecordedText: Sendable {
        public let bytes: [UInt8]

        /// Nil for an instant whose text `canonicalInstant` would not read
        /// back as it (one outside the years a date may have): comparing
        /// with such a text would pass a line no reader takes. (Found by review.)
        public init?(_ instant: Instant) {
            let bytes = Array(DateTexts.quoted(instant).dropFirst().dropLast())
            let readsBack = bytes.withUnsafeBytes { canonicalInstant($0, 0..<$0.count) == instant }
            guard readsBack else { return nil }
            self.bytes = bytes
        }
    }

    /// The same for the record of these parts, for a caller that keeps the
    /// parts rather than a record (a batch's encoder). `recorded` is
    /// `RecordedText`'s bytes: the canonical text of one instant, which
    /// `canonicalInstant` reads as that instant and no other text does.
    public static func prevIfReadsBack(
        _ line: UnsafeRawBufferPointer, seq: Int, recorded: UnsafeRawBufferPointer, envelope: EventEnvelope,
        batch: BatchMark?, knownData data: UnsafeRawBufferPointer
    ) -> Range<Int>? {
        guard let e = LayoutEnvelope.parse(line), numbersInLimits(e, line),
            e.seq == seq, e.type == envelope.type, e.effective == envelope.effective, e.batch == batch,
            e.recorded.count == recorded.count,
            LayoutCursor.equal(line.baseAddress! + e.recorded.lowerBound, recorded.baseAddress!, count: recorded.count),
            authorIs(envelope.by, line, e.by), idIs(envelope.id, line, e.id), self.data(of: e, in: line, is: data)
        else { return nil }
        return e.prevHex
    }

    /// Whether `author(line, range)` would read `by`: the same two ids either
    /// side of the first slash. Bytes equal to an `Author`'s ids are ids
    /// (neither holds a slash), so they are not checked as ids again.
    private static func authorIs(_ by: Author, _ line: UnsafeRawBufferPointer, _ range: Range<Int>) -> Bool {
        let councilBytes = by.council.raw.utf8.count
        let slash = range.lowerBound + councilBytes
        guard slash < range.upperBound, line[slash] == UInt8(ascii: "/") else { return false }
        return bytes(line, range.lowerBound..<slash, equal: by.council.raw)
            && bytes(line, (slash + 1)..<range.upperBound, equal: by.officer.raw)
    }

    /// Whether `plainKey(line, range)` would read `id`, or the line has no id where the record has none.
    private static func idIs(_ id: String?, _ line: UnsafeRawBufferPointer, _ range: Range<Int>?) -> Bool {
        switch (id, range) {
        case (nil, nil): true
        case (let id?, let range?): isPlainKey(line, range) && bytes(line, range, equal: id)
        default: false
        }
    }

    private static func bytes(_ line: UnsafeRawBufferPointer, _ range: Range<Int>, equal text: String) -> Bool {
        guard text.utf8.count == range.count else { return false }
        guard !range.isEmpty else { return true }
        // A native string's bytes compared where they lie: walking its UTF-8
        // view against the line's took more than the rest of the comparison.
        return text.utf8.withContiguousStorageIfAvailable {
            LayoutCursor.equal($0.baseAddress!, line.baseAddress! + range.lowerBound, count: range.count)
        } ?? text.utf8.elementsEqual(line[range])
    }
}
