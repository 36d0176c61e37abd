import Events
import Testing
import TestSupport
@testable import Projections


/// A random ledger for one post, and what it says in plain terms for the reference model.
struct RandomLedger {
    struct Dated<Value> {
        var effective: CalendarDate
        var seq: Int
        var value: Value
    }

    var seed: UInt64
    var ledger = LedgerBuilder()
    var from: CalendarDate
    var to: CalendarDate
    var employer: Identifier
    var costs: [Dated<CostEntry>] = []
    var shares: [Dated<[Weight]>] = []
    /// Each leaver's last day as a party (notices not rescinded).
    var lastDays: [Identifier: CalendarDate] = [:]
    var ended: CalendarDate?
    var description = ""

    /// Ids whose byte order differs from a "natural" order ("c10" < "c2"; "c-a" < "c1" < "ca").
    static let pool: [Identifier] = ["c1", "c10", "c2", "c9", "c-a", "ca"]

    init(seed: UInt64) {
        self.seed = seed
        var rng = SplitMix64(seed: seed)
        let year = FinancialYear(rng.int(2012...2031))
        if rng.chance(80, in: 100) {
            from = year.first
            to = year.last
        } else {  // any period inside two consecutive financial years
            from = year.first.adding(days: rng.int(0...364))
            to = from.adding(days: rng.int(0...(FinancialYear(year.startYear + 1).last.dayNumber - from.dayNumber)))
        }
        let councils = Array(rng.shuffled(Self.pool).prefix(rng.int(1...6)))
        employer = rng.pick(councils)
        let agreementRule = NoticeRule(months: rng.int(0...24), alignment: rng.pick(Alignment.allCases))
        let postRule = rng.chance(50, in: 100) ? NoticeRule(months: rng.int(0...12), alignment: rng.pick(Alignment.allCases)) : nil
        for council in councils { ledger.council(council) }
        ledger.agreement("agr", parties: councils, notice: agreementRule, on: "2000-01-01")
        ledger.post("p1", agreement: "agr", employer: employer, notice: postRule, on: "2000-01-02")
        description = "period \(from)…\(to), councils \(councils), employer \(employer)"

        // A date somewhere from a year before the period to its end.
        let (start, length) = (from, from.days(to: to))
        func someDate(_ rng: inout SplitMix64, early: Int = 400) -> CalendarDate {
            start.adding(days: rng.int(-early...length))
        }

        // Events go into the ledger in effective-date order, as a real ledger mostly does;
        // a few are back-dated to test the (effective, seq) order.
        var events: [(CalendarDate, (inout LedgerBuilder, inout RandomLedger) -> Void)] = []

        // Costs: one from some time before or during the period, then up to two changes.
        for index in 0..<rng.int(1...3) {
            let date = index == 0 ? start.adding(days: rng.int(-400...150)) : someDate(&rng, early: 0)
            let cost = CostEntry(annualPence: Int64(rng.int(1...50_000_000)), onCostBasisPoints: Int64(rng.int(0...5000)))
            events.append((date, { l, m in
                let seq = l.add(date.iso, .postCosted(PostCosted(
                    post: "p1", annualPence: cost.annualPence, onCostBasisPoints: cost.onCostBasisPoints)))
                m.costs.append(Dated(effective: date, seq: seq, value: cost))
            }))
        }
        // Apportionments: up to three in force over the period (more could overflow Int128
        // with weights up to 10^6, which Splits reports rather than rounds).
        for index in 0..<rng.int(1...3) {
            let date = index == 0 ? start.adding(days: rng.int(-400...150)) : someDate(&rng, early: 0)
            let members = rng.shuffled(councils).prefix(rng.int(1...councils.count))
            let small = rng.chance(25, in: 100)  // small weights make ties likely
            let weights = members.map { Weight(council: $0, weight: Int64(small ? rng.int(1...3) : rng.int(1...1_000_000))) }
            events.append((date, { l, m in
                let seq = l.apportion("p1", weights: weights, on: date.iso)
                m.shares.append(Dated(effective: date, seq: seq, value: weights))
            }))
        }
        // Leavers: a notice on the agreement or on the post, by the rule or with `leaves`.
        for council in councils where rng.chance(30, in: 100) {
            let served = someDate(&rng)
            let subject: Subject = rng.chance(50, in: 100) ? .agreement("agr") : .post("p1")
            let leaves: CalendarDate? = rng.chance(30, in: 100) ? served.adding(days: rng.int(0...400)) : nil
            let rule = subject == .post("p1") ? (postRule ?? agreementRule) : agreementRule
            let lastDay = leaves ?? Self.lastDay(served: served, rule: rule)
            let rescind = rng.chance(15, in: 100)
            // Withdrawn before it takes effect: on or before the last day.
            let rescindOn = served.adding(days: rng.int(0...max(0, min(60, served.days(to: lastDay)))))
            events.append((served, { l, m in
                let seq = l.notice(council, subject, on: served.iso, leaves: leaves?.iso, proposal: leaves.map { _ in "p-early" })
                if rescind {
                    l.rescind(council, notice: seq, on: rescindOn.iso)
                } else {
                    m.lastDays[council] = lastDay
                }
            }))
        }
        if rng.chance(15, in: 100) {
            let date = someDate(&rng, early: 30)
            events.append((date, { l, m in
                l.end("p1", on: date.iso)
                m.ended = date
            }))
        }
        // Mostly in date order; a stable sort keeps same-day events in generation order.
        let backdate = rng.chance(20, in: 100)
        let ordered = backdate ? events : events.enumerated().sorted { a, b in
            a.element.0 != b.element.0 ? a.element.0 < b.element.0 : a.offset < b.offset
        }.map(\.element)
        var builder = ledger
        for (_, add) in ordered { add(&builder, &self) }
        ledger = builder
    }

    /// SPEC §5.2, written again here from the text rather than calling `NoticeRule.lastDay`.
    static func lastDay(served: CalendarDate, rule: NoticeRule) -> CalendarDate {
        let (y, m, day) = served.components
        let index = y * 12 + (m - 1) + rule.months
        let year = index / 12, month = index % 12 + 1
        let monthLength = month == 2 ? (isLeap(year) ? 29 : 28) : ([4, 6, 9, 11].contains(month) ? 30 : 31)
        switch rule.alignment {
        case .none: return CalendarDate(year: year, month: month, day: min(day, monthLength))!
        case .monthEnd: return CalendarDate(year: year, month: month, day: monthLength)!
        case .financialYearEnd: return CalendarDate(year: month >= 4 ? year + 1 : year, month: 3, day: 31)!
        }
    }

    static func isLeap(_ year: Int) -> Bool { year % 4 == 0 && (year % 100 != 0 || year % 400 == 0) }

    /// Days in the financial year holding `date`: 366 when its March is in a leap year.
    static func yearDays(_ date: CalendarDate) -> Int {
        let (y, m, _) = date.components
        return isLeap(m >= 4 ? y + 1 : y) ? 366 : 365
    }

    func latest<Value>(_ items: [Dated<Value>], on date: CalendarDate) -> Value? {
        items.filter { $0.effective <= date }.max { ($0.effective, $0.seq) < ($1.effective, $1.seq) }?.value
    }

    struct Expected {
        var exactTotal = Fraction.zero
        var exact: [Identifier: Fraction] = [:]
        var unapportioned = Fraction.zero
        var any = false
    }

    /// The exact amounts, day by day (runs of identical days summed at once), from the SPEC's words.
    func expected(from: CalendarDate, to: CalendarDate) throws -> Expected {
        var result = Expected()
        struct Key: Equatable {
            var annual: Int64, bp: Int64, yearDays: Int
            var weights: [Weight]?
            var leavers: Set<Identifier>
        }
        var runs: [(Key, Int)] = []
        var day = from
        while day <= to {
            defer { day = day.adding(days: 1) }
            if let ended, day >= ended { break }
            guard let cost = latest(costs, on: day) else { continue }
            let weights = latest(shares, on: day)
            let leavers = Set(lastDays.filter { $0.value < day }.map(\.key))
            let key = Key(
                annual: cost.annualPence, bp: cost.onCostBasisPoints, yearDays: Self.yearDays(day), weights: weights,
                leavers: leavers)
            if let last = runs.last, last.0 == key { runs[runs.count - 1].1 += 1 } else { runs.append((key, 1)) }
        }
        for (key, days) in runs {
            result.any = true
            // annualPence × (10000 + bp) / 10000 / yearDays, for `days` days.
            let amount = try Fraction(Int128(key.annual) * Int128(10_000 + key.bp) * Int128(days),
                                      over: Int128(10_000 * key.yearDays))
            result.exactTotal = try result.exactTotal + amount
            guard let weights = key.weights else {
                result.unapportioned = try result.unapportioned + amount
                continue
            }
            let sum = Int128(weights.reduce(0) { $0 + $1.weight })
            for weight in weights {
                let part = try amount.scaled(by: Int128(weight.weight), over: sum)
                if key.leavers.contains(weight.council) {
                    result.unapportioned = try result.unapportioned + part
                } else {
                    result.exact[weight.council] = try (result.exact[weight.council] ?? .zero) + part
                }
            }
        }
        return result
    }

    /// SPEC §5.1's rounding, written again: total half up, floors, then the largest
    /// remainders; ties employer first, then byte order, unapportioned last.
    func allocate(_ e: Expected) -> [String: Int64] {
        let total = e.exactTotal.roundedHalfUp
        var entries: [(key: String, exact: Fraction, rank: Int)] = e.exact.map {
            (key: $0.key.raw, exact: $0.value, rank: $0.key == employer ? 0 : 1)
        }
        entries.append((key: "(unapportioned)", exact: e.unapportioned, rank: 2))
        var pence: [String: Int64] = [:]
        for entry in entries { pence[entry.key] = Int64(entry.exact.floor) }
        let left = Int(total - entries.reduce(Int128(0)) { $0 + $1.exact.floor })
        let order = entries.sorted { a, b in
            let c = Fraction.compare(a.exact.fractionalPart, b.exact.fractionalPart)
            if c != 0 { return c > 0 }
            if a.rank != b.rank { return a.rank < b.rank }
            return Array(a.key.utf8).lexicographicallyPrecedes(Array(b.key.utf8))
        }
        for entry in order.prefix(left) { pence[entry.key]! += 1 }
        return pence
    }
}

@Suite("Cost split properties over random ledgers (fixed seeds)")
struct SplitPropertyTests {
    static let baseSeed: UInt64 = 0x00AC_C0BD_2025_0531
    static let ledgers = 1_200

    /// Returns nil when the period has no cost; pence by council and "(unapportioned)".
    static func pence(_ split: PostSplit?) -> [String: Int64] { split?.penceByCouncil ?? [:] }

    @Test func randomLedgers() throws {
        var overflowed = 0, checked = 0, splitChecks = 0, withLeavers = 0, withUnapportioned = 0
        var splitGaps: [Int64: Int] = [:]
        for index in 0..<Self.ledgers {
            let seed = Self.baseSeed &+ UInt64(index) &* 0x9E37_79B9_7F4A_7C15
            let model = RandomLedger(seed: seed)
            let world = model.ledger.world()
            let context = "seed \(seed) (ledger \(index)): \(model.description)"

            let expected: RandomLedger.Expected
            do { expected = try model.expected(from: model.from, to: model.to) } catch {
                overflowed += 1
                continue
            }
            let split: PostSplit?
            do { split = try Splits.split(world, post: "p1", from: model.from, to: model.to) } catch {
                Issue.record("Splits failed where the reference did not: \(error.message); \(context)")
                continue
            }
            guard let split else {
                #expect(!expected.any, "no split but the reference has cost; \(context)")
                continue
            }
            checked += 1
            if !model.lastDays.isEmpty { withLeavers += 1 }
            if split.unapportionedPence > 0 { withUnapportioned += 1 }

            // Exact amounts agree with the reference, fraction for fraction.
            #expect(split.exactTotalPence == expected.exactTotal, "exact total; \(context)")
            #expect(split.exactUnapportionedPence == expected.unapportioned, "exact unapportioned; \(context)")
            #expect(
                Dictionary(uniqueKeysWithValues: split.councils.map { ($0.council, $0.exactPence) }) == expected.exact,
                "exact shares; \(context)")

            // The total is the exact cost rounded half up, and the parts add up to it exactly.
            #expect(Int128(split.totalPence) == expected.exactTotal.roundedHalfUp, "total; \(context)")
            let sum = split.councils.reduce(Int64(0)) { $0 + $1.pence } + split.unapportionedPence
            #expect(sum == split.totalPence, "councils + unapportioned = \(sum) ≠ total \(split.totalPence); \(context)")

            // Each council (and the unapportioned amount) is within one penny of its exact share.
            var exacts = expected.exact.map { ($0.key.raw, $0.value) }
            exacts.append(("(unapportioned)", expected.unapportioned))
            let got = split.penceByCouncil
            for (key, exact) in exacts {
                let gap = try Fraction(Int128(got[key] ?? -1)) - exact
                #expect(Fraction(-1) < gap && gap < Fraction(1), "\(key) gets \(got[key] ?? -1), exact \(exact); \(context)")
            }
            // And the pennies go exactly where SPEC §5.1's rule, written again here, sends them.
            #expect(got == model.allocate(expected), "allocation; \(context)")

            // Splitting the period at a random day and adding the two parts gives the whole,
            // to within a penny per council (exactly, before rounding).
            guard model.from < model.to else { continue }
            var rng = SplitMix64(seed: seed ^ 0x5EED)
            let cut = model.from.adding(days: rng.int(1...model.from.days(to: model.to)))
            let first = try Splits.split(world, post: "p1", from: model.from, to: cut.adding(days: -1))
            let second = try Splits.split(world, post: "p1", from: cut, to: model.to)
            splitChecks += 1
            let exactSum = try (first?.exactTotalPence ?? .zero) + (second?.exactTotalPence ?? .zero)
            #expect(exactSum == split.exactTotalPence, "exact totals of the parts; cut \(cut); \(context)")
            let whole = split.penceByCouncil, a = Self.pence(first), b = Self.pence(second)
            let totalGap = (first?.totalPence ?? 0) + (second?.totalPence ?? 0) - split.totalPence
            #expect(abs(totalGap) <= 1, "post totals differ by \(totalGap); cut \(cut); \(context)")
            for key in Set(whole.keys).union(a.keys).union(b.keys) {
                let gap = (a[key] ?? 0) + (b[key] ?? 0) - (whole[key] ?? 0)
                splitGaps[abs(gap), default: 0] += 1
                #expect(abs(gap) <= 1, "\(key): \(a[key] ?? 0) + \(b[key] ?? 0) vs \(whole[key] ?? 0); cut \(cut); \(context)")
            }
        }
        // The generator must really exercise the interesting cases, and rarely overflow.
        #expect(checked >= 1_000, "only \(checked) ledgers had cost (\(overflowed) overflowed); base seed \(Self.baseSeed)")
        #expect(overflowed * 100 <= Self.ledgers, "\(overflowed) ledgers overflowed Int128; base seed \(Self.baseSeed)")
        #expect(withLeavers >= 100 && withUnapportioned >= 100 && splitChecks >= 1_000,
                "leavers \(withLeavers), unapportioned \(withUnapportioned), split checks \(splitChecks)")
        print("random ledgers: \(checked) checked, \(overflowed) overflowed, \(withLeavers) with leavers, "
              + "\(withUnapportioned) with unapportioned pence, split-at-a-day gaps \(splitGaps.sorted { $0.key < $1.key })")
    }
}
