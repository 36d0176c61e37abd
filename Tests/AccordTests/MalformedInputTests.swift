import Foundation
import Testing

/// Bad input gets a clear error naming position and field, exit status 2,
/// and leaves the ledger byte-for-byte unchanged.
@Suite struct MalformedInputTests {
    struct Case: CustomStringConvertible, Sendable {
        var name: String
        var input: [UInt8]
        /// What stderr must contain after `accord: error: `.
        var message: String
        var status: Int32 = 2
        var description: String { name }

        init(_ name: String, _ input: String, _ message: String, status: Int32 = 2) {
            self.name = name
            self.input = Array(input.utf8)
            self.message = message
            self.status = status
        }
        init(_ name: String, bytes: [UInt8], _ message: String) {
            self.name = name
            self.input = bytes
            self.message = message
        }
    }

    static func event(
        type: String = "council.registered", effective: String = "\"2013-04-01\"", by: String = "\"darlington/clerk\"",
        data: String = #"{"council":"darlington","name":"Darlington Borough Council"}"#, extra: String = ""
    ) -> String {
        #"{"type":"\#(type)","effective":\#(effective),"by":\#(by),"data":\#(data)\#(extra)}"#
    }

    static func costed(_ pence: String) -> String {
        event(type: "post.costed", data: #"{"post":"dass","annualPence":\#(pence),"onCostBasisPoints":2500}"#)
    }

    static func apportioned(_ weights: String, basis: String = "population") -> String {
        event(
            type: "costs.apportioned",
            data: #"{"post":"dass","basis":"\#(basis)","weights":\#(weights),"proposal":"p-1"}"#)
    }

    static func tabled(matter: String = "cost", affects: String = #"["darlington"]"#) -> String {
        event(
            type: "proposal.tabled",
            data: #"{"proposal":"p-1","title":"Share a DASS","matter":"\#(matter)","affects":\#(affects)}"#)
    }

    static let ratings = #""senior-management":"good","accountability":"good","breadth-of-responsibilities":"good","children-involvement":"good","child-protection":"good""#

    static let cases: [Case] = [
        Case("truncated JSON", "{\"type\":", "input:1: not valid JSON"),
        Case("empty input", "\n\n", "input: no events in the input"),
        Case("a list instead of an object", "[]", "input:1: must be a JSON object, got a list"),
        Case("null", "null", "input:1: must be a JSON object, got null"),
        Case("two objects on a line", "{} {}", "input:1: not valid JSON"),
        Case("trailing comma", #"{"type":"council.registered",}"#, "input:1: not valid JSON"),
        Case("duplicate key", #"{"type":"a","type":"b"}"#, "input:1: not valid JSON"),
        Case("invalid UTF-8", bytes: Array(#"{"type":""#.utf8) + [0xC3, 0x28] + Array(#""}"#.utf8), "input:1: not valid JSON"),
        Case("deep nesting", event(data: String(repeating: "[", count: 100) + String(repeating: "]", count: 100)), "input:1: not valid JSON"),
        Case("missing effective", #"{"type":"council.registered","by":"darlington/clerk","data":{}}"#, "input:1: effective: is required"),
        Case("unknown type", event(type: "council.dissolved"), "input:1: type: \"council.dissolved\" is not an event type"),
        Case("29 February in a common year", event(effective: "\"2023-02-29\""), "input:1: effective: \"2023-02-29\" is not a calendar date"),
        Case("month 13", event(effective: "\"2013-13-01\""), "input:1: effective: \"2013-13-01\" is not a calendar date"),
        Case("date as a number", event(effective: "20130401"), "input:1: effective: must be a date string"),
        Case("date with a time", event(effective: "\"2013-04-01T00:00:00Z\""), "input:1: effective: \"2013-04-01T00:00:00Z\" is not a calendar date"),
        Case("author without officer", event(by: "\"darlington\""), "input:1: by: \"darlington\" must be \"<council>/<officer>\""),
        Case("author in capitals", event(by: "\"Darlington/clerk\""), "input:1: by: \"Darlington/clerk\" must be"),
        Case("missing data", #"{"type":"council.registered","effective":"2013-04-01","by":"darlington/clerk"}"#, "input:1: data: is required"),
        Case("data not an object", event(data: "\"darlington\""), "input:1: data: must be a JSON object, got the string"),
        Case("council id in capitals", event(data: #"{"council":"Darlington","name":"D"}"#), "input:1: data.council: \"Darlington\" is not a valid id"),
        Case("council id with a space", event(data: #"{"council":"red car","name":"R"}"#), "input:1: data.council: \"red car\" is not a valid id"),
        Case("empty name", event(data: #"{"council":"darlington","name":""}"#), "input:1: data.name: must not be empty"),
        Case("a 3000-byte name", event(data: #"{"council":"darlington","name":""# + String(repeating: "x", count: 3000) + #""}"#), "input:1: data.name: is 3000 bytes long"),
        Case("a line break in a name", event(data: #"{"council":"darlington","name":"Darling\nton"}"#), "input:1: data.name: must not contain control characters"),
        Case("negative population", event(data: #"{"council":"darlington","name":"D","population":-5}"#), "input:1: data.population: must be at least 1"),
        Case("fractional population", event(data: #"{"council":"darlington","name":"D","population":1.5}"#), "input:1: data.population: must be a whole number of people, got 1.5"),
        Case("misspelt optional field", event(data: #"{"council":"darlington","name":"D","popluation":105600}"#), "input:1: data.popluation: is not a field of this event"),
        Case("misspelt envelope field", event(extra: #","expct":3"#), "input:1: expct: is not a field of this event"),
        Case("negative money", costed("-100"), "input:1: data.annualPence: must not be negative, got -100"),
        Case("pounds with pence as a fraction", costed("12.5"), "input:1: data.annualPence: must be a whole number of pence, got 12.5"),
        Case("money as a string", costed("\"120000\""), "input:1: data.annualPence: must be a whole number of pence, got the string \"120000\""),
        Case("money in exponent form", costed("1e7"), "input:1: data.annualPence: must be a whole number of pence, got 1e7"),
        Case("money beyond Int64", costed("99999999999999999999"), "input:1: data.annualPence: 99999999999999999999 is too large"),
        Case("money beyond a billion pounds", costed("100000000001"), "input:1: data.annualPence: 100000000001 is too large"),
        Case("no weights", apportioned("{}"), "input:1: data.weights: must give at least one council's weight"),
        Case("a zero weight", apportioned(#"{"darlington":1,"redcar":0}"#), "input:1: data.weights.redcar: must be at least 1"),
        Case("a negative weight", apportioned(#"{"redcar":-3}"#), "input:1: data.weights.redcar: must be at least 1"),
        Case("a weight keyed by a bad id", apportioned(#"{"Redcar":1}"#), "input:1: data.weights.Redcar: \"Redcar\" is not a valid id"),
        Case("an unknown basis", apportioned(#"{"redcar":1}"#, basis: "headcount"), "input:1: data.basis: \"headcount\" is not one of"),
        Case("an unknown decision", event(type: "council.decided", data: #"{"proposal":"p-1","council":"darlington","decision":"yes","body":"Cabinet","minute":"C1"}"#), "input:1: data.decision: \"yes\" is not one of \"approve\", \"reject\", \"abstain\""),
        Case("an empty reserved matter", tabled(matter: "reserved:"), "input:1: data.matter: \"reserved:\" is not a matter"),
        Case("nobody affected", tabled(affects: "[]"), "input:1: data.affects: must name at least one"),
        Case("a council affected twice", tabled(affects: #"["darlington","darlington"]"#), "input:1: data.affects: names darlington twice"),
        Case("notice on both agreement and post", event(type: "notice.served", data: #"{"council":"redcar","agreement":"people","post":"dass"}"#), "input:1: data.post: give either agreement or post, not both"),
        Case("notice on nothing", event(type: "notice.served", data: #"{"council":"redcar"}"#), "input:1: data.agreement: is required (or give post)"),
        Case("notice rule without alignment", event(type: "agreement.established", data: #"{"agreement":"people","title":"People","parties":["darlington"],"notice":{"months":24},"proposal":"p-1"}"#), "input:1: data.notice.alignment: is required"),
        Case("an assurance test missing a question", event(type: "assurance.recorded", data: #"{"post":"dcs","council":"torbay","ratings":{\#(ratings)},"reviewer":"Chief Executive"}"#), "input:1: data.ratings.partnerships: is required"),
        Case("a rating that is not a rating", event(type: "assurance.recorded", data: #"{"post":"dcs","council":"torbay","ratings":{\#(ratings),"partnerships":"ok"},"reviewer":"CE"}"#), "input:1: data.ratings.partnerships: \"ok\" is not one of"),
        Case("votes as text", event(type: "committee.voted", data: #"{"proposal":"p-1","committee":"Joint Committee","votes":{"redcar":{"for":"2","against":1}}}"#), "input:1: data.votes.redcar.for: must be a whole number of members"),
        Case("retracting seq 0", event(type: "record.retracted", data: #"{"seq":0,"reason":"typo"}"#), "input:1: data.seq: must be at least 1"),
        Case("an id with a space", event(extra: #","id":"my key""#), "input:1: id: must be 1 to 128 printable characters"),
        Case("a negative expect", event(extra: #","expect":-1"#), "input:1: expect: must not be negative, got -1"),
        Case("expect as text", event(extra: #","expect":"3""#), "input:1: expect: must be a whole number"),
        Case("a bad second line of a batch", event() + "\n" + event(effective: "\"2013-02-30\""), "input:2: effective: \"2013-02-30\" is not a calendar date"),
    ]

    @Test(arguments: cases)
    func malformedInputIsRefusedAndChangesNothing(_ testCase: Case) throws {
        let accord = try Accord.withLedger()
        try accord.append([Self.event(by: "\"hartlepool/clerk\"", data: #"{"council":"hartlepool","name":"Hartlepool Borough Council"}"#)])
        let before = try accord.ledgerBytes()
        let result = try accord.run(["append", "-"], stdinData: Data(testCase.input))
        #expect(result.status == testCase.status, "\(testCase.name): \(result.stderr)")
        #expect(result.stderr.hasPrefix("accord: error: "), "\(testCase.name): \(result.stderr)")
        #expect(result.stderr.contains(testCase.message), "\(testCase.name): expected «\(testCase.message)» in «\(result.stderr)»")
        #expect(try accord.ledgerBytes() == before, "\(testCase.name) changed the ledger")
    }

    @Test func everyMalformedLineOfABatchIsReported() throws {
        let accord = try Accord.withLedger()
        let batch = [Self.event(), Self.costed("-1"), Self.event(), Self.apportioned("{}")].joined(separator: "\n")
        let result = try accord.run(["append", "-"], stdin: batch)
        #expect(result.status == 2)
        #expect(result.stderr.contains("input:2: data.annualPence"))
        #expect(result.stderr.contains("input:4: data.weights"))
        #expect(try accord.ledgerBytes().isEmpty)
    }

    /// A long batch is decoded on every core, 2,048 non-blank lines at a
    /// time. What is reported must not show it: the first twenty malformed
    /// lines in line order, each with its own line number, and nothing
    /// written. Malformed lines sit on both sides of each chunk's edge; blank
    /// lines end in CR LF, so they pass only if the CR is dropped.
    @Test func aLongBatchReportsItsFirstTwentyMalformedLinesInOrder() throws {
        let accord = try Accord.withLedger()
        var lines: [String] = []
        var malformed: [Int] = []
        var nonBlank = 0
        for number in 1...6000 {
            if number % 7 == 0 {
                lines.append("  \t\r")
                continue
            }
            nonBlank += 1
            // Either side of the edges of `InputReader.decodeChunkLines` (2,048) non-blank lines.
            if [2, 2048, 2049, 4096, 4097].contains(nonBlank) || (nonBlank > 4200 && nonBlank % 20 == 0) {
                malformed.append(number)
                lines.append(Self.costed("-1") + "\r")
            } else {
                lines.append(Self.event())
            }
        }
        let result = try accord.run(["append", "-"], stdin: lines.joined(separator: "\n"))
        #expect(result.status == 2)
        let reported = result.stderr.split(separator: "\n").compactMap { line -> Int? in
            guard let range = line.range(of: "input:"), let colon = line[range.upperBound...].firstIndex(of: ":") else { return nil }
            return Int(line[range.upperBound..<colon])
        }
        #expect(malformed.count > 20)
        #expect(reported == Array(malformed.prefix(20)))
        #expect(result.stderr.contains("(20 malformed events; nothing was appended)"))
        #expect(try accord.ledgerBytes().isEmpty)
    }
}
