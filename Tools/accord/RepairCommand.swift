import Ledger

enum RepairCommand {
    static let command = Command(
        name: "repair", summary: "remove a torn tail (keeps a backup); refuses anything else",
        usage: """
            usage: accord repair [--ledger PATH]

            Removes a torn tail — a record cut short by a crash, which was never
            acknowledged — after copying the whole file to PATH.torn-<time>.
            Refuses (exit 3) when the damage is anything else: an edited, removed or
            reordered record must be restored from a trusted copy, not repaired.

            """,
        spec: OptionSpec(),
        run: { (arguments) throws(AccordError) in
            let outcome = try LedgerStore(path: arguments.ledgerPath).repair(clock: try Clock.fromEnvironment())
            guard let backup = outcome.backupPath else {
                return CommandResult(stdout: "nothing to repair: the ledger has no torn tail (head \(outcome.head.seq))\n")
            }
            return CommandResult(
                stdout: """
                    removed a torn tail of \(outcome.removedBytes) bytes: \(outcome.reason ?? "")
                    backup of the whole file before repair: \(backup)
                    ledger head \(outcome.head.seq) \(outcome.head.hash.hex)

                    """)
        })
}
