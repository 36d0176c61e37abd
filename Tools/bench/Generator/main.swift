// accord-bench: a deterministic generator of realistic Accord ledger input,
// with the same history written as an hledger/ledger-cli journal and a CSV,
// and the per-council totals Accord must report for one financial year.
//
//   accord-bench generate --seed S --councils N --posts P --records R --out DIR
//                         [--start-year 1990] [--years 35] [--year Y]
//
// Writes DIR/events.jsonl (R input events, one per line, in `accord append`
// order), DIR/journal.ledger, DIR/postings.csv, DIR/expected.json and
// DIR/meta.json. See BENCHMARKS.md for what each peer computes.

import Events

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

func fail(_ message: String) -> Never {
    let text = Array("accord-bench: \(message)\n".utf8)
    _ = text.withUnsafeBytes { write(2, $0.baseAddress, $0.count) }
    exit(2)
}

/// A buffered output file.
final class Output {
    let file: UnsafeMutablePointer<FILE>
    var buffer: [UInt8] = []
    init(_ path: String) {
        guard let f = fopen(path, "w") else { fail("cannot write \(path)") }
        file = f
        buffer.reserveCapacity(1 << 20)
    }
    func write(_ s: String) {
        buffer.append(contentsOf: s.utf8)
        if buffer.count >= 1 << 20 { flush() }
    }
    func flush() {
        if !buffer.isEmpty {
            _ = buffer.withUnsafeBytes { fwrite($0.baseAddress, 1, $0.count, file) }
            buffer.removeAll(keepingCapacity: true)
        }
    }
    func close() {
        flush()
        fclose(file)
    }
}

// MARK: Arguments

var arguments = Array(CommandLine.arguments.dropFirst())
guard arguments.first == "generate" else {
    fail("usage: accord-bench generate --seed S --councils N --posts P --records R --out DIR [--start-year Y0] [--years K] [--year Y]")
}
arguments.removeFirst()
var options: [String: String] = [:]
while !arguments.isEmpty {
    let key = arguments.removeFirst()
    guard key.hasPrefix("--"), !arguments.isEmpty else { fail("expected --option VALUE, got \(key)") }
    options[key] = arguments.removeFirst()
}
@MainActor func number(_ key: String, _ fallback: Int? = nil) -> Int {
    if let text = options[key] {
        guard let value = Int(text), value >= 0 else { fail("\(key) must be a whole number") }
        return value
    }
    guard let fallback else { fail("\(key) is required") }
    return fallback
}
let seed = UInt64(number("--seed"))
let councilCount = number("--councils")
let postCount = number("--posts")
let records = number("--records")
let startYear = number("--start-year", 1990)
let years = number("--years", 35)
let targetYear = number("--year", startYear + years - 1)
guard let outDir = options["--out"] else { fail("--out is required") }
guard councilCount >= 2, years >= 1 else { fail("need at least 2 councils and 1 year") }
_ = mkdir(outDir, 0o755)

// MARK: Pass 1: the posts' own records, counted per year, to plan the filler

var plan = History(seed: seed, councils: councilCount, posts: postCount, startYear: startYear, years: years, filler: nil)
plan.setUp()
var postRecords: [Int] = []
for i in 0..<years {
    plan.year(i)
    postRecords.append(plan.buckets.removeValue(forKey: startYear + i)?.count ?? 0)
}
let fillerTotal = records - postRecords.reduce(0, +)
guard fillerTotal >= 0 else {
    fail("\(postCount) posts over \(years) years need \(postRecords.reduce(0, +)) records, more than --records \(records); give fewer posts or more records")
}
let filler = (0..<years).map { fillerTotal / years + ($0 < fillerTotal % years ? 1 : 0) }

// MARK: Pass 2: the same posts plus the filler, written in ledger order

struct Timed<Value> {
    var date: CalendarDate
    var seq: Int
    var value: Value
}
final class PostFacts {
    var costs: [Timed<(annual: Int64, bp: Int64)>] = []
    var shares: [Timed<[(council: Int, weight: Int64)]>] = []
    var ended: CalendarDate?
    var lastDays: [Int: CalendarDate] = [:]
}

var history = History(seed: seed, councils: councilCount, posts: postCount, startYear: startYear, years: years, filler: filler)
history.setUp()
let events = Output(outDir + "/events.jsonl")
var seq = 0
var facts: [PostFacts] = []
var typeCounts: [String: Int] = [:]
var firstDate: CalendarDate?
var lastDate: CalendarDate?
for i in 0..<years {
    history.year(i)
    var bucket = history.buckets.removeValue(forKey: startYear + i) ?? []
    bucket.sort { ($0.date, $0.phase, $0.order) < ($1.date, $1.phase, $1.order) }
    for ev in bucket {
        seq += 1
        events.write(ev.line)
        events.write("\n")
        if firstDate == nil { firstDate = ev.date }
        lastDate = ev.date
        let typeStart = ev.line.index(ev.line.startIndex, offsetBy: 9)
        let type = String(ev.line[typeStart...].prefix { $0 != "\"" })
        typeCounts[type, default: 0] += 1
        guard let fact = ev.fact else { continue }
        func post(_ p: Int) -> PostFacts {
            while facts.count <= p { facts.append(PostFacts()) }
            return facts[p]
        }
        switch fact {
        case .costed(let p, let annual, let bp): post(p).costs.append(Timed(date: ev.date, seq: seq, value: (annual, bp)))
        case .apportioned(let p, let weights): post(p).shares.append(Timed(date: ev.date, seq: seq, value: weights))
        case .ended(let p): if post(p).ended == nil { post(p).ended = ev.date }
        case .notice(let p, let council, let last):
            let f = post(p)
            if f.lastDays[council].map({ last < $0 }) ?? true { f.lastDays[council] = last }
        }
    }
}
events.close()
guard seq == records else { fail("internal: wrote \(seq) records, wanted \(records)") }

// MARK: The splits, per post and financial year (SPEC §5.1), computed here

/// The value in force on `date`: the latest by (effective, seq) on or before it.
func inForce<V>(_ timeline: [Timed<V>], on date: CalendarDate) -> V? {
    var found: V?
    for entry in timeline {
        if entry.date <= date { found = entry.value } else { break }
    }
    return found
}

struct Segment {
    var from: CalendarDate
    var to: CalendarDate
    var parts: [Int: Rational]  // council → exact pence
    var unapportioned: Rational
    var exact: Rational
}

let unapportionedKey = -1

struct PostYear {
    var segments: [Segment]
    /// Rounded pence per council (unapportionedKey for the unapportioned share).
    var pence: [Int: Int64]
    var total: Int64
    /// Per segment, the pence of each key, adding up per key to `pence`.
    var segmentPence: [[Int: Int64]]
}

func split(_ f: PostFacts, _ fy: FinancialYear, employer: Int) -> PostYear? {
    let from = fy.first
    var last = fy.last
    if let ended = f.ended { last = min(last, ended.adding(days: -1)) }
    guard from <= last else { return nil }
    var starts = Set([from])
    for c in f.costs where c.date > from && c.date <= last { starts.insert(c.date) }
    for s in f.shares where s.date > from && s.date <= last { starts.insert(s.date) }
    for (_, day) in f.lastDays where day >= from && day < last { starts.insert(day.adding(days: 1)) }
    let ordered = starts.sorted()
    var segments: [Segment] = []
    for (k, start) in ordered.enumerated() {
        let end = k + 1 < ordered.count ? ordered[k + 1].adding(days: -1) : last
        guard let cost = inForce(f.costs, on: start) else { continue }
        let days = start.days(to: end) + 1
        let exact = Rational(num: Int128(cost.annual), den: 1)
            .scaled(by: Int128(10_000 + cost.bp) * Int128(days), over: 10_000 * Int128(fy.dayCount))
        var segment = Segment(from: start, to: end, parts: [:], unapportioned: .zero, exact: exact)
        if let weights = inForce(f.shares, on: start), !weights.isEmpty {
            let total = weights.reduce(Int64(0)) { $0 + $1.weight }
            for w in weights {
                let part = exact.scaled(by: Int128(w.weight), over: Int128(total))
                if let day = f.lastDays[w.council], day < start {
                    segment.unapportioned = segment.unapportioned + part
                } else {
                    segment.parts[w.council] = (segment.parts[w.council] ?? .zero) + part
                }
            }
        } else {
            segment.unapportioned = exact
        }
        segments.append(segment)
    }
    guard !segments.isEmpty else { return nil }
    var exactTotal = Rational.zero
    var shares: [Int: Rational] = [:]
    var unapportioned = Rational.zero
    for s in segments {
        exactTotal = exactTotal + s.exact
        unapportioned = unapportioned + s.unapportioned
        for (c, part) in s.parts { shares[c] = (shares[c] ?? .zero) + part }
    }
    // Largest remainder: tie order employer, then council id, then unapportioned.
    let keys = shares.keys.sorted { a, b in
        if (a == employer) != (b == employer) { return a == employer }
        return a < b
    } + [unapportionedKey]
    let exacts = keys.map { $0 == unapportionedKey ? unapportioned : shares[$0]! }
    let total = Int64(exactTotal.roundedHalfUp)
    var amounts = exacts.map { Int64($0.floor) }
    let left = Int(total - amounts.reduce(0, +))
    precondition(left >= 0 && left <= keys.count)
    let order = keys.indices.sorted { a, b in
        let ra = exacts[a].remainder, rb = exacts[b].remainder
        if ra == rb { return a < b }
        return rb < ra
    }
    for k in order.prefix(left) { amounts[k] += 1 }
    var pence: [Int: Int64] = [:]
    for (k, key) in keys.enumerated() { pence[key] = amounts[k] }
    // Spread each key's rounded pence over its segments: floors, the rest in its last segment.
    var segmentPence = Array(repeating: [Int: Int64](), count: segments.count)
    for key in keys {
        var spent: Int64 = 0
        var lastIndex: Int?
        for (k, s) in segments.enumerated() {
            let part = key == unapportionedKey ? s.unapportioned : s.parts[key]
            guard let part, part.num > 0 else { continue }
            let floor = Int64(part.floor)
            segmentPence[k][key] = floor
            spent += floor
            lastIndex = k
        }
        if let lastIndex {
            segmentPence[lastIndex][key]! += pence[key]! - spent
        } else {
            precondition(pence[key]! == 0)
        }
    }
    return PostYear(segments: segments, pence: pence, total: total, segmentPence: segmentPence)
}

func pounds(_ pence: Int64) -> String {
    let sign = pence < 0 ? "-" : ""
    let m = pence < 0 ? -pence : pence
    let p = m % 100
    return "\(sign)\(m / 100).\(p < 10 ? "0" : "")\(p)"
}

struct Transaction {
    var date: CalendarDate
    var post: Int
    var text: String
}

var transactions: [Transaction] = []
let csv = Output(outDir + "/postings.csv")
csv.write("date,post,council,pence\n")
var postings = 0
var expected: [Int: Int64] = [:]
var expectedPosts = 0
var expectedTotal: Int64 = 0
for (p, f) in facts.enumerated() {
    let post = history.posts[p]
    for y in startYear..<(startYear + years) {
        let fy = FinancialYear(y)
        guard let result = split(f, fy, employer: post.employer) else { continue }
        if y == targetYear {
            expectedPosts += 1
            expectedTotal += result.total
            for (key, pence) in result.pence { expected[key, default: 0] += pence }
        }
        for (k, segment) in result.segments.enumerated() {
            let amounts = result.segmentPence[k].filter { $0.value != 0 }.sorted { $0.key < $1.key }
            guard !amounts.isEmpty else { continue }
            var text = "\(segment.from.iso) \(post.id) \(segment.from.iso)..\(segment.to.iso)\n"
            var sum: Int64 = 0
            for (key, pence) in amounts {
                let account = key == unapportionedKey ? "unapportioned" : "councils:" + history.councils[key].id
                text += "    \(account)  GBP \(pounds(pence))\n"
                csv.write("\(segment.from.iso),\(post.id),\(key == unapportionedKey ? "(unapportioned)" : history.councils[key].id),\(pence)\n")
                sum += pence
                postings += 1
            }
            text += "    posts:\(post.id)  GBP \(pounds(-sum))\n\n"
            postings += 1
            transactions.append(Transaction(date: segment.from, post: p, text: text))
        }
    }
}
csv.close()
transactions.sort { ($0.date, $0.post) < ($1.date, $1.post) }
let journal = Output(outDir + "/journal.ledger")
journal.write("; Accord benchmark journal: one transaction per post and cost segment (SPEC 5.1),\n")
journal.write("; amounts already split per council to the penny, as accord splits reports them.\n\n")
for t in transactions { journal.write(t.text) }
journal.close()

let fy = FinancialYear(targetYear)
var councilsJSON: [String] = []
for (key, pence) in expected.sorted(by: { $0.key < $1.key }) where key != unapportionedKey {
    councilsJSON.append("\"\(history.councils[key].id)\":\(pence)")
}
let expectedOut = Output(outDir + "/expected.json")
expectedOut.write("""
    {"year":\(targetYear),"from":"\(fy.first.iso)","to":"\(fy.last.iso)","posts":\(expectedPosts),\
    "totalPence":\(expectedTotal),"unapportionedPence":\(expected[unapportionedKey] ?? 0),"councils":{\(councilsJSON.joined(separator: ","))}}

    """)
expectedOut.close()

let typesJSON = typeCounts.sorted { $0.key < $1.key }.map { "\"\($0.key)\":\($0.value)" }.joined(separator: ",")
let meta = Output(outDir + "/meta.json")
meta.write("""
    {"seed":\(seed),"records":\(seq),"councils":\(councilCount),"agreements":\(history.agreements.count),\
    "posts":\(history.posts.count),"postBudget":\(postCount),"firstDate":"\(firstDate!.iso)","lastDate":"\(lastDate!.iso)",\
    "years":\(years),"targetYear":\(targetYear),"postRecords":\(postRecords.reduce(0, +)),"fillerRecords":\(fillerTotal),\
    "journalTransactions":\(transactions.count),"postings":\(postings),"types":{\(typesJSON)}}

    """)
meta.close()
print("accord-bench: \(seq) records, \(history.posts.count) posts, \(history.agreements.count) agreements, \(transactions.count) journal transactions (\(postings) postings) in \(outDir)")
