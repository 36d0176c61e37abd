import Events
import Foundation
import Ledger
import Sovereignty
import Testing

/// A realistic three-council history, written with validation off (the
/// test-only path), so that `check` has real breaches to find.
@Suite struct ScenarioTests {
    static let four = E.three + ["stockton"]

    /// Seq 21 onwards, after the 20 records of `E.base`.
    static let story: [String] = [
        E.register("stockton", "2014-01-01"),                                                   // 21
        E.table("p-join", "2014-01-02", affects: four, agreement: "people"),                    // 22
    ] + four.map { E.decide("p-join", $0, "approve", "2014-02-01") } + [                       // 23–26
        E.join("people", "stockton", "2014-03-01", proposal: "p-join"),                         // 27
        E.table("p-split", "2014-03-02", affects: four, agreement: "people"),                   // 28
        // Stockton's own members vote 0–2; the committee carries it 8–2 overall.
        E.vote("p-split", "2014-03-10", [("darlington", 3, 0, 0), ("hartlepool", 3, 0, 0), ("redcar", 2, 0, 0), ("stockton", 0, 2, 0)]),  // 29
        E.apportion("dcs", "2014-04-01", four.map { ($0, 1) }, proposal: "p-split"),            // 30: SG-1, stockton out-voted
        E.notice("redcar", "2014-06-30", agreement: "people"),                                  // 31
        E.withdrawalCost("redcar", "2014-07-01"),                                                // 32
        E.withdrawalCost("hartlepool", "2014-07-01"),                                            // 33: SG-6, not withdrawing
        E.post("dass", "2014-09-01", employer: "hartlepool", roles: ["DASS"], proposal: "p-dcs"), // 34
        E.cost("dass", "2014-09-01", by: "hartlepool"),                                          // 35: SG-7, costed before a test
        E.assure("dass", "hartlepool", "2014-10-01"),                                            // 36: the late test
    ]

    static func uncheckedLedger() throws -> ValidatedLedger {
        let ledger = try ValidatedLedger([])
        for line in E.base + story {
            #expect(try ledger.attempt([line], state: UncheckedState.self).isEmpty)
        }
        return ledger
    }

    @Test func checkListsExactlyTheBreaches() throws {
        let findings = try Self.uncheckedLedger().check(asOf: CalendarDate(iso: "2015-08-01")!)
        let got = findings.map { "\($0.rule) \($0.seqs) \($0.councils.map(\.raw))" }
        #expect(got == [
            #"SG-1 [30] ["stockton"]"#,
            #"SG-6 [33] ["hartlepool"]"#,
            #"SG-7 [35, 34] ["darlington", "hartlepool", "redcar", "stockton"]"#,
            #"SG-7 [34] ["darlington", "hartlepool", "redcar", "stockton"]"#,
            #"SG-7 [13] ["darlington", "hartlepool", "redcar"]"#,
        ])
        let outvoted = try #require(findings.first)
        #expect(outvoted.message.contains("members voted 0–2 on proposal p-split"))
        #expect(outvoted.message.contains("though the committee as a whole carried it"))
        #expect(findings.last!.message.contains("overdue: it fell due on 2014-07-01"))
    }

    @Test func beforeTheReviewFallsDueThereIsNoOverdueFinding() throws {
        let findings = try Self.uncheckedLedger().check(asOf: CalendarDate(iso: "2014-06-30")!)
        #expect(!findings.contains { $0.seqs == [13] })
    }

    /// `check` over the unchecked ledger finds exactly what append would have
    /// rejected: each event tried on its own against the real appender, on a
    /// copy of the ledger as it stood before it.
    @Test func checkFindsExactlyWhatAppendWouldHaveRejected() throws {
        let lines = E.base + Self.story
        let full = try Self.uncheckedLedger()
        let recordLines = try full.bytes().split(separator: 0x0A).map { Data($0) + Data([0x0A]) }
        var rejected: [Int] = []
        for k in (E.base.count + 1)...lines.count {
            let copy = try ValidatedLedger([])
            try recordLines.prefix(k - 1).reduce(Data(), +).write(to: URL(fileURLWithPath: copy.path))
            if !(try copy.attempt(lines[k - 1])).isEmpty { rejected.append(k) }
        }
        let flagged = Set(try full.check(asOf: CalendarDate(iso: "2014-06-30")!).compactMap(\.seqs.first))
        #expect(rejected == [30, 33, 35])
        #expect(flagged == Set(rejected))
    }

    @Test func aRetractedBreachIsNoLongerAFinding() throws {
        let ledger = try Self.uncheckedLedger()
        #expect(try ledger.attempt([E.retract(33, "2014-07-02")], state: UncheckedState.self).isEmpty)
        let findings = try ledger.check(asOf: CalendarDate(iso: "2014-06-30")!)
        #expect(!findings.contains { $0.seqs.first == 33 })
        #expect(findings.contains { $0.seqs.first == 30 })
    }
}
