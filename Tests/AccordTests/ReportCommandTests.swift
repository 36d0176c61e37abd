import Foundation
import Testing

/// The reports from the command line, on the shipped sample ledgers, with the
/// figures worked by hand in Events/Samples/SAMPLES.md.
@Suite struct ReportCommandTests {
    static let samples = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("../../Events/Samples").standardizedFileURL

    /// A scratch copy of a sample ledger, so tests may append to it.
    static func copy(_ name: String) throws -> Accord {
        let accord = try Accord.withLedger(initialise: false)
        try FileManager.default.copyItem(at: samples.appendingPathComponent("\(name).jsonl"), to: accord.ledger)
        return accord
    }

    static func pence(_ json: String, post: String) throws -> [String: Int] {
        let object = try JSONSerialization.jsonObject(with: Data(json.utf8)) as! [String: Any]
        let posts = object["posts"] as! [[String: Any]]
        let entry = try #require(posts.first { $0["post"] as? String == post })
        var result = ["total": entry["totalPence"] as! Int, "unapportioned": entry["unapportionedPence"] as! Int]
        for council in entry["councils"] as! [[String: Any]] { result[council["council"] as! String] = council["pence"] as? Int }
        return result
    }

    @Test func threeBoroughsSplitsMatchTheWorkedFigures() throws {
        let accord = try Self.copy("three-boroughs")
        let result = try accord.run(["splits", "--year", "2013", "--format", "json"])
        #expect(result.status == 0, "\(result.stderr)")
        // SAMPLES.md §1: 3,000,000/73 pence a day; dcs 274 days, dass 212 days, by population.
        #expect(try Self.pence(result.stdout, post: "dcs") == [
            "total": 11_260_274, "unapportioned": 0, "darlington": 3_572_972, "hartlepool": 3_112_816, "redcar": 4_574_486,
        ])
        #expect(try Self.pence(result.stdout, post: "dass") == [
            "total": 8_712_329, "unapportioned": 0, "darlington": 2_764_489, "hartlepool": 2_408_456, "redcar": 3_539_384,
        ])
    }

    @Test func aLeaversShareIsUnapportionedNotSpread() throws {
        let accord = try Self.copy("cambridgeshire-peterborough")
        let result = try accord.run(["splits", "--year", "2017", "--post", "exec-director", "--format", "json"])
        #expect(result.status == 0, "\(result.stderr)")
        // SAMPLES.md §2: notice served 2017-08-31, last day 2018-02-28; cambs' half from 1 March is unapportioned.
        #expect(try Self.pence(result.stdout, post: "exec-director") == [
            "total": 16_719_178, "unapportioned": 716_610, "pboro": 8_359_589, "cambs": 7_642_979,
        ])
    }

    @Test func aRetractedApportionmentIsVoidOnceKnownAndCountsBefore() throws {
        let accord = try Self.copy("three-boroughs")
        // Seq 21 apportions dcs by population (SAMPLES.md timeline).
        let retract = #"{"type":"record.retracted","effective":"2013-10-02","by":"darlington/finance","data":{"seq":21,"reason":"apportioned on the wrong basis"}}"#
        let appended = try accord.run(["append", "-"], stdin: retract, environment: ["ACCORD_CLOCK": "2026-11-25T10:00:00Z"])
        #expect(appended.status == 0, "\(appended.stderr)")
        let now = try accord.run(["splits", "--year", "2013", "--format", "json"])
        #expect(try Self.pence(now.stdout, post: "dcs") == ["total": 11_260_274, "unapportioned": 11_260_274])
        let before = try accord.run(["splits", "--year", "2013", "--known-at", "30", "--format", "json"])
        #expect(try Self.pence(before.stdout, post: "dcs")["darlington"] == 3_572_972)
        let history = try accord.run(["history", "--post", "dcs"])
        #expect(history.stdout.contains("retracted by seq 31"))
    }

    @Test func noticesCountDaysLeftFromTheAsOfDate() throws {
        let accord = try Self.copy("cambridgeshire-peterborough")
        let result = try accord.run(["notices", "--as-of", "2017-12-31", "--format", "json"])
        #expect(result.status == 0)
        #expect(result.stdout.contains(#""lastDay":"2018-02-28","daysLeft":59"#), "\(result.stdout)")
    }

    @Test func decisionsShowTheOutvotedCouncil() throws {
        let accord = try Self.copy("cambridgeshire-peterborough")
        let result = try accord.run(["decisions", "--proposal", "p-appoint-sd-education", "--format", "json"])
        #expect(result.status == 0)
        #expect(result.stdout.contains(#""adopted":false"#))
        #expect(result.stdout.contains(#""pboro":"reject""#))
    }

    @Test(arguments: ["three-boroughs", "cambridgeshire-peterborough", "clackmannanshire-stirling", "torbay"])
    func everySampleChecksClean(_ name: String) throws {
        let result = try Self.copy(name).run(["check", "--format", "json"])
        #expect(result.status == 0, "\(name): \(result.stdout)")
        #expect(result.stdout.contains(#""findings":[]"#))
    }

    @Test func checkExitsOneWithAnOverdueReview() throws {
        let result = try Self.copy("three-boroughs").run(["check", "--as-of", "2014-09-30", "--format", "json"])
        #expect(result.status == 1)
        #expect(result.stdout.contains(#""rule":"SG-7""#))
    }

    @Test func reportsRefuseATamperedLedger() throws {
        let accord = try Self.copy("three-boroughs")
        var bytes = try accord.ledgerBytes()
        // Change Redcar's weight in seq 21 without touching the chain: every report must refuse.
        let text = String(decoding: bytes, as: UTF8.self).replacingOccurrences(of: #""redcar":135200"#, with: #""redcar":135201"#)
        bytes = Data(text.utf8)
        try bytes.write(to: accord.ledger)
        for report in [["splits", "--year", "2013"], ["notices"], ["decisions"], ["check"], ["history", "--post", "dcs"]] {
            let result = try accord.run(report)
            #expect(result.status == 3, "\(report) printed from a tampered ledger")
            #expect(result.stdout.isEmpty)
        }
    }

    @Test(arguments: [
        (["splits", "--year", "2013", "--from", "2013-04-01", "--to", "2014-03-31"], "--year or --from"),
        (["splits", "--from", "2014-01-01", "--to", "2013-01-01"], "before it starts"),
        (["splits", "--year", "13"], "not a financial year"),
        (["notices", "--as-of", "2013-02-30"], "is not a date"),
        (["decisions", "--known-at", "99"], "never stood at seq 99"),
        (["history"], "exactly one of"),
        (["splits", "--post", "nobody"], "no post \"nobody\""),
    ])
    func reportUsageErrorsExitTwo(_ arguments: [String], _ message: String) throws {
        let result = try Self.copy("three-boroughs").run(arguments)
        #expect(result.status == 2, "\(arguments): \(result.stderr)")
        #expect(result.stderr.contains(message), "\(arguments): \(result.stderr)")
    }
}

/// SG-3 holds on every path into the ledger: one event, a batch, and an
/// import of an old paper trail under ACCORD_CLOCK.
@Suite struct AuthorshipPathTests {
    static let forged = #"{"type":"council.decided","effective":"2014-02-10","by":"darlington/democratic-services","data":{"proposal":"p-director-costs","council":"redcar","decision":"approve","body":"Cabinet","minute":"forged"}}"#
    static let honest = #"{"type":"notice.served","effective":"2014-02-01","by":"hartlepool/legal","data":{"council":"hartlepool","agreement":"people-services"}}"#

    @Test(arguments: [
        ("one event", [forged], [String: String]()),
        ("last of a batch", [honest, forged], [String: String]()),
        ("first of a batch", [forged, honest], [String: String]()),
        ("an import under ACCORD_CLOCK", [honest, forged], ["ACCORD_CLOCK": "2014-02-10T09:00:00Z"]),
    ])
    func noCouncilRecordsAnothersDecision(_ name: String, _ lines: [String], _ environment: [String: String]) throws {
        let accord = try ReportCommandTests.copy("three-boroughs")
        let before = try accord.ledgerBytes()
        var env = environment
        if env["ACCORD_CLOCK"] == nil { env["ACCORD_CLOCK"] = "2026-11-25T10:00:00Z" }
        let result = try accord.run(["append", "-"], stdin: lines.joined(separator: "\n"), environment: env)
        #expect(result.status == 1, "\(name): \(result.stderr)")
        #expect(result.stderr.contains("SG-3"), "\(name): \(result.stderr)")
        #expect(try accord.ledgerBytes() == before, "\(name): the ledger changed")
    }
}
