import Events
import Foundation
@testable import Ledger
import Sovereignty
import Testing

/// A large batch onto a restored checkpoint reads its shards on another core
/// while it is judged (`ShardPrefetch`). Whether that thread keeps up, and
/// whatever it finds, must change only the time: the same findings, the same
/// ledger bytes, and a checkpoint that judges the next events the same.
@Suite struct ShardPrefetchTests {
    static let proposals = (0..<40).map { "p-\($0)" }
    static let clock = Clock(fixed: Instant(rfc3339: "2025-04-01T09:00:00Z")!)

    /// Forty proposals on forty-odd shards, in one append after the base, so
    /// that the batch under test restores a checkpoint rather than building one.
    static let tablings = proposals.map { E.table($0, "2013-08-01", affects: E.three, agreement: "people") }

    /// Every council's approval of every proposal, then an apportionment
    /// citing each of the first ten: 130 events, more than the least batch
    /// that reads ahead. With `breachAt`, the event there instead decides a
    /// proposal nobody tabled (SG-8), so the whole batch is refused.
    static func batch(breachAt: Int? = nil) -> [String] {
        var lines = proposals.flatMap { proposal in E.three.map { E.decide(proposal, $0, "approve", "2013-08-15") } }
        lines += proposals.prefix(10).map { E.apportion("dcs", "2013-09-01", E.three.map { ($0, 1) }, proposal: $0) }
        if let breachAt { lines[breachAt] = E.decide("p-none", "redcar", "approve", "2013-08-15") }
        return lines
    }

    /// Judged one at a time after the batch, by the checkpoint it saved: one
    /// that cites a proposal approved in the batch, and an out-voting.
    static let followUps = [
        E.apportion("dcs", "2013-10-01", [("darlington", 2), ("hartlepool", 1), ("redcar", 1)], proposal: "p-30"),
        E.table("p-late", "2013-10-02", affects: E.three, agreement: "people"),
        E.decide("p-late", "darlington", "approve", "2013-10-03"),
        E.apportion("dcs", "2013-10-04", E.three.map { ($0, 1) }, proposal: "p-late"),
    ]

    func ledger(_ reading: LedgerStore.ShardReading, readAheadInputs: Int = ReadAhead.defaultMostInputs) throws -> ValidatedLedger {
        let ledger = try ValidatedLedger(shardReading: reading, readAheadInputs: readAheadInputs, clock: Self.clock)
        #expect(try ledger.attempt(Self.tablings).isEmpty)
        return ledger
    }

    /// Read before judging, every shard the batch names is taken from the
    /// other thread; read alongside, as many as it gets to first.
    @Test(arguments: [nil, 0, 64, 129], [LedgerStore.ShardReading.beforeJudging, .alongsideJudging])
    func aBatchIsJudgedAsWithoutReadingAhead(breachAt: Int?, reading: LedgerStore.ShardReading) throws {
        let ahead = try ledger(reading)
        let inTurn = try ledger(.onTheJudgingThread)
        #expect(Self.batch().count >= CheckpointCache<SovereigntyState>.prefetchMinimumInputs)
        let before = try ahead.bytes()
        #expect(before == (try inTurn.bytes()))

        let findings = try ahead.attempt(Self.batch(breachAt: breachAt))
        #expect(findings == (try inTurn.attempt(Self.batch(breachAt: breachAt))))
        if breachAt == nil {
            #expect(findings.isEmpty)
        } else {
            #expect(findings.map(\.rule) == ["SG-8"])
            #expect(try ahead.bytes() == before, "a refused batch leaves the ledger byte for byte as it was")
        }
        #expect(try ahead.bytes() == (try inTurn.bytes()))

        for (index, line) in Self.followUps.enumerated() {
            #expect(try ahead.attempt(line) == (try inTurn.attempt(line)), "follow-up \(index + 1)")
        }
        let last = try ahead.attempt(Self.followUps.last!)
        #expect(last.map(\.rule) == ["SG-1", "SG-1"] && last.map(\.councils) == [["hartlepool"], ["redcar"]],
            "Hartlepool and Redcar never approved p-late: \(last)")
        #expect(try ahead.bytes() == (try inTurn.bytes()))
    }

    /// A reader held close behind judging (`ReadAhead`) waits for it again
    /// and again, and still changes only the time.
    @Test(arguments: [0, 1, 7], [nil, 64])
    func aReaderHeldCloseJudgesTheSame(readAheadInputs: Int, breachAt: Int?) throws {
        let held = try ledger(.alongsideJudging, readAheadInputs: readAheadInputs)
        let inTurn = try ledger(.onTheJudgingThread)
        #expect(try held.attempt(Self.batch(breachAt: breachAt)) == (try inTurn.attempt(Self.batch(breachAt: breachAt))))
        #expect(try held.bytes() == (try inTurn.bytes()))
        for (index, line) in Self.followUps.enumerated() {
            #expect(try held.attempt(line) == (try inTurn.attempt(line)), "follow-up \(index + 1)")
        }
    }

    enum Damage: String, CaseIterable, Sendable { case shardGarbled, packTruncated }

    /// A shard the reading thread finds damaged sends the batch back to the
    /// ledger itself, as one found on the judging thread does.
    @Test(arguments: Damage.allCases, [LedgerStore.ShardReading.beforeJudging, .alongsideJudging])
    func aDamagedShardFoundAheadRebuildsFromTheLedger(_ damage: Damage, reading: LedgerStore.ShardReading) throws {
        let damaged = try ledger(reading)
        let sound = try ledger(.onTheJudgingThread)
        let pack = URL(fileURLWithPath: damaged.store.checkpointPath + ".d/shards")
        var bytes = try Data(contentsOf: pack)
        switch damage {
        case .shardGarbled:
            // Past the base's shards, into the tablings' (written last).
            bytes[bytes.count - 200] ^= 0x20
        case .packTruncated:
            bytes = bytes.prefix(bytes.count - 100)
        }
        try bytes.write(to: pack)

        #expect(try damaged.attempt(Self.batch()).isEmpty)
        #expect(try sound.attempt(Self.batch()).isEmpty)
        #expect(try damaged.bytes() == (try sound.bytes()))
        for (index, line) in Self.followUps.enumerated() {
            #expect(try damaged.attempt(line) == (try sound.attempt(line)), "follow-up \(index + 1)")
        }
    }

    /// A damaged shard first reached just after the batch's second chunk of
    /// 1,024 records went to the encoding core: the append lets that encoder
    /// go while the chunk is still being encoded (letting it go on the
    /// encoding queue itself once trapped) and rebuilds from the ledger,
    /// ending exactly where a sound ledger does.
    @Test func aDamagedShardReachedAfterAChunkWasHandedOverRebuilds() throws {
        let councils = (1...3000).map { String(format: "c%04d", $0) }
        let registrations = councils.map {
            #"{"type":"council.registered","effective":"2013-04-01","by":"\#($0)/clerk","data":{"council":"\#($0)","name":"Council \#($0)"}}"#
        }
        let proposals = councils.map {
            #"{"type":"proposal.tabled","effective":"2013-04-02","by":"\#($0)/clerk","data":{"proposal":"p-\#($0)","title":"Own policy","matter":"policy","affects":["\#($0)"]}}"#
        }
        let damaged = try ValidatedLedger([], clock: Self.clock)
        let sound = try ValidatedLedger([], clock: Self.clock)
        for ledger in [damaged, sound] { #expect(try ledger.attempt(registrations).isEmpty) }

        // The shard of c2050, named first by input 2,050, two past the second chunk's handover.
        let (offset, length) = try damaged.shardPlace(of: "c2050")
        #expect(length > 0, "c2050's shard was written")
        let pack = URL(fileURLWithPath: damaged.store.checkpointPath + ".d/shards")
        var bytes = try Data(contentsOf: pack)
        bytes[offset + length / 2] ^= 0x20
        try bytes.write(to: pack)

        #expect(try damaged.attempt(proposals).isEmpty)
        #expect(try sound.attempt(proposals).isEmpty)
        #expect(try damaged.bytes() == (try sound.bytes()))
        // The rebuilt checkpoint judges the next event: c2050's proposal is already tabled.
        #expect(try damaged.attempt(proposals[2049]).map(\.rule) == ["SG-8"])
    }
}
