import Foundation
import Synchronization
import Testing
import TestSupport

@testable import Ledger

#if canImport(Glibc)
import Glibc
#endif

/// A save's versions go to the pack group by group (`ShardPack.Appender`),
/// a large save's around the page cache. Wherever the pack ended, however
/// the versions fall across blocks, and if the file system refuses direct
/// writes part-way, each version reads back from where it was placed, what
/// the pack held before is untouched, and the pack's size is the file's.
@Suite struct ShardPackAppenderTests {
    static let block = AlignedBytes.blockBytes

    /// `count` groups of versions from nothing (a tenth of them, though a
    /// shard is never empty: `append` takes them) to more than two blocks.
    static func groups(_ count: Int, seed: UInt64) -> [[[UInt8]]] {
        var random = SplitMix64(seed: seed)
        return (0..<count).map { _ in
            (0..<random.int(0...6)).map { _ in
                let length = random.int(0...9) == 0 ? 0 : random.int(1...(2 * block + 300))
                return (0..<length).map { _ in UInt8(truncatingIfNeeded: random.next()) }
            }
        }
    }

    struct Appended {
        let pack: ShardPack
        let before: [UInt8]
        let placed: [[(offset: Int, length: Int)]]
        let direct: Bool
    }

    /// A pack of `startBytes` bytes, then `groups` through an appender, finished.
    static func append(
        _ groups: [[[UInt8]]], after startBytes: Int, directly: Bool, in directory: TemporaryDirectory,
        directWrite: ShardPack.Appender.DirectWrite? = nil
    ) throws -> Appended {
        let path = directory.url.path + "/shards"
        let before = (0..<startBytes).map { UInt8(truncatingIfNeeded: $0 &* 31) }
        let pack = try ShardPack.open(path, creating: true)
        if !before.isEmpty { _ = try pack.append([before]) }
        let appender =
            if let directWrite {
                ShardPack.Appender(to: pack, directly: directly, directWrite: directWrite)
            } else {
                ShardPack.Appender(to: pack, directly: directly)
            }
        let direct = appender.isDirect
        var placed: [[(offset: Int, length: Int)]] = []
        for group in groups { placed.append(try appender.append(group)) }
        try appender.finish()
        return Appended(pack: pack, before: before, placed: placed, direct: direct)
    }

    /// Every version where it was placed, in order and apart, the bytes
    /// before untouched, and the pack's size the file's.
    static func expectLaidOut(_ appended: Appended, _ groups: [[[UInt8]]], _ label: String) throws {
        let pack = appended.pack
        #expect(try Platform.fileSize(pack.fd, path: pack.path) == pack.size, "\(label)")
        if !appended.before.isEmpty {
            #expect(pack.read(offset: 0, length: appended.before.count) == appended.before ? true : false, "\(label)")
        }
        var end = appended.before.count
        for (group, places) in zip(groups, appended.placed) {
            #expect(places.count == group.count, "\(label)")
            for (version, place) in zip(group, places) {
                #expect(place.offset >= end && place.length == version.count, "\(label): at \(place.offset)")
                // As a Bool: a failure prints where, not the thousands of bytes. (Nothing is read for an empty version.)
                let read = version.isEmpty ? [] : pack.read(offset: place.offset, length: place.length)
                #expect(read == version ? true : false, "\(label): at \(place.offset)")
                end = place.offset + place.length
            }
        }
        #expect(pack.size == end || (end == appended.before.count && pack.size >= end), "\(label): the pack ends with its last version")
    }

    @Test(arguments: [0, 1, block - 1, block, block + 7], [false, true])
    func everyVersionReadsBackWhereItWasPlaced(startBytes: Int, directly: Bool) throws {
        for seed in 1...4 as ClosedRange<UInt64> {
            let directory = try TemporaryDirectory("shard-appender")
            let groups = Self.groups(6, seed: seed)
            let appended = try Self.append(groups, after: startBytes, directly: directly, in: directory)
            let label = "seed \(seed), \(startBytes) bytes before, directly \(directly)"
            try Self.expectLaidOut(appended, groups, label)
            let taken = try DirectWriteTests.directIsTaken(in: directory.url)
            #expect(appended.direct == (directly && taken), "\(label)")
            // Direct: from the first block boundary at or after the old end; else straight after it.
            let first = appended.placed.lazy.flatMap { $0 }.first?.offset
            #expect(first == nil || first == (appended.direct ? AlignedBytes.wholeBlocks(startBytes) : startBytes), "\(label)")
        }
    }

    /// Appended through the cache, the pack is exactly the versions one after another, as `append` leaves it.
    @Test func throughTheCacheTheVersionsFollowOneAnother() throws {
        let directory = try TemporaryDirectory("shard-appender")
        let groups = Self.groups(5, seed: 9)
        let appended = try Self.append(groups, after: 10, directly: false, in: directory)
        let file = Array(try Data(contentsOf: URL(fileURLWithPath: appended.pack.path)))
        #expect(file == appended.before + groups.flatMap { $0.flatMap { $0 } } ? true : false)
    }

    /// A group smaller than a block is held back, written only by `finish`.
    @Test func aPartBlockWaitsForFinish() throws {
        let directory = try TemporaryDirectory("shard-appender")
        guard try DirectWriteTests.directIsTaken(in: directory.url) else { return }
        let pack = try ShardPack.open(directory.url.path + "/shards", creating: true)
        _ = try pack.append([[1, 2, 3]])
        let appender = ShardPack.Appender(to: pack, directly: true)
        let placed = try appender.append([[7, 8, 9, 10]])
        #expect(placed.map(\.offset) == [Self.block])
        #expect(pack.size == 3)
        #expect(try Platform.fileSize(pack.fd, path: pack.path) == 3)
        try appender.finish()
        #expect(pack.size == Self.block + 4)
        #expect(pack.read(offset: Self.block, length: 4) == [7, 8, 9, 10])
    }

    /// A file system that takes `allowedBytes` direct and then refuses
    /// (EINVAL, as `Platform.pwriteDirect` reports it: a short count): the
    /// rest, of that group and every later one, goes through the cache.
    @Test(arguments: [0, block, 3 * block])
    func aRefusalPartWayGoesOnThroughTheCache(allowedBytes: Int) throws {
        let directory = try TemporaryDirectory("shard-appender")
        guard try DirectWriteTests.directIsTaken(in: directory.url) else { return }
        let left = Mutex(allowedBytes)
        let calls = Mutex(0)
        let refusing: ShardPack.Appender.DirectWrite = { fd, bytes, offset, path throws(Platform.SystemError) in
            calls.withLock { $0 += 1 }
            let allowed = left.withLock { left in
                let taken = min(left, bytes.count)
                left -= taken
                return taken
            }
            guard allowed > 0 else { return 0 }
            return try Platform.pwriteDirect(fd, UnsafeRawBufferPointer(rebasing: bytes[..<allowed]), offset: offset, path: path)
        }
        let groups = Self.groups(8, seed: 21)
        let appended = try Self.append(groups, after: 5, directly: true, in: directory, directWrite: refusing)
        try Self.expectLaidOut(appended, groups, "refused after \(allowedBytes) bytes")
        #expect(calls.withLock { $0 } >= 1, "direct writes were tried")
    }

    /// A pack appended to at random, directly, by a file system that may
    /// refuse direct writes after any number of bytes or fail a write (as a
    /// full disk does) after writing a block; then cut back, as a failed
    /// append's `abandon` does, and appended to again, directly and through
    /// the cache. Every version reads back, the bytes before stay, and the
    /// pack's size is the file's (or, after a failure, no more than it).
    @Test func randomAppendsRefusalsAndFailures() throws {
        let seed: UInt64 = 77
        var random = SplitMix64(seed: seed)
        for round in 0..<300 {
            let directory = try TemporaryDirectory("shard-appender")
            guard try DirectWriteTests.directIsTaken(in: directory.url) else { return }
            let pack = try ShardPack.open(directory.url.path + "/shards", creating: true)
            let start = random.int(0...(3 * Self.block))
            let before = (0..<start).map { UInt8(truncatingIfNeeded: $0 &* 13) }
            if start > 0 { _ = try pack.append([before]) }
            let sizeBefore = pack.size
            // 0: as the file system does; 1: refused after `refusedAfter` bytes; 2: fails at call `failsAt`.
            let (mode, refusedAfter, failsAt) = (random.int(0...2), random.int(0...(6 * Self.block)), random.int(1...4))
            let label = "seed \(seed), round \(round): mode \(mode), \(start) bytes before, refused after \(refusedAfter), fails at \(failsAt)"
            let calls = Mutex(0)
            let left = Mutex(refusedAfter)
            let write: ShardPack.Appender.DirectWrite = { fd, bytes, offset, path throws(Platform.SystemError) in
                let call = calls.withLock {
                    $0 += 1
                    return $0
                }
                if mode == 2 && call == failsAt {
                    if bytes.count >= Self.block {
                        _ = try Platform.pwriteDirect(fd, UnsafeRawBufferPointer(rebasing: bytes[..<Self.block]), offset: offset, path: path)
                    }
                    throw Platform.SystemError(operation: "write", path: path, code: ENOSPC)
                }
                guard mode == 1 else { return try Platform.pwriteDirect(fd, bytes, offset: offset, path: path) }
                let allowed = left.withLock { left in
                    let taken = min(left, bytes.count) / Self.block * Self.block
                    left -= taken
                    return taken
                }
                guard allowed > 0 else { return 0 }
                return try Platform.pwriteDirect(fd, UnsafeRawBufferPointer(rebasing: bytes[..<allowed]), offset: offset, path: path)
            }
            let appender = ShardPack.Appender(to: pack, directly: true, directWrite: write)
            var expected: [(offset: Int, bytes: [UInt8])] = []
            var failed = false
            do throws(Platform.SystemError) {
                for _ in 0..<random.int(0...6) {
                    let group: [[UInt8]] = (0..<random.int(0...8)).map { _ in
                        let length = random.int(0...3) == 0 ? random.int(1...9000) : random.int(0...200)
                        return (0..<length).map { _ in UInt8(truncatingIfNeeded: random.next()) }
                    }
                    let placed = try appender.append(group)
                    for (version, place) in zip(group, placed) where !version.isEmpty { expected.append((place.offset, version)) }
                }
                try appender.finish()
            } catch {
                failed = true
            }
            let fileSize = try Platform.fileSize(pack.fd, path: pack.path)
            if failed {
                #expect(fileSize >= pack.size, "\(label)")
            } else {
                #expect(fileSize == pack.size, "\(label)")
                for (offset, bytes) in expected {
                    #expect(pack.read(offset: offset, length: bytes.count) == bytes ? true : false, "\(label): at \(offset)")
                }
            }
            if start > 0 { #expect(pack.read(offset: 0, length: start) == before ? true : false, "\(label)") }
            // Cut back, then a save direct and one through the cache.
            try pack.truncate(to: sizeBefore)
            #expect(try Platform.fileSize(pack.fd, path: pack.path) == sizeBefore, "\(label)")
            let second = ShardPack.Appender(to: pack, directly: true)
            let blobs = (0..<5).map { [UInt8](repeating: UInt8($0 + 1), count: 3000) }
            let placed = try second.append(blobs)
            try second.finish()
            for (blob, place) in zip(blobs, placed) {
                #expect(pack.read(offset: place.offset, length: place.length) == blob ? true : false, "\(label): again")
            }
            let third = try pack.append([[9, 9, 9]])
            #expect(pack.read(offset: third[0].offset, length: 3) == [9, 9, 9], "\(label)")
            #expect(try Platform.fileSize(pack.fd, path: pack.path) == pack.size, "\(label)")
        }
    }

    /// Each shard the checkpoint's table points at: its stamp, offset and bytes.
    static func shards(of ledgerPath: String) throws -> [(stamp: Int, offset: Int, bytes: [UInt8])] {
        let directory = CheckpointShard.directory(for: ledgerPath)
        let table = Array(try Data(contentsOf: URL(fileURLWithPath: ShardTable.path(in: directory))))
        let pack = Array(try Data(contentsOf: URL(fileURLWithPath: ShardPack.path(in: directory))))
        let (generation, count) = (ShardTable.word(table, 2), Int(ShardTable.word(table, 3)))
        return try (0..<count).map { index in
            let entry = try #require(ShardTable.decode(table, at: (ShardTable.headerBytes + index * ShardTable.entryBytes) / 8, generation: generation))
            return (entry.stamp, entry.offset, entry.stamp == 0 ? [] : Array(pack[entry.offset..<(entry.offset + entry.length)]))
        }
    }

    /// End to end: the same batches onto two copies of a ledger and its
    /// checkpoint, one store saving every batch's shards around the page
    /// cache and one none: large and small batches, with compaction now and
    /// then or never. After each, the same ledger, every shard the same stamp
    /// and bytes, each direct save starting on a block (past the gap left
    /// after the save before), and the batch again is all already recorded:
    /// every key reads back from the shards.
    @Test(arguments: [0, 8 << 20])
    func savesWrittenDirectHoldTheSameShards(compactionSlackBytes: Int) throws {
        let ledger = try TestLedger()
        try ledger.fill(3)
        let copy = try TemporaryDirectory("accord-ledger")
        for name in ["ledger.jsonl", "ledger.jsonl.checkpoint", "ledger.jsonl.checkpoint.d"] {
            try FileManager.default.copyItem(at: ledger.directory.appendingPathComponent(name), to: copy.url.appendingPathComponent(name))
        }
        var direct = ledger.store
        direct.directSaveMinimumShards = 0
        direct.compactionSlackBytes = compactionSlackBytes
        var cached = LedgerStore(path: copy.url.appendingPathComponent("ledger.jsonl").path)
        cached.directSaveMinimumShards = Int.max
        cached.compactionSlackBytes = compactionSlackBytes
        let directIsTaken = try DirectWriteTests.directIsTaken(in: ledger.directory)
        var next = 4
        var head = 3
        for (round, size) in [2000, 5, 1500, 3000, 1, 700].enumerated() {
            let events = (0..<size).map { TestLedger.council(next + $0, id: "reg-\(next + $0)") }
            next += size
            head += size
            let positioned = events.enumerated().map { PositionedEvent(position: "input:\($0.offset + 1)", event: $0.element) }
            for store in [direct, cached] { _ = try store.append(positioned, state: UncheckedState.self, clock: ledger.clock) }
            #expect(try ledger.bytes() == Array(try Data(contentsOf: URL(fileURLWithPath: cached.path))), "round \(round)")
            let (directShards, cachedShards) = (try Self.shards(of: direct.path), try Self.shards(of: cached.path))
            let differing = zip(directShards, cachedShards).filter { $0.stamp != $1.stamp || $0.bytes != $1.bytes }.count
            #expect(differing == 0, "round \(round): \(differing) shards differ")
            let written = directShards.filter { $0.stamp == head }
            #expect(written.count > size / 2, "round \(round): the batch's shards were saved (two keys may share one)")
            if directIsTaken, let first = written.map(\.offset).min() {
                #expect(first % Self.block == 0, "round \(round): the save went direct, from a block boundary")
            }
            let again = try direct.append(positioned, state: UncheckedState.self, clock: ledger.clock)
            #expect(again.appended.isEmpty && again.alreadyRecorded.count == size, "round \(round)")
        }
    }
}
