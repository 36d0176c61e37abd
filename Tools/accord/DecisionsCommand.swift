import Events
import Ledger
import Projections

enum DecisionsCommand {
    static let command = Command(
        name: "decisions", summary: "each proposal, each council's decision, the outcome",
        usage: """
            usage: accord decisions [--proposal P] [--as-of DATE] [--known-at SEQ] [--ledger PATH]
                                    [--format table|csv|json]

            Each proposal and each affected council's position: its own latest
            decision, or from a joint committee vote, approve only if a majority of
            that council's own members present and voting were for (SPEC §5.3). A
            proposal is adopted only when every affected council approves: an overall
            majority or a chair's casting vote binds nobody.
            \(ReportContext.viewpointUsage)

            """,
        spec: OptionSpec(values: ["--proposal"] + ReportContext.viewpointOptions),
        run: run)

    static func run(_ arguments: Arguments) throws(AccordError) -> CommandResult {
        let format = try arguments.format()
        let proposal = try arguments.identifier("--proposal")
        let context = try ReportContext.load(arguments)
        if let proposal, context.world.proposals[proposal] == nil {
            throw AccordError(.usage, position: "--proposal", "there is no proposal \"\(proposal)\" in the ledger")
        }
        let rows = Decisions.rows(context.world, asOf: context.viewpoint.asOf, proposal: proposal)
        switch format {
        case .json:
            let proposals: [JSONValue] = rows.map { row in
                JSONOut.object([
                    ("proposal", .string(row.proposal.raw)), ("title", .string(row.title)),
                    ("matter", .string(row.matter.description)), ("tabled", JSONOut.date(row.tabled)),
                    ("adopted", .bool(row.adopted)),
                    ("positions", JSONOut.object(row.positions.map { ($0.council.raw, .string($0.stance.rawValue)) })),
                    ("undecided", .array(row.undecided.map { .string($0.raw) })),
                    ("outvotedInCommittee", .array(row.outvoted.map { .string($0.raw) })),
                ])
            }
            return CommandResult(stdout: JSONOut.render(JSONOut.object(context.jsonMembers + [("proposals", .array(proposals))])))
        case .csv, .table:
            var table = Table([
                .init(title: "proposal"), .init(title: "matter"), .init(title: "council"), .init(title: "position"),
                .init(title: "by"), .init(title: "on"), .init(title: "outcome"),
            ])
            for row in rows {
                let outcome = row.adopted ? "adopted" : (row.undecided.isEmpty ? "not adopted" : "awaiting decisions")
                for (index, position) in row.positions.enumerated() {
                    table.add([
                        index == 0 ? row.proposal.raw : "", index == 0 ? row.matter.description : "",
                        position.council.raw, position.stance.rawValue, position.body ?? "",
                        position.effective?.iso ?? "", index == 0 ? outcome : "",
                    ])
                }
            }
            if format == .csv { return CommandResult(stdout: table.renderCSV()) }
            var out = "Decisions \(context.caption)\n\n" + (rows.isEmpty ? "No proposal has been tabled.\n" : table.renderText())
            for row in rows where !row.outvoted.isEmpty {
                out += "\n\(row.proposal): the joint committee carried it, but \(row.outvoted.map(\.raw).joined(separator: ", "))'s own members did not approve; that binds nobody.\n"
            }
            return CommandResult(stdout: out)
        }
    }
}
