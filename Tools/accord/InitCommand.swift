import Ledger

enum InitCommand {
    static let command = Command(
        name: "init", summary: "create an empty ledger",
        usage: """
            usage: accord init [--ledger PATH]

            Creates an empty ledger file (default ledger.jsonl, or $ACCORD_LEDGER).
            Refuses to overwrite an existing file.

            """,
        spec: OptionSpec(),
        run: { (arguments) throws(AccordError) in
            let store = LedgerStore(path: arguments.ledgerPath)
            try store.create()
            return CommandResult(stdout: "created an empty ledger at \(store.path)\n")
        })
}
