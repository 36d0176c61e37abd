import Events
import Ledger

#if canImport(Glibc)
import Glibc
#endif

/// Reads `accord append` input: one event object (which may span lines), or
/// a batch as JSON Lines. Every event keeps its line number for messages.
enum InputReader {
    /// Larger inputs are a mistake (a ledger piped back in, a log file).
    static let maxInputBytes = 256 << 20
    /// Report this many malformed events, then stop: enough to fix a batch, not a flood.
    static let maxReportedErrors = 20

    static func read(_ source: String) throws(AccordError) -> (name: String, bytes: [UInt8]) {
        let isStandardInput = source == "-"
        let name = isStandardInput ? "input" : source
        let fd: Int32
        if isStandardInput {
            fd = 0
        } else {
            do {
                fd = try Platform.open(source, flags: O_RDONLY)
            } catch {
                throw AccordError(.usage, position: source, "cannot open the input file", cause: error.reason)
            }
        }
        defer { if !isStandardInput { Platform.close(fd) } }
        let bytes: [UInt8]?
        do {
            bytes = try Platform.readAll(fd: fd, path: name, limit: maxInputBytes)
        } catch {
            throw AccordError(.usage, position: name, "cannot read the input", cause: error.reason)
        }
        guard let bytes else {
            throw AccordError(.usage, position: name, "the input is larger than \(maxInputBytes >> 20) MiB; split it into smaller batches")
        }
        return (name, bytes)
    }

    /// Decodes every event, reporting all malformed ones together (exit 2).
    static func events(name: String, bytes: [UInt8]) throws(AccordError) -> [PositionedEvent] {
        if bytes.allSatisfy({ $0 == 0x20 || $0 == 0x0A || $0 == 0x0D || $0 == 0x09 }) {
            throw AccordError(.usage, position: name, "no events in the input", hint: "give one JSON event object, or several as JSON Lines")
        }
        // One pretty-printed object is a single event even though it spans lines.
        if let whole = try? JSONParser.parse(bytes), case .object = whole {
            do {
                return [PositionedEvent(position: "\(name):1", event: try EventDecoder.decodeInput(whole))]
            } catch {
                throw AccordError(.usage, position: "\(name):1", field: error.field, error.message)
            }
        }
        let lines = nonBlankLines(bytes)
        let (events, failures) = decodeInParallel(lines, of: bytes, name: name)
        let errors = failures.prefix(maxReportedErrors).map { failure in
            AccordError(
                .usage, position: "\(name):\(lines[failure.index].number)", field: failure.error.field, failure.error.message)
        }
        if let first = errors.first {
            guard errors.count > 1 else { throw first }
            var combined = first
            combined.message += errors.dropFirst().map { "\n" + $0.description }.joined()
            combined.message += "\n(\(errors.count) malformed events; nothing was appended)"
            throw combined
        }
        return events
    }

    /// A line of a JSON Lines batch: its number (from 1) and its bytes without the line end.
    struct Line {
        var number: Int
        var range: Range<Int>
    }

    /// The lines holding anything but spaces and tabs; a CR before the LF is not part of the line.
    static func nonBlankLines(_ bytes: [UInt8]) -> [Line] {
        var lines: [Line] = []
        var number = 0
        var start = 0
        bytes.withUnsafeBufferPointer { all in
            guard let base = all.baseAddress else { return }
            while start < all.count {
                // memchr, because a byte-by-byte search was a tenth of decoding a batch.
                let end: Int
                if let found = memchr(base + start, 0x0A, all.count - start) {
                    end = UnsafeRawPointer(found) - UnsafeRawPointer(base)
                } else {
                    end = all.count
                }
                number += 1
                var stop = end
                if stop > start, all[stop - 1] == 0x0D { stop -= 1 }
                if all[start..<stop].contains(where: { $0 != 0x20 && $0 != 0x09 }) {
                    lines.append(Line(number: number, range: start..<stop))
                }
                start = end + 1
            }
        }
        return lines
    }

    /// Lines decoded together on one core.
    static let decodeChunkLines = 2048

    /// Every line decoded, on all cores: each event is decoded on its own, so
    /// the order they are decoded in cannot change a result. Each event is
    /// written straight into its place in the batch, rather than into a list
    /// of results and then moved (which took a tenth of decoding); a line that
    /// fails holds a placeholder, and the failures, in line order, say which.
    static func decodeInParallel(_ lines: [Line], of bytes: [UInt8], name: String)
        -> (events: [PositionedEvent], failures: [(index: Int, error: FieldError)])
    {
        let chunks = (lines.count + decodeChunkLines - 1) / decodeChunkLines
        var failuresByChunk = [[(index: Int, error: FieldError)]](repeating: [], count: chunks)
        let events = [PositionedEvent](unsafeUninitializedCapacity: lines.count) { slots, initialized in
            failuresByChunk.withUnsafeMutableBufferPointer { failures in
                bytes.withUnsafeBytes { all in
                    Platform.inParallel(lines.count, chunk: decodeChunkLines) { run in
                        for index in run {
                            let (number, range) = (lines[index].number, lines[index].range)
                            let line = UnsafeRawBufferPointer(rebasing: all[range])
                            let event: PositionedEvent
                            // By position if the line is in the canonical layout; the general decoder names any problem.
                            if let (input, data, asEncoded) = EventDecoder.decodeCanonicalInputKeepingData(line) {
                                // The data's bytes go along (a slice shares the input's buffer): the appender
                                // reads back by comparing, and copies bytes that are already as encoded.
                                let dataBytes = bytes[(range.lowerBound + data.lowerBound)..<(range.lowerBound + data.upperBound)]
                                event = PositionedEvent(
                                    source: name, line: number, event: input, data: InputData(bytes: dataBytes, isEncoded: asEncoded))
                            } else {
                                do throws(FieldError) {
                                    event = PositionedEvent(source: name, line: number, event: try EventDecoder.decodeInput(line))
                                } catch {
                                    failures[run.lowerBound / decodeChunkLines].append((index, error))
                                    event = placeholder
                                }
                            }
                            (slots.baseAddress! + index).initialize(to: event)
                        }
                    }
                }
            }
            initialized = lines.count
        }
        return (events, failuresByChunk.flatMap { $0 })
    }

    /// Fills the place of a line that failed; never appended, because any failure stops the batch.
    private static let placeholder = PositionedEvent(
        position: "",
        event: InputEvent(
            envelope: EventEnvelope(
                effective: CalendarDate(dayNumber: 0), by: Author("placeholder/placeholder")!,
                event: .councilRegistered(CouncilRegistered(council: "placeholder", name: "placeholder")))))
}
