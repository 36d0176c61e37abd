import Foundation
import Testing

/// Hostile and malformed `accord append` input beyond MalformedInputTests:
/// truncation at many cut points, invalid UTF-8, extreme numbers, huge and
/// deeply nested values, duplicate and unknown keys, wrong types for every
/// field of several event types, impossible dates and bad ids.
///
/// Every case must be refused with exit status 2 (SPEC §7: malformed input),
/// an `accord: error:` line naming the input position and the field, and a
/// ledger that is byte-for-byte what it was.
@Suite struct HostileInputTests {
    typealias M = MalformedInputTests

    struct Case: CustomStringConvertible, Sendable {
        var name: String
        var input: [UInt8]
        /// What stderr must contain (after `accord: error: `).
        var message: String
        var status: Int32 = 2
        /// Set when the binary is known to get this case wrong: the case then
        /// runs under `withKnownIssue`, so it keeps documenting the bug and
        /// starts failing (as "known issue was not recorded") once it is fixed.
        var knownIssue: String?
        var description: String { name }

        init(_ name: String, _ input: String, _ message: String, status: Int32 = 2, knownIssue: String? = nil) {
            self.name = name
            self.input = Array(input.utf8)
            self.message = message
            self.status = status
            self.knownIssue = knownIssue
        }
        init(_ name: String, bytes: [UInt8], _ message: String, status: Int32 = 2, knownIssue: String? = nil) {
            self.name = name
            self.input = bytes
            self.message = message
            self.status = status
            self.knownIssue = knownIssue
        }
    }

    // MARK: Builders (valid unless a field is overridden)

    static func event(_ type: String, _ data: String, effective: String = "\"2013-04-01\"", by: String = "\"darlington/clerk\"", extra: String = "") -> String {
        M.event(type: type, effective: effective, by: by, data: data, extra: extra)
    }

    static func registered(council: String = #""darlington""#, name: String = #""Darlington Borough Council""#, more: String = "") -> String {
        event("council.registered", #"{"council":\#(council),"name":\#(name)\#(more)}"#)
    }

    static func costed(post: String = #""dass""#, pence: String = "12000000", onCost: String = "2500") -> String {
        event("post.costed", #"{"post":\#(post),"annualPence":\#(pence),"onCostBasisPoints":\#(onCost)}"#)
    }

    static func apportioned(post: String = #""dass""#, basis: String = #""population""#, weights: String = #"{"darlington":105600,"redcar":135200}"#, proposal: String = #""p-1""#) -> String {
        event("costs.apportioned", #"{"post":\#(post),"basis":\#(basis),"weights":\#(weights),"proposal":\#(proposal)}"#)
    }

    static func tabled(proposal: String = #""p-1""#, title: String = #""Share a DASS""#, matter: String = #""cost""#, affects: String = #"["darlington","redcar"]"#, more: String = "") -> String {
        event("proposal.tabled", #"{"proposal":\#(proposal),"title":\#(title),"matter":\#(matter),"affects":\#(affects)\#(more)}"#)
    }

    static func decided(proposal: String = #""p-1""#, council: String = #""darlington""#, decision: String = #""approve""#, body: String = #""Cabinet""#, minute: String = #""C/12""#) -> String {
        event("council.decided", #"{"proposal":\#(proposal),"council":\#(council),"decision":\#(decision),"body":\#(body),"minute":\#(minute)}"#)
    }

    static func established(parties: String = #"["darlington","redcar"]"#, notice: String = #"{"months":24,"alignment":"financial-year-end"}"#, more: String = "") -> String {
        event("agreement.established", #"{"agreement":"people","title":"People services","parties":\#(parties),"notice":\#(notice),"proposal":"p-1"\#(more)}"#)
    }

    static func served(_ data: String) -> String { event("notice.served", data) }

    static func voted(votes: String) -> String {
        event("committee.voted", #"{"proposal":"p-1","committee":"Joint Committee","votes":\#(votes)}"#)
    }

    /// A valid line used as the good neighbour of a bad one in a batch.
    static let good = M.event(by: #""redcar/clerk""#, data: #"{"council":"redcar","name":"Redcar and Cleveland"}"#)

    /// The whole-line valid event cut short in the truncation cases.
    static let whole = apportioned()

    static let tenMegabytes = String(repeating: "x", count: 10 << 20)

    static func utf8(_ prefix: String, _ bad: [UInt8], _ suffix: String) -> [UInt8] {
        Array(prefix.utf8) + bad + Array(suffix.utf8)
    }

    /// `council.registered` whose name string holds `bad` raw bytes.
    static func nameBytes(_ bad: [UInt8]) -> [UInt8] {
        utf8(#"{"type":"council.registered","effective":"2013-04-01","by":"darlington/clerk","data":{"council":"darlington","name":"D"#, bad, #""}}"#)
    }

    // MARK: Cases

    static let truncations: [Case] = {
        let bytes = Array(whole.utf8)
        let cuts = [1, 2, 5, 9, 10, 24, 35, 48, 60, 62, 75, 96, 110, 130, 150, 170, bytes.count - 2, bytes.count - 1]
        return cuts.map { cut in
            Case("truncated at byte \(cut) of \(bytes.count)", bytes: Array(bytes.prefix(cut)), "input:1: not valid JSON (byte ")
        }
    }()

    static let cases: [Case] = truncations + [
        // Truncation inside a batch and inside a multi-byte character.
        Case("second line of a batch truncated", good + "\n" + String(whole.prefix(40)), "input:2: not valid JSON (byte "),
        Case("third line truncated after two good ones", good + "\n" + registered() + "\n" + String(whole.dropLast(1)), "input:3: not valid JSON"),
        Case("truncated inside a two-byte character", bytes: Array(#"{"type":"council.registered","effective":"2013-04-01","by":"a/b","data":{"council":"ynys-mon","name":"Ynys M"#.utf8) + [0xC3], "input:1: not valid JSON"),
        Case("truncated after a backslash", #"{"type":"council.registered","effective":"2013-04-01","by":"a/b","data":{"council":"d","name":"a\"#, "input:1: not valid JSON"),
        Case("truncated inside a \\u escape", #"{"type":"council.registered","effective":"2013-04-01","by":"a/b","data":{"council":"d","name":"\u00"#, "input:1: not valid JSON"),

        // Invalid UTF-8.
        Case("overlong two-byte slash", bytes: nameBytes([0xC0, 0xAF]), "input:1: not valid JSON"),
        Case("overlong two-byte C1", bytes: nameBytes([0xC1, 0xBF]), "input:1: not valid JSON"),
        Case("overlong three-byte", bytes: nameBytes([0xE0, 0x80, 0xAF]), "input:1: not valid JSON"),
        Case("overlong four-byte", bytes: nameBytes([0xF0, 0x80, 0x80, 0xAF]), "input:1: not valid JSON"),
        Case("encoded high surrogate", bytes: nameBytes([0xED, 0xA0, 0x80]), "input:1: not valid JSON"),
        Case("encoded low surrogate", bytes: nameBytes([0xED, 0xBF, 0xBF]), "input:1: not valid JSON"),
        Case("lone continuation byte", bytes: nameBytes([0x80]), "input:1: not valid JSON"),
        Case("lone continuation byte BF", bytes: nameBytes([0xBF]), "input:1: not valid JSON"),
        Case("byte FF", bytes: nameBytes([0xFF]), "input:1: not valid JSON"),
        Case("byte FE", bytes: nameBytes([0xFE]), "input:1: not valid JSON"),
        Case("code point above U+10FFFF", bytes: nameBytes([0xF4, 0x90, 0x80, 0x80]), "input:1: not valid JSON"),
        Case("lead byte F5", bytes: nameBytes([0xF5, 0x80, 0x80, 0x80]), "input:1: not valid JSON"),
        Case("three-byte sequence cut short", bytes: nameBytes([0xE2, 0x82]), "input:1: not valid JSON"),
        Case("invalid UTF-8 in a key", bytes: utf8(#"{"ty"#, [0xFF], #"pe":"council.registered"}"#), "input:1: not valid JSON"),
        Case("invalid UTF-8 outside a string", bytes: utf8(#"{"type":"council.registered","#, [0xC3, 0xA9], #""effective":"2013-04-01"}"#), "input:1: not valid JSON"),
        Case("byte order mark", bytes: [0xEF, 0xBB, 0xBF] + Array(registered().utf8), "input:1: not valid JSON"),
        Case("invalid UTF-8 on line 2 of a batch", bytes: Array((good + "\n").utf8) + nameBytes([0xED, 0xA0, 0x80]), "input:2: not valid JSON"),
        Case("escaped lone high surrogate", registered(name: #""D\ud800""#), "input:1: not valid JSON"),
        Case("escaped lone low surrogate", registered(name: #""D\udc00x""#), "input:1: not valid JSON"),
        Case("escaped high surrogate then a letter", registered(name: #""\ud83d\u0041""#), "input:1: not valid JSON"),
        Case("escaped NUL in a name", registered(name: #""Darling\u0000ton""#), "input:1: data.name: must not contain control characters"),
        Case("escaped DEL in a name", registered(name: #""Darling\u007fton""#), "input:1: data.name: must not contain control characters"),
        Case("raw tab in a name", registered(name: "\"Darling\tton\""), "input:1: not valid JSON"),

        // Huge and odd numbers in integer fields.
        Case("money 1e400", costed(pence: "1e400"), "input:1: data.annualPence: must be a whole number of pence, got 1e400"),
        Case("money -1e400", costed(pence: "-1e400"), "input:1: data.annualPence: must be a whole number of pence, got -1e400"),
        Case("money 1.0", costed(pence: "1.0"), "input:1: data.annualPence: must be a whole number of pence, got 1.0"),
        Case("money 1e2", costed(pence: "1e2"), "input:1: data.annualPence: must be a whole number of pence, got 1e2"),
        Case("money 1E2", costed(pence: "1E2"), "input:1: data.annualPence: must be a whole number of pence, got 1E2"),
        Case("money Int64.max + 1", costed(pence: "9223372036854775808"), "input:1: data.annualPence: 9223372036854775808 is too large"),
        Case("money Int64.min", costed(pence: "-9223372036854775808"), "input:1: data.annualPence: must not be negative, got -9223372036854775808"),
        Case(
            "money below Int64.min", costed(pence: "-9223372036854775809"), "input:1: data.annualPence: must not be negative"),
        Case("money with a leading zero", costed(pence: "0100"), "input:1: not valid JSON"),
        Case("money with a plus sign", costed(pence: "+100"), "input:1: not valid JSON"),
        Case("money .5", costed(pence: ".5"), "input:1: not valid JSON"),
        Case("money NaN", costed(pence: "NaN"), "input:1: not valid JSON"),
        Case("money Infinity", costed(pence: "Infinity"), "input:1: not valid JSON"),
        Case("money as true", costed(pence: "true"), "input:1: data.annualPence: must be a whole number of pence, got true"),
        Case("money as null", costed(pence: "null"), "input:1: data.annualPence: is required"),
        Case("on-cost 1e400", costed(onCost: "1e400"), "input:1: data.onCostBasisPoints: must be a whole number of basis points, got 1e400"),
        Case("on-cost negative", costed(onCost: "-2500"), "input:1: data.onCostBasisPoints: must not be negative, got -2500"),
        Case("on-cost as text", costed(onCost: #""2500""#), "input:1: data.onCostBasisPoints: must be a whole number of basis points, got the string \"2500\""),
        Case("on-cost as an object", costed(onCost: #"{"bp":2500}"#), "input:1: data.onCostBasisPoints: must be a whole number of basis points, got an object"),
        Case("population 99999999999999999999", registered(more: #","population":99999999999999999999"#), "input:1: data.population: 99999999999999999999 is too large"),
        Case("population 1e2", registered(more: #","population":1e2"#), "input:1: data.population: must be a whole number of people, got 1e2"),
        Case("population -0", registered(more: #","population":-0"#), "input:1: data.population: "),
        Case("population as a list", registered(more: #","population":[105600]"#), "input:1: data.population: must be a whole number of people, got a list"),
        Case("expect 1e2", M.event(extra: #","expect":1e2"#), "input:1: expect: must be a whole number"),
        Case("expect beyond Int64", M.event(extra: #","expect":99999999999999999999"#), "input:1: expect: 99999999999999999999 is too large"),
        Case("expect as true", M.event(extra: #","expect":true"#), "input:1: expect: must be a whole number"),
        Case("retracting seq 1.0", event("record.retracted", #"{"seq":1.0,"reason":"typo"}"#), "input:1: data.seq: must be a whole number of (a record seq), got 1.0"),
        Case("rescinding notice -0", event("notice.rescinded", #"{"council":"redcar","notice":-0}"#), "input:1: data.notice: "),

        // Negative money.
        Case("negative withdrawal cost", event("withdrawal.costed", #"{"council":"redcar","agreement":"people","amountPence":-1,"description":"Redundancy"}"#, by: "\"redcar/finance\""), "input:1: data.amountPence: must not be negative, got -1"),
        Case("negative variation", event("variation.specified", #"{"council":"redcar","post":"dass","description":"Own delivery","annualPence":-500000}"#, by: "\"redcar/finance\""), "input:1: data.annualPence: must not be negative, got -500000"),

        // Huge and deep values.
        Case("a 10 MB name", registered(name: "\"" + tenMegabytes + "\""), "input:1: data.name: is 10485760 bytes long"),
        Case("a 10 MB council id", registered(council: "\"" + tenMegabytes + "\""), "input:1: data.council: \"xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx…\" (10485760 bytes) is not a valid id"),
        Case(
            "a 10 MB unknown key", registered(more: ",\"" + tenMegabytes + "\":1"), "input:1: data.xxxxxxxx"),
        Case(
            "a 10 MB unknown envelope key", M.event(extra: ",\"" + tenMegabytes + "\":1"), "input:1: xxxxxxxx"),
        Case(
            "a 10 MB council key in weights", apportioned(weights: "{\"" + tenMegabytes + "\":1}"), "input:1: data.weights.xxxxxxxx"),
        Case("100 nested objects in data", event("council.registered", String(repeating: #"{"a":"#, count: 100) + "1" + String(repeating: "}", count: 100)), "input:1: not valid JSON"),
        Case("100 nested lists as a name", registered(name: String(repeating: "[", count: 100) + String(repeating: "]", count: 100)), "input:1: not valid JSON"),
        Case("65 nested lists", String(repeating: "[", count: 65) + String(repeating: "]", count: 65), "input:1: not valid JSON"),
        Case("64 nested lists as a name", registered(name: String(repeating: "[", count: 62) + String(repeating: "]", count: 62)), "input:1: data.name: must be a string, got a list"),
        Case("100000 open brackets", String(repeating: "[", count: 100_000), "input:1: not valid JSON"),
        Case("100000 open braces with keys", String(repeating: #"{"a":"#, count: 100_000), "input:1: not valid JSON"),

        // Duplicate keys.
        Case("duplicate council in data", event("council.registered", #"{"council":"darlington","council":"redcar","name":"D"}"#), "input:1: not valid JSON"),
        Case("duplicate weight", apportioned(weights: #"{"redcar":1,"darlington":1,"redcar":2}"#), "input:1: not valid JSON"),
        Case("duplicate data", registered().replacingOccurrences(of: "}}", with: #"},"data":{}}"#), "input:1: not valid JSON"),
        Case("duplicate key, canonically equivalent", event("council.registered", #"{"council":"d","name":"D","caf\u00e9":1,"cafe\u0301":2}"#), "input:1: not valid JSON"),
        Case("keys differing only in case", registered().replacingOccurrences(of: #"{"type""#, with: #"{"Type":"x","type""#), "input:1: Type: is not a field of this event"),

        // Wrong types, field by field.
        Case("type as a number", M.event(type: "x").replacingOccurrences(of: #""type":"x""#, with: #""type":7"#), "input:1: type: must be a string, got the number 7"),
        Case("type null", M.event(type: "x").replacingOccurrences(of: #""type":"x""#, with: #""type":null"#), "input:1: type: is required"),
        Case("effective null", M.event(effective: "null"), "input:1: effective: is required"),
        Case("effective as a list", M.event(effective: #"["2013-04-01"]"#), "input:1: effective: must be a date string YYYY-MM-DD, got a list"),
        Case("by as a number", M.event(by: "42"), "input:1: by: must be a string, got the number 42"),
        Case("by as an object", M.event(by: #"{"council":"darlington","officer":"clerk"}"#), "input:1: by: must be a string, got an object"),
        Case("data as a list", M.event(data: "[]"), "input:1: data: must be a JSON object, got a list"),
        Case("data null", M.event(data: "null"), "input:1: data: is required"),
        Case("id as a number", M.event(extra: #","id":12"#), "input:1: id: must be 1 to 128 printable characters"),
        Case("council as a number", registered(council: "12"), "input:1: data.council: must be an id string, got the number 12"),
        Case("name as false", registered(name: "false"), "input:1: data.name: must be a string, got false"),
        Case("population as text", registered(more: #","population":"105600""#), "input:1: data.population: must be a whole number of people, got the string \"105600\""),
        Case("post as a list", costed(post: #"["dass"]"#), "input:1: data.post: must be an id string, got a list"),
        Case("basis as a number", apportioned(basis: "1"), "input:1: data.basis: must be one of"),
        Case("weights as a list", apportioned(weights: #"[["redcar",1]]"#), "input:1: data.weights: must be a JSON object, got a list"),
        Case("weights as text", apportioned(weights: #""redcar:1""#), "input:1: data.weights: must be a JSON object, got the string"),
        Case("a weight as text", apportioned(weights: #"{"redcar":"1"}"#), "input:1: data.weights.redcar: must be a whole number of (a positive weight), got the string \"1\""),
        Case("a weight of 0.5", apportioned(weights: #"{"redcar":0.5}"#), "input:1: data.weights.redcar: must be a whole number of (a positive weight), got 0.5"),
        Case("a weight of true", apportioned(weights: #"{"redcar":true}"#), "input:1: data.weights.redcar: must be a whole number of (a positive weight), got true"),
        Case("a weight of null", apportioned(weights: #"{"darlington":1,"redcar":null}"#), "input:1: data.weights.redcar: "),
        Case("proposal as an object", apportioned(proposal: "{}"), "input:1: data.proposal: must be an id string, got an object"),
        Case("title as a list", tabled(title: #"["Share"]"#), "input:1: data.title: must be a string, got a list"),
        Case("matter as a number", tabled(matter: "3"), "input:1: data.matter: must be a string, got the number 3"),
        Case("affects as text", tabled(affects: #""darlington""#), "input:1: data.affects: must be a list of ids, got the string \"darlington\""),
        Case("affects holding a number", tabled(affects: #"["darlington",7]"#), "input:1: data.affects[1]: must be an id string, got the number 7"),
        Case("agreement as false", tabled(more: #","agreement":false"#), "input:1: data.agreement: must be an id string, got false"),
        Case("terminates as text", tabled(more: #","terminates":"c-1""#), "input:1: data.terminates: must be a list of ids, got the string \"c-1\""),
        Case("decision as true", decided(decision: "true"), "input:1: data.decision: must be one of \"approve\", \"reject\", \"abstain\", got true"),
        Case("decision in capitals", decided(decision: #""Approve""#), "input:1: data.decision: \"Approve\" is not one of"),
        Case("body as a number", decided(body: "1"), "input:1: data.body: must be a string, got the number 1"),
        Case("minute null", decided(minute: "null"), "input:1: data.minute: is required"),
        Case("council in decision as a list", decided(council: #"["darlington"]"#), "input:1: data.council: must be an id string, got a list"),
        Case("parties as text", established(parties: #""darlington,redcar""#), "input:1: data.parties: must be a list of ids"),
        Case("no parties", established(parties: "[]"), "input:1: data.parties: must name at least one"),
        Case("notice as a number", established(notice: "24"), "input:1: data.notice: must be a JSON object, got the number 24"),
        Case("notice months as text", established(notice: #"{"months":"24","alignment":"none"}"#), "input:1: data.notice.months: must be a whole number of months, got the string \"24\""),
        Case("notice months 1e400", established(notice: #"{"months":1e400,"alignment":"none"}"#), "input:1: data.notice.months: must be a whole number of months, got 1e400"),
        Case("notice months negative", established(notice: #"{"months":-24,"alignment":"none"}"#), "input:1: data.notice.months: must not be negative, got -24"),
        Case("an unknown alignment", established(notice: #"{"months":24,"alignment":"quarter-end"}"#), "input:1: data.notice.alignment: \"quarter-end\" is not one of"),
        Case("quorum as text", established(more: #","quorum":"2""#), "input:1: data.quorum: must be a whole number of members, got the string \"2\""),
        Case("quorum zero", established(more: #","quorum":0"#), "input:1: data.quorum: must be at least 1 members, got 0"),
        Case("votes as a list", voted(votes: "[]"), "input:1: data.votes: must be a JSON object, got a list"),
        Case("no votes", voted(votes: "{}"), "input:1: data.votes: must give at least one council's votes"),
        Case("votes against negative", voted(votes: #"{"redcar":{"for":2,"against":-1}}"#), "input:1: data.votes.redcar.against: must not be negative, got -1"),
        Case("votes with an unknown count", voted(votes: #"{"redcar":{"for":2,"against":1,"absent":3}}"#), "input:1: data.votes.redcar.absent: is not a field of this event"),
        Case("votes for a bad council id", voted(votes: #"{"Red Car":{"for":2,"against":1}}"#), "input:1: data.votes.Red Car: \"Red Car\" is not a valid id"),

        // Unknown types.
        Case("type in capitals", M.event(type: "Council.Registered"), "input:1: type: \"Council.Registered\" is not an event type"),
        Case("empty type", M.event(type: ""), "input:1: type: must not be empty"),
        Case("type with a trailing space", M.event(type: "council.registered "), "input:1: type: \"council.registered \" is not an event type"),
        Case("type with an underscore", M.event(type: "council_registered"), "input:1: type: \"council_registered\" is not an event type"),
        Case("type with a homoglyph", M.event(type: "council.regіstered"), "input:1: type: \"council.regіstered\" is not an event type"),

        // Impossible dates.
        Case("29 February 2023 as notice leaves", served(#"{"council":"redcar","agreement":"people","leaves":"2023-02-29"}"#), "input:1: data.leaves: \"2023-02-29\" is not a calendar date"),
        Case("month 13", M.event(effective: #""2024-13-01""#), "input:1: effective: \"2024-13-01\" is not a calendar date"),
        Case("month 00", M.event(effective: #""2024-00-10""#), "input:1: effective: \"2024-00-10\" is not a calendar date"),
        Case("unpadded month and day", M.event(effective: #""2024-1-1""#), "input:1: effective: \"2024-1-1\" is not a calendar date"),
        Case("31 April", M.event(effective: #""2024-04-31""#), "input:1: effective: \"2024-04-31\" is not a calendar date"),
        Case("30 February in a leap year", M.event(effective: #""2024-02-30""#), "input:1: effective: \"2024-02-30\" is not a calendar date"),
        Case("29 February 1900", M.event(effective: #""1900-02-29""#), "input:1: effective: \"1900-02-29\" is not a calendar date"),
        Case("29 February 2100", M.event(effective: #""2100-02-29""#), "input:1: effective: \"2100-02-29\" is not a calendar date"),
        Case("day 32", M.event(effective: #""2024-01-32""#), "input:1: effective: \"2024-01-32\" is not a calendar date"),
        Case("day 00", M.event(effective: #""2024-01-00""#), "input:1: effective: \"2024-01-00\" is not a calendar date"),
        Case("slashes", M.event(effective: #""2024/01/01""#), "input:1: effective: \"2024/01/01\" is not a calendar date"),
        Case("compact form", M.event(effective: #""20240101""#), "input:1: effective: \"20240101\" is not a calendar date"),
        Case("leading space", M.event(effective: #"" 2024-01-01""#), "input:1: effective: \" 2024-01-01\" is not a calendar date"),
        Case("a five-digit year", M.event(effective: #""10000-01-01""#), "input:1: effective: \"10000-01-01\" is not a calendar date"),
        Case("a signed year", M.event(effective: #""+2024-01-01""#), "input:1: effective: \"+2024-01-01\" is not a calendar date"),
        Case("year 0000", M.event(effective: #""0000-01-01""#), "input:1: effective: \"0000-01-01\" is not a calendar date"),
        Case("Arabic-Indic digits", M.event(effective: #""٢٠٢٤-٠١-٠١""#), "input:1: effective: \"٢٠٢٤-٠١-٠١\" is not a calendar date"),
        Case("contract ending 31 June", event("contract.registered", #"{"council":"darlington","contract":"c-1","counterparty":"Acme","ends":"2024-06-31"}"#), "input:1: data.ends: \"2024-06-31\" is not a calendar date"),

        // Bad ids.
        Case("post id in capitals", costed(post: #""DASS""#), "input:1: data.post: \"DASS\" is not a valid id"),
        Case("proposal id with a space", decided(proposal: #""p 1""#), "input:1: data.proposal: \"p 1\" is not a valid id"),
        Case("empty council id", registered(council: #""""#), "input:1: data.council: \"\" is not a valid id: must not be empty"),
        Case("a 65-character id", registered(council: "\"" + String(repeating: "a", count: 65) + "\""), "input:1: data.council: \"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa…\" (65 bytes) is not a valid id: must be at most 64 characters"),
        Case("an accented id", registered(council: #""ynys-môn""#), "input:1: data.council: \"ynys-môn\" is not a valid id"),
        Case("an id with an underscore", registered(council: #""redcar_cleveland""#), "input:1: data.council: \"redcar_cleveland\" is not a valid id"),
        Case("an id with a dot", registered(council: #""redcar.gov""#), "input:1: data.council: \"redcar.gov\" is not a valid id"),
        Case("an id with a slash", registered(council: #""redcar/cleveland""#), "input:1: data.council: \"redcar/cleveland\" is not a valid id"),
        Case("a fullwidth id", registered(council: #""ｒｅｄｃａｒ""#), "input:1: data.council: \"ｒｅｄｃａｒ\" is not a valid id"),
        Case("an id with a zero-width space", registered(council: "\"red\u{200B}car\""), "input:1: data.council: \"red\u{200B}car\" is not a valid id"),
        Case("an affected council in capitals", tabled(affects: #"["darlington","Redcar"]"#), "input:1: data.affects[1]: \"Redcar\" is not a valid id"),
        Case("an empty idempotency key", M.event(extra: #","id":"""#), "input:1: id: must be 1 to 128 printable characters"),
        Case("a 129-character idempotency key", M.event(extra: #","id":""# + String(repeating: "k", count: 129) + #"""#), "input:1: id: must be 1 to 128 printable characters"),
        Case("a unicode idempotency key", M.event(extra: #","id":"ключ-1""#), "input:1: id: must be 1 to 128 printable characters"),
        Case("an idempotency key with a tab escape", M.event(extra: #","id":"key\t1""#), "input:1: id: must be 1 to 128 printable characters"),

        // Bad authors.
        Case("author with an empty officer", M.event(by: #""darlington/""#), "input:1: by: \"darlington/\" must be \"<council>/<officer>\""),
        Case("author with an empty council", M.event(by: #""/clerk""#), "input:1: by: \"/clerk\" must be \"<council>/<officer>\""),
        Case("author with three parts", M.event(by: #""darlington/clerk/deputy""#), "input:1: by: \"darlington/clerk/deputy\" must be \"<council>/<officer>\""),
        Case("author with a space", M.event(by: #""darlington clerk""#), "input:1: by: \"darlington clerk\" must be \"<council>/<officer>\""),
        Case("empty author", M.event(by: #""""#), "input:1: by: must not be empty"),
        Case("author officer in capitals", M.event(by: #""darlington/Clerk""#), "input:1: by: \"darlington/Clerk\" must be \"<council>/<officer>\""),
        Case("author with a backslash", M.event(by: #""darlington\\clerk""#), "input:1: by: \"darlington\\clerk\" must be \"<council>/<officer>\""),

        // Unknown keys.
        Case("an input trying to set seq", M.event(extra: #","seq":7"#), "input:1: seq: is not a field of this event"),
        Case("an input trying to set prev", M.event(extra: #","prev":"0000""#), "input:1: prev: is not a field of this event"),
        Case("an input trying to set recorded", M.event(extra: #","recorded":"2013-04-01T00:00:00Z""#), "input:1: recorded: is not a field of this event"),
        Case("an unknown key in data of post.costed", costed().replacingOccurrences(of: #""post":"dass","#, with: #""post":"dass","currency":"GBP","#), "input:1: data.currency: is not a field of this event"),
        Case("an unknown key in a notice rule", established(notice: #"{"months":24,"alignment":"none","grace":1}"#), "input:1: data.notice.grace: is not a field of this event"),
        Case("an empty key", registered(more: #","":1"#), "input:1: data.: is not a field of this event"),

        // Weights.
        Case("all weights zero", apportioned(weights: #"{"darlington":0,"redcar":0}"#), "input:1: data.weights.darlington: must be at least 1"),
        Case("a weight of -0", apportioned(weights: #"{"redcar":-0}"#), "input:1: data.weights.redcar: "),
        Case("a weight of 1e2", apportioned(weights: #"{"redcar":1e2}"#), "input:1: data.weights.redcar: must be a whole number of (a positive weight), got 1e2"),
        Case("a weight beyond the limit", apportioned(weights: #"{"redcar":1000000000001}"#), "input:1: data.weights.redcar: 1000000000001 is too large"),
        Case("a weight beyond Int64", apportioned(weights: #"{"redcar":99999999999999999999}"#), "input:1: data.weights.redcar: 99999999999999999999 is too large"),
        Case("an empty council key in weights", apportioned(weights: #"{"":1}"#), "input:1: data.weights.: \"\" is not a valid id: must not be empty"),
        Case("weights keyed by a 65-character id", apportioned(weights: "{\"" + String(repeating: "r", count: 65) + "\":1}"), "is not a valid id: must be at most 64 characters"),

        // Positions in batches.
        Case("a bad line after blank lines", good + "\n\n\n" + apportioned(weights: #"{"redcar":0}"#), "input:4: data.weights.redcar: must be at least 1"),
        Case("a bad line in a CRLF batch", good + "\r\n" + good + "\r\n" + costed(pence: "-1") + "\r\n", "input:3: data.annualPence: must not be negative, got -1"),
        Case("a bad twentieth line", Array(repeating: good, count: 19).joined(separator: "\n") + "\n" + M.event(effective: #""2024-04-31""#), "input:20: effective: \"2024-04-31\" is not a calendar date"),
        Case("a lone carriage return between events", good + "\r" + good, "input:1: not valid JSON"),
        Case("a NUL byte between lines", bytes: Array((good + "\n").utf8) + [0x00] + Array(("\n" + good).utf8), "input:2: not valid JSON"),
        Case("a stored record fed back as input", #"{"seq":1,"type":"council.registered","recorded":"2026-01-05T09:00:00Z","by":"darlington/clerk","effective":"2013-04-01","data":{"council":"darlington","name":"D"},"prev":"0000000000000000000000000000000000000000000000000000000000000000"}"#, "input:1: seq: is not a field of this event"),
    ]

    @Test func thereAreAtLeastOneHundredCases() {
        #expect(Self.cases.count >= 100, "only \(Self.cases.count) hostile cases")
        #expect(Set(Self.cases.map(\.name)).count == Self.cases.count, "two cases share a name")
    }

    @Test(arguments: cases)
    func hostileInputIsRefusedAndChangesNothing(_ testCase: Case) throws {
        let accord = try Accord.withLedger()
        defer { try? FileManager.default.removeItem(at: accord.directory) }
        try accord.append([M.event(by: "\"hartlepool/clerk\"", data: #"{"council":"hartlepool","name":"Hartlepool Borough Council"}"#)])
        let before = try accord.ledgerBytes()
        let result = try accord.run(["append", "-"], stdinData: Data(testCase.input))
        if let knownIssue = testCase.knownIssue {
            withKnownIssue(Comment(rawValue: knownIssue)) { try Self.check(result, testCase, accord: accord, before: before) }
        } else {
            try Self.check(result, testCase, accord: accord, before: before)
        }
    }

    /// Controls: values at the very edge of what is allowed are accepted (and
    /// pass the sovereignty rules), so the refusals above are about the hostile
    /// part of each input and nothing else.
    static let boundaries: [(name: String, input: String, stored: String, records: Int)] = [
        ("29 February in a leap year", M.event(effective: #""2024-02-29""#), #""effective":"2024-02-29""#, 1),
        ("29 February 2000", M.event(effective: #""2000-02-29""#), #""effective":"2000-02-29""#, 1),
        ("the first year", M.event(effective: #""1900-01-01""#), #""effective":"1900-01-01""#, 1),
        (
            "the last year", M.event() + "\n" + event("contract.registered", #"{"council":"darlington","contract":"c-1","counterparty":"Acme","ends":"2999-12-31"}"#),
            #""ends":"2999-12-31""#, 2
        ),
        ("a 64-character id", registered(council: "\"" + String(repeating: "a", count: 64) + "\"").replacingOccurrences(of: "darlington/clerk", with: String(repeating: "a", count: 64) + "/clerk"), #""by":""# + String(repeating: "a", count: 64) + "/clerk", 1),
        ("a 128-character idempotency key", M.event(extra: #","id":""# + String(repeating: "k", count: 128) + #"""#), String(repeating: "k", count: 128), 1),
        ("a 2000-byte name", registered(name: "\"" + String(repeating: "n", count: 2000) + "\""), String(repeating: "n", count: 2000), 1),
        ("an escaped slash in the author", M.event(by: #""darlington\/clerk""#), #""by":"darlington/clerk""#, 1),
        ("a population at the limit", registered(more: #","population":1000000000"#), #""population":1000000000"#, 1),
        // -0 is a JSON number equal to zero: the head of an empty ledger.
        ("expect -0 on an empty ledger", M.event(extra: #","expect":-0"#), #""seq":1,"#, 1),
        ("null optional fields", registered(more: #","population":null"#).replacingOccurrences(of: "}}", with: #"},"expect":null,"id":null}"#), #""data":{"council":"darlington","name":"Darlington Borough Council"}"#, 1),
        ("a CRLF line ending", registered() + "\r\n", #""council":"darlington""#, 1),
        ("a pretty-printed event", "{\n  \"type\": \"council.registered\",\n  \"effective\": \"2013-04-01\",\n  \"by\": \"darlington/clerk\",\n  \"data\": {\"council\": \"darlington\", \"name\": \"Ynys M\\u00f4n\"}\n}\n", #""name":"Ynys Môn""#, 1),
    ]

    @Test(arguments: boundaries.indices)
    func valuesAtTheEdgeAreAccepted(_ index: Int) throws {
        let (name, input, stored, records) = Self.boundaries[index]
        let accord = try Accord.withLedger()
        defer { try? FileManager.default.removeItem(at: accord.directory) }
        let result = try accord.run(["append", "-"], stdin: input)
        #expect(result.status == 0, "\(name): \(result.stderr)")
        let ledger = String(decoding: try accord.ledgerBytes(), as: UTF8.self)
        #expect(ledger.split(separator: "\n").count == records, "\(name)")
        #expect(ledger.contains(stored), "\(name): expected «\(stored)» in «\(ledger.prefix(400))»")
    }

    static func check(_ result: Accord.Result, _ testCase: Case, accord: Accord, before: Data) throws {
        #expect(result.status == testCase.status, "\(testCase.name): \(result.stderr)")
        #expect(result.stderr.hasPrefix("accord: error: "), "\(testCase.name): \(result.stderr.prefix(500))")
        #expect(result.stderr.contains(testCase.message), "\(testCase.name): expected «\(testCase.message)» in «\(result.stderr.prefix(500))»")
        #expect(result.stderr.utf8.count < 4096, "\(testCase.name): stderr floods the terminal (\(result.stderr.utf8.count) bytes)")
        #expect(try accord.ledgerBytes() == before, "\(testCase.name) changed the ledger")
    }
}
