import Events
import Ledger

enum VerifyCommand {
    static let command = Command(
        name: "verify", summary: "check the integrity of the chain; print the head",
        usage: """
            usage: accord verify [--head SEQ:HASH] [--ledger PATH] [--format table|json]

            Reads every record and checks every link of the hash chain. Prints the
            head (seq and SHA-256 of the last line), which is what a council minutes.
            --head SEQ:HASH checks that the record at SEQ still hashes to HASH, i.e.
            that this copy extends the one whose head was minuted.
            Exit 3 names the first bad seq, or the torn tail that `accord repair` removes.

            """,
        spec: OptionSpec(values: ["--head"]),
        run: run)

    static func run(_ arguments: Arguments) throws(AccordError) -> CommandResult {
        let format = try arguments.format()
        let minuted = try arguments.value("--head").map { (text) throws(AccordError) in try parseHead(text) }
        let store = LedgerStore(path: arguments.ledgerPath)
        var minutedHash: SHA256Digest?
        let summary = try store.verify { (frame, line) throws(AccordError) in
            if let minuted, frame.seq == minuted.seq { minutedHash = SHA256.hash(line) }
        }
        var problems: [String] = []
        var firstBadSeq = summary.chainBreak?.firstBadSeq
        if let chainBreak = summary.chainBreak {
            problems.append("seq \(chainBreak.firstBadSeq): \(chainBreak.message)")
        }
        if let torn = summary.tornTail {
            problems.append(
                "torn tail at byte \(torn.offset) (\(torn.byteCount) bytes never acknowledged): \(torn.reason); run `accord repair` to remove it"
            )
        }
        if let minuted, summary.chainBreak == nil {
            if minuted.seq > summary.head.seq {
                problems.append("the minuted head seq \(minuted.seq) is beyond this ledger's head \(summary.head.seq): records are missing")
                firstBadSeq = firstBadSeq ?? summary.head.seq + 1
            } else if minuted.seq > 0, minutedHash != minuted.hash {
                problems.append(
                    "seq \(minuted.seq) hashes to \(minutedHash?.hex ?? "?"), not the minuted \(minuted.hash.hex): this is not the ledger that was minuted"
                )
                firstBadSeq = firstBadSeq ?? minuted.seq
            }
        }
        let ok = problems.isEmpty
        let output: String
        switch format {
        case .json:
            var members: [(String, JSONValue)] = [
                ("ok", .bool(ok)), ("head", HeadJSON.encode(summary.head)),
                ("tornTail", .bool(summary.tornTail != nil)),
            ]
            if let firstBadSeq { members.append(("firstBadSeq", .integer(Int64(firstBadSeq)))) }
            if !problems.isEmpty { members.append(("problems", .array(problems.map { .string($0) }))) }
            output = JSONOut.render(JSONOut.object(members))
        case .table, .csv:
            var text = ok ? "ok: every link of the chain holds\n" : ""
            if ok, let minuted { text += "the minuted head \(minuted.seq):\(minuted.hash.hex.prefix(12))… is part of this ledger\n" }
            text += "ledger head \(summary.head.seq) \(summary.head.hash.hex)\n"
            output = text
        }
        guard ok else {
            // The head printed above is the last record that can still be trusted.
            Platform.writeStandard(1, output)
            throw AccordError(
                .integrity, position: arguments.ledgerPath, problems.joined(separator: "\n  "),
                hint: firstBadSeq != nil
                    ? "records from seq \(firstBadSeq!) on cannot be trusted; compare with a copy whose head was minuted" : nil)
        }
        return CommandResult(stdout: output)
    }

    static func parseHead(_ text: String) throws(AccordError) -> (seq: Int, hash: SHA256Digest) {
        let parts = text.split(separator: ":", maxSplits: 1)
        guard parts.count == 2, let seq = Int(parts[0]), seq >= 0, let hash = SHA256Digest(hex: parts[1]) else {
            throw AccordError(
                .usage, position: "--head", "\"\(text)\" is not a head; give SEQ:HASH with the 64-hex-digit SHA-256",
                hint: "accord verify prints the head as `ledger head SEQ HASH`")
        }
        return (seq, hash)
    }
}
