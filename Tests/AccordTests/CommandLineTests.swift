import Foundation
import Testing

@Suite struct CommandLineTests {
    static func register(_ council: String, id: String? = nil) -> String {
        let idField = id.map { #","id":"\#($0)""# } ?? ""
        return #"{"type":"council.registered","effective":"2013-04-01","by":"\#(council)/clerk","data":{"council":"\#(council)","name":"\#(council.capitalized) Council"}\#(idField)}"#
    }

    @Test func initRefusesToOverwrite() throws {
        let accord = try Accord.withLedger()
        try accord.append([Self.register("darlington")])
        let before = try accord.ledgerBytes()
        let again = try accord.run(["init"])
        #expect(again.status == 2)
        #expect(again.stderr.contains("already exists"))
        #expect(try accord.ledgerBytes() == before)
    }

    @Test(arguments: [
        (["frobnicate"], "unknown command \"frobnicate\""),
        (["log", "--yaer", "2013"], "unknown option --yaer"),
        (["verify", "--head", "12:abc"], "--head: \"12:abc\" is not a head"),
        (["log", "--format", "xml"], "--format: \"xml\" is not a format"),
        (["log", "--type", "council.dissolved"], "--type: \"council.dissolved\" is not an event type"),
        (["append", "a", "b"], "unexpected argument \"b\""),
        (["append", "no-such-file.jsonl"], "no-such-file.jsonl: cannot open the input file"),
    ])
    func usageErrorsExitTwo(_ arguments: [String], _ message: String) throws {
        let accord = try Accord.withLedger()
        let result = try accord.run(arguments)
        #expect(result.status == 2, "\(arguments): \(result.stderr)")
        #expect(result.stderr.contains(message), "\(arguments): \(result.stderr)")
    }

    /// A clock whose offset carries it past 2999 (or before 1900) in UTC
    /// would record an instant no reader takes back: refused as usage, and
    /// the ledger, single event or batch, is as it was. (Found by review:
    /// a batch was appended, and the ledger then failed verification.)
    @Test(arguments: ["2999-12-31T23:30:00-01:00", "1900-01-01T00:30:00+01:00"], [1, 3])
    func aClockOutsideTheYearsIsRefused(_ clock: String, _ events: Int) throws {
        let accord = try Accord.withLedger()
        let before = try accord.ledgerBytes()
        let input = (1...events).map { Self.register("c\($0)") }.joined(separator: "\n") + "\n"
        let result = try accord.run(["append", "-"], stdin: input, environment: ["ACCORD_CLOCK": clock])
        #expect(result.status == 2, "\(clock): \(result.stderr)")
        #expect(result.stderr.contains("ACCORD_CLOCK"), "\(result.stderr)")
        #expect(try accord.ledgerBytes() == before)
    }

    @Test func everyCommandHasHelp() throws {
        let accord = try Accord.withLedger(initialise: false)
        for command in ["init", "append", "log", "verify", "repair"] {
            let result = try accord.run([command, "--help"])
            #expect(result.status == 0)
            #expect(result.stdout.hasPrefix("usage: accord \(command)"))
        }
        let overview = try accord.run(["--help"])
        #expect(overview.stdout.contains("exit status"))
    }

    @Test func verifyPrintsTheHeadAndChecksAMinutedOne() throws {
        let accord = try Accord.withLedger()
        try accord.append([Self.register("darlington"), Self.register("hartlepool")])
        let verified = try accord.run(["verify", "--format", "json"])
        #expect(verified.status == 0)
        let json = try JSONSerialization.jsonObject(with: Data(verified.stdout.utf8)) as! [String: Any]
        #expect(json["ok"] as? Bool == true)
        let head = json["head"] as! [String: Any]
        #expect(head["seq"] as? Int == 2)
        let hash = head["hash"] as! String
        let lastLine = try accord.ledgerBytes().split(separator: 0x0A).last!
        #expect(hash == sha256Hex(Data(lastLine)))

        try accord.append([Self.register("redcar")])
        #expect(try accord.run(["verify", "--head", "2:\(hash)"]).status == 0)
        let wrong = try accord.run(["verify", "--head", "1:\(hash)"])
        #expect(wrong.status == 3)
        #expect(wrong.stderr.contains("not the minuted"))
        let beyond = try accord.run(["verify", "--head", "9:\(hash)"])
        #expect(beyond.status == 3)
    }

    @Test func aTornTailIsReportedAndRepairedFromTheCommandLine() throws {
        let accord = try Accord.withLedger()
        try accord.append([Self.register("darlington")])
        try accord.append([Self.register("hartlepool")])
        let whole = try accord.ledgerBytes()
        let cut = whole.prefix(whole.count - 7)
        try cut.write(to: accord.ledger)
        let verify = try accord.run(["verify", "--format", "json"])
        #expect(verify.status == 3)
        #expect(verify.stdout.contains("\"tornTail\":true"))
        #expect(try accord.run(["log"]).status == 3)
        let append = try accord.run(["append", "-"], stdin: Self.register("redcar"))
        #expect(append.status == 3)
        #expect(append.stderr.contains("accord repair"))
        let repair = try accord.run(["repair"])
        #expect(repair.status == 0, "\(repair.stderr)")
        #expect(try accord.run(["verify"]).status == 0)
        #expect(try accord.ledgerBytes() == whole.prefix(whole.firstIndex(of: 0x0A)! + 1))
    }

    @Test func logFiltersAndFormats() throws {
        let accord = try Accord.withLedger()
        try accord.append([Self.register("darlington"), Self.register("hartlepool"), Self.register("redcar")])
        let table = try accord.run(["log", "--council", "hartlepool"])
        #expect(table.status == 0)
        #expect(table.stdout.contains("Hartlepool Council"))
        #expect(!table.stdout.contains("Redcar Council"))
        let csv = try accord.run(["log", "--format", "csv"])
        #expect(csv.stdout.hasPrefix("seq,effective,recorded,type,by,what\r\n"))
        #expect(csv.stdout.components(separatedBy: "\r\n").count == 5)
        let json = try accord.run(["log", "--format", "json", "--type", "council.registered"])
        let parsed = try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as! [String: Any]
        #expect((parsed["records"] as! [Any]).count == 3)
    }

    @Test func theLedgerPathComesFromTheEnvironmentOrTheOption() throws {
        let accord = try Accord.withLedger(initialise: false)
        #expect(try accord.run(["init"], environment: ["ACCORD_LEDGER": "from-env.jsonl"]).status == 0)
        #expect(FileManager.default.fileExists(atPath: accord.directory.appendingPathComponent("from-env.jsonl").path))
        #expect(try accord.run(["init", "--ledger", "from-option.jsonl"]).status == 0)
        #expect(FileManager.default.fileExists(atPath: accord.directory.appendingPathComponent("from-option.jsonl").path))
    }

    @Test func idempotentAndConflictingAppendsFromTheCommandLine() throws {
        let accord = try Accord.withLedger()
        try accord.append([Self.register("darlington", id: "reg-darlington")])
        let before = try accord.ledgerBytes()
        let again = try accord.run(["append", "-"], stdin: Self.register("darlington", id: "reg-darlington"))
        #expect(again.status == 0)
        #expect(again.stdout.contains("already recorded as seq 1"))
        let clash = try accord.run(["append", "-"], stdin: Self.register("hartlepool", id: "reg-darlington"))
        #expect(clash.status == 4)
        let stale = try accord.run(["append", "-"], stdin: Self.register("hartlepool").dropLast() + #","expect":0}"#)
        #expect(stale.status == 4)
        #expect(stale.stderr.contains("expected the ledger's head to be seq 0, but it is seq 1"))
        #expect(try accord.ledgerBytes() == before)
    }

    /// ulimit -f counts 512-byte blocks: the limit lets the write start and
    /// fail part-way. A batch of 6,000 records (about 2 MB) writes its whole
    /// blocks around the page cache, and fails inside them. The checkpoint's
    /// pack is as it was too: its shards are written only once the ledger's
    /// bytes are, and cut off if the append fails after.
    @Test(arguments: [(records: 20, limitBlocks: 1), (records: 6000, limitBlocks: 2048)])
    func aFullDiskLeavesTheLedgerAsItWas(records: Int, limitBlocks: Int) throws {
        let accord = try Accord.withLedger()
        try accord.append([Self.register("darlington")])
        let before = try accord.ledgerBytes()
        let pack = accord.directory.appendingPathComponent("ledger.jsonl.checkpoint.d/shards")
        let packBefore = try Data(contentsOf: pack)
        let batch = (0..<records).map { Self.register("council-\($0)") }.joined(separator: "\n")
        let script = "ulimit -f \(limitBlocks); exec \"$0\" append -"
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/sh")
        process.arguments = ["-c", script, Accord.binary.path]
        process.currentDirectoryURL = accord.directory
        process.environment = ["ACCORD_CLOCK": accord.clock, "PATH": "/usr/bin:/bin"]
        let input = Pipe(), error = Pipe()
        process.standardInput = input
        process.standardError = error
        process.standardOutput = Pipe()
        try process.run()
        input.fileHandleForWriting.write(Data(batch.utf8))
        try input.fileHandleForWriting.close()
        let message = String(decoding: error.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        #expect(process.terminationStatus == 3, "\(message)")
        #expect(message.contains("file size limit"))
        #expect(try accord.ledgerBytes() == before)
        #expect(try Data(contentsOf: pack) == packBefore)
        #expect(try accord.run(["verify"]).status == 0)
    }
}

func sha256Hex(_ data: Data) -> String {
    // Cross-checks the ledger's own SHA-256 against the system's.
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/sha256sum")
    let input = Pipe(), output = Pipe()
    process.standardInput = input
    process.standardOutput = output
    try! process.run()
    input.fileHandleForWriting.write(data)
    try! input.fileHandleForWriting.close()
    let text = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
    process.waitUntilExit()
    return String(text.prefix(64))
}
