import Foundation
import Testing

/// SPEC §1: concurrent appenders never interleave, lose or duplicate a record.
@Suite struct ConcurrencyTests {
    @Test func fourProcessesAppendingTwoHundredFiftyEachGiveOneThousandRecords() throws {
        let accord = try Accord.withLedger()
        let writers = 4, appendsEach = 250
        // Each writer is a shell loop of separate `accord append` processes, as four officers' scripts would be.
        let script = """
            i=0
            while [ $i -lt \(appendsEach) ]; do
              printf '{"type":"council.registered","effective":"2013-04-01","by":"w%s-%s/clerk","data":{"council":"w%s-%s","name":"Writer %s number %s"},"id":"w%s-%s"}\\n' "$1" "$i" "$1" "$i" "$1" "$i" "$1" "$i" | "$0" append - > /dev/null || exit 1
              i=$((i + 1))
            done
            """
        var processes: [Process] = []
        for writer in 0..<writers {
            let process = Process()
            process.executableURL = URL(fileURLWithPath: "/bin/sh")
            process.arguments = ["-c", script, Accord.binary.path, String(writer)]
            process.currentDirectoryURL = accord.directory
            process.environment = ["ACCORD_CLOCK": accord.clock, "PATH": "/usr/bin:/bin"]
            try process.run()
            processes.append(process)
        }
        for process in processes {
            process.waitUntilExit()
            #expect(process.terminationStatus == 0)
        }
        let verify = try accord.run(["verify", "--format", "json"])
        #expect(verify.status == 0, "\(verify.stderr)")
        #expect(verify.stdout.contains("\"seq\":\(writers * appendsEach)"))
        let lines = try accord.ledgerBytes().split(separator: 0x0A)
        #expect(lines.count == writers * appendsEach)
        var ids = Set<String>()
        for line in lines {
            let object = try JSONSerialization.jsonObject(with: Data(line)) as! [String: Any]
            ids.insert(object["id"] as! String)
        }
        #expect(ids.count == writers * appendsEach, "a record was lost or duplicated")
    }
}
