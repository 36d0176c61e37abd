import Foundation
import Testing

/// SPEC §1: concurrent appenders never interleave, lose or duplicate a record,
/// and readers running reports meanwhile never see a half-written one.
@Suite(.serialized) struct ConcurrencyTests {
    /// Appends per writer. CI runs a quick 4 × 60; `ACCORD_CONCURRENCY_APPENDS=500`
    /// runs the full 4 × 500 soak of RELIABILITY.md.
    static let appendsEach = ProcessInfo.processInfo.environment["ACCORD_CONCURRENCY_APPENDS"].flatMap(Int.init) ?? 60
    static let writers = 4

    /// One officer's script: a shell loop of separate `accord append` processes.
    /// With `expect`, each append names the head it saw; a conflict (exit 4) is
    /// counted and retried with the new head, as the message says to.
    static func writerScript(expect: Bool) -> String {
        let event = #"{"type":"council.registered","effective":"2013-04-01","by":"w%s-%s/clerk","data":{"council":"w%s-%s","name":"Writer %s number %s"},"id":"w%s-%s"%s}\n"#
        return """
            i=0; conflicts=0
            while [ $i -lt \(appendsEach) ]; do
              extra=""
              if [ "\(expect)" = true ]; then
                head=$("$0" verify --format json | sed 's/.*"head":{"seq":\\([0-9]*\\).*/\\1/')
                extra=",\\"expect\\":$head"
              fi
              printf '\(event)' "$1" "$i" "$1" "$i" "$1" "$i" "$1" "$i" "$extra" | "$0" append - > /dev/null 2> err.$1
              status=$?
              if [ $status -eq 0 ]; then i=$((i + 1))
              elif [ $status -eq 4 ] && grep -q "expect" err.$1; then conflicts=$((conflicts + 1))
              else cat err.$1 >&2; exit 1; fi
              [ $conflicts -lt 100000 ] || exit 1
            done
            echo $conflicts
            """
    }

    static let readerScript = """
        while [ ! -f done ]; do
          "$0" log --format json > /dev/null || exit 1
          "$0" decisions > /dev/null || exit 1
          "$0" verify > /dev/null || exit 1
        done
        """

    @Test(arguments: [false, true])
    func fourWritersWhileReadersRunReports(expect: Bool) throws {
        let accord = try Accord.withLedger()
        func start(_ script: String, _ argument: String) throws -> (Process, Pipe) {
            let process = Process()
            process.executableURL = URL(fileURLWithPath: "/bin/sh")
            process.arguments = ["-c", script, Accord.binary.path, argument]
            process.currentDirectoryURL = accord.directory
            process.environment = ["ACCORD_CLOCK": accord.clock, "PATH": "/usr/bin:/bin"]
            let output = Pipe()
            process.standardOutput = output
            try process.run()
            return (process, output)
        }
        let writers = try (0..<Self.writers).map { try start(Self.writerScript(expect: expect), String($0)) }
        let readers = try (0..<2).map { try start(Self.readerScript, String($0)) }
        var conflicts = 0
        for (process, output) in writers {
            let text = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            process.waitUntilExit()
            #expect(process.terminationStatus == 0, "a writer failed")
            conflicts += Int(text.trimmingCharacters(in: .whitespacesAndNewlines)) ?? 0
        }
        _ = FileManager.default.createFile(atPath: accord.directory.appendingPathComponent("done").path, contents: nil)
        for (process, _) in readers {
            process.waitUntilExit()
            #expect(process.terminationStatus == 0, "a reader saw a damaged ledger while writers ran")
        }
        let total = Self.writers * Self.appendsEach
        let verify = try accord.run(["verify", "--format", "json"])
        #expect(verify.status == 0, "\(verify.stderr)")
        #expect(verify.stdout.contains("\"seq\":\(total)"))
        let lines = try accord.ledgerBytes().split(separator: 0x0A)
        #expect(lines.count == total)
        var ids = Set<String>()
        var perWriter = [Int](repeating: 0, count: Self.writers)
        for line in lines {
            let object = try JSONSerialization.jsonObject(with: Data(line)) as! [String: Any]
            let id = object["id"] as! String
            ids.insert(id)
            // Each writer's own records stay in its order: w<writer>-<i>.
            let parts = id.dropFirst().split(separator: "-").compactMap { Int($0) }
            #expect(parts[1] == perWriter[parts[0]], "writer \(parts[0])'s records are out of order or missing")
            perWriter[parts[0]] += 1
        }
        #expect(ids.count == total, "a record was lost or duplicated")
        if expect {
            // With four writers racing, some `expect` must have lost the race and been retried.
            #expect(conflicts > 0, "no expect conflict happened, so none was tested")
        }
    }
}
