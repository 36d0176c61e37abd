import Events
import Testing
@testable import Projections

/// As-of and known-at (SPEC §5.4) and corrections by `record.retracted`. Every
/// world here is folded from only the records a `Viewpoint` admits, as the CLI does.
@Suite("History, as-of and known-at (SPEC §5.4)")
struct HistoryTests {
    /// FY 2021-22 (365 days) at 3 650 000 a year = 10 000 a day, no on-costs.
    /// seq `first`: a:b = 1:1 from 2021-04-01; seq `second`: a:b = 3:1 from 2021-10-01;
    /// then `second` is retracted (effective 2021-11-15).
    struct Apportionments {
        var ledger = LedgerBuilder()
        var first = 0, second = 0, retraction = 0
        init() {
            ledger.post("p1", agreement: "agr", employer: "a")
            ledger.cost("p1", 3_650_000, on: "2021-04-01")
            first = ledger.apportion("p1", ["a": 1, "b": 1], on: "2021-04-01")
            second = ledger.apportion("p1", ["a": 3, "b": 1], on: "2021-10-01")
            retraction = ledger.retract(second, on: "2021-11-15", reason: "weights were never agreed")
        }
        func split(_ viewpoint: Viewpoint) throws -> [String: Int64] {
            try splitOf(ledger.world(viewpoint), "p1", from: "2021-04-01", to: "2022-03-31").penceByCouncil
        }
    }

    @Test func retractedApportionmentIsVoidOnceKnown() throws {
        let s = Apportionments()
        // Known before the retraction: 2021-04-01 … 09-30 = 183 days at 5 000 each;
        // 2021-10-01 … 2022-03-31 = 182 days at a 7 500, b 2 500.
        //   a = 183 × 5 000 + 182 × 7 500 = 915 000 + 1 365 000 = 2 280 000
        //   b = 183 × 5 000 + 182 × 2 500 = 915 000 +   455 000 = 1 370 000
        let before = ["a": Int64(2_280_000), "b": 1_370_000, "(unapportioned)": 0]
        #expect(try s.split(Viewpoint(knownAt: s.retraction - 1)) == before)
        // Once known, the 3:1 apportionment never was: 1:1 all year, 1 825 000 each.
        let after = ["a": Int64(1_825_000), "b": 1_825_000, "(unapportioned)": 0]
        #expect(try s.split(Viewpoint()) == after)
        #expect(try s.split(Viewpoint(knownAt: s.retraction)) == after)
        // As at 2021-10-31, before the retraction's own effective date (2021-11-15), the
        // retracted record is still void when the retraction is known: void at every date.
        #expect(try s.split(Viewpoint(asOf: d("2021-10-31"))) == after)
        // The same date as known before the correction still shows the 3:1 weights.
        #expect(try s.split(Viewpoint(asOf: d("2021-10-31"), knownAt: s.retraction - 1)) == before)
        // As at 2021-09-30 the 3:1 record is not yet effective whatever is known.
        #expect(try s.split(Viewpoint(asOf: d("2021-09-30"), knownAt: s.retraction - 1)) == after)
        #expect(s.ledger.world().retracted == [s.second: s.retraction])
    }

    @Test func retractingTheOnlyApportionmentLeavesItsDaysUnapportioned() throws {
        var s = Apportionments()
        s.ledger.retract(s.first, on: "2021-11-20")
        // The retraction of `second` stands too: nothing is apportioned all year.
        #expect(try s.split(Viewpoint()) == ["(unapportioned)": 3_650_000])
        #expect(s.ledger.world().posts["p1"]?.shares.isEmpty == true)

        // Retracting only the first: 183 days unapportioned, then 3:1 for 182 days.
        //   unapportioned = 183 × 10 000 = 1 830 000; a = 182 × 7 500 = 1 365 000; b = 182 × 2 500 = 455 000
        var t = LedgerBuilder()
        t.post("p1", agreement: "agr", employer: "a")
        t.cost("p1", 3_650_000, on: "2021-04-01")
        let first = t.apportion("p1", ["a": 1, "b": 1], on: "2021-04-01")
        t.apportion("p1", ["a": 3, "b": 1], on: "2021-10-01")
        t.retract(first, on: "2021-12-01")
        let split = try splitOf(t.world(), "p1", from: "2021-04-01", to: "2022-03-31")
        #expect(split.penceByCouncil == ["a": 1_365_000, "b": 455_000, "(unapportioned)": 1_830_000])
    }

    /// A correction: a wrong salary retracted and recorded again with the same effective date.
    /// Period 2021-04-01 … 2021-09-30 = 183 days of FY 2021-22 (365 days); a:b = 1:1, employer a.
    ///   wrong:   10 000 000 × 1.25 = 12 500 000 a year; × 183/365 = 457 500 000/73 = 6 267 123.288
    ///            → total 6 267 123; halves 228 750 000/73 = 3 133 561.644 → floors 3 133 561 each,
    ///            1 left, remainders tie (.644) → employer a: a 3 133 562, b 3 133 561.
    ///   correct: 11 000 000 × 1.25 = 13 750 000 a year; × 183/365 = 503 250 000/73 = 6 893 835.616
    ///            → total 6 893 836; halves 251 625 000/73 = 3 446 917.808 → floors 3 446 917 each,
    ///            2 left → one each: 3 446 918 each.
    @Test func knownAtBeforeAndAfterACorrection() throws {
        var l = LedgerBuilder()
        l.post("p1", agreement: "agr", employer: "a")
        let wrong = l.cost("p1", 10_000_000, onCost: 2500, on: "2021-04-01")
        l.apportion("p1", ["a": 1, "b": 1], on: "2021-04-01")
        let retraction = l.retract(wrong, on: "2021-06-01", reason: "wrong salary scale")
        let corrected = l.cost("p1", 11_000_000, onCost: 2500, on: "2021-04-01")
        func split(_ viewpoint: Viewpoint) throws -> PostSplit? {
            try Splits.split(l.world(viewpoint), post: "p1", from: d("2021-04-01"), to: d("2021-09-30"))
        }
        let original = ["a": Int64(3_133_562), "b": 3_133_561, "(unapportioned)": 0]
        let fixed = ["a": Int64(3_446_918), "b": 3_446_918, "(unapportioned)": 0]

        #expect(try split(Viewpoint(knownAt: wrong))?.penceByCouncil == ["(unapportioned)": 6_267_123])
        #expect(try split(Viewpoint(knownAt: retraction - 1))?.penceByCouncil == original)
        #expect(try split(Viewpoint(knownAt: retraction - 1))?.totalPence == 6_267_123)
        // Between the retraction and the new figure the post has no cost at all.
        #expect(try split(Viewpoint(knownAt: retraction)) == nil)
        #expect(try split(Viewpoint(knownAt: corrected))?.penceByCouncil == fixed)
        #expect(try split(Viewpoint())?.totalPence == 6_893_836)
        // as-of and known-at are independent: as at 2021-05-31 (before the retraction's
        // effective date) the corrected figure applies once known, the wrong one before.
        #expect(try split(Viewpoint(asOf: d("2021-05-31")))?.penceByCouncil == fixed)
        #expect(try split(Viewpoint(asOf: d("2021-05-31"), knownAt: retraction - 1))?.penceByCouncil == original)
    }

    @Test func viewpointAdmits() {
        var l = LedgerBuilder()
        l.post("p1", agreement: "agr", employer: "a")  // seq 1, 2010-03-01
        l.cost("p1", 100, on: "2021-04-01")  // seq 2
        l.retract(2, on: "2030-01-01")  // seq 3: a retraction dated long after
        let r = l.records
        #expect(Viewpoint().admits(r[0]) && Viewpoint().admits(r[2]))
        #expect(Viewpoint(knownAt: 2).admits(r[1]) && !Viewpoint(knownAt: 2).admits(r[2]))
        #expect(!Viewpoint(asOf: d("2021-03-31")).admits(r[1]))
        #expect(Viewpoint(asOf: d("2021-04-01")).admits(r[1]))
        // A retraction counts as soon as it is known, whatever its effective date…
        #expect(Viewpoint(asOf: d("2021-04-01")).admits(r[2]))
        // …but not before it is known.
        #expect(!Viewpoint(asOf: d("2021-04-01"), knownAt: 2).admits(r[2]))
        #expect(Viewpoint(knownAt: 2).isPast(r[2]) && !Viewpoint(knownAt: 2).isPast(r[1]))
        #expect(!Viewpoint(asOf: d("2000-01-01")).isPast(r[2]))
    }

    /// A notice retracted (rather than rescinded): as if never served.
    @Test func retractedNotice() throws {
        var l = LedgerBuilder()
        l.agreement("agr", parties: ["a", "b"], notice: NoticeRule(months: 1, alignment: .none))
        l.post("p1", agreement: "agr", employer: "a")
        l.cost("p1", 3_650_000, on: "2021-04-01")
        l.apportion("p1", ["a": 1, "b": 1], on: "2021-04-01")
        let notice = l.notice("b", .agreement("agr"), on: "2021-05-10")
        l.retract(notice, on: "2021-05-11", reason: "served by mistake")
        let world = l.world()
        #expect(world.notices.isEmpty)
        #expect(Notices.rows(world, asOf: d("2021-06-01")).isEmpty)
        #expect(try splitOf(world, "p1", from: "2021-04-01", to: "2022-03-31").unapportionedPence == 0)
        #expect(Notices.rows(l.world(Viewpoint(knownAt: notice)), asOf: d("2021-06-01")).count == 1)
    }

    @Test func historyOfAPostMarksRetractions() {
        var l = LedgerBuilder()
        l.proposal("p-post", affects: ["a", "b"], on: "2021-01-01")  // 1
        l.decide("p-post", "a", .approve, on: "2021-01-10")  // 2
        l.decide("p-post", "b", .approve, on: "2021-01-11")  // 3
        l.proposal("p-other", affects: ["a"], on: "2021-01-12")  // 4
        l.decide("p-other", "a", .approve, on: "2021-01-13")  // 5: not about the post
        l.post("p1", agreement: "agr", employer: "a", on: "2021-02-01", proposal: "p-post")  // 6
        l.post("p2", agreement: "agr", employer: "a", on: "2021-02-01")  // 7
        let cost = l.cost("p1", 100, on: "2021-04-01")  // 8
        l.cost("p2", 100, on: "2021-04-01")  // 9
        let retraction = l.retract(cost, on: "2021-04-02")  // 10
        l.decide("p-post", "b", .reject, on: "2021-05-01")  // 11: a later decision on the cited proposal
        var history = History(subject: .post("p1"))
        for record in l.records { history.add(record) }
        #expect(history.lines.map(\.record.seq) == [6, 8, 10, 11])
        #expect(history.lines.first { $0.record.seq == cost }?.retractedBy == retraction)
        #expect(history.lines.filter { $0.retractedBy != nil }.count == 1)

        var agreement = History(subject: .agreement("agr"))
        for record in l.records { agreement.add(record) }
        #expect(agreement.lines.map(\.record.seq) == [6, 7, 8, 9, 10, 11])

        var council = History(subject: .council("b"))
        for record in l.records { council.add(record) }
        #expect(council.lines.map(\.record.seq) == [1, 3, 11])
    }

    /// A council that left an agreement and later joins it again is a party again and
    /// bears the share a new apportionment gives it (SPEC §4 agreement.joined; §5.1).
    @Test
    func rejoiningAfterWithdrawal() throws {
        var l = LedgerBuilder()
        l.agreement("agr", parties: ["a", "b"], notice: NoticeRule(months: 1, alignment: .none), on: "2020-01-01")
        l.post("p1", agreement: "agr", employer: "a", on: "2020-01-01")
        l.cost("p1", 3_650_000, on: "2021-04-01")  // 10 000 a day in FY 2021-22
        l.apportion("p1", ["a": 1], on: "2021-04-01")
        l.notice("b", .agreement("agr"), on: "2020-06-01")  // last day 2020-07-01
        l.add("2021-10-01", .agreementJoined(AgreementJoined(agreement: "agr", council: "b", proposal: "p-rejoin")))
        l.apportion("p1", ["a": 1, "b": 1], on: "2021-10-01")
        let world = l.world()
        #expect(world.parties(of: "agr", on: d("2021-10-01")) == ["a", "b"])
        // 2021-04-01 … 09-30: 183 days all a (1 830 000); 10-01 … 03-31: 182 days halved (910 000 each).
        let split = try splitOf(world, "p1", from: "2021-04-01", to: "2022-03-31")
        #expect(split.penceByCouncil == ["a": 2_740_000, "b": 910_000, "(unapportioned)": 0])
    }
}
