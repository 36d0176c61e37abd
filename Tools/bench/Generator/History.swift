import Events

/// A cost-relevant fact, kept (for records actually written) so the generator
/// can compute the splits Accord must report, independently of Accord.
enum Fact {
    case costed(post: Int, annual: Int64, bp: Int64)
    case apportioned(post: Int, weights: [(council: Int, weight: Int64)])
    case ended(post: Int)
    case notice(post: Int, council: Int, lastDay: CalendarDate)
}

struct Ev {
    var date: CalendarDate
    var phase: Int
    var order: Int
    var line: String
    var fact: Fact?
}

struct Council {
    var id: String
    var name: String
    var population: Int  // thousands
}

struct Agreement {
    var id: String
    var parties: [Int]
    var months: Int
    var alignment: String
}

final class Post {
    let index: Int
    let id: String
    let title: String
    let agreement: Int
    let employer: Int
    let roles: [String]
    let arrangement: String
    let ownNotice: (months: Int, alignment: String)?
    let start: CalendarDate
    var annual: Int64
    var bp: Int64
    var end: CalendarDate?
    var busyUntil: CalendarDate
    var leaver: (council: Int, lastDay: CalendarDate, reapportion: CalendarDate, tabled: CalendarDate)?
    var reapportioned = false
    var nextAppointment: CalendarDate
    var statutory: Bool { roles.contains("DCS") || roles.contains("DASS") }

    init(index: Int, id: String, title: String, agreement: Int, employer: Int, roles: [String], arrangement: String,
         ownNotice: (Int, String)?, start: CalendarDate, annual: Int64, bp: Int64)
    {
        self.index = index
        self.id = id
        self.title = title
        self.agreement = agreement
        self.employer = employer
        self.roles = roles
        self.arrangement = arrangement
        self.ownNotice = ownNotice
        self.start = start
        self.annual = annual
        self.bp = bp
        busyUntil = start.adding(days: 45)
        nextAppointment = start.adding(months: 12 * 6)
    }
}

/// Last day as a party under a notice rule (SPEC §5.2), with Events' calendar arithmetic.
func lastDay(servedOn served: CalendarDate, months: Int, alignment: String) -> CalendarDate {
    let corresponding = served.adding(months: months)
    switch alignment {
    case "month-end": return corresponding.endOfMonth
    case "financial-year-end": return FinancialYear(containing: corresponding).last
    default: return corresponding
    }
}

let roleCatalogue: [(title: String, roles: [String])] = [
    ("Director of Children's Services", ["DCS"]),
    ("Director of Adult Social Services", ["DASS"]),
    ("Director of People", ["DCS", "DASS"]),
    ("Head of Legal and Democratic Services", ["monitoring-officer"]),
    ("Chief Finance Officer", ["s151"]),
    ("Head of ICT", ["ict"]),
    ("Head of Internal Audit", ["audit"]),
    ("Director of Public Health", ["public-health"]),
    ("Head of Procurement", ["procurement"]),
    ("Head of Trading Standards", ["trading-standards"]),
]

/// Builds the whole history year by year. The post chains use their own random
/// stream, the filler records another, so the filler can be planned from a
/// first pass without changing the posts.
struct History {
    let seed: UInt64
    let councilCount: Int
    let postBudget: Int
    let startYear: Int
    let years: Int
    /// Filler records per financial year (nil on the planning pass).
    let filler: [Int]?

    var councils: [Council] = []
    var agreements: [Agreement] = []
    var posts: [Post] = []
    var live: [Post] = []
    var plannedStarts: [(year: Int, post: Int)] = []

    var rng: SplitMix
    var fillRng: SplitMix
    var buckets: [Int: [Ev]] = [:]
    var order = 0
    var currentYear = 0
    var proposalCounter = 0
    var fillCounter = 0
    var replacementsLeft = 0

    init(seed: UInt64, councils: Int, posts: Int, startYear: Int, years: Int, filler: [Int]?) {
        self.seed = seed
        councilCount = councils
        postBudget = posts
        self.startYear = startYear
        self.years = years
        self.filler = filler
        rng = SplitMix(seed: seed)
        fillRng = SplitMix(seed: seed ^ 0x5EED_F111)
    }

    // MARK: Emitting

    mutating func emit(_ date: CalendarDate, _ phase: Int, _ type: String, _ by: String, _ data: String, _ fact: Fact? = nil) {
        let fy = FinancialYear(containing: date).startYear
        precondition(fy >= currentYear, "event dated \(date) emitted after its year was written")
        let line = #"{"type":"\#(type)","effective":"\#(date.iso)","by":"\#(by)","data":\#(data)}"#
        order += 1
        buckets[fy, default: []].append(Ev(date: date, phase: phase, order: order, line: line, fact: fact))
    }

    static func list(_ ids: [String]) -> String { "[" + ids.map { "\"\($0)\"" }.joined(separator: ",") + "]" }

    func cid(_ c: Int) -> String { councils[c].id }

    mutating func nextProposal(_ prefix: String) -> String {
        proposalCounter += 1
        return "\(prefix)-\(proposalCounter)"
    }

    /// Tables a proposal on `tabled` and has each affected council approve it by its own
    /// Cabinet before `by` (exclusive), on or after the tabling.
    mutating func proposal(_ id: String, title: String, matter: String, affects: [Int], agreement: Int?,
                           tabledBy: Int, tabled: CalendarDate, decideBefore: CalendarDate)
    {
        let agreementField = agreement.map { #","agreement":"\#(agreements[$0].id)""# } ?? ""
        emit(tabled, 1, "proposal.tabled", "\(cid(tabledBy))/democratic-services",
             #"{"proposal":"\#(id)","title":"\#(title)","matter":"\#(matter)","affects":\#(History.list(affects.map(cid)))\#(agreementField)}"#)
        let span = max(0, tabled.days(to: decideBefore) - 1)
        for c in affects {
            let day = tabled.adding(days: span == 0 ? 0 : rng.int(1, span))
            emit(day, 2, "council.decided", "\(cid(c))/democratic-services",
                 #"{"proposal":"\#(id)","council":"\#(cid(c))","decision":"approve","body":"Cabinet","minute":"\#(cid(c))/\#(id)"}"#)
        }
    }

    // MARK: Set-up

    mutating func setUp() {
        for i in 0..<councilCount {
            let id = "c" + pad(i + 1, 4)
            councils.append(Council(id: id, name: "Council \(pad(i + 1, 4)) Borough Council", population: rng.int(60, 480)))
        }
        // Councils in clusters of 3 (some 2 or 4), each cluster one collaboration agreement.
        var order = Array(0..<councilCount)
        for i in stride(from: order.count - 1, to: 0, by: -1) { order.swapAt(i, rng.int(0, i)) }
        var index = 0
        while index < order.count {
            let remaining = order.count - index
            var size = [2, 3, 3, 3, 3, 4][rng.int(0, 5)]
            if remaining - size == 1 || remaining < size { size = remaining }
            let parties = Array(order[index..<(index + size)]).sorted()
            index += size
            if parties.count < 2 { break }
            let rule = [(24, "none"), (24, "none"), (12, "financial-year-end"), (6, "month-end")][rng.int(0, 3)]
            agreements.append(Agreement(id: "a" + pad(agreements.count + 1, 4), parties: parties, months: rule.0, alignment: rule.1))
        }
        precondition(!agreements.isEmpty, "need at least two councils")
        replacementsLeft = postBudget / 5
        let initial = postBudget - replacementsLeft
        for p in 0..<initial {
            plannedStarts.append((year: rng.int(0, min(4, years - 1)), post: p))
        }
    }

    mutating func newPost(agreement a: Int, start: CalendarDate, employer: Int? = nil) -> Post {
        let parties = agreements[a].parties
        let role = roleCatalogue[rng.int(0, roleCatalogue.count - 1)]
        let arrangement = ["s113", "s113", "s113", "loan", "tupe"][rng.int(0, 4)]
        let post = Post(
            index: posts.count, id: "p" + pad(posts.count + 1, 5), title: "\(role.title), \(agreements[a].id)",
            agreement: a, employer: employer ?? parties[rng.int(0, parties.count - 1)], roles: role.roles,
            arrangement: arrangement, ownNotice: arrangement == "loan" ? (6, "month-end") : nil, start: start,
            annual: Int64(rng.int(600, 1800)) * 10_000, bp: Int64([2000, 2250, 2500, 2750, 3000][rng.int(0, 4)]))
        posts.append(post)
        return post
    }

    func population(_ c: Int, drift year: Int) -> Int64 {
        // A census-like drift: a few per cent over the decades, different per council.
        Int64(councils[c].population + ((year * (c % 7 + 1)) % 11) - 5)
    }

    mutating func weights(for councils: [Int], year: Int) -> (String, [(council: Int, weight: Int64)]) {
        switch rng.int(0, 3) {
        case 0: return ("equal", councils.map { ($0, Int64(1)) })
        case 1: return ("time", councils.map { ($0, Int64(rng.int(2, 6)) * 10) })
        default: return ("population", councils.map { ($0, population($0, drift: year)) })
        }
    }

    mutating func apportion(_ post: Post, on date: CalendarDate, proposal: String, sharers: [Int], year: Int) {
        let (basis, w) = weights(for: sharers, year: year)
        let body = w.map { #""\#(cid($0.council))":\#($0.weight)"# }.joined(separator: ",")
        emit(date, 7, "costs.apportioned", "\(cid(post.employer))/finance",
             #"{"post":"\#(post.id)","basis":"\#(basis)","weights":{\#(body)},"proposal":"\#(proposal)"}"#,
             .apportioned(post: post.index, weights: w))
    }

    func sharers(_ post: Post, on date: CalendarDate) -> [Int] {
        agreements[post.agreement].parties.filter { c in
            guard let leaver = post.leaver, leaver.council == c else { return true }
            return date <= leaver.lastDay
        }
    }

    mutating func assure(_ post: Post, on date: CalendarDate, phase: Int) {
        let ratings = ["good", "good", "good", "requires-improvement"]
        let body = AssuranceQuestion.allCases.map { #""\#($0.rawValue)":"\#(ratings[rng.int(0, 3)])""# }.joined(separator: ",")
        emit(date, phase, "assurance.recorded", "\(cid(post.employer))/chief-executive",
             #"{"post":"\#(post.id)","council":"\#(cid(post.employer))","ratings":{\#(body)},"reviewer":"Chief Executive and Lead Members"}"#)
    }

    /// A post's establishment: proposals, decisions, the post, its first test,
    /// cost and apportionment on `start`, and its first holder two weeks later.
    mutating func establish(_ post: Post, year: Int) {
        let a = post.agreement, parties = agreements[a].parties
        let tabled = post.start.adding(days: -50)
        let est = nextProposal("est"), cost = nextProposal("cost"), appt = nextProposal("appt")
        proposal(est, title: "Establish a shared \(post.title)", matter: "structure", affects: parties, agreement: a,
                 tabledBy: post.employer, tabled: tabled, decideBefore: post.start)
        proposal(cost, title: "Share the cost of \(post.id)", matter: "cost", affects: parties, agreement: a,
                 tabledBy: post.employer, tabled: tabled, decideBefore: post.start)
        proposal(appt, title: "Joint appointment to \(post.id)", matter: "appointment", affects: parties, agreement: a,
                 tabledBy: post.employer, tabled: tabled, decideBefore: post.start)
        let notice = post.ownNotice.map { #","notice":{"months":\#($0.months),"alignment":"\#($0.alignment)"}"# } ?? ""
        emit(post.start, 4, "post.established", "\(cid(post.employer))/hr",
             #"{"post":"\#(post.id)","title":"\#(post.title)","agreement":"\#(agreements[a].id)","employer":"\#(cid(post.employer))","roles":\#(History.list(post.roles)),"arrangement":"\#(post.arrangement)"\#(notice),"proposal":"\#(est)"}"#)
        if post.statutory { assure(post, on: post.start, phase: 5) }
        costed(post, on: post.start)
        apportion(post, on: post.start, proposal: cost, sharers: parties, year: year)
        appoint(post, on: post.start.adding(days: 14), proposal: appt)
    }

    mutating func costed(_ post: Post, on date: CalendarDate) {
        emit(date, 6, "post.costed", "\(cid(post.employer))/finance",
             #"{"post":"\#(post.id)","annualPence":\#(post.annual),"onCostBasisPoints":\#(post.bp)}"#,
             .costed(post: post.index, annual: post.annual, bp: post.bp))
    }

    mutating func appoint(_ post: Post, on date: CalendarDate, proposal: String) {
        emit(date, 7, "post.appointed", "\(cid(post.employer))/hr",
             #"{"post":"\#(post.id)","holder":"Holder \#(rng.int(1000, 9999)) of \#(post.id)","proposal":"\#(proposal)"}"#)
    }

    // MARK: One financial year

    mutating func year(_ i: Int) {
        let fy = FinancialYear(startYear + i)
        currentYear = fy.startYear
        if i == 0 {
            for c in councils.indices {
                emit(fy.first, 0, "council.registered", "\(cid(c))/clerk",
                     #"{"council":"\#(cid(c))","name":"\#(councils[c].name)","population":\#(councils[c].population * 1000)}"#)
            }
            for a in agreements.indices {
                let p = nextProposal("agree")
                proposal(p, title: "Collaboration agreement \(agreements[a].id)", matter: "structure",
                         affects: agreements[a].parties, agreement: nil, tabledBy: agreements[a].parties[0],
                         tabled: fy.first.adding(days: 1), decideBefore: fy.first.adding(days: 30))
                emit(fy.first.adding(days: 30), 3, "agreement.established", "\(cid(agreements[a].parties[0]))/legal",
                     #"{"agreement":"\#(agreements[a].id)","title":"Collaboration Agreement \#(agreements[a].id)","parties":\#(History.list(agreements[a].parties.map(cid))),"notice":{"months":\#(agreements[a].months),"alignment":"\#(agreements[a].alignment)"},"proposal":"\#(p)"}"#)
            }
        }
        // Existing posts: their year of pay awards, apportionments, tests, notices, endings.
        for post in live where post.start < fy.first {
            yearOf(post, fy: fy, index: i)
        }
        live.removeAll { $0.end != nil }
        // New posts planned to start this year.
        for planned in plannedStarts where planned.year == i {
            let a = planned.post % agreements.count
            let low = i == 0 ? 100 : 60
            let start = date(in: fy, from: low, to: fy.dayCount - 40)
            let post = newPost(agreement: a, start: start)
            establish(post, year: i)
            live.append(post)
        }
        if let filler { fill(filler[i], fy: fy, index: i) }
    }

    /// A day `from`…`to` days into the year, never past the 28th (no 29 Feb anniversaries).
    mutating func date(in fy: FinancialYear, from: Int, to: Int, random: inout SplitMix) -> CalendarDate {
        var d = fy.first.adding(days: random.int(from, to))
        if d.day > 28 { d = d.adding(days: -(d.day - 28)) }
        return d
    }

    mutating func date(in fy: FinancialYear, from: Int, to: Int) -> CalendarDate {
        var r = rng
        let d = date(in: fy, from: from, to: to, random: &r)
        rng = r
        return d
    }

    mutating func yearOf(_ post: Post, fy: FinancialYear, index i: Int) {
        let parties = agreements[post.agreement].parties
        // Does the post end this year (replaced by a new one the same day)?
        var limit = fy.last.adding(days: 1)
        if replacementsLeft > 0, rng.chance(0.02) {
            let earliest = max(fy.first.adding(days: 60), post.busyUntil.adding(days: 1))
            let latest = fy.last.adding(days: -5)
            if earliest <= latest {
                let end = date(in: fy, from: fy.first.days(to: earliest), to: fy.first.days(to: latest))
                if end >= earliest {
                    let p = nextProposal("end")
                    proposal(p, title: "End \(post.id) on restructure", matter: "structure", affects: parties,
                             agreement: post.agreement, tabledBy: post.employer, tabled: end.adding(days: -50), decideBefore: end)
                    emit(end, 3, "post.ended", "\(cid(post.employer))/hr", #"{"post":"\#(post.id)","proposal":"\#(p)"}"#,
                         .ended(post: post.index))
                    post.end = end
                    limit = end
                    replacementsLeft -= 1
                    let successor = newPost(agreement: post.agreement, start: end, employer: post.employer)
                    successor.annual = post.annual
                    establish(successor, year: i)
                    live.append(successor)
                }
            }
        }
        // Annual tests of assurance on the anniversary of the start.
        if post.statutory {
            var k = 1
            while true {
                let due = post.start.adding(months: 12 * k)
                if due > fy.last || due >= limit { break }
                if due >= fy.first { assure(post, on: due, phase: 0) }
                k += 1
            }
        }
        // Pay award, between July and October.
        let pay = date(in: fy, from: 91, to: 210)
        if pay > post.start, pay < limit {
            post.annual = post.annual * Int64(1000 + rng.int(0, 35)) / 1000
            if rng.chance(0.1) { post.bp = Int64([2000, 2250, 2500, 2750, 3000][rng.int(0, 4)]) }
            costed(post, on: pay)
        }
        // A notice to withdraw from the post (rare), with its withdrawal cost.
        if post.leaver == nil, parties.count >= 3, post.end == nil, rng.chance(0.01) {
            let served = date(in: fy, from: 10, to: fy.dayCount - 40)
            let candidates = parties.filter { $0 != post.employer }
            let council = candidates[rng.int(0, candidates.count - 1)]
            let rule = post.ownNotice ?? (agreements[post.agreement].months, agreements[post.agreement].alignment)
            let last = lastDay(servedOn: served, months: rule.months, alignment: rule.alignment)
            let reapportion = last.adding(days: rng.chance(0.6) ? 1 : rng.int(15, 60))
            post.leaver = (council, last, reapportion, reapportion.adding(days: -45))
            post.busyUntil = max(post.busyUntil, reapportion)
            emit(served, 8, "notice.served", "\(cid(council))/legal", #"{"council":"\#(cid(council))","post":"\#(post.id)"}"#,
                 .notice(post: post.index, council: council, lastDay: last))
            emit(served.adding(days: 30), 9, "withdrawal.costed", "\(cid(council))/finance",
                 #"{"council":"\#(cid(council))","agreement":"\#(agreements[post.agreement].id)","amountPence":\#(rng.int(5, 80) * 100_000),"description":"Consequent costs of withdrawing from \#(post.id)"}"#)
        }
        // The leaver's share re-apportioned among those who stay (sometimes after a gap).
        if let leaver = post.leaver, !post.reapportioned, FinancialYear(containing: leaver.tabled).startYear == fy.startYear {
            post.reapportioned = true
            let stay = sharers(post, on: leaver.reapportion)
            let p = nextProposal("share")
            proposal(p, title: "Re-apportion \(post.id) after \(cid(leaver.council)) leaves", matter: "cost", affects: stay,
                     agreement: post.agreement, tabledBy: post.employer, tabled: leaver.tabled, decideBefore: leaver.reapportion)
            apportion(post, on: leaver.reapportion, proposal: p, sharers: stay, year: i)
        }
        // The yearly apportionment review, effective mid-year.
        let effective = date(in: fy, from: 60, to: fy.dayCount - 2)
        if effective > post.start, effective < limit, effective != post.leaver?.reapportion {
            let stay = sharers(post, on: effective)
            let p = nextProposal("share")
            proposal(p, title: "Apportionment of \(post.id) for \(fy)", matter: "cost", affects: stay,
                     agreement: post.agreement, tabledBy: post.employer,
                     tabled: effective.adding(days: -rng.int(30, 55)), decideBefore: effective)
            apportion(post, on: effective, proposal: p, sharers: stay, year: i)
        }
        // A new holder every few years.
        if post.nextAppointment <= fy.last {
            let on = max(post.nextAppointment, fy.first.adding(days: 60))
            if on < limit, on <= fy.last {
                let p = nextProposal("appt")
                proposal(p, title: "Joint appointment to \(post.id)", matter: "appointment", affects: parties,
                         agreement: post.agreement, tabledBy: post.employer, tabled: on.adding(days: -50), decideBefore: on)
                appoint(post, on: on, proposal: p)
                post.busyUntil = max(post.busyUntil, on)
            }
            post.nextAppointment = on.adding(months: 12 * rng.int(5, 9))
        }
    }

    // MARK: Filler: each council's own business and the joint committees'

    mutating func fill(_ count: Int, fy: FinancialYear, index i: Int) {
        var left = count
        let low = i == 0 ? 31 : 0
        func day(_ r: inout SplitMix) -> CalendarDate { fy.first.adding(days: r.int(low, fy.dayCount - 1)) }
        func later(_ d: CalendarDate, _ r: inout SplitMix) -> CalendarDate { min(fy.last, d.adding(days: r.int(0, 30))) }
        while left > 0 {
            var r = fillRng
            let kind = r.int(0, 9)
            let a = r.int(0, agreements.count - 1)
            let parties = agreements[a].parties
            let c = parties[r.int(0, parties.count - 1)]
            fillCounter += 1
            let n = fillCounter
            let d = day(&r)
            switch kind {
            case 0...3 where left >= 2:
                // A reserved matter: the council's own budget or council tax, its own decision.
                let what = ["budget", "council-tax", "spending-priorities", "constitution"][r.int(0, 3)]
                let id = "res-\(n)"
                emit(d, 1, "proposal.tabled", "\(cid(c))/democratic-services",
                     #"{"proposal":"\#(id)","title":"\#(fy) \#(what) of \#(cid(c))","matter":"reserved:\#(what)","affects":["\#(cid(c))"]}"#)
                emit(later(d, &r), 2, "council.decided", "\(cid(c))/democratic-services",
                     #"{"proposal":"\#(id)","council":"\#(cid(c))","decision":"approve","body":"Full Council","minute":"\#(cid(c))/\#(id)"}"#)
                left -= 2
            case 4...5 where left >= 2:
                // A joint committee vote on a shared policy: every council's own members for.
                let id = "pol-\(n)"
                emit(d, 1, "proposal.tabled", "\(cid(c))/democratic-services",
                     #"{"proposal":"\#(id)","title":"Shared policy \#(n) under \#(agreements[a].id)","matter":"policy","affects":\#(History.list(parties.map(cid))),"agreement":"\#(agreements[a].id)"}"#)
                let votes = parties.map { #""\#(cid($0))":{"for":\#(r.int(2, 4)),"against":0,"abstain":\#(r.int(0, 1))}"# }.joined(separator: ",")
                emit(later(d, &r), 2, "committee.voted", "\(cid(c))/democratic-services",
                     #"{"proposal":"\#(id)","committee":"Joint Committee \#(agreements[a].id)","votes":{\#(votes)},"chair":"\#(cid(c))"}"#)
                left -= 2
            case 6...7 where left >= 1 + parties.count:
                // A shared policy each council decides in its own Cabinet, not always the same way.
                let id = "pol-\(n)"
                emit(d, 1, "proposal.tabled", "\(cid(c))/democratic-services",
                     #"{"proposal":"\#(id)","title":"Shared policy \#(n) under \#(agreements[a].id)","matter":"priority","affects":\#(History.list(parties.map(cid))),"agreement":"\#(agreements[a].id)"}"#)
                for x in parties {
                    let decision = r.chance(0.85) ? "approve" : (r.chance(0.5) ? "reject" : "abstain")
                    emit(later(d, &r), 2, "council.decided", "\(cid(x))/democratic-services",
                         #"{"proposal":"\#(id)","council":"\#(cid(x))","decision":"\#(decision)","body":"Cabinet","minute":"\#(cid(x))/\#(id)"}"#)
                }
                left -= 1 + parties.count
            case 8:
                emit(d, 1, "variation.specified", "\(cid(c))/finance",
                     #"{"council":"\#(cid(c))","agreement":"\#(agreements[a].id)","description":"Single-borough delivery \#(n)","annualPence":\#(r.int(10, 400) * 10_000)}"#)
                left -= 1
            default:
                emit(d, 1, "contract.registered", "\(cid(c))/legal",
                     #"{"council":"\#(cid(c))","contract":"k\#(n)","counterparty":"Supplier \#(r.int(1, 999)) Ltd"}"#)
                left -= 1
            }
            fillRng = r
        }
    }
}

func pad(_ n: Int, _ width: Int) -> String {
    let s = String(n)
    return s.count >= width ? s : String(repeating: "0", count: width - s.count) + s
}
