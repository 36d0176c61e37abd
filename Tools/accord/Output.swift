import Events
import Ledger

/// A report as rows and columns, printed as an aligned table for people or
/// as CSV for a spreadsheet; JSON output is built separately per report,
/// because its shape is a stable contract (SPEC §7.1).
struct Table {
    enum Alignment { case left, right }
    struct Column {
        var title: String
        var alignment: Alignment = .left
    }

    var columns: [Column]
    var rows: [[String]] = []

    init(_ columns: [Column]) { self.columns = columns }

    mutating func add(_ row: [String]) {
        precondition(row.count == columns.count, "row has \(row.count) cells for \(columns.count) columns")
        rows.append(row)
    }

    func renderText() -> String {
        var widths = columns.map { $0.title.count }
        for row in rows {
            for (index, cell) in row.enumerated() { widths[index] = max(widths[index], cell.count) }
        }
        func line(_ cells: [String]) -> String {
            var parts: [String] = []
            for (index, cell) in cells.enumerated() {
                let pad = String(repeating: " ", count: widths[index] - cell.count)
                let isLast = index == cells.count - 1
                parts.append(columns[index].alignment == .right ? pad + cell : (isLast ? cell : cell + pad))
            }
            return parts.joined(separator: "  ")
        }
        var out = line(columns.map(\.title)) + "\n"
        out += line(widths.map { String(repeating: "-", count: $0) }) + "\n"
        for row in rows { out += line(row) + "\n" }
        return out
    }

    func renderCSV() -> String {
        var out = columns.map { CSV.field($0.title) }.joined(separator: ",") + "\r\n"
        for row in rows { out += row.map(CSV.field).joined(separator: ",") + "\r\n" }
        return out
    }
}

enum CSV {
    /// RFC 4180 quoting; text that a spreadsheet would run as a formula is
    /// prefixed with an apostrophe (amounts are never text, so are untouched).
    static func field(_ value: String) -> String {
        var text = value
        if let first = text.first, "=+@".contains(first) || (first == "-" && Double(text) == nil && Money.pence(parsing: text) == nil) {
            text = "'" + text
        }
        if text.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) {
            return "\"" + String(text.flatMap { $0 == "\"" ? ["\"", "\""] : [$0] }) + "\""
        }
        return text
    }
}

/// Small builders so JSON reports read like their SPEC §7.1 shapes.
enum JSONOut {
    static func object(_ members: [(String, JSONValue)]) -> JSONValue {
        .object(JSONObject(members.map { JSONObject.Member(key: $0.0, value: $0.1) }))
    }
    static func string(_ s: String) -> JSONValue { .string(s) }
    static func int(_ i: Int) -> JSONValue { .integer(Int64(i)) }
    static func int(_ i: Int64) -> JSONValue { .integer(i) }
    static func date(_ d: CalendarDate) -> JSONValue { .string(d.iso) }
    static func optional(_ v: JSONValue?) -> JSONValue { v ?? .null }

    static func render(_ value: JSONValue) -> String {
        String(decoding: JSONWriter.encode(value), as: UTF8.self) + "\n"
    }
}
