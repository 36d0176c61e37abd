import Events

/// A finding as SPEC §7.1 shapes it: `{"rule", "seqs", "councils", "message"}`.
enum FindingJSON {
    static func encode(_ finding: Finding) -> JSONValue {
        var members: [(String, JSONValue)] = [
            ("rule", .string(finding.rule)),
            ("seqs", .array(finding.seqs.map { .integer(Int64($0)) })),
            ("councils", .array(finding.councils.map { .string($0.raw) })),
            ("message", .string(finding.message)),
        ]
        if !finding.field.isEmpty { members.append(("field", .string(finding.field))) }
        return JSONOut.object(members)
    }
}
