import Events
import Ledger
import Projections
import Testing
import TestSupport

@testable import Sovereignty

/// A save cuts the state into shards through a map worked out once
/// (`SovereigntyState+Shards.swift`). These tests hold it to the plain way:
/// a small world built for each shard from the entries whose names fall in
/// it, written whole. The bytes must be the same however the shards are
/// grouped, and every entry must land in exactly one shard.
@Suite struct ShardMapTests {
    /// Every sample ledger and the sharding story, folded whole.
    static func states() throws -> [(name: String, state: SovereigntyState)] {
        try (ShardedStateTests.samples + ["story"]).map { sample in
            var state = SovereigntyState()
            for record in try ShardedStateTests.records(sample) { state.apply(record) }
            return (sample, state)
        }
    }

    /// The plain way: each shard's world built by hand from the whole one.
    static func reference(_ state: SovereigntyState, count: Int) -> [Int: [UInt8]] {
        var parts: [Int: (world: World, owners: [Int: Identifier])] = [:]
        func part(_ name: String) -> Int {
            let index = StateKeys.shard(of: name, count: count)
            if parts[index] == nil {
                var empty = World()
                empty.head = state.world.head
                parts[index] = (empty, [:])
            }
            return index
        }
        for (id, entry) in state.world.councils { parts[part(id.raw)]!.world.councils[id] = entry }
        for (seq, entry) in state.world.notices { parts[part(entry.council.raw)]!.world.notices[seq] = entry }
        for (id, entry) in state.world.agreements { parts[part(id.raw)]!.world.agreements[id] = entry }
        for (id, entry) in state.world.proposals { parts[part(id.raw)]!.world.proposals[id] = entry }
        for (id, entry) in state.world.posts { parts[part(id.raw)]!.world.posts[id] = entry }
        for (id, entry) in state.world.contracts { parts[part(id.raw)]!.world.contracts[id] = entry }
        for (seq, council) in state.noticeOwners { parts[part(SovereigntyState.noticeKey(seq))]!.owners[seq] = council }
        return parts.mapValues { part in
            let owners = part.owners.keys.sorted().map { (seq: $0, council: part.owners[$0]!) }
            return SovereigntyState.shardBytes(World.CheckpointListing(part.world), owners: owners)
        }
    }

    /// The first shard that differs, and where, or nil if none does.
    static func difference(_ got: [Int: [UInt8]], _ expected: [Int: [UInt8]]) -> String? {
        for index in Set(got.keys).union(expected.keys).sorted() where got[index] != expected[index] {
            guard let got = got[index], let expected = expected[index] else {
                return "shard \(index): written \(got[index] == nil ? "by the reference only" : "by the map only")"
            }
            let at = zip(got, expected).enumerated().first { $0.element.0 != $0.element.1 }?.offset ?? min(got.count, expected.count)
            return "shard \(index): \(got.count) bytes against \(expected.count), first differing at byte \(at)"
        }
        return nil
    }

    /// Up to the count a ledger's cache has (`CheckpointCache.shardCount`), where nearly every shard of a sample is empty.
    @Test(arguments: [1, 2, 7, 64, 4096, 1 << 16, 1 << 18])
    func shardsAreThoseOfAWorldBuiltForEachShard(_ count: Int) throws {
        var random = SplitMix64(seed: 0x5A4D_0000 &+ UInt64(count))
        for (name, state) in try Self.states() {
            let expected = Self.reference(state, count: count)
            let map = state.shardMap(of: count)
            // All at once, in groups of consecutive shards, and only the odd shards.
            let whole = state.shards(Array(0..<count), in: map)
            #expect(Self.difference(whole, expected) == nil, "\(name), \(count) shards, one group")
            var grouped: [Int: [UInt8]] = [:]
            for first in stride(from: 0, to: count, by: max(1, count / 5)) {
                grouped.merge(state.shards(Array(first..<min(count, first + max(1, count / 5))), in: map)) { a, _ in a }
            }
            #expect(Self.difference(grouped, expected) == nil, "\(name), \(count) shards, in groups")
            let odd = state.shards(Array(stride(from: 1, to: count, by: 2)), in: map)
            #expect(Self.difference(odd, expected.filter { $0.key % 2 == 1 }) == nil, "\(name), \(count) shards, odd ones")
            // As a save of changed shards passes them: scattered, some holding nothing.
            let holding = expected.keys.sorted()
            let scattered = Array(Set(holding.filter { _ in random.chance(1, in: 2) } + (0..<20).map { _ in random.int(0...(count - 1)) })).sorted()
            let picked = state.shards(scattered, in: map)
            #expect(Self.difference(picked, expected.filter { scattered.contains($0.key) }) == nil, "\(name), \(count) shards, scattered (seed \(0x5A4D_0000 &+ UInt64(count)))")
        }
    }

    @Test func everyEntryLandsInExactlyOneShard() throws {
        for (name, state) in try Self.states() {
            let count = 64
            var loaded = SovereigntyState(checkpoint: state.checkpoint())!
            for (_, shard) in state.shards(Array(0..<count), in: state.shardMap(of: count)) {
                // `load` refuses an entry it already holds, so a shard written twice fails here.
                #expect(shard.withUnsafeBytes { loaded.load(shard: $0) }, "\(name)")
            }
            #expect(loaded.world.checkpointBytes() == state.world.checkpointBytes(), "\(name)")
            #expect(loaded.noticeOwners == state.noticeOwners, "\(name)")
        }
    }
}
