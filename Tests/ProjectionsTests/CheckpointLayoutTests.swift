import Events
import Testing
import TestSupport

@testable import Projections

// The reader by position (`CheckpointLayout`) must read every checkpoint the
// writer writes, and whenever it reads anything at all, read what the general
// decoder reads: on mutated values, on damaged bytes, on text it does not take
// (which `World(checkpointText:)` then hands to the general decoder).

@Suite struct CheckpointLayoutTests {
    typealias F = CheckpointFixture

    /// The reader by position alone: nil where it gives up.
    static func byLayout(_ bytes: [UInt8]) -> World? {
        bytes.withUnsafeBytes { raw in
            var reader = CheckpointLayout(raw)
            guard let world = reader.world(), reader.atEnd else { return nil }
            return world
        }
    }

    /// The general decoder alone, from bytes.
    static func general(_ bytes: [UInt8]) -> World? {
        guard let json = try? JSONParser.parse(bytes) else { return nil }
        return World(checkpointJSON: json)
    }

    static func text(_ bytes: [UInt8]) -> World? { bytes.withUnsafeBytes { World(checkpointText: $0) } }

    /// Both readers agree: the layout reader reads nothing, or exactly what the general one reads;
    /// and `World(checkpointText:)` reads exactly what the general one reads.
    static func agree(_ bytes: [UInt8]) -> Bool {
        let general = general(bytes).map(F.dump)
        if let layout = byLayout(bytes), F.dump(layout) != general { return false }
        return text(bytes).map(F.dump) == general
    }

    @Test func readsTheScenarioAndTheEmptyWorld() throws {
        // The scenario's names include an escaped quote and newline; add an accent.
        var history = F.scenario()
        history.add("2016-09-01", .councilRegistered(CouncilRegistered(council: "ynys-mon", name: "Ynys Môn")))
        let scenario = F.world(history.records)
        #expect(String(decoding: scenario.checkpointBytes(), as: UTF8.self).contains(#"\"DC\"\n"#))
        for world in [scenario, World()] {
            let bytes = world.checkpointBytes()
            let read = try #require(Self.byLayout(bytes))
            #expect(F.dump(read) == F.dump(world))
            #expect(read.checkpointBytes() == bytes)
        }
    }

    @Test func readsEveryRandomWorldAsTheGeneralDecoderDoes() {
        for (seed, records, cut) in F.randomHistories(400, base: 0xACC0_1A70_0000_0000) {
            let world = F.world(Array(records[..<cut]))
            let bytes = world.checkpointBytes()
            guard let read = Self.byLayout(bytes) else {
                let stopped = bytes.withUnsafeBytes { raw in
                    var reader = CheckpointLayout(raw)
                    _ = reader.world()
                    return reader.c.offset
                }
                let around = String(decoding: bytes[max(0, stopped - 80)..<min(bytes.count, stopped + 40)], as: UTF8.self)
                Issue.record("seed \(seed): the reader by position gave up on the writer's own bytes at \(stopped): \(around)")
                return
            }
            guard F.dump(read) == F.dump(world), let general = Self.general(bytes), F.dump(general) == F.dump(world)
            else {
                Issue.record("seed \(seed): the reader by position read a different world")
                return
            }
        }
    }

    @Test func agreesWithTheGeneralDecoderOnEveryMutation() {
        let good = F.world(F.scenario().records).checkpointJSON()
        var mutations = 0
        var readByLayout = 0
        for path in F.paths(in: good) {
            var mutants = F.mutants(of: F.value(at: path, in: good)).map { F.replacing(path, with: $0, in: good) }
            if case .key? = path.last { mutants.append(F.removing(path, from: good)) }
            for json in mutants {
                let bytes = JSONWriter.encode(json)
                mutations += 1
                if Self.byLayout(bytes) != nil { readByLayout += 1 }
                #expect(Self.agree(bytes), "mutating \(path): \(String(decoding: bytes, as: UTF8.self))")
            }
        }
        #expect(mutations > 1000)
        // The mutants the general decoder reads include reorderings the layout reader leaves to it.
        #expect(readByLayout > 0 && readByLayout < mutations)
    }

    @Test func agreesWithTheGeneralDecoderOnDamagedBytes() {
        let seed: UInt64 = 0xDA4A_6ED0_C4EC_0001
        var random = SplitMix64(seed: seed)
        let good = F.world(F.scenario().records).checkpointBytes()
        var stillRead = 0
        for round in 0..<5_000 {
            var bytes = good
            for _ in 0...random.int(0...2) { bytes = LineDamage.damaged(bytes, &random) }
            if Self.byLayout(bytes) != nil { stillRead += 1 }
            guard Self.agree(bytes) else {
                Issue.record("seed \(seed), round \(round): the readers disagree on \(String(decoding: bytes, as: UTF8.self))")
                return
            }
        }
        // Some damage leaves a valid checkpoint (a digit for a digit): both must then read it alike.
        #expect(stillRead > 0)
    }

    @Test(arguments: [
        ("whitespace between members", #","councils":["#, #", "councils":["#),
        ("an amount of sixteen digits", #""pence":250000"#, #""pence":2500000000000000"#),
        ("members in another order", #""name":"Cambridgeshire","population":621200"#, #""population":621200,"name":"Cambridgeshire""#),
    ])
    func textTheLayoutLeavesIsReadByTheGeneralDecoder(_ change: (String, String, String)) throws {
        let good = String(decoding: F.world(F.scenario().records).checkpointBytes(), as: UTF8.self)
        #expect(good.contains(change.1), "\(change.0): the scenario has no \(change.1)")
        let bytes = Array(good.replacingOccurrences(of: change.1, with: change.2).utf8)
        #expect(Self.byLayout(bytes) == nil, "\(change.0)")
        let world = try #require(Self.text(bytes), "\(change.0)")
        #expect(F.dump(world) == F.dump(try #require(Self.general(bytes))))
    }

    /// Reads `bytes` with the posts shared out from the first byte, the halves run one after the other.
    static func sharedOut(_ bytes: [UInt8]) -> (world: World?, shared: Bool) {
        bytes.withUnsafeBytes { raw in
            var reader = CheckpointLayout(raw)
            reader.sharedOutBytes = 0
            guard let world = reader.world(), reader.atEnd else { return (nil, reader.postsSharedOut) }
            return (world, reader.postsSharedOut)
        }
    }

    /// A world whose text is mostly posts, as a report's snapshot is: the
    /// scenario's posts copied under new ids, with costs of their own.
    static func postsHeavyWorld(_ random: inout SplitMix64, posts: ClosedRange<Int>) -> World {
        var world = F.world(F.scenario().records)
        let models = world.posts.values.map { $0 }
        for index in 0..<random.int(posts) {
            var post = random.pick(models)
            for _ in 0..<random.int(0...4) {
                let cost = CostEntry(annualPence: Int64(random.int(0...9_000_000)), onCostBasisPoints: 2500)
                post.costs.insert(cost, effective: CalendarDate(dayNumber: random.int(15_700...17_700)), seq: random.int(1...world.head))
            }
            world.posts[Identifier("p-\(index)-\(random.int(0...999))")!] = post
        }
        return world
    }

    @Test func postsSharedOutReadAsInOnePass() throws {
        let base: UInt64 = 0xACC0_5A2E_0000_0000
        var shared = 0
        for iteration in 0..<100 {
            let seed = base &+ UInt64(iteration)
            var random = SplitMix64(seed: seed)
            let world = Self.postsHeavyWorld(&random, posts: 1...60)
            let bytes = world.checkpointBytes()
            let (read, wasShared) = Self.sharedOut(bytes)
            if wasShared { shared += 1 }
            guard let read, F.dump(read) == F.dump(world) else {
                Issue.record("seed \(seed): with the posts shared out, the world read differs")
                return
            }
        }
        // Where the middle of the text falls among the posts they are cut in two; elsewhere, one pass.
        #expect(shared > 50)
    }

    @Test func damagedTextWithThePostsSharedOutAgreesWithTheGeneralDecoder() {
        let seed: UInt64 = 0xDA4A_6ED0_5A2E_0001
        var random = SplitMix64(seed: seed)
        let good = Self.postsHeavyWorld(&random, posts: 30...30).checkpointBytes()
        #expect(Self.sharedOut(good).shared)
        for round in 0..<1_000 {
            var bytes = good
            for _ in 0...random.int(0...2) { bytes = LineDamage.damaged(bytes, &random) }
            let general = Self.general(bytes).map(F.dump)
            if let read = Self.sharedOut(bytes).world, F.dump(read) != general {
                Issue.record("seed \(seed), round \(round): shared out, the readers disagree")
                return
            }
        }
    }
}
