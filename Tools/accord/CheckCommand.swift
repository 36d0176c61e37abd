import Events
import Ledger
import Projections
import Sovereignty

enum CheckCommand {
    static let command = Command(
        name: "check", summary: "every sovereignty finding over the whole history",
        usage: """
            usage: accord check [--as-of DATE] [--known-at SEQ] [--ledger PATH] [--format table|csv|json]

            Re-runs every rule of the Sovereignty Guarantee (SG-1 … SG-8) over the
            history, judging each record against what the ledger held just before it,
            and lists every finding with the rule, the records and the councils
            concerned. Time-based findings, such as an overdue test of assurance, are
            judged at the as-of date. Exit 1 if there is any finding.
            \(ReportContext.viewpointUsage)

            """,
        spec: OptionSpec(values: ReportContext.viewpointOptions),
        run: run)

    static func run(_ arguments: Arguments) throws(AccordError) -> CommandResult {
        let format = try arguments.format()
        var history = HistoryCheck()
        let context = try ReportContext.load(arguments, each: { history.add($0) })
        let findings = history.finish(asOf: context.referenceDate)
        let status: Int32 = findings.isEmpty ? 0 : 1
        switch format {
        case .json:
            let members = context.jsonMembers + [("findings", JSONValue.array(findings.map(FindingJSON.encode)))]
            return CommandResult(stdout: JSONOut.render(JSONOut.object(members)), status: status)
        case .csv, .table:
            var table = Table([
                .init(title: "rule"), .init(title: "seqs"), .init(title: "councils"), .init(title: "finding"),
            ])
            for finding in findings {
                table.add([
                    finding.rule, finding.seqs.map(String.init).joined(separator: " "),
                    finding.councils.map(\.raw).joined(separator: " "), finding.message,
                ])
            }
            if format == .csv { return CommandResult(stdout: table.renderCSV(), status: status) }
            if findings.isEmpty {
                return CommandResult(stdout: "Sovereignty check \(context.caption): no findings in \(context.head) records.\n")
            }
            var out = "Sovereignty check \(context.caption): \(findings.count) finding\(findings.count == 1 ? "" : "s")\n"
            for finding in findings {
                let seqs = finding.seqs.map { "seq \($0)" }.joined(separator: ", ")
                out += "\n\(finding.rule) at \(seqs)"
                if !finding.councils.isEmpty { out += " — " + finding.councils.map(\.raw).joined(separator: ", ") }
                out += "\n  " + finding.message + "\n"
            }
            return CommandResult(stdout: out, status: status)
        }
    }
}
