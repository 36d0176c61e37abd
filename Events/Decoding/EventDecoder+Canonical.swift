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
    public static func decodeCanonicalRecord(_ line: UnsafeRawBufferPointer) -> Record? {
        guard let envelope = LayoutEnvelope.parse(line) else { return nil }
        return decodeCanonicalRecord(line, envelope: envelope)
    }

    /// For a caller that has already read the line's envelope.
    package static func decodeCanonicalRecord(_ line: UnsafeRawBufferPointer, envelope e: LayoutEnvelope) -> Record? {
        guard line[e.prevHex].allSatisfy({ (48...57).contains($0) || (97...102).contains($0) }),
            Limits.seq.contains(Int64(e.seq)),
            let recorded = canonicalInstant(line, e.recorded), let by = author(line, e.by)
        else { return nil }
        var id: String?
        if let range = e.id {
            // Plain printable ASCII only: an escaped id is left to the general decoder.
            guard (1...128).contains(range.count),
                line[range].allSatisfy({ (0x21...0x7E).contains($0) && $0 != UInt8(ascii: "\\") })
            else { return nil }
            id = string(line, range)
        }
        if let batch = e.batch {
            guard Limits.seq.contains(Int64(batch.first)), Limits.seq.contains(Int64(batch.count)) else { return nil }
        }
        var cursor = LayoutCursor(bytes: line, offset: e.data.lowerBound)
        guard let event = layoutEvent(e.type, &cursor, end: e.data.upperBound) ?? generalEvent(e.type, line, e.data)
        else { return nil }
        return Record(
            seq: e.seq, recorded: recorded, envelope: EventEnvelope(effective: e.effective, by: by, event: event, id: id),
            prev: string(line, e.prevHex), batch: e.batch)
    }

    /// `data` through the JSON parser and the one `Event.decode` every path shares.
    private static func generalEvent(_ type: EventType, _ line: UnsafeRawBufferPointer, _ range: Range<Int>) -> Event? {
        // In the whole line `data` is one level down, so it gets one level fewer than the general parser allows.
        guard case .object(let object)? = try? JSONParser.parse(UnsafeRawBufferPointer(rebasing: line[range]), maxDepth: 63)
        else { return nil }
        return try? Event.decode(type: type, data: FieldReader(object, path: "data", strict: false))
    }

    /// `data` by position, for the two types that are a third of a long
    /// ledger and most of what `splits` reads: a pay award and an
    /// apportionment, in the order `EventEncoder` writes their fields. Nil for
    /// anything else, and the general path decides.
    private static func layoutEvent(_ type: EventType, _ cursor: inout LayoutCursor, end: Int) -> Event? {
        // Moved on only when the whole of `data` was read; otherwise the general path starts where `data` does.
        var copy = cursor
        switch type {
        case .postCosted:
            guard copy.expect(#"{"post":""#), let post = identifier(&copy),
                copy.expect(#","annualPence":"#), let annual = copy.integer(), Limits.pence.contains(Int64(annual)),
                copy.expect(#","onCostBasisPoints":"#), let basisPoints = copy.integer(), (0...100_000).contains(basisPoints),
                copy.expect("}"), copy.offset == end
            else { return nil }
            cursor = copy
            return .postCosted(PostCosted(post: post, annualPence: Int64(annual), onCostBasisPoints: Int64(basisPoints)))
        case .costsApportioned:
            guard copy.expect(#"{"post":""#), let post = identifier(&copy),
                copy.expect(#","basis":""#), let basisRange = copy.plain(),
                let basis = Basis(rawValue: String(decoding: UnsafeRawBufferPointer(rebasing: copy.bytes[basisRange]), as: UTF8.self)),
                copy.expect(#","weights":{"#)
            else { return nil }
            var weights: [Weight] = []
            // Bounded by the line: each turn consumes at least a quoted key and a digit.
            repeat {
                guard copy.expect("\""), let council = identifier(&copy), copy.expect(":"), let weight = copy.integer(),
                    Limits.weight.contains(Int64(weight)),
                    !weights.contains(where: { $0.council == council })  // JSON refuses a repeated key
                else { return nil }
                weights.append(Weight(council: council, weight: Int64(weight)))
            } while copy.expect(",")
            guard copy.expect("}"), copy.expect(#","proposal":""#), let proposal = identifier(&copy),
                copy.expect("}"), copy.offset == end
            else { return nil }
            cursor = copy
            return .costsApportioned(CostsApportioned(post: post, basis: basis, weights: weights, proposal: proposal))
        default:
            return nil
        }
    }

    /// An id and its closing quote.
    private static func identifier(_ cursor: inout LayoutCursor) -> Identifier? {
        guard let range = cursor.plain() else { return nil }
        return identifier(cursor.bytes, range)
    }

    /// `YYYY-MM-DDTHH:MM:SSZ`, the one form the ledger writes.
    private static func canonicalInstant(_ line: UnsafeRawBufferPointer, _ range: Range<Int>) -> Instant? {
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
    private static func author(_ line: UnsafeRawBufferPointer, _ range: Range<Int>) -> Author? {
        guard let slash = line[range].firstIndex(of: UInt8(ascii: "/")),
            let council = identifier(line, range.lowerBound..<slash),
            let officer = identifier(line, (slash + 1)..<range.upperBound)
        else { return nil }
        return Author(council: council, officer: officer)
    }

    private static func identifier(_ line: UnsafeRawBufferPointer, _ range: Range<Int>) -> Identifier? {
        // The same rule as `Identifier.problem(with:)`, on the bytes before a string is made of them.
        guard (1...Identifier.maxLength).contains(range.count),
            line[range].allSatisfy({ (97...122).contains($0) || (48...57).contains($0) || $0 == UInt8(ascii: "-") })
        else { return nil }
        return Identifier(checked: string(line, range))
    }

    private static func string(_ line: UnsafeRawBufferPointer, _ range: Range<Int>) -> String {
        String(decoding: UnsafeRawBufferPointer(rebasing: line[range]), as: UTF8.self)
    }
}
