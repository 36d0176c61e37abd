/// The envelope of a stored line in the ledger's own layout
/// (`EventEncoder.encodeRecord`), read by position: what `RecordFrame` needs
/// for the chain and where `EventDecoder.decodeCanonicalRecord` finds the
/// rest. One reading serves both, so a line that is decoded is not framed twice.
///
/// It checks the layout and what the chain relies on (a seq, a known type, a
/// real effective date, a batch that holds its record); the decoder checks
/// the values it turns into a record.
package struct LayoutEnvelope {
    /// The layout's closing `,"prev":"<64 hex>"}` is this long.
    static let tailBytes = 75

    /// Where the 64 characters of `prev` lie, if `line` closes as the layout
    /// does (`,"prev":"`, 64 bytes, `"}`); not yet checked to be hex.
    package static func prevRange(in line: UnsafeRawBufferPointer) -> Range<Int>? {
        guard line.count >= tailBytes, line[line.count - 1] == UInt8(ascii: "}"), line[line.count - 2] == UInt8(ascii: "\""),
            LayoutCursor(bytes: line).matches(#","prev":""#, at: line.count - tailBytes)
        else { return nil }
        return (line.count - 66)..<(line.count - 2)
    }

    package var seq: Int
    package var type: EventType
    /// The bytes of `recorded`, `by` and `id` between their quotes; `id` as stored, escapes and all.
    package var recorded: Range<Int>
    package var by: Range<Int>
    package var id: Range<Int>?
    package var effective: CalendarDate
    package var batch: BatchMark?
    /// `data`, from its opening brace to just before `,"prev"`.
    package var data: Range<Int>
    /// The 64 characters of `prev`, not yet checked to be hex.
    package var prevHex: Range<Int>

    package static func parse(_ line: UnsafeRawBufferPointer) -> LayoutEnvelope? {
        var cursor = LayoutCursor(bytes: line)
        // The tail first: `,"prev":"<64 hex>"}` closes every canonical line.
        guard line.count > tailBytes + 40, let prevHex = prevRange(in: line),
            cursor.expect(#"{"seq":"#), let seq = cursor.integer(),
            cursor.expect(#","type":""#), let type = cursor.eventType(),
            cursor.expect(#","recorded":""#), let recorded = cursor.plain(),
            cursor.expect(#","by":""#), let by = cursor.plain(),
            cursor.expect(#","effective":""#), let effective = cursor.date()
        else { return nil }
        var id: Range<Int>?
        if cursor.expect(#","id":""#) {
            let start = cursor.offset
            guard cursor.skipEscapedString() else { return nil }
            id = start..<(cursor.offset - 1)
        }
        var batch: BatchMark?
        if cursor.expect(#","batch":{"first":"#) {
            guard let first = cursor.integer(), cursor.expect(#","count":"#), let count = cursor.integer(), cursor.expect("}"),
                count >= 2, (first..<first + count).contains(seq)
            else { return nil }
            batch = BatchMark(first: first, count: count)
        }
        // At least the opening brace of `data` before the tail, as the frame has always required.
        guard cursor.expect(#","data":"#), cursor.matches("{", at: cursor.offset), cursor.offset + 1 < line.count - tailBytes
        else { return nil }
        return LayoutEnvelope(
            seq: seq, type: type, recorded: recorded, by: by, id: id, effective: effective, batch: batch,
            data: cursor.offset..<(line.count - tailBytes), prevHex: prevHex)
    }
}
