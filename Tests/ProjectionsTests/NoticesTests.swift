import Events
import Testing
@testable import Projections

/// One notice served on `served` under a rule of `months`, and the last day
/// under each alignment (SPEC §5.2). Worked by hand, checked with python3
/// (`calendar.monthrange` for month lengths).
struct NoticeCase: Sendable, CustomTestStringConvertible {
    var served: String
    var months: Int
    var none: String
    var monthEnd: String
    var financialYearEnd: String
    var why: String
    var testDescription: String { "\(served) + \(months)m: \(why)" }
}

@Suite("Notice periods (SPEC §5.2)")
struct NoticesTests {
    static let cases: [NoticeCase] = [
        // The SPEC's own examples: six months from 30 September 2025 ends 31 March 2026
        // (financial-year-end), from 1 October 2025 ends 31 March 2027.
        NoticeCase(served: "2025-09-30", months: 6, none: "2026-03-30", monthEnd: "2026-03-31",
                   financialYearEnd: "2026-03-31", why: "SPEC example, lands in March"),
        NoticeCase(served: "2025-10-01", months: 6, none: "2026-04-01", monthEnd: "2026-04-30",
                   financialYearEnd: "2027-03-31", why: "SPEC example, 1 April starts the next year"),
        // 31st into a 28-day February: "2018-02-31" → last day of February.
        NoticeCase(served: "2017-08-31", months: 6, none: "2018-02-28", monthEnd: "2018-02-28",
                   financialYearEnd: "2018-03-31", why: "31st into February"),
        // 29th, 30th and 31st into a leap February all land on the 29th.
        NoticeCase(served: "2019-08-29", months: 6, none: "2020-02-29", monthEnd: "2020-02-29",
                   financialYearEnd: "2020-03-31", why: "29th into leap February"),
        NoticeCase(served: "2019-08-30", months: 6, none: "2020-02-29", monthEnd: "2020-02-29",
                   financialYearEnd: "2020-03-31", why: "30th into leap February"),
        NoticeCase(served: "2019-08-31", months: 6, none: "2020-02-29", monthEnd: "2020-02-29",
                   financialYearEnd: "2020-03-31", why: "31st into leap February"),
        NoticeCase(served: "2018-08-29", months: 6, none: "2019-02-28", monthEnd: "2019-02-28",
                   financialYearEnd: "2019-03-31", why: "29th into common February"),
        NoticeCase(served: "2024-01-30", months: 1, none: "2024-02-29", monthEnd: "2024-02-29",
                   financialYearEnd: "2024-03-31", why: "30 January + 1 month, leap"),
        NoticeCase(served: "2025-01-31", months: 1, none: "2025-02-28", monthEnd: "2025-02-28",
                   financialYearEnd: "2025-03-31", why: "31 January + 1 month"),
        NoticeCase(served: "2026-01-29", months: 1, none: "2026-02-28", monthEnd: "2026-02-28",
                   financialYearEnd: "2026-03-31", why: "29 January + 1 month, common year"),
        NoticeCase(served: "2025-05-31", months: 1, none: "2025-06-30", monthEnd: "2025-06-30",
                   financialYearEnd: "2026-03-31", why: "31st into a 30-day month"),
        NoticeCase(served: "2025-10-31", months: 4, none: "2026-02-28", monthEnd: "2026-02-28",
                   financialYearEnd: "2026-03-31", why: "31 October + 4 months"),
        NoticeCase(served: "2025-02-28", months: 1, none: "2025-03-28", monthEnd: "2025-03-31",
                   financialYearEnd: "2025-03-31", why: "28 February keeps its day number"),
        // From 29 February: a common year clamps to the 28th; four years on it exists again.
        NoticeCase(served: "2024-02-29", months: 12, none: "2025-02-28", monthEnd: "2025-02-28",
                   financialYearEnd: "2025-03-31", why: "29 February + 1 year"),
        NoticeCase(served: "2024-02-29", months: 48, none: "2028-02-29", monthEnd: "2028-02-29",
                   financialYearEnd: "2028-03-31", why: "29 February + 4 years"),
        // Around 31 March: 31 March is its own financial-year end ("on or after").
        NoticeCase(served: "2025-03-31", months: 12, none: "2026-03-31", monthEnd: "2026-03-31",
                   financialYearEnd: "2026-03-31", why: "31 March + 1 year is a year end"),
        NoticeCase(served: "2025-03-30", months: 12, none: "2026-03-30", monthEnd: "2026-03-31",
                   financialYearEnd: "2026-03-31", why: "30 March + 1 year"),
        NoticeCase(served: "2025-04-01", months: 12, none: "2026-04-01", monthEnd: "2026-04-30",
                   financialYearEnd: "2027-03-31", why: "1 April + 1 year misses the year end by a day"),
        NoticeCase(served: "2025-12-31", months: 3, none: "2026-03-31", monthEnd: "2026-03-31",
                   financialYearEnd: "2026-03-31", why: "31 December + 3 months"),
        NoticeCase(served: "2025-03-31", months: 11, none: "2026-02-28", monthEnd: "2026-02-28",
                   financialYearEnd: "2026-03-31", why: "31 March + 11 months, common February"),
        NoticeCase(served: "2023-03-31", months: 11, none: "2024-02-29", monthEnd: "2024-02-29",
                   financialYearEnd: "2024-03-31", why: "31 March + 11 months, leap February"),
        // Zero months (SAMPLES' one-party agreement): the day itself, then aligned.
        NoticeCase(served: "2025-03-31", months: 0, none: "2025-03-31", monthEnd: "2025-03-31",
                   financialYearEnd: "2025-03-31", why: "no notice on 31 March"),
        NoticeCase(served: "2025-04-01", months: 0, none: "2025-04-01", monthEnd: "2025-04-30",
                   financialYearEnd: "2026-03-31", why: "no notice on 1 April"),
        // SAMPLES.md §1: two years from 2013-10-01 is 2015-10-01.
        NoticeCase(served: "2013-10-01", months: 24, none: "2015-10-01", monthEnd: "2015-10-31",
                   financialYearEnd: "2016-03-31", why: "two years' notice"),
    ]

    @Test(arguments: cases)
    func lastDayUnderEachAlignment(_ c: NoticeCase) {
        let served = d(c.served)
        #expect(NoticeRule(months: c.months, alignment: .none).lastDay(servedOn: served) == d(c.none))
        #expect(NoticeRule(months: c.months, alignment: .monthEnd).lastDay(servedOn: served) == d(c.monthEnd))
        #expect(
            NoticeRule(months: c.months, alignment: .financialYearEnd).lastDay(servedOn: served)
                == d(c.financialYearEnd))
    }

    /// The same cases through the ledger: a notice on an agreement takes the agreement's rule.
    @Test(arguments: cases)
    func lastDayThroughTheWorld(_ c: NoticeCase) {
        var l = LedgerBuilder()
        l.agreement("a-none", parties: ["x", "y"], notice: NoticeRule(months: c.months, alignment: .none))
        l.agreement("a-month", parties: ["x", "y"], notice: NoticeRule(months: c.months, alignment: .monthEnd))
        l.agreement(
            "a-year", parties: ["x", "y"], notice: NoticeRule(months: c.months, alignment: .financialYearEnd))
        let none = l.notice("x", .agreement("a-none"), on: c.served)
        let month = l.notice("x", .agreement("a-month"), on: c.served)
        let year = l.notice("x", .agreement("a-year"), on: c.served)
        let world = l.world()
        #expect(world.notices[none]?.lastDay == d(c.none))
        #expect(world.notices[month]?.lastDay == d(c.monthEnd))
        #expect(world.notices[year]?.lastDay == d(c.financialYearEnd))
        // The rows list them in seq order, each with its own last day.
        let rows = Notices.rows(world, asOf: d(c.served))
        #expect(rows.map(\.seq) == [none, month, year])
        #expect(rows.map(\.lastDay) == [d(c.none), d(c.monthEnd), d(c.financialYearEnd)])
    }

    /// SAMPLES.md §2: the post's own rule (6 months, none) beats the agreement's
    /// (6 months, financial-year-end); a notice on the agreement takes the agreement's rule.
    @Test func postRuleOverridesAgreementRule() {
        var l = LedgerBuilder()
        l.agreement("shared", parties: ["cambs", "pboro"], notice: NoticeRule(months: 6, alignment: .financialYearEnd))
        l.post("exec", agreement: "shared", employer: "pboro", notice: NoticeRule(months: 6, alignment: .none))
        l.post("sd", agreement: "shared", employer: "cambs")  // no rule of its own
        let onPost = l.notice("cambs", .post("exec"), on: "2017-08-31")
        let onRulelessPost = l.notice("pboro", .post("sd"), on: "2017-08-31")
        let onAgreement = l.notice("pboro", .agreement("shared"), on: "2017-08-31")
        let world = l.world()
        #expect(world.noticeRule(for: .post("exec")) == NoticeRule(months: 6, alignment: .none))
        #expect(world.noticeRule(for: .post("sd")) == NoticeRule(months: 6, alignment: .financialYearEnd))
        #expect(world.notices[onPost]?.lastDay == d("2018-02-28"))  // not 2018-03-31
        #expect(world.notices[onRulelessPost]?.lastDay == d("2018-03-31"))
        #expect(world.notices[onAgreement]?.lastDay == d("2018-03-31"))
        #expect(world.lastDay(of: "cambs", inPost: "exec") == d("2018-02-28"))
        #expect(world.lastDay(of: "cambs", inPost: "sd") == nil)  // cambs left only exec
        // pboro left the agreement, so every post of it; `sd` has no rule of its own, so the
        // agreement's last day. (Which rule governs `exec`, a post with its own rule, when notice
        // is served on the whole agreement is left open by SPEC §5.2 and not pinned here.)
        #expect(world.lastDay(of: "pboro", inPost: "sd") == d("2018-03-31"))
        #expect(world.lastDay(of: "pboro", inPost: "exec") != nil)
    }

    /// SAMPLES.md §2 "days left": last day minus the as-of date, 0 once it has passed.
    @Test func rowsDaysLeftAndStatus() {
        var l = LedgerBuilder()
        l.agreement("shared", parties: ["cambs", "pboro"], notice: NoticeRule(months: 6, alignment: .financialYearEnd))
        l.post("exec", agreement: "shared", employer: "pboro", notice: NoticeRule(months: 6, alignment: .none))
        let seq = l.notice("cambs", .post("exec"), on: "2017-08-31")
        let world = l.world()
        #expect(Notices.rows(world, asOf: d("2017-08-30")).isEmpty)  // not yet served
        let served = Notices.rows(world, asOf: d("2017-08-31"))
        #expect(served.count == 1)
        #expect(served.first?.seq == seq && served.first?.daysLeft == 181 && served.first?.status == .running)
        #expect(served.first?.subject == .post("exec") && served.first?.namedDate == false)
        // 2017-12-31 → 2018-02-28: Jan 31 + Feb 28 = 59 days.
        #expect(Notices.rows(world, asOf: d("2017-12-31")).first?.daysLeft == 59)
        // On the last day itself the council is still a party.
        let lastDay = Notices.rows(world, asOf: d("2018-02-28")).first
        #expect(lastDay?.daysLeft == 0 && lastDay?.status == .running)
        let after = Notices.rows(world, asOf: d("2018-03-01")).first
        #expect(after?.daysLeft == 0 && after?.status == .effective && after?.rescinded == false)
    }

    @Test func rescindedNotice() throws {
        var l = LedgerBuilder()
        l.agreement("agr", parties: ["a", "b"], notice: NoticeRule(months: 3, alignment: .monthEnd))
        l.post("p1", agreement: "agr", employer: "a")
        l.cost("p1", 3_650_000, on: "2025-04-01")  // FY 2025-26 has 365 days: 10 000 a day
        l.apportion("p1", ["a": 1, "b": 1], on: "2025-04-01")
        let notice = l.notice("b", .agreement("agr"), on: "2025-05-15")  // + 3 months → 08-15 → 2025-08-31
        let rescission = l.rescind("b", notice: notice, on: "2025-07-01")
        let world = l.world()

        let running = Notices.rows(world, asOf: d("2025-06-30")).first
        #expect(running?.lastDay == d("2025-08-31") && running?.status == .running && running?.rescinded == false)
        #expect(running?.daysLeft == 62)  // July 31 + August 31
        let rescinded = Notices.rows(world, asOf: d("2025-07-01")).first
        #expect(rescinded?.status == .rescinded && rescinded?.rescinded == true && rescinded?.daysLeft == 0)
        #expect(world.lastDay(of: "b", inPost: "p1") == nil)
        #expect(world.parties(of: "agr", on: d("2025-12-01")) == ["a", "b"])
        let split = try splitOf(world, "p1", from: "2025-04-01", to: "2026-03-31")
        #expect(split.penceByCouncil == ["a": 1_825_000, "b": 1_825_000, "(unapportioned)": 0])

        // Known only up to the notice: b leaves after 2025-08-31.
        // b bears 2025-04-01 … 08-31 = 30+31+30+31+31 = 153 days × 5 000 = 765 000;
        // its half of the other 212 days, 1 060 000, is unapportioned.
        let early = l.world(Viewpoint(knownAt: rescission - 1))
        #expect(early.parties(of: "agr", on: d("2025-09-01")) == ["a"])
        let earlySplit = try splitOf(early, "p1", from: "2025-04-01", to: "2026-03-31")
        #expect(earlySplit.penceByCouncil == ["a": 1_825_000, "b": 765_000, "(unapportioned)": 1_060_000])
    }

    @Test func explicitLeavesDate() throws {
        var l = LedgerBuilder()
        l.agreement("agr", parties: ["a", "b", "c"], notice: NoticeRule(months: 24, alignment: .financialYearEnd))
        l.post("p1", agreement: "agr", employer: "a")
        l.cost("p1", 3_650_000, on: "2025-04-01")  // 10 000 a day
        l.apportion("p1", ["a": 2, "b": 1, "c": 1], on: "2025-04-01")
        // c leaves on 2025-06-30 by agreement (SG-6 judges the proposal; projections take the date).
        let seq = l.notice("c", .agreement("agr"), on: "2025-05-01", leaves: "2025-06-30", proposal: "p-early")
        let world = l.world()
        let row = Notices.rows(world, asOf: d("2025-05-01")).first
        #expect(row?.seq == seq && row?.lastDay == d("2025-06-30") && row?.namedDate == true)
        #expect(row?.daysLeft == 60)  // 1 May → 31 May is 30 days, → 30 June 30 more
        // c bears 2025-04-01 … 06-30 = 91 days × 2 500 = 227 500; its quarter of the other
        // 274 days (685 000) is unapportioned; a bears half the year, b a quarter.
        let split = try splitOf(world, "p1", from: "2025-04-01", to: "2026-03-31")
        #expect(split.penceByCouncil == [
            "a": 1_825_000, "b": 912_500, "c": 227_500, "(unapportioned)": 685_000,
        ])
        #expect(split.councils.first { $0.council == "c" }?.daysBorne == 91)
    }

    /// A financial-year-end notice: the council pays to 31 March and nothing after.
    @Test func leavingAtTheYearEnd() throws {
        var l = LedgerBuilder()
        l.agreement("agr", parties: ["a", "b"], notice: NoticeRule(months: 6, alignment: .financialYearEnd))
        l.post("p1", agreement: "agr", employer: "a")
        l.post("p2", agreement: "agr", employer: "b")
        for post: Identifier in ["p1", "p2"] {
            l.cost(post, 7_300_000, on: "2025-04-01")  // 20 000 a day in 365-day years
            l.apportion(post, ["a": 1, "b": 1], on: "2025-04-01")
        }
        l.notice("b", .agreement("agr"), on: "2025-09-30")  // → 2026-03-30 → 2026-03-31
        let world = l.world()
        for post: Identifier in ["p1", "p2"] {
            let fy2025 = try splitOf(world, post, from: "2025-04-01", to: "2026-03-31")
            #expect(fy2025.penceByCouncil == ["a": 3_650_000, "b": 3_650_000, "(unapportioned)": 0], "\(post)")
            // Withdrawing from the agreement withdraws from all its posts.
            let fy2026 = try splitOf(world, post, from: "2026-04-01", to: "2027-03-31")
            #expect(fy2026.penceByCouncil == ["a": 3_650_000, "(unapportioned)": 3_650_000], "\(post)")
        }
    }
}
