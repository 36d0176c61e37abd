import Events

/// What can be worked out about one stored line without the lines before it:
/// its frame, its decoded record if wanted, and its hash. Lines are prepared
/// on several cores; `ChainWalk` then checks the links between them in order.
struct PreparedLine {
    /// File offset of the line's first byte.
    var offset: Int
    /// Bytes, without the newline.
    var length: Int
    /// Inside a prefix a `VerifiedPrefix` vouches for: not hashed, `prev` not read.
    var isVouched: Bool
    /// Nil when the line is not a valid record (`failure` says why).
    var frame: RecordFrame?
    /// On the heap: a record is five times the rest of a prepared line, and
    /// three lines in four are never decoded but would still carry its room.
    var record: DecodedRecord?
    var failure: FieldError?
    /// The line's SHA-256; zero for a vouched line or one that did not parse.
    var digest = SHA256Digest.zero

    init(offset: Int, length: Int, isVouched: Bool) {
        self.offset = offset
        self.length = length
        self.isVouched = isVouched
    }

    var end: Int { offset + length + 1 }

    /// `expectingPrev` is the hash the line before should have, when known:
    /// a `prev` equal to it is compared in place rather than parsed. Written
    /// straight into `slot` (uninitialized): a prepared line is large, and a
    /// million of them copied once more was a tenth of a report's time.
    static func prepare(
        _ line: UnsafeRawBufferPointer, offset: Int, expectingPrev expected: SHA256Digest?, vouched: ChainPosition?,
        decoding: (EventType) -> Bool, into slot: UnsafeMutablePointer<PreparedLine>
    ) {
        let end = offset + line.count + 1
        let isVouched = vouched.map { end <= $0.offset } ?? false
        slot.initialize(to: PreparedLine(offset: offset, length: line.count, isVouched: isVouched))
        let envelope = LayoutEnvelope.parse(line)
        let light = envelope.flatMap { RecordFrame($0, of: line, expectingPrev: expected, readingPrev: !isVouched) }
        if let light, !decoding(light.type) {
            slot.pointee.frame = light
        } else if let light, let envelope, let decoded = EventDecoder.decodeCanonicalRecord(line, envelope: envelope) {
            // Both read the same 64 bytes of a canonical line.
            slot.pointee.frame = RecordFrame(decoded, prev: light.prev)
            slot.pointee.record = DecodedRecord(decoded)
        } else {
            do throws(FieldError) {
                // Not the ledger's own layout: the general decoder accepts it or says what is wrong.
                let decoded = try EventDecoder.decodeRecord(line)
                slot.pointee.frame = RecordFrame(decoded)
                slot.pointee.record = DecodedRecord(decoded)
            } catch {
                slot.pointee.failure = error
                return
            }
        }
        if !isVouched { slot.pointee.digest = SHA256.hash(line) }
    }
}

/// A record decoded by one thread and handed to the thread that walks the chain.
final class DecodedRecord {
    let value: Record

    init(_ value: Record) { self.value = value }
}
