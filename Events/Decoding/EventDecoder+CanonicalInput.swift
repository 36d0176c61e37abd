/// Input lines in the layout `EventEncoder.encodeInput` writes (as tools and
/// the bench generator do), decoded by position the way stored lines are: a
/// batch of a hundred thousand spent most of its decoding building JSON trees.
///
/// Anything else (whitespace, another key order, an escape, a field the
/// layout does not have) gives nil, and the caller decodes the line with
/// `decodeInput`, which accepts it or names the problem with its field. So
/// this path can only ever agree with that one; `CanonicalInputTests` hold it to that.
extension EventDecoder {
    public static func decodeCanonicalInput(_ line: UnsafeRawBufferPointer) -> InputEvent? {
        decodeCanonicalInputKeepingData(line)?.event
    }

    /// `decodeCanonicalInput`, and where in `line` the event's `data` object
    /// lies: the bytes the event was decoded from, which a stored line can be
    /// compared with rather than decoded again
    /// (`decodeCanonicalRecord(_:knowing:)`).
    ///
    /// `asEncoded` is true when the data was read by position (`layoutEvent`),
    /// which takes only the bytes `Event.encodeData` writes (one key order, no
    /// whitespace, no escape, no leading zero): a ledger line may then carry
    /// them as they are rather than encode the event again.
    /// `CanonicalInputTests` hold the reader to that.
    public static func decodeCanonicalInputKeepingData(_ line: UnsafeRawBufferPointer)
        -> (event: InputEvent, data: Range<Int>, asEncoded: Bool)?
    {
        var cursor = LayoutCursor(bytes: line)
        guard line.count > 2, line[line.count - 1] == UInt8(ascii: "}"),
            cursor.expect(#"{"type":""#), let type = cursor.eventType(),
            cursor.expect(#","effective":""#), let effective = cursor.date(),
            cursor.expect(#","by":""#), let byRange = cursor.plain(), let by = author(line, byRange)
        else { return nil }
        var id: String?
        if cursor.expect(#","id":""#) {
            guard let range = cursor.plain(), let key = plainKey(line, range) else { return nil }
            id = key
        }
        var expect: Int?
        if cursor.expect(#","expect":"#) {
            guard let value = cursor.integer(), Limits.seq.upperBound >= Int64(value) else { return nil }
            expect = value
        }
        guard cursor.expect(#","data":"#), cursor.matches("{", at: cursor.offset), cursor.offset < line.count - 1 else {
            return nil
        }
        let data = cursor.offset..<(line.count - 1)
        // Each event bound once and then moved on: `byPosition ?? general`
        // copied the event out of the optional (a retain of every string in
        // it) and released the optional after.
        let event: Event
        let asEncoded: Bool
        if let byPosition = layoutEvent(type, line, data) {
            (event, asEncoded) = (byPosition, true)
        } else if let general = generalEvent(type, line, data, strict: true) {
            (event, asEncoded) = (general, false)
        } else {
            return nil
        }
        return (
            InputEvent(envelope: EventEnvelope(effective: effective, by: by, event: event, id: id), expect: expect), data,
            asEncoded
        )
    }
}
