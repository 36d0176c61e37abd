import Events
import Foundation
@testable import Ledger
import Sovereignty
import TestSupport
import Testing

/// Input events as a governance officer would write them, one JSON line each.
enum E {
    static func line(_ type: String, _ effective: String, _ by: String, _ data: String) -> String {
        #"{"type":"\#(type)","effective":"\#(effective)","by":"\#(by)","data":\#(data)}"#
    }
    static func register(_ council: String, _ date: String = "2013-01-01", by: String? = nil) -> String {
        line("council.registered", date, "\(by ?? council)/clerk", #"{"council":"\#(council)","name":"\#(council.capitalized) Council"}"#)
    }
    static func table(_ proposal: String, _ date: String, affects: [String], matter: String = "cost", agreement: String? = nil, terminates: [String] = [], by: String = "darlington") -> String {
        let agreementField = agreement.map { #","agreement":"\#($0)""# } ?? ""
        let terminatesField = terminates.isEmpty ? "" : #","terminates":[\#(terminates.map { "\"\($0)\"" }.joined(separator: ","))]"#
        return line("proposal.tabled", date, "\(by)/democratic-services", #"{"proposal":"\#(proposal)","title":"Proposal \#(proposal)","matter":"\#(matter)","affects":[\#(affects.map { "\"\($0)\"" }.joined(separator: ","))]\#(agreementField)\#(terminatesField)}"#)
    }
    static func decide(_ proposal: String, _ council: String, _ decision: String, _ date: String, by: String? = nil) -> String {
        line("council.decided", date, "\(by ?? council)/democratic-services", #"{"proposal":"\#(proposal)","council":"\#(council)","decision":"\#(decision)","body":"Cabinet","minute":"\#(council)-\#(proposal)"}"#)
    }
    static func agree(_ agreement: String, _ date: String, parties: [String], proposal: String, months: Int = 24, alignment: String = "none", quorum: Int? = nil) -> String {
        let quorumField = quorum.map { #","quorum":\#($0)"# } ?? ""
        return line("agreement.established", date, "darlington/legal", #"{"agreement":"\#(agreement)","title":"Agreement \#(agreement)","parties":[\#(parties.map { "\"\($0)\"" }.joined(separator: ","))],"notice":{"months":\#(months),"alignment":"\#(alignment)"}\#(quorumField),"proposal":"\#(proposal)"}"#)
    }
    static func join(_ agreement: String, _ council: String, _ date: String, proposal: String) -> String {
        line("agreement.joined", date, "\(council)/legal", #"{"agreement":"\#(agreement)","council":"\#(council)","proposal":"\#(proposal)"}"#)
    }
    static func post(_ post: String, _ date: String, agreement: String = "people", employer: String = "darlington", roles: [String] = ["DCS"], proposal: String, extra: String = "") -> String {
        line("post.established", date, "\(employer)/hr", #"{"post":"\#(post)","title":"Post \#(post)","agreement":"\#(agreement)","employer":"\#(employer)","roles":[\#(roles.map { "\"\($0)\"" }.joined(separator: ","))],"arrangement":"s113"\#(extra),"proposal":"\#(proposal)"}"#)
    }
    static func assure(_ post: String, _ council: String, _ date: String) -> String {
        let ratings = AssuranceQuestion.allCases.map { #""\#($0.rawValue)":"good""# }.joined(separator: ",")
        return line("assurance.recorded", date, "\(council)/chief-executive", #"{"post":"\#(post)","council":"\#(council)","ratings":{\#(ratings)},"reviewer":"Chief Executive"}"#)
    }
    static func cost(_ post: String, _ date: String, pounds: Int = 120_000, by: String = "darlington") -> String {
        line("post.costed", date, "\(by)/finance", #"{"post":"\#(post)","annualPence":\#(pounds * 100),"onCostBasisPoints":2500}"#)
    }
    static func apportion(_ post: String, _ date: String, _ weights: [(String, Int)], proposal: String, by: String = "darlington") -> String {
        let body = weights.map { #""\#($0.0)":\#($0.1)"# }.joined(separator: ",")
        return line("costs.apportioned", date, "\(by)/finance", #"{"post":"\#(post)","basis":"fixed","weights":{\#(body)},"proposal":"\#(proposal)"}"#)
    }
    static func notice(_ council: String, _ date: String, agreement: String? = nil, post: String? = nil, leaves: String? = nil, proposal: String? = nil, by: String? = nil) -> String {
        var data = #"{"council":"\#(council)""#
        if let agreement { data += #","agreement":"\#(agreement)""# }
        if let post { data += #","post":"\#(post)""# }
        if let leaves { data += #","leaves":"\#(leaves)""# }
        if let proposal { data += #","proposal":"\#(proposal)""# }
        return line("notice.served", date, "\(by ?? council)/legal", data + "}")
    }
    static func withdrawalCost(_ council: String, _ date: String, agreement: String = "people", by: String? = nil) -> String {
        line("withdrawal.costed", date, "\(by ?? council)/finance", #"{"council":"\#(council)","agreement":"\#(agreement)","amountPence":5000000,"description":"Redundancy of shared support staff"}"#)
    }
    static func contract(_ council: String, _ contract: String, _ date: String, by: String? = nil) -> String {
        line("contract.registered", date, "\(by ?? council)/legal", #"{"council":"\#(council)","contract":"\#(contract)","counterparty":"Stockton Borough Council"}"#)
    }
    static func vote(_ proposal: String, _ date: String, _ votes: [(String, Int, Int, Int)], chair: String? = nil, casting: String? = nil) -> String {
        let body = votes.map { #""\#($0.0)":{"for":\#($0.1),"against":\#($0.2),"abstain":\#($0.3)}"# }.joined(separator: ",")
        let chairField = chair.map { #","chair":"\#($0)""# } ?? ""
        let castingField = casting.map { #","casting":"\#($0)""# } ?? ""
        return line("committee.voted", date, "darlington/democratic-services", #"{"proposal":"\#(proposal)","committee":"Joint Committee","votes":{\#(body)}\#(chairField)\#(castingField)}"#)
    }
    static func retract(_ seq: Int, _ date: String, by: String = "darlington") -> String {
        line("record.retracted", date, "\(by)/legal", #"{"seq":\#(seq),"reason":"entered in error"}"#)
    }

    static let three = ["darlington", "hartlepool", "redcar"]

    /// Three councils, an agreement all approved, a shared DCS all approved,
    /// tested, costed and apportioned: 20 records, and every rule satisfied.
    static let base: [String] = three.map { register($0) } + [
        table("p-agree", "2013-02-01", affects: three, matter: "structure"),
    ] + three.map { decide("p-agree", $0, "approve", "2013-03-01") } + [
        agree("people", "2013-04-01", parties: three, proposal: "p-agree"),
        table("p-dcs", "2013-04-02", affects: three, matter: "structure", agreement: "people"),
    ] + three.map { decide("p-dcs", $0, "approve", "2013-05-01") } + [
        post("dcs", "2013-07-01", proposal: "p-dcs"),
        assure("dcs", "darlington", "2013-07-01"),
        cost("dcs", "2013-07-01"),
        table("p-share", "2013-05-02", affects: three, agreement: "people"),
    ] + three.map { decide("p-share", $0, "approve", "2013-06-01") } + [
        apportion("dcs", "2013-07-01", [("darlington", 1), ("hartlepool", 1), ("redcar", 1)], proposal: "p-share"),
    ]
}

/// A real ledger file appended through the real store with the sovereignty validator.
struct ValidatedLedger {
    let temporary: TemporaryDirectory
    let path: String
    let store: LedgerStore
    let clock: Clock

    init(
        _ lines: [String] = E.base, compactionSlackBytes: Int? = nil, shardReading: LedgerStore.ShardReading = .alongsideJudging,
        readAheadInputs: Int = ReadAhead.defaultMostInputs, clock: Clock = Clock()
    ) throws {
        temporary = try TemporaryDirectory("accord-sov")
        path = temporary.url.appendingPathComponent("ledger.jsonl").path
        var store = LedgerStore(path: path)
        if let compactionSlackBytes { store.compactionSlackBytes = compactionSlackBytes }
        store.shardReading = shardReading
        store.shardReadingAheadInputs = readAheadInputs
        self.clock = clock
        self.store = store
        try store.create()
        for (index, line) in lines.enumerated() {
            let findings = try attempt(line)
            #expect(findings.isEmpty, "setup line \(index + 1) was rejected: \(findings)")
        }
    }

    static func input(_ line: String, position: String = "input:1") throws -> PositionedEvent {
        PositionedEvent(position: position, event: try EventDecoder.decodeInput(Array(line.utf8)[...]))
    }

    /// Appends one event; returns the findings that rejected it, or [] if it was appended.
    @discardableResult
    func attempt(_ line: String) throws -> [Finding] {
        try attempt([line])
    }

    /// Appends a batch atomically; returns the findings that rejected it.
    func attempt(_ lines: [String], state: any ReplayState.Type = SovereigntyState.self) throws -> [Finding] {
        let inputs = try lines.enumerated().map { try Self.input($0.element, position: "input:\($0.offset + 1)") }
        do {
            if state == UncheckedState.self {
                _ = try store.append(inputs, state: UncheckedState.self, clock: clock)
            } else {
                _ = try store.append(inputs, state: SovereigntyState.self, clock: clock)
            }
            return []
        } catch {
            #expect(error.kind == .rejected, "expected a rule rejection, got \(error)")
            return error.findings
        }
    }

    func bytes() throws -> Data { try Data(contentsOf: URL(fileURLWithPath: path)) }

    /// Where the version of the shard holding `name` that the table points at
    /// lies in the pack (`ShardTable`'s layout: each word XOR the generation).
    func shardPlace(of name: String) throws -> (offset: Int, length: Int) {
        let table = try Data(contentsOf: URL(fileURLWithPath: store.checkpointPath + ".d/table"))
        func word(_ at: Int) -> UInt64 { table.withUnsafeBytes { UInt64(littleEndian: $0.loadUnaligned(fromByteOffset: at, as: UInt64.self)) } }
        let generation = word(16)
        let entry = ShardTable.headerBytes
            + CheckpointShard.index(of: name, count: CheckpointCache<SovereigntyState>.shardCount) * ShardTable.entryBytes
        return (Int(word(entry + 8) ^ generation), Int(word(entry + 16) ^ generation))
    }

    /// `accord check` over this ledger, as at `asOf`.
    func check(asOf: CalendarDate) throws -> [Finding] {
        var history = HistoryCheck()
        _ = try store.readVerified { (record) throws(AccordError) in history.add(record) }
        return history.finish(asOf: asOf)
    }
}
