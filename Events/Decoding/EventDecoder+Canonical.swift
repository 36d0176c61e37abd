/// Stored lines in the ledger's own layout, decoded without a JSON tree for
/// the envelope: a report reads a million of them, and building and searching
/// that tree was a third of its time. Only `data` goes through the JSON parser
/// and the same `Event.decode` as every other path.
///
/// Anything that is not exactly the layout `EventEncoder.encodeRecord` writes
/// (an escape in a string, another key order, a non-canonical instant, any
/// value the strict path would refuse) gives nil, and the caller decodes the
/// line with `decodeRecord`, which accepts or names the problem. So this path
/// can only ever agree with that one; `CanonicalDecoderTests` hold it to that.
extension EventDecoder {
    /// `known`, if given, is bytes already decoded: if the line's `data` is
    /// exactly `known.data` and its type is `known.event`'s, then `known.event`
    /// is what decoding them gives (the same bytes, through the same decoder,
    /// which `decodeCanonicalInput` shares). An append reads back each line it
    /// wrote this way, against the input it decoded: decoding every event a
    /// second time was a sixth of a large batch's work.
    public static func decodeCanonicalRecord(
        _ line: UnsafeRawBufferPointer, knowing known: (data: UnsafeRawBufferPointer, event: Event)? = nil
    ) -> Record? {
        guard let envelope = LayoutEnvelope.parse(line) else { return nil }
        return decodeCanonicalRecord(line, envelope: envelope, knowing: known)
    }

    /// For a caller that has already read the line's envelope.
    package static func decodeCanonicalRecord(
        _ line: UnsafeRawBufferPointer, envelope e: LayoutEnvelope, knowing known: (data: UnsafeRawBufferPointer, event: Event)? = nil
    ) -> Record? {
        guard numbersInLimits(e, line), let recorded = canonicalInstant(line, e.recorded), let by = author(line, e.by)
        else { return nil }
        var id: String?
        if let range = e.id {
            guard let key = plainKey(line, range) else { return nil }
            id = key
        }
        let event: Event
        if let known, known.event.type == e.type, data(of: e, in: line, is: known.data) {
            event = known.event
        } else {
            guard let decoded = layoutEvent(e.type, line, e.data) ?? generalEvent(e.type, line, e.data) else { return nil }
            event = decoded
        }
        return Record(
            seq: e.seq, recorded: recorded, envelope: EventEnvelope(effective: e.effective, by: by, event: event, id: id),
            prev: string(line, e.prevHex), batch: e.batch)
    }

    /// What this reader checks of an envelope beyond its layout: `prev` in
    /// lowercase hex, and a seq and batch within the limits.
    static func numbersInLimits(_ e: LayoutEnvelope, _ line: UnsafeRawBufferPointer) -> Bool {
        guard isLowerHex(UnsafeRawBufferPointer(rebasing: line[e.prevHex])), Limits.seq.contains(Int64(e.seq)) else {
            return false
        }
        guard let batch = e.batch else { return true }
        return Limits.seq.contains(Int64(batch.first)) && Limits.seq.contains(Int64(batch.count))
    }

    /// Whether every byte is 0-9 or a-f: each compared as an unsigned
    /// distance from '0' and from 'a', with no early exit, over a pointer.
    /// (A slice's `allSatisfy` took 1,300 instructions for a 64-digit `prev`,
    /// read back for every line of a batch, under callgrind.)
    static func isLowerHex(_ bytes: UnsafeRawBufferPointer) -> Bool {
        var bad: UInt8 = 0
        for byte in bytes {
            let digit = byte &- 48 < 10, letter = byte &- 97 < 6
            bad |= digit || letter ? 0 : 1
        }
        return bad == 0
    }

    /// Whether the line's `data` is byte for byte `known`.
    static func data(of e: LayoutEnvelope, in line: UnsafeRawBufferPointer, is known: UnsafeRawBufferPointer) -> Bool {
        guard known.count == e.data.count, let knownBase = known.baseAddress else { return false }
        return LayoutCursor.equal(knownBase, line.baseAddress! + e.data.lowerBound, count: e.data.count)
    }

    /// `data` through the JSON parser and the one `Event.decode` every path
    /// shares; `strict` as for input (unknown fields refused) or stored records.
    static func generalEvent(
        _ type: EventType, _ line: UnsafeRawBufferPointer, _ range: Range<Int>, strict: Bool = false
    ) -> Event? {
        // In the whole line `data` is one level down, so it gets one level fewer than the general parser allows.
        guard case .object(let object)? = try? JSONParser.parse(UnsafeRawBufferPointer(rebasing: line[range]), maxDepth: 63)
        else { return nil }
        return try? Event.decode(type: type, data: FieldReader(object, path: "data", strict: strict))
    }

    /// `data` by position, in the order `EventEncoder` writes the fields, for
    /// the types that fill a long ledger: a pay award and an apportionment
    /// (most of what `splits` reads), a proposal and a council's decision on it
    /// (most of what an append reads back). Nil for anything else, and the
    /// general path decides.
    static func layoutEvent(_ type: EventType, _ line: UnsafeRawBufferPointer, _ data: Range<Int>) -> Event? {
        var cursor = LayoutCursor(bytes: line, offset: data.lowerBound)
        let end = data.upperBound
        switch type {
        case .postCosted:
            guard cursor.expect(#"{"post":""#), let post = identifier(&cursor),
                cursor.expect(#","annualPence":"#), let annual = cursor.integer(), Limits.pence.contains(Int64(annual)),
                cursor.expect(#","onCostBasisPoints":"#), let basisPoints = cursor.integer(),
                Limits.onCostBasisPoints.contains(Int64(basisPoints)),
                cursor.expect("}"), cursor.offset == end
            else { return nil }
            return .postCosted(PostCosted(post: post, annualPence: Int64(annual), onCostBasisPoints: Int64(basisPoints)))
        case .costsApportioned:
            guard cursor.expect(#"{"post":""#), let post = identifier(&cursor),
                cursor.expect(#","basis":""#), let basisRange = cursor.plain(),
                let basis = Basis(rawValue: string(line, basisRange)),
                cursor.expect(#","weights":{"#)
            else { return nil }
            var weights: [Weight] = []
            // Bounded by the line: each turn consumes at least a quoted key and a digit.
            repeat {
                guard cursor.expect("\""), let council = identifier(&cursor), cursor.expect(":"), let weight = cursor.integer(),
                    Limits.weight.contains(Int64(weight)),
                    !weights.contains(where: { $0.council == council })  // JSON refuses a repeated key
                else { return nil }
                weights.append(Weight(council: council, weight: Int64(weight)))
            } while cursor.expect(",")
            guard cursor.expect("}"), cursor.expect(#","proposal":""#), let proposal = identifier(&cursor),
                cursor.expect("}"), cursor.offset == end
            else { return nil }
            return .costsApportioned(CostsApportioned(post: post, basis: basis, weights: weights, proposal: proposal))
        case .councilDecided:
            guard cursor.expect(#"{"proposal":""#), let proposal = identifier(&cursor),
                cursor.expect(#","council":""#), let council = identifier(&cursor),
                cursor.expect(#","decision":""#), let decisionRange = cursor.plain(),
                let decision = Decision(rawValue: string(line, decisionRange)),
                cursor.expect(#","body":""#), let body = text(&cursor),
                cursor.expect(#","minute":""#), let minute = text(&cursor),
                cursor.expect("}"), cursor.offset == end
            else { return nil }
            return .councilDecided(
                CouncilDecided(proposal: proposal, council: council, decision: decision, body: body, minute: minute))
        case .proposalTabled:
            guard cursor.expect(#"{"proposal":""#), let proposal = identifier(&cursor),
                cursor.expect(#","title":""#), let title = text(&cursor),
                cursor.expect(#","matter":""#), let matterRange = cursor.plain(),
                let matter = Matter(string(line, matterRange)),
                cursor.expect(#","affects":"#), let affects = identifiers(&cursor),
                let agreement = optionalIdentifier(&cursor, #","agreement":""#)
            else { return nil }
            var terminates: [Identifier] = []
            if cursor.expect(#","terminates":"#) {
                guard let ids = identifiers(&cursor) else { return nil }
                terminates = ids
            }
            guard cursor.expect("}"), cursor.offset == end else { return nil }
            return .proposalTabled(
                ProposalTabled(
                    proposal: proposal, title: title, matter: matter, affects: affects, agreement: agreement,
                    terminates: terminates))
        default:
            return layoutRest(type, &cursor, end)
        }
    }

    /// A text field and its closing quote: plain ASCII (so free of control
    /// characters) and within `FieldReader.maxTextBytes`; anything else is left to the general path.
    static func text(_ cursor: inout LayoutCursor) -> String? {
        guard let range = cursor.plain(), (1...FieldReader.maxTextBytes).contains(range.count) else { return nil }
        return string(cursor.bytes, range)
    }

    /// A non-empty list of distinct ids, as the encoder writes one: `["a","b"]`.
    private static func identifiers(_ cursor: inout LayoutCursor) -> [Identifier]? {
        guard cursor.expect("[") else { return nil }
        var ids: [Identifier] = []
        // Bounded by the line: each turn consumes at least a quoted id.
        repeat {
            guard cursor.expect("\""), let id = identifier(&cursor), !ids.contains(id) else { return nil }
            ids.append(id)
        } while cursor.expect(",")
        return cursor.expect("]") ? ids : nil
    }

    /// An idempotency key as the general decoder would read it, if its bytes
    /// are plain printable ASCII; an escaped key is left to the general decoder.
    static func plainKey(_ line: UnsafeRawBufferPointer, _ range: Range<Int>) -> String? {
        guard isPlainKey(line, range) else { return nil }
        return string(line, range)
    }

    /// An idempotency key this reader takes as it lies: no escape in it.
    static func isPlainKey(_ line: UnsafeRawBufferPointer, _ range: Range<Int>) -> Bool {
        (1...maxKeyBytes).contains(range.count) && line[range].allSatisfy({ isKeyByte($0) && $0 != UInt8(ascii: "\\") })
    }

    /// An id and its closing quote.
    static func identifier(_ cursor: inout LayoutCursor) -> Identifier? {
        guard let range = cursor.plain() else { return nil }
        return identifier(cursor.bytes, range)
    }

    /// The id after `key` if the key comes next (`.some(nil)` if it does not); nil if what follows the key is not an id.
    static func optionalIdentifier(_ cursor: inout LayoutCursor, _ key: StaticString) -> Identifier?? {
        guard cursor.expect(key) else { return .some(nil) }
        return identifier(&cursor).map { .some($0) }
    }

    /// `YYYY-MM-DDTHH:MM:SSZ`, the one form the ledger writes.
    static func canonicalInstant(_ line: UnsafeRawBufferPointer, _ range: Range<Int>) -> Instant? {
        var cursor = LayoutCursor(bytes: line, offset: range.lowerBound)
        guard range.count == 20, let date = cursor.date(endingWith: UInt8(ascii: "T")) else { return nil }
        let at = cursor.offset
        guard line[at + 2] == UInt8(ascii: ":"), line[at + 5] == UInt8(ascii: ":"), line[at + 8] == UInt8(ascii: "Z")
        else { return nil }
        func twoDigits(_ index: Int) -> Int? {
            let high = Int(line[at + index]) - 48, low = Int(line[at + index + 1]) - 48
            guard (0...9).contains(high), (0...9).contains(low) else { return nil }
            return high * 10 + low
        }
        guard let hour = twoDigits(0), let minute = twoDigits(3), let second = twoDigits(6), hour < 24, minute < 60,
            second < 60
        else { return nil }
        return Instant(secondsSinceEpoch: date.dayNumber * 86400 + hour * 3600 + minute * 60 + second)
    }

    /// `council/officer`, both valid ids.
    static func author(_ line: UnsafeRawBufferPointer, _ range: Range<Int>) -> Author? {
        guard let slash = line[range].firstIndex(of: UInt8(ascii: "/")),
            let council = identifier(line, range.lowerBound..<slash),
            let officer = identifier(line, (slash + 1)..<range.upperBound)
        else { return nil }
        return Author(council: council, officer: officer)
    }

    private static func identifier(_ line: UnsafeRawBufferPointer, _ range: Range<Int>) -> Identifier? {
        guard isIdentifier(line, range) else { return nil }
        return Identifier(checked: string(line, range))
    }

    /// `Identifier.problem(with:)`'s rule, on the bytes before a string is made of them.
    static func isIdentifier(_ line: UnsafeRawBufferPointer, _ range: Range<Int>) -> Bool {
        (1...Identifier.maxLength).contains(range.count) && Identifier.areIDBytes(UnsafeRawBufferPointer(rebasing: line[range]))
    }

    static func string(_ line: UnsafeRawBufferPointer, _ range: Range<Int>) -> String {
        String(decoding: UnsafeRawBufferPointer(rebasing: line[range]), as: UTF8.self)
    }
}
