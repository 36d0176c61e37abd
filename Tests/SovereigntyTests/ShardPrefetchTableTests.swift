import Events
import Foundation
@testable import Ledger
import Sovereignty
import Testing
import TestSupport

/// The shard reader reads the table itself and decodes each entry as it
/// needs it (`ShardTable.snapshot()`). A damaged entry must send the batch
/// back to the ledger exactly as it does when judging reads the entry itself,
/// and a damaged entry the batch never reaches must change nothing either way.
/// (`CheckpointRecoveryTests` appends one event at a time: no reader starts.)
@Suite struct ShardPrefetchTableTests {
    enum Damage: String, CaseIterable, Sendable {
        /// The reached shard's length word made huge: the entry does not decode.
        case reachedEntryGarbled
        /// The reached shard's stamp past the head.
        case reachedEntryFromTheFuture
        /// A shard the batch never reaches garbled: no rebuild either way.
        case unreachedEntryGarbled
        /// Every entry but the header zeroed.
        case allEntriesZeroed
    }

    static func damage(_ ledger: ValidatedLedger, _ damage: Damage) throws {
        let path = ledger.store.checkpointPath + ".d/table"
        var table = [UInt8](try Data(contentsOf: URL(fileURLWithPath: path)))
        let generation = ShardTable.word(table, 2)
        let head = ShardTable.word(table, 4)
        func entry(_ name: String) -> Int {
            ShardTable.headerBytes + CheckpointShard.index(of: name, count: CheckpointCache<SovereigntyState>.shardCount) * ShardTable.entryBytes
        }
        func put(_ value: UInt64, at: Int) {
            withUnsafeBytes(of: (value ^ generation).littleEndian) { table.replaceSubrange(at..<(at + 8), with: $0) }
        }
        switch damage {
        case .reachedEntryGarbled:
            put(UInt64(1) << 60, at: entry("p-5") + 16)
        case .reachedEntryFromTheFuture:
            put(head + 1000, at: entry("p-5"))
        case .unreachedEntryGarbled:
            put(UInt64(1) << 60, at: entry("never-named-anywhere") + 16)
        case .allEntriesZeroed:
            for index in ShardTable.headerBytes..<table.count { table[index] = 0 }
        }
        try Data(table).write(to: URL(fileURLWithPath: path))
    }

    @Test(arguments: Damage.allCases, [LedgerStore.ShardReading.beforeJudging, .alongsideJudging])
    func aDamagedTableJudgesAsWithoutReadingAhead(_ damage: Damage, reading: LedgerStore.ShardReading) throws {
        func make(_ reading: LedgerStore.ShardReading) throws -> ValidatedLedger {
            let ledger = try ValidatedLedger(shardReading: reading, clock: ShardPrefetchTests.clock)
            #expect(try ledger.attempt(ShardPrefetchTests.tablings).isEmpty)
            return ledger
        }
        let ahead = try make(reading), inTurn = try make(.onTheJudgingThread), sound = try make(.onTheJudgingThread)
        try Self.damage(ahead, damage)
        try Self.damage(inTurn, damage)
        let built = try CheckpointRecoveryTests.generation(of: ahead)
        let builtInTurn = try CheckpointRecoveryTests.generation(of: inTurn)
        for breachAt in [nil, 64] as [Int?] {
            let batch = ShardPrefetchTests.batch(breachAt: breachAt)
            let expected = try sound.attempt(batch)
            #expect(try ahead.attempt(batch) == expected, "\(damage) \(reading) breach \(breachAt ?? -1)")
            #expect(try inTurn.attempt(batch) == expected, "\(damage) in turn breach \(breachAt ?? -1)")
        }
        #expect(try ahead.bytes() == (try sound.bytes()))
        #expect(try inTurn.bytes() == (try sound.bytes()))
        // Rebuilt (or not) alike.
        let rebuiltAhead = try CheckpointRecoveryTests.generation(of: ahead) != built
        let rebuiltInTurn = try CheckpointRecoveryTests.generation(of: inTurn) != builtInTurn
        #expect(rebuiltAhead == rebuiltInTurn, "\(damage) \(reading): rebuilt ahead \(rebuiltAhead), in turn \(rebuiltInTurn)")
        #expect(rebuiltAhead == (damage != .unreachedEntryGarbled), "\(damage) \(reading)")
        for (index, line) in ShardPrefetchTests.followUps.enumerated() {
            #expect(try ahead.attempt(line) == (try sound.attempt(line)), "follow-up \(index + 1)")
        }
    }

    /// A table one byte short cannot be read whole: the reader reads
    /// nothing, so judging reads every shard itself; whole, the reader reads.
    @Test(arguments: [false, true])
    func aTableThatCannotBeReadWholeIsLeftToJudging(_ truncated: Bool) throws {
        let temporary = try TemporaryDirectory("accord-prefetch-table")
        let count = 256
        let tablePath = temporary.url.appendingPathComponent("table").path
        let table = try ShardTable.create(tablePath, generation: 99, entries: Array(repeating: .empty, count: count), head: 3)
        if truncated {
            let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: tablePath))
            try handle.truncate(atOffset: UInt64(ShardTable.headerBytes + count * ShardTable.entryBytes - 1))
            try handle.close()
        }
        let pack = try ShardPack.open(temporary.url.appendingPathComponent("shards").path, creating: true)
        let inputs = try ShardPrefetchTests.tablings.map { try ValidatedLedger.input($0) }
        let prefetch = ShardPrefetch<SovereigntyState>(
            inputs: inputs, firstSeq: 4, now: ShardPrefetchTests.clock.fixed!, state: SovereigntyState(),
            loaded: ShardSet(capacity: count), table: table, head: 3, generation: 99, pack: pack, named: nil, readAhead: nil)
        prefetch.waitUntilRead()
        var taken = 0, empty = 0
        for index in 0..<count {
            guard let fetched = prefetch.take(index) else { continue }
            taken += 1
            if case .empty(let entry) = fetched, entry == .empty { empty += 1 }
        }
        if truncated {
            #expect(taken == 0, "nothing read when the table cannot be read whole")
        } else {
            #expect(taken > 0 && empty == taken, "\(taken) taken, \(empty) empty")
        }
        prefetch.stop()
    }
}
