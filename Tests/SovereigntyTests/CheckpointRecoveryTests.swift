import Events
import Foundation
@testable import Ledger
import Sovereignty
import Testing

/// The checkpoint beside a ledger is a cache in two parts, a core and shards.
/// However the two fall out of step (a crash between writing them, a lost
/// file, an edit, files from another build), an append must judge exactly as
/// on a ledger whose checkpoint was never touched, and leave a sound one.
@Suite struct CheckpointRecoveryTests {
    enum Damage: String, CaseIterable, Sendable {
        case shardsDeleted, shardsGarbled, shardsOlderThanCore, coreOlderThanShards, coreDeleted, shardsFromAnotherBuild
        case tableZeroed, tableDeleted, tableOlderThanShards, packTruncated
        /// One letter of a live shard's state changed (p-more's title, so it
        /// still decodes), the table and core left alone: only its seal tells.
        case liveShardByteChanged
        /// A live shard sealed with SHA-256, as version 2 sealed every shard, and the table pointed at it.
        case liveShardSealedWithSHA256
        /// A table for a quarter as many shards (builds before 524,288 shards wrote an eighth as many).
        case tableForFewerShards
    }

    static let more = E.table("p-more", "2013-08-01", affects: E.three, agreement: "people")
    /// Each judged by the proposal's shard: out-voting, a second tabling, and the approvals.
    static let breach = E.apportion("dcs", "2013-09-01", E.three.map { ($0, 1) }, proposal: "p-more")
    static let again = E.table("p-more", "2013-08-02", affects: E.three, agreement: "people")
    static func approval(_ council: String) -> String { E.decide("p-more", council, "approve", "2013-08-20") }

    func copy(_ from: String, to: String) throws {
        try? FileManager.default.removeItem(atPath: to)
        try FileManager.default.copyItem(atPath: from, toPath: to)
    }

    @Test(arguments: Damage.allCases)
    func anAppendJudgesAsIfTheCheckpointWereSound(_ damage: Damage) throws {
        let reference = try ValidatedLedger()
        let ledger = try ValidatedLedger()
        let core = ledger.store.checkpointPath, shards = core + ".d"
        let saved = ledger.path + ".saved"
        for l in [reference, ledger] { #expect(try l.attempt(Self.more).isEmpty) }
        try copy(core, to: saved + ".core")
        try copy(shards, to: saved + ".shards")
        // Two approvals change p-more's shard after the copy; Redcar's is still to come.
        for l in [reference, ledger] {
            #expect(try l.attempt(Self.approval("darlington")).isEmpty)
            #expect(try l.attempt(Self.approval("hartlepool")).isEmpty)
        }

        switch damage {
        case .shardsDeleted:
            try FileManager.default.removeItem(atPath: shards)
        case .shardsGarbled:
            for name in try FileManager.default.contentsOfDirectory(atPath: shards) {
                var bytes = try Data(contentsOf: URL(fileURLWithPath: shards + "/" + name))
                bytes[bytes.count / 2] ^= 0x20
                try bytes.write(to: URL(fileURLWithPath: shards + "/" + name))
            }
        case .shardsOlderThanCore:
            try copy(saved + ".shards", to: shards)
        case .tableZeroed:
            var bytes = try Data(contentsOf: URL(fileURLWithPath: shards + "/table"))
            for index in 40..<bytes.count { bytes[index] = 0 }
            try bytes.write(to: URL(fileURLWithPath: shards + "/table"))
        case .tableDeleted:
            try FileManager.default.removeItem(atPath: shards + "/table")
        case .tableOlderThanShards:
            try copy(saved + ".shards/table", to: shards + "/table")
        case .tableForFewerShards:
            var table = [UInt8](try Data(contentsOf: URL(fileURLWithPath: shards + "/table")))
            let fewer = CheckpointCache<SovereigntyState>.shardCount / 4
            withUnsafeBytes(of: UInt64(fewer).littleEndian) { table.replaceSubrange(24..<32, with: $0) }
            try Data(table.prefix(ShardTable.headerBytes + fewer * ShardTable.entryBytes)).write(to: URL(fileURLWithPath: shards + "/table"))
        case .packTruncated:
            let bytes = try Data(contentsOf: URL(fileURLWithPath: shards + "/shards"))
            try bytes.prefix(bytes.count - 100).write(to: URL(fileURLWithPath: shards + "/shards"))
        case .coreOlderThanShards:
            try copy(saved + ".core", to: core)
        case .coreDeleted:
            try FileManager.default.removeItem(atPath: core)
        case .liveShardByteChanged:
            let (offset, length) = try ledger.shardPlace(of: "p-more")
            var pack = [UInt8](try Data(contentsOf: URL(fileURLWithPath: shards + "/shards")))
            let title = Array("Proposal p-more".utf8)
            let at = try #require(PackedProposalTests.firstIndex(of: title, in: Array(pack[offset..<(offset + length)])))
            pack[offset + at] = UInt8(ascii: "Q")
            try Data(pack).write(to: URL(fileURLWithPath: shards + "/shards"))
        case .liveShardSealedWithSHA256:
            let (offset, length) = try ledger.shardPlace(of: "p-more")
            var pack = [UInt8](try Data(contentsOf: URL(fileURLWithPath: shards + "/shards")))
            let version = Array(pack[offset..<(offset + length)])
            let resealed = Sealed.seal(Array(version[try #require(ShardSeal.body(of: version))]))
            let (newOffset, newLength) = (pack.count, resealed.count)
            pack += resealed
            try Data(pack).write(to: URL(fileURLWithPath: shards + "/shards"))
            // The table's entry for it, each word XOR the generation, pointed at the new version (same stamp).
            var table = [UInt8](try Data(contentsOf: URL(fileURLWithPath: shards + "/table")))
            let generation = ShardTable.word(table, 2)
            let entry = ShardTable.headerBytes
                + CheckpointShard.index(of: "p-more", count: CheckpointCache<SovereigntyState>.shardCount) * ShardTable.entryBytes
            for (at, value) in [(entry + 8, newOffset), (entry + 16, newLength)] {
                withUnsafeBytes(of: (UInt64(value) ^ generation).littleEndian) { table.replaceSubrange(at..<(at + 8), with: $0) }
            }
            try Data(table).write(to: URL(fileURLWithPath: shards + "/table"))
            #expect(try ledger.shardPlace(of: "p-more") == (newOffset, newLength))
        case .shardsFromAnotherBuild:
            // The same seqs and stamps, but Redcar approved instead of Hartlepool.
            let other = try ValidatedLedger()
            #expect(try other.attempt(Self.more).isEmpty)
            #expect(try other.attempt(Self.approval("darlington")).isEmpty)
            #expect(try other.attempt(Self.approval("redcar")).isEmpty)
            try copy(other.store.checkpointPath + ".d", to: shards)
        }

        let expected = try reference.attempt(Self.breach)
        #expect(expected.map(\.rule) == ["SG-1"])
        #expect(expected.map(\.councils) == [["redcar"]])
        let before = try ledger.bytes()
        let built = try? Self.generation(of: ledger)
        #expect(try ledger.attempt(Self.breach) == expected)
        #expect(try ledger.bytes() == before)
        #expect(try ledger.attempt(Self.again) == (try reference.attempt(Self.again)))
        #expect(try ledger.attempt(Self.approval("redcar")).isEmpty)
        if [.liveShardByteChanged, .liveShardSealedWithSHA256, .tableForFewerShards].contains(damage) {
            // Refused by its seal or the table's count alone, the cache sent the first accepted append back to the ledger: a new build.
            #expect(try Self.generation(of: ledger) != built)
        }
        #expect(try ledger.attempt(Self.breach).isEmpty)
        // The checkpoint is sound again: a later append reads it and still judges rightly.
        #expect(FileManager.default.fileExists(atPath: core))
        #expect(try ledger.attempt(Self.again).map(\.rule) == ["SG-8"])
        #expect(try ledger.check(asOf: CalendarDate(iso: "2014-01-01")!).isEmpty)
    }

    /// The build of the checkpoint beside a ledger: a rebuild from the ledger chooses a new one.
    static func generation(of ledger: ValidatedLedger) throws -> String {
        let data = try Data(contentsOf: URL(fileURLWithPath: ledger.store.checkpointPath))
        let object = try JSONSerialization.jsonObject(with: data.split(separator: 0x0A)[0]) as! [String: Any]
        return object["generation"] as! String
    }

    /// The pack keeps old versions of shards until they outweigh the live ones
    /// four to one; then an append copies the live ones to a new pack. With no
    /// slack that happens every few appends: judgements must not change.
    @Test func aCompactedPackJudgesAsAnyOther() throws {
        let reference = try ValidatedLedger()
        let compacting = try ValidatedLedger(compactionSlackBytes: 0)
        let pack = compacting.path + ".checkpoint.d/shards"
        let built = try Self.generation(of: compacting)
        var sizes: [Int] = []
        for line in ScenarioTests.story + [Self.more, Self.approval("darlington"), Self.breach, Self.again] {
            #expect(try compacting.attempt(line) == (try reference.attempt(line)), "\(line)")
            sizes.append(try FileManager.default.attributesOfItem(atPath: pack)[.size] as! Int)
        }
        #expect(zip(sizes, sizes.dropFirst()).contains { $1 < $0 }, "the pack never shrank: \(sizes)")
        // Compaction is not a rebuild in disguise: the build (its generation) is the same.
        #expect(try Self.generation(of: compacting) == built)
        #expect(try compacting.check(asOf: CalendarDate(iso: "2015-08-01")!) == (try reference.check(asOf: CalendarDate(iso: "2015-08-01")!)))
    }

    /// A proposal's bytes in its shard that do not decode, under a seal made
    /// over them (so the shard reads): a record naming the proposal decodes it
    /// as its shard is read, and a retraction, which names none, leaves it
    /// packed and unpacks it; either way the append rebuilds from the ledger
    /// and judges as on a sound ledger.
    @Test(arguments: ["approval", "retraction"])
    func aProposalThatDoesNotDecodeRebuildsFromTheLedger(_ next: String) throws {
        let sound = try ValidatedLedger(clock: ShardPrefetchTests.clock)
        let damaged = try ValidatedLedger(clock: ShardPrefetchTests.clock)
        for l in [sound, damaged] {
            #expect(try l.attempt(Self.more).isEmpty)
            #expect(try l.attempt(Self.approval("darlington")).isEmpty)
        }
        let (offset, length) = try damaged.shardPlace(of: "p-more")
        let packURL = URL(fileURLWithPath: damaged.store.checkpointPath + ".d/shards")
        var pack = [UInt8](try Data(contentsOf: packURL))
        let shard = Array(pack[offset..<(offset + length)])
        var body = Array(shard[try #require(ShardSeal.body(of: shard))])
        // The proposal is its id (a count, then "p-more"), the length of the rest, then its seq: made 0, which no record has.
        let id: [UInt8] = [6] + Array("p-more".utf8)
        let at = try #require(PackedProposalTests.firstIndex(of: id, in: body))
        let lengthBytes = body[at + id.count] < 0x80 ? 1 : 2
        let seqAt = at + id.count + lengthBytes
        #expect(body[seqAt] == 21, "p-more's seq, after the 20 records of the base")
        body[seqAt] = 0
        let resealed = ShardSeal.sealed(body)
        try #require(resealed.count == length)
        pack.replaceSubrange(offset..<(offset + length), with: resealed)
        try Data(pack).write(to: packURL)

        let line = next == "approval" ? Self.approval("hartlepool") : E.retract(22, "2013-08-21")
        let built = try Self.generation(of: damaged)
        let expected = try sound.attempt(line)
        #expect(try damaged.attempt(line) == expected)
        #expect(try Self.generation(of: damaged) != built, "rebuilt from the ledger")
        #expect(try damaged.bytes() == (try sound.bytes()))
        #expect(try damaged.attempt(Self.breach) == (try sound.attempt(Self.breach)))
        #expect(try damaged.attempt(Self.again) == (try sound.attempt(Self.again)))
    }

    /// An append that finds everything already recorded still keeps the cache
    /// it had to rebuild, or every such retry would rebuild it again.
    @Test func aRebuiltCacheIsKeptWhenNothingIsAppended() throws {
        let ledger = try ValidatedLedger()
        let registration =
            #"{"type":"council.registered","id":"reg-stockton","effective":"2014-01-01","by":"stockton/clerk","data":{"council":"stockton","name":"Stockton Council"}}"#
        #expect(try ledger.attempt(registration).isEmpty)
        try FileManager.default.removeItem(atPath: ledger.store.checkpointPath)
        #expect(try ledger.attempt(registration).isEmpty)  // already recorded: nothing written
        #expect(FileManager.default.fileExists(atPath: ledger.store.checkpointPath))
    }
}
