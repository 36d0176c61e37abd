import Events
import Testing
import TestSupport

@testable import Projections

/// A post's apportionments read from a shard stay packed (`ShareTimeline`,
/// `ShareTimeline+Packed.swift`). These hold the packed form to the decoded
/// one under seeded random histories and changes: the same entries, the same
/// entry in force on every date, the same councils, the same bytes written.
@Suite struct ShareTimelineTests {
    static let councils: [Identifier] = ["a", "a-1", "ab", "b", "c0128", "c0129", "c1", "z"]

    static func share(_ seq: Int, _ random: inout SplitMix64) -> ShareEntry {
        let named = random.shuffled(councils).prefix(random.int(1...4))
        return ShareEntry(
            basis: random.pick(Basis.allCases), weights: named.map { Weight(council: $0, weight: Int64(random.int(-3...900))) },
            proposal: Identifier("share-\(seq)")!)
    }

    static func bytes(_ shares: ShareTimeline) -> [UInt8] {
        var bytes: [UInt8] = []
        var writer = PackedWriter(appendingTo: &bytes)
        shares.write(into: &writer)
        writer.finish(into: &bytes)
        return bytes
    }

    /// The shares in `bytes` as a shard's reader reads them, for a shard whose head is `head`.
    static func read(_ bytes: [UInt8], head: Int) -> ShareTimeline? {
        bytes.withUnsafeBytes { raw in
            var reader = PackedWorldReader(reader: PackedReader(raw))
            reader.head = head
            guard let shares = reader.shares(), reader.reader.atEnd else { return nil }
            return shares
        }
    }

    static func key(_ entry: ShareTimeline.Entry) -> String { "\(entry.effective)#\(entry.seq) \(entry.value)" }

    /// Everything a reader of `shares` can see, as text, to compare with a timeline's.
    static func differences(_ shares: ShareTimeline, _ reference: Timeline<ShareEntry>) -> String? {
        if shares.entries.map(key) != reference.entries.map(key) { return "entries differ" }
        if shares.count != reference.entries.count { return "count \(shares.count)" }
        let named = Identifier.sorted(Set(reference.entries.flatMap { $0.value.weights.map(\.council) }))
        if shares.councils != named { return "councils \(shares.councils) against \(named)" }
        let days = reference.entries.map(\.effective.dayNumber)
        for day in Set(days.flatMap { [$0 - 1, $0, $0 + 1] }) + [Int.min / 2, Int.max / 2] {
            let date = CalendarDate(dayNumber: day)
            if shares.entry(on: date).map(key) != reference.entry(on: date).map(key) { return "entry on day \(day)" }
        }
        if let first = days.min(), let last = days.max() {
            let range = CalendarDate(dayNumber: first)...CalendarDate(dayNumber: last)
            if shares.changes(in: range) != reference.changes(in: range) { return "changes" }
        }
        if bytes(shares) != bytes(ShareTimeline(reference)) { return "written bytes" }
        return nil
    }

    /// Seeded: 600 random histories (back-dated entries among them), each
    /// written, read back packed, and read as the timeline it was.
    @Test(arguments: [UInt64(0x5A4E_0001), 0x5A4E_0002, 0x5A4E_0003])
    func readsBackAsWritten(_ seed: UInt64) {
        var random = SplitMix64(seed: seed)
        for round in 0..<200 {
            var reference = Timeline<ShareEntry>()
            let count = random.int(0...30)
            for seq in stride(from: 1, through: count * 3, by: 3) {
                reference.insert(Self.share(seq, &random), effective: .init(dayNumber: random.int(9_000...9_400)), seq: seq)
            }
            guard let read = Self.read(Self.bytes(ShareTimeline(reference)), head: max(count * 3, 1)) else {
                Issue.record("seed \(seed), round \(round): \(count) entries written were not read")
                return
            }
            #expect(read.isPacked == (count > 0))
            if let difference = Self.differences(read, reference) {
                Issue.record("seed \(seed), round \(round): \(difference)")
                return
            }
        }
    }

    /// Seeded: a packed history changed as the validator's world changes
    /// it (apportionments added, most after the last, some back-dated; some
    /// retracted) stays what the same changes make of a decoded timeline.
    @Test(arguments: [UInt64(0x5A4E_0011), 0x5A4E_0012, 0x5A4E_0013])
    func changesAsATimelineWould(_ seed: UInt64) {
        var random = SplitMix64(seed: seed)
        for round in 0..<60 {
            var reference = Timeline<ShareEntry>()
            var seq = 0
            for _ in 0..<random.int(1...12) {
                seq += 1
                reference.insert(Self.share(seq, &random), effective: .init(dayNumber: 9_000 + seq * 10), seq: seq)
            }
            guard var shares = Self.read(Self.bytes(ShareTimeline(reference)), head: seq) else {
                Issue.record("seed \(seed), round \(round): not read")
                return
            }
            for step in 0..<20 {
                seq += 1
                switch random.int(0...9) {
                case 0:
                    let removed = random.int(1...seq)
                    let found = reference.remove(seq: removed)
                    guard shares.remove(seq: removed) == found else {
                        Issue.record("seed \(seed), round \(round), step \(step): removing \(removed) answered otherwise")
                        return
                    }
                case 1:
                    let date = CalendarDate(dayNumber: 9_000 + random.int(0...(seq * 10)))
                    reference.forget(before: date)
                    shares.forget(before: date)
                default:
                    // Mostly after the last entry; one in five back-dated.
                    let day = 9_000 + seq * 10 - (random.chance(1, in: 5) ? random.int(1...(seq * 10)) : 0)
                    let share = Self.share(seq, &random)
                    reference.insert(share, effective: .init(dayNumber: day), seq: seq)
                    shares.insert(share, effective: .init(dayNumber: day), seq: seq)
                }
                if let difference = Self.differences(shares, reference) {
                    Issue.record("seed \(seed), round \(round), step \(step): \(difference)")
                    return
                }
            }
        }
    }

    /// An apportionment after the last stays packed, on the end of the
    /// bytes; one dated before it is put in its place, decoded.
    @Test func onlyABackDatedApportionmentDecodesTheHistory() throws {
        var random = SplitMix64(seed: 1)
        var timeline = Timeline<ShareEntry>()
        timeline.insert(Self.share(1, &random), effective: .init(dayNumber: 100), seq: 1)
        timeline.insert(Self.share(2, &random), effective: .init(dayNumber: 200), seq: 2)
        var shares = try #require(Self.read(Self.bytes(ShareTimeline(timeline)), head: 2))
        #expect(shares.isPacked)
        shares.insert(Self.share(3, &random), effective: .init(dayNumber: 200), seq: 3)
        #expect(shares.isPacked, "the same day, a later record: after the last")
        shares.insert(Self.share(4, &random), effective: .init(dayNumber: 150), seq: 4)
        #expect(!shares.isPacked)
        #expect(shares.entries.map(\.seq) == [1, 4, 2, 3])
    }

    /// A retraction asks every post whether it holds the record: one that
    /// does not is left packed; one that does loses the entry and any council
    /// only that entry named.
    @Test func aRetractionDecodesOnlyTheHistoryHoldingTheRecord() throws {
        let a = ShareEntry(basis: .equal, weights: [Weight(council: "a", weight: 1)], proposal: "p")
        let ab = ShareEntry(basis: .equal, weights: [Weight(council: "a", weight: 1), Weight(council: "b", weight: 2)], proposal: "p")
        var timeline = Timeline<ShareEntry>()
        timeline.insert(a, effective: .init(dayNumber: 100), seq: 3)
        timeline.insert(ab, effective: .init(dayNumber: 200), seq: 7)
        var shares = try #require(Self.read(Self.bytes(ShareTimeline(timeline)), head: 9))
        let other = shares.remove(seq: 5)
        #expect(!other && shares.isPacked)
        let own = shares.remove(seq: 7)
        #expect(own && !shares.isPacked)
        #expect(shares.entries.map(\.seq) == [3])
        #expect(shares.councils == ["a"])
    }

    /// What decoding would refuse, the reader refuses, though it decodes nothing.
    @Test(arguments: BadShares.allCases)
    func refusesWhatDecodingWould(_ bad: BadShares) {
        var bytes: [UInt8] = []
        var writer = PackedWriter(appendingTo: &bytes)
        bad.write(&writer)
        writer.finish(into: &bytes)
        #expect(Self.read(bytes, head: 10) == nil, "\(bad)")
    }

    enum BadShares: CaseIterable, Sendable {
        case outOfOrder, sameDaySeqsOutOfOrder, seqPastTheHead, seqZero, unknownBasis, badCouncil, countPastTheEntries

        func write(_ w: inout PackedWriter) {
            let share = ShareEntry(basis: .equal, weights: [Weight(council: "a", weight: 1)], proposal: "p")
            switch self {
            case .outOfOrder:
                w.count(2)
                w.shareEntry(share, effective: .init(dayNumber: 200), seq: 1)
                w.shareEntry(share, effective: .init(dayNumber: 100), seq: 2)
            case .sameDaySeqsOutOfOrder:
                w.count(2)
                w.shareEntry(share, effective: .init(dayNumber: 100), seq: 2)
                w.shareEntry(share, effective: .init(dayNumber: 100), seq: 1)
            case .seqPastTheHead:
                w.count(1)
                w.shareEntry(share, effective: .init(dayNumber: 100), seq: 11)
            case .seqZero:
                w.count(1)
                w.shareEntry(share, effective: .init(dayNumber: 100), seq: 0)
            case .unknownBasis:
                w.count(1)
                w.date(.init(dayNumber: 100))
                w.count(1)
                w.byte(UInt8(Basis.allCases.count))
                w.count(0)
                w.id("p")
            case .badCouncil:
                w.count(1)
                w.date(.init(dayNumber: 100))
                w.count(1)
                w.choice(Basis.equal)
                w.count(1)
                w.string("Not An Id")
                w.signed(Int64(1))
                w.id("p")
            case .countPastTheEntries:
                w.count(2)
                w.shareEntry(share, effective: .init(dayNumber: 100), seq: 1)
            }
        }
    }
}
