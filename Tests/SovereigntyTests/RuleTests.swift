import Events
import Foundation
import Ledger
import Sovereignty
import Testing

/// For every rule: cases the validator accepts and cases it rejects, each on
/// a real ledger; a rejection names the rule and the councils and leaves the
/// file byte-for-byte as it was.
@Suite struct RuleTests {
    struct Case: CustomStringConvertible, Sendable {
        var name: String
        var setup: [String] = []
        var candidate: String
        /// nil: accepted.
        var rule: String?
        var councils: [String] = []
        /// Words a finding's message must hold, where the case says.
        var says: String? = nil
        var description: String { name }
    }

    static let three = E.three

    static let cases: [Case] = [
        // SG-1 out-voting in its forms.
        Case(name: "SG-1 accepted: every bound council approved before",
             setup: [E.table("p-9", "2014-01-01", affects: three, agreement: "people")] + three.map { E.decide("p-9", $0, "approve", "2014-02-01") },
             candidate: E.apportion("dcs", "2014-04-01", [("darlington", 2), ("hartlepool", 1), ("redcar", 1)], proposal: "p-9")),
        Case(name: "SG-1 a council rejected",
             setup: [E.table("p-9", "2014-01-01", affects: three, agreement: "people"),
                     E.decide("p-9", "darlington", "approve", "2014-02-01"), E.decide("p-9", "hartlepool", "approve", "2014-02-01"),
                     E.decide("p-9", "redcar", "reject", "2014-02-01")],
             candidate: E.apportion("dcs", "2014-04-01", [("darlington", 2), ("hartlepool", 1), ("redcar", 1)], proposal: "p-9"),
             rule: "SG-1", councils: ["redcar"]),
        Case(name: "SG-1 a council abstained",
             setup: [E.table("p-9", "2014-01-01", affects: three, agreement: "people"),
                     E.decide("p-9", "darlington", "approve", "2014-02-01"), E.decide("p-9", "hartlepool", "abstain", "2014-02-01"),
                     E.decide("p-9", "redcar", "approve", "2014-02-01")],
             candidate: E.apportion("dcs", "2014-04-01", [("darlington", 2), ("hartlepool", 1), ("redcar", 1)], proposal: "p-9"),
             rule: "SG-1", councils: ["hartlepool"]),
        Case(name: "SG-1 a council has not decided",
             setup: [E.table("p-9", "2014-01-01", affects: three, agreement: "people"),
                     E.decide("p-9", "darlington", "approve", "2014-02-01"), E.decide("p-9", "hartlepool", "approve", "2014-02-01")],
             candidate: E.post("dass", "2014-04-01", proposal: "p-9"),
             rule: "SG-1", councils: ["redcar"]),
        Case(name: "SG-1 the latest decision counts: approval withdrawn",
             setup: [E.table("p-9", "2014-01-01", affects: three, agreement: "people")] + three.map { E.decide("p-9", $0, "approve", "2014-02-01") }
                + [E.decide("p-9", "redcar", "reject", "2014-03-01")],
             candidate: E.post("dass", "2014-04-01", proposal: "p-9"),
             rule: "SG-1", councils: ["redcar"]),
        Case(name: "SG-1 committee carried overall, one council's members against",
             setup: [E.table("p-9", "2014-01-01", affects: three, agreement: "people"),
                     E.vote("p-9", "2014-02-01", [("darlington", 3, 0, 0), ("hartlepool", 3, 0, 0), ("redcar", 1, 2, 0)])],
             candidate: E.post("dass", "2014-04-01", proposal: "p-9"),
             rule: "SG-1", councils: ["redcar"]),
        Case(name: "SG-1 chair's casting vote",
             setup: [E.table("p-9", "2014-01-01", affects: ["darlington", "redcar"], agreement: "people"),
                     E.vote("p-9", "2014-02-01", [("darlington", 2, 0, 0), ("redcar", 0, 2, 0)], chair: "darlington", casting: "for")],
             candidate: E.post("dass", "2014-04-01", proposal: "p-9"),
             rule: "SG-1", councils: ["redcar"]),
        Case(name: "SG-1 accepted: each council's own members approved in committee",
             setup: [E.table("p-9", "2014-01-01", affects: three, agreement: "people"),
                     E.vote("p-9", "2014-02-01", [("darlington", 3, 0, 0), ("hartlepool", 2, 1, 0), ("redcar", 2, 1, 0)])],
             candidate: E.post("dass", "2014-04-01", proposal: "p-9")),
        Case(name: "SG-1 inquorate vote binds nobody",
             setup: [E.table("p-q", "2013-02-01", affects: ["darlington", "hartlepool"], matter: "structure"),
                     E.decide("p-q", "darlington", "approve", "2013-03-01"), E.decide("p-q", "hartlepool", "approve", "2013-03-01"),
                     E.agree("quorate", "2013-04-01", parties: ["darlington", "hartlepool"], proposal: "p-q", quorum: 3),
                     E.table("p-9", "2014-01-01", affects: ["darlington", "hartlepool"], agreement: "quorate"),
                     E.vote("p-9", "2014-02-01", [("darlington", 3, 0, 0), ("hartlepool", 2, 0, 0)])],
             candidate: E.post("dass", "2014-04-01", agreement: "quorate", proposal: "p-9"),
             rule: "SG-1", councils: ["darlington", "hartlepool"]),
        Case(name: "SG-1 decision dated after the binding event",
             setup: [E.table("p-9", "2014-01-01", affects: three, agreement: "people")] + three.map { E.decide("p-9", $0, "approve", "2014-05-01") },
             candidate: E.post("dass", "2014-04-01", proposal: "p-9"),
             rule: "SG-1", councils: three),
        Case(name: "SG-1 ending a post needs every sharing council",
             setup: [E.table("p-end", "2014-01-01", affects: three, agreement: "people"),
                     E.decide("p-end", "darlington", "approve", "2014-02-01"), E.decide("p-end", "hartlepool", "approve", "2014-02-01")],
             candidate: E.line("post.ended", "2014-04-01", "darlington/hr", #"{"post":"dcs","proposal":"p-end"}"#),
             rule: "SG-1", councils: ["redcar"]),
        // SG-2 reserved matters.
        Case(name: "SG-2 accepted: a reserved matter for one council",
             candidate: E.table("p-tax", "2014-01-01", affects: ["redcar"], matter: "reserved:council-tax", by: "redcar")),
        Case(name: "SG-2 a reserved matter put to two councils",
             candidate: E.table("p-tax", "2014-01-01", affects: ["redcar", "hartlepool"], matter: "reserved:council-tax"),
             rule: "SG-2", councils: ["redcar", "hartlepool"]),
        Case(name: "SG-2 another council deciding a reserved matter",
             setup: [E.table("p-tax", "2014-01-01", affects: ["redcar"], matter: "reserved:service-policy", by: "redcar")],
             candidate: E.decide("p-tax", "hartlepool", "reject", "2014-02-01"),
             rule: "SG-2", councils: ["hartlepool", "redcar"]),
        Case(name: "SG-2 a joint committee voting on a reserved matter",
             setup: [E.table("p-tax", "2014-01-01", affects: ["redcar"], matter: "reserved:spending-priorities", by: "redcar")],
             candidate: E.vote("p-tax", "2014-02-01", [("redcar", 1, 2, 0)]),
             rule: "SG-2", councils: ["redcar"]),
        // SG-3 authorship.
        Case(name: "SG-3 accepted: a council records its own decision",
             setup: [E.table("p-9", "2014-01-01", affects: three, agreement: "people")],
             candidate: E.decide("p-9", "redcar", "approve", "2014-02-01")),
        Case(name: "SG-3 one council recording another's decision",
             setup: [E.table("p-9", "2014-01-01", affects: three, agreement: "people")],
             candidate: E.decide("p-9", "redcar", "approve", "2014-02-01", by: "darlington"),
             rule: "SG-3", councils: ["redcar", "darlington"], says: "'s decision on p-9; only "),
        Case(name: "SG-3 one council serving another's notice",
             candidate: E.notice("redcar", "2014-02-01", agreement: "people", by: "hartlepool"),
             rule: "SG-3", councils: ["redcar", "hartlepool"], says: "'s notice to withdraw from agreement people; only "),
        Case(name: "SG-3 one council registering another's contract",
             candidate: E.contract("redcar", "equipment-store", "2014-02-01", by: "darlington"),
             rule: "SG-3", councils: ["redcar", "darlington"], says: "'s contract equipment-store; only "),
        // SG-4 apportionment.
        Case(name: "SG-4 accepted: a new party's share after it joined",
             setup: [E.register("stockton"),
                     E.table("p-join", "2014-01-01", affects: three + ["stockton"], agreement: "people")]
                + (three + ["stockton"]).map { E.decide("p-join", $0, "approve", "2014-02-01") }
                + [E.join("people", "stockton", "2014-03-01", proposal: "p-join")],
             candidate: E.apportion("dcs", "2014-04-01", [("darlington", 1), ("hartlepool", 1), ("redcar", 1), ("stockton", 1)], proposal: "p-join")),
        Case(name: "SG-4 a share for a council not party to the agreement",
             setup: [E.register("stockton"),
                     E.table("p-9", "2014-01-01", affects: three + ["stockton"], agreement: "people")]
                + (three + ["stockton"]).map { E.decide("p-9", $0, "approve", "2014-02-01") },
             candidate: E.apportion("dcs", "2014-04-01", [("darlington", 1), ("stockton", 1)], proposal: "p-9"),
             rule: "SG-4", councils: ["stockton"]),
        Case(name: "SG-4 a share for a council after it left",
             setup: [E.notice("redcar", "2013-08-01", agreement: "people"),
                     E.table("p-9", "2015-09-01", affects: three, agreement: "people")]
                + three.map { E.decide("p-9", $0, "approve", "2015-09-02") },
             candidate: E.apportion("dcs", "2015-10-01", [("darlington", 1), ("redcar", 1)], proposal: "p-9"),
             rule: "SG-4", councils: ["redcar"]),
        Case(name: "SG-4 a share for a council after its notice on the post ran out",
             setup: [E.notice("redcar", "2013-08-01", post: "dcs"),
                     E.table("p-9", "2015-09-01", affects: three, agreement: "people")]
                + three.map { E.decide("p-9", $0, "approve", "2015-09-02") },
             candidate: E.apportion("dcs", "2015-10-01", [("darlington", 1), ("hartlepool", 1), ("redcar", 1)], proposal: "p-9"),
             rule: "SG-4", councils: ["redcar"]),
        Case(name: "SG-4 accepted: notice on the post rescinded before it ran out",
             setup: [E.notice("redcar", "2013-08-01", post: "dcs"),
                     E.line("notice.rescinded", "2013-09-01", "redcar/legal", #"{"council":"redcar","notice":\#(E.base.count + 1)}"#),
                     E.table("p-9", "2015-09-01", affects: three, agreement: "people")]
                + three.map { E.decide("p-9", $0, "approve", "2015-09-02") },
             candidate: E.apportion("dcs", "2015-10-01", [("darlington", 1), ("hartlepool", 1), ("redcar", 1)], proposal: "p-9")),
        Case(name: "SG-4 accepted: notice served by another council named, on the post, not yet run out",
             setup: [E.notice("hartlepool", "2015-09-01", post: "dcs"),
                     E.table("p-9", "2015-09-01", affects: three, agreement: "people")]
                + three.map { E.decide("p-9", $0, "approve", "2015-09-02") },
             candidate: E.apportion("dcs", "2015-10-01", [("darlington", 1), ("hartlepool", 1), ("redcar", 1)], proposal: "p-9")),
        Case(name: "SG-4 a basis approved only after it takes effect",
             setup: [E.table("p-9", "2014-01-01", affects: three, agreement: "people")]
                + three.map { E.decide("p-9", $0, "approve", "2014-06-01") },
             candidate: E.apportion("dcs", "2014-04-01", [("darlington", 2), ("hartlepool", 1), ("redcar", 1)], proposal: "p-9"),
             rule: "SG-4", councils: three),
        // SG-5 contracts.
        Case(name: "SG-5 accepted: the contract's council approved its ending",
             setup: [E.contract("redcar", "equipment-store", "2013-01-02"),
                     E.table("p-9", "2014-01-01", affects: three, agreement: "people", terminates: ["equipment-store"])]
                + three.map { E.decide("p-9", $0, "approve", "2014-02-01") },
             candidate: E.post("dass", "2014-04-01", proposal: "p-9")),
        Case(name: "SG-5 a proposal ending a contract not put to its council",
             setup: [E.contract("redcar", "equipment-store", "2013-01-02")],
             candidate: E.table("p-9", "2014-01-01", affects: ["darlington", "hartlepool"], agreement: "people", terminates: ["equipment-store"]),
             rule: "SG-5", councils: ["redcar"]),
        Case(name: "SG-5 binding under a proposal the contract's council rejected",
             setup: [E.contract("redcar", "equipment-store", "2013-01-02"),
                     E.table("p-9", "2014-01-01", affects: ["darlington", "hartlepool", "redcar"], agreement: "people", terminates: ["equipment-store"]),
                     E.decide("p-9", "darlington", "approve", "2014-02-01"), E.decide("p-9", "hartlepool", "approve", "2014-02-01"),
                     E.decide("p-9", "redcar", "reject", "2014-02-01")],
             candidate: E.post("dass", "2014-04-01", employer: "hartlepool", proposal: "p-9"),
             rule: "SG-5", councils: ["redcar"]),
        // SG-6 withdrawal.
        Case(name: "SG-6 accepted: notice without an early date",
             candidate: E.notice("redcar", "2014-02-01", agreement: "people")),
        Case(name: "SG-6 accepted: early leaving every other party approved",
             setup: [E.table("p-leave", "2014-01-01", affects: three, agreement: "people")] + three.map { E.decide("p-leave", $0, "approve", "2014-01-15") },
             candidate: E.notice("redcar", "2014-02-01", agreement: "people", leaves: "2014-03-31", proposal: "p-leave")),
        Case(name: "SG-6 early leaving without a proposal",
             candidate: E.notice("redcar", "2014-02-01", agreement: "people", leaves: "2014-03-31"),
             rule: "SG-6", councils: ["redcar", "darlington", "hartlepool"]),
        Case(name: "SG-6 early leaving one other party did not approve",
             setup: [E.table("p-leave", "2014-01-01", affects: three, agreement: "people"),
                     E.decide("p-leave", "redcar", "approve", "2014-01-15"), E.decide("p-leave", "darlington", "approve", "2014-01-15")],
             candidate: E.notice("redcar", "2014-02-01", agreement: "people", leaves: "2014-03-31", proposal: "p-leave"),
             rule: "SG-6", councils: ["hartlepool", "redcar"]),
        Case(name: "SG-6 a withdrawal cost for a council that is not withdrawing",
             candidate: E.withdrawalCost("hartlepool", "2014-02-01"),
             rule: "SG-6", councils: ["hartlepool"]),
        Case(name: "SG-6 accepted: the leaver records its own withdrawal cost",
             setup: [E.notice("redcar", "2014-02-01", agreement: "people")],
             candidate: E.withdrawalCost("redcar", "2014-03-01")),
        // SG-7 assurance.
        Case(name: "SG-7 accepted: a DASS tested before it is costed",
             setup: [E.post("dass", "2013-07-01", employer: "hartlepool", roles: ["DASS"], proposal: "p-dcs"),
                     E.assure("dass", "hartlepool", "2013-07-01")],
             candidate: E.cost("dass", "2013-07-01", by: "hartlepool")),
        Case(name: "SG-7 a DASS costed before any test",
             setup: [E.post("dass", "2013-07-01", employer: "hartlepool", roles: ["DASS"], proposal: "p-dcs")],
             candidate: E.cost("dass", "2013-07-01", by: "hartlepool"),
             rule: "SG-7", councils: ["darlington", "hartlepool", "redcar"]),
        Case(name: "SG-7 a DCS appointed before its test",
             setup: [E.post("dcs2", "2013-07-01", roles: ["DCS"], proposal: "p-dcs"),
                     E.assure("dcs2", "darlington", "2013-09-01")],
             candidate: E.line("post.appointed", "2013-08-01", "darlington/hr", #"{"post":"dcs2","holder":"A. Director","proposal":"p-dcs"}"#),
             rule: "SG-7", councils: ["darlington", "hartlepool", "redcar"]),
        // SG-8 references and dates.
        Case(name: "SG-8 accepted: a council registers itself",
             candidate: E.register("stockton")),
        Case(name: "SG-8 a decision on a proposal never tabled",
             candidate: E.decide("p-none", "redcar", "approve", "2014-02-01"),
             rule: "SG-8"),
        Case(name: "SG-8 a post defined twice",
             candidate: E.post("dcs", "2014-04-01", proposal: "p-dcs"),
             rule: "SG-8"),
        Case(name: "SG-8 a council not registered",
             candidate: E.table("p-9", "2014-01-01", affects: ["stockton"]),
             rule: "SG-8", councils: ["stockton"]),
        Case(name: "SG-8 a cost dated before the post exists",
             candidate: E.cost("dcs", "2013-06-01"),
             rule: "SG-8"),
        Case(name: "SG-8 retracting a retraction",
             setup: [E.retract(20, "2014-01-01")],
             candidate: E.retract(21, "2014-01-02"),
             rule: "SG-8"),
    ]

    @Test(arguments: cases)
    func ruleJudgesTheCase(_ c: Case) throws {
        let ledger = try ValidatedLedger(E.base + c.setup)
        let before = try ledger.bytes()
        let findings = try ledger.attempt(c.candidate)
        guard let rule = c.rule else {
            #expect(findings.isEmpty, "\(c.name): rejected with \(findings)")
            return
        }
        #expect(!findings.isEmpty, "\(c.name): accepted, expected \(rule)")
        #expect(findings.allSatisfy { $0.rule == rule }, "\(c.name): \(findings.map(\.rule)) not all \(rule): \(findings)")
        let named = Set(findings.flatMap(\.councils).map(\.raw))
        #expect(named == Set(c.councils), "\(c.name): councils \(named.sorted()), expected \(c.councils.sorted())")
        #expect(findings.allSatisfy { $0.message.contains("(\(rule))") }, "\(c.name): a message does not name the promise")
        if let says = c.says {
            #expect(findings.contains { $0.message.contains(says) }, "\(c.name): no message says \"\(says)\": \(findings)")
        }
        #expect(try ledger.bytes() == before, "\(c.name): the ledger changed after a rejection")
    }

    @Test func everyRuleHasAnAcceptedAndTwoRejectedCases() {
        for rule in (1...8).map({ "SG-\($0)" }) {
            let rejected = Self.cases.filter { $0.rule == rule }.count
            let accepted = Self.cases.filter { $0.rule == nil && $0.name.hasPrefix(rule) }.count
            #expect(rejected >= 2 && accepted >= 1, "\(rule): \(accepted) accepted, \(rejected) rejected")
        }
    }

    @Test func aRejectedEventInABatchRejectsTheWholeBatch() throws {
        let ledger = try ValidatedLedger()
        let before = try ledger.bytes()
        let findings = try ledger.attempt([
            E.table("p-9", "2014-01-01", affects: E.three, agreement: "people"),
            E.decide("p-9", "redcar", "approve", "2014-02-01", by: "darlington"),
        ])
        #expect(findings.map(\.rule) == ["SG-3"])
        #expect(try ledger.bytes() == before)
    }
}
