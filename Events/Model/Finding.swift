/// One broken rule: what the validator reports on a rejected append and what
/// `accord check` lists. Shaped like SPEC §7.1's `check` output.
public struct Finding: Hashable, Sendable, CustomStringConvertible {
    /// `SG-1` … `SG-8`, or a ledger rule such as `ID-REUSED`.
    public var rule: String
    /// Records concerned; for a rejected append, the seq the event would have had.
    public var seqs: [Int]
    public var councils: [Identifier]
    /// The field of the event that broke the rule, e.g. `data.proposal`.
    public var field: String
    /// A sentence a governance officer understands, ending with the promise it protects.
    public var message: String

    public init(rule: String, seqs: [Int], councils: [Identifier], field: String = "", message: String) {
        self.rule = rule
        self.seqs = seqs
        self.councils = councils
        self.field = field
        self.message = message
    }

    public var description: String { "\(rule): \(message)" }
}
