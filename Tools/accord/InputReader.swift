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
        var events: [PositionedEvent] = []
        var errors: [AccordError] = []
        var lineNumber = 0
        var start = 0
        while start < bytes.count {
            let end = bytes[start...].firstIndex(of: 0x0A) ?? bytes.count
            lineNumber += 1
            var line = bytes[start..<end]
            if line.last == 0x0D { line = line.dropLast() }
            start = end + 1
            if line.allSatisfy({ $0 == 0x20 || $0 == 0x09 }) { continue }
            let position = "\(name):\(lineNumber)"
            do throws(FieldError) {
                let event = try EventDecoder.decodeInput(line)
                events.append(PositionedEvent(position: position, event: event))
            } catch {
                errors.append(AccordError(.usage, position: position, field: error.field, error.message))
                if errors.count == maxReportedErrors { break }
            }
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
}
