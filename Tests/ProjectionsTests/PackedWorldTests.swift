import Events
import Testing
import TestSupport

@testable import Projections

/// The packed layout of a world (`World+PackedWriting.swift`,
/// `World+PackedReading.swift`) must read back every world it writes as the
/// same world, and take nothing else: damaged bytes are refused, or are
/// exactly the bytes of the world they read as.
@Suite struct PackedWorldTests {
    typealias F = CheckpointFixture

    static func packed(_ world: World) -> [UInt8] {
        var bytes: [UInt8] = []
        World.CheckpointListing(world).writePacked(into: &bytes)
        return bytes
    }

    static func read(_ bytes: [UInt8]) -> World? { bytes.withUnsafeBytes { World(packed: $0) } }

    @Test func readsTheScenarioAndTheEmptyWorld() throws {
        // The scenario's names include an escaped quote and newline; add an accent.
        var history = F.scenario()
        history.add("2016-09-01", .councilRegistered(CouncilRegistered(council: "ynys-mon", name: "Ynys Môn")))
        for world in [F.world(history.records), World()] {
            let read = try #require(Self.read(Self.packed(world)))
            #expect(F.dump(read) == F.dump(world))
            #expect(read.checkpointBytes() == world.checkpointBytes())
        }
    }

    /// Seeded: 400 random worlds (money, retractions and dates past 2999
    /// among them), each read back as the world written, and smaller than its text.
    @Test func readsEveryRandomWorldAsWritten() {
        var packedBytes = 0, textBytes = 0
        for (seed, records, cut) in F.randomHistories(400, base: 0xACC0_9ACD_0000_0000) {
            let world = F.world(Array(records[..<cut]))
            let bytes = Self.packed(world)
            guard let read = Self.read(bytes), F.dump(read) == F.dump(world) else {
                Issue.record("seed \(seed): the packed world did not read back as written")
                return
            }
            packedBytes += bytes.count
            textBytes += world.checkpointBytes().count
        }
        #expect(packedBytes * 2 < textBytes, "packed \(packedBytes) bytes against \(textBytes) as text")
    }

    /// Seeded: 10,000 damaged packed worlds. What the reader takes writes back
    /// as exactly the bytes it took, so nothing is dropped or changed silently.
    @Test(arguments: [UInt64(0x9ACD_0001), 0x9ACD_0002])
    func damagedBytesAreRefusedOrReadExactly(_ seed: UInt64) {
        let pool = F.randomHistories(40, base: seed << 16).map { Self.packed(F.world(Array($0.records[..<$0.cut]))) }
            .filter { $0.count > 8 }
        var random = SplitMix64(seed: seed)
        var taken = 0
        for round in 0..<5_000 {
            var bytes = LineDamage.damaged(random.pick(pool), &random)
            if random.int(0...1) == 0 {
                let at = random.int(0...(bytes.count - 1))
                bytes[at] ^= UInt8(1) << UInt8(random.int(0...7))
            }
            guard let world = Self.read(bytes) else { continue }
            taken += 1
            // Decodes every apportionment a post's reader left packed, which it must have checked.
            _ = F.dump(world)
            guard Self.packed(world) == bytes else {
                Issue.record("seed \(seed), round \(round): read damaged bytes that write back otherwise")
                return
            }
        }
        #expect(taken > 50, "seed \(seed): only \(taken) damaged worlds were read")
    }

    /// Every byte counts: a world cut short anywhere, or run on by a byte, is refused.
    @Test func aWorldCutShortOrRunOnIsRefused() {
        let bytes = Self.packed(F.world(F.scenario().records))
        for end in 0..<bytes.count where Self.read(Array(bytes[..<end])) != nil {
            Issue.record("cut to \(end) of \(bytes.count) bytes, still read")
            return
        }
        #expect(Self.read(bytes + [0]) == nil)
    }

    /// A layout of another version is not read, so a pack written by another
    /// version of Accord is rebuilt rather than misread.
    @Test func anotherVersionIsRefused() {
        var bytes = Self.packed(F.world(F.scenario().records))
        #expect(bytes[0] == World.packedVersion)
        bytes[0] &+= 1
        #expect(Self.read(bytes) == nil)
    }

    /// What the reader checks beyond the bytes' shape, as the checkpoint's readers check it.
    @Test(arguments: Change.allCases)
    func valuesNoCheckpointHoldsAreRefused(_ change: Change) throws {
        let world = F.world(F.scenario().records)
        var listing = World.CheckpointListing(world)
        var bytes: [UInt8] = []
        listing.writePacked(into: &bytes)
        #expect(Self.read(bytes).map(F.dump) == F.dump(world))
        change.apply(&listing)
        bytes = []
        listing.writePacked(into: &bytes)
        #expect(Self.read(bytes) == nil ? true : false, "\(change): read")
    }

    enum Change: CaseIterable, Sendable {
        case seqPastTheHead, seqZero, councilsOutOfOrder, councilTwice, noticesOutOfOrder, retractedByAnEarlierRecord
        case retractionsOutOfOrder

        func apply(_ listing: inout World.CheckpointListing) {
            switch self {
            case .seqPastTheHead: listing.councils[0].entry.seq = listing.head + 1
            case .seqZero: listing.posts[0].entry.seq = 0
            case .councilsOutOfOrder: listing.councils.swapAt(0, 1)
            case .councilTwice: listing.councils[1] = listing.councils[0]
            case .noticesOutOfOrder: listing.notices.swapAt(0, 1)
            case .retractedByAnEarlierRecord: listing.retracted = [(seq: listing.head, by: listing.head - 1)]
            case .retractionsOutOfOrder: listing.retracted = [(seq: 3, by: 9), (seq: 2, by: 9)]
            }
        }
    }
}
