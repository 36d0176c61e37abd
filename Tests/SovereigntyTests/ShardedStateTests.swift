import Events
import Foundation
import Ledger
import Projections
import Sovereignty
import Testing

/// An append loads only the core of the validator's state and the entries
/// `keys(for:)` names. These tests hold that view to the whole world: for
/// every record of every sample ledger, and for wrong variants of each
/// (another proposal, post or agreement cited, an earlier date), the
/// validator must judge the same from either.
@Suite struct ShardedStateTests {
    static let samples = ["three-boroughs", "cambridgeshire-peterborough", "clackmannanshire-stirling", "torbay"]

    /// The scenario's story, then contracts a proposal would end, a notice on
    /// a post and its rescinding, and a retraction: what the samples lack.
    static let story: [String] = E.base + ScenarioTests.story + [
        E.contract("hartlepool", "equipment-store", "2014-11-01"),                              // 37
        E.table("p-end", "2014-11-02", affects: E.three, agreement: "people", terminates: ["equipment-store"]),  // 38
        E.decide("p-end", "darlington", "approve", "2014-11-20"),                               // 39
        E.decide("p-end", "redcar", "approve", "2014-11-20"),                                   // 40
        E.post("dcs-2", "2014-12-01", proposal: "p-end"),                                       // 41
        E.notice("hartlepool", "2015-01-05", post: "dass"),                                     // 42
        #"{"type":"notice.rescinded","effective":"2015-02-01","by":"hartlepool/legal","data":{"council":"hartlepool","notice":42}}"#,  // 43
        E.withdrawalCost("hartlepool", "2015-02-02"),                                           // 44
        E.retract(41, "2015-03-01"),                                                            // 45
        E.decide("p-end", "hartlepool", "reject", "2015-03-02"),                                // 46
        // A weight for a council outside the agreement (an SG-4 breach), so
        // that the post's sharers are not all parties.
        E.register("middlesbrough", "2016-01-01"),                                              // 47
        E.apportion("dcs", "2016-01-02", [("darlington", 1), ("middlesbrough", 1)], proposal: "p-split"),  // 48
        // After Redcar's notice on the agreement has run out (2016-06-30).
        E.table("p-late", "2016-08-01", affects: ["darlington", "hartlepool", "stockton"], agreement: "people"),  // 49
    ] + ["darlington", "hartlepool", "stockton"].map { E.decide("p-late", $0, "approve", "2016-08-10") } + [  // 50–52
        E.line("post.appointed", "2016-09-02", "darlington/hr", #"{"post":"dcs","holder":"A N Other","proposal":"p-late"}"#),  // 53
        E.join("people", "redcar", "2016-10-01", proposal: "p-late"),                           // 54
        // Redcar rescinding Hartlepool's notice: neither author nor council leads to it.
        #"{"type":"notice.rescinded","effective":"2016-10-02","by":"redcar/legal","data":{"council":"redcar","notice":42}}"#,  // 55
        // A committee with a quorum: the vote names only the proposal, which leads to it.
        E.agree("board", "2016-11-01", parties: E.three, proposal: "p-agree", quorum: 3),        // 56
        E.table("p-board", "2016-11-02", affects: E.three, agreement: "board"),                 // 57
        E.vote("p-board", "2016-11-10", [("darlington", 1, 0, 0), ("hartlepool", 3, 0, 0), ("redcar", 3, 0, 0)]),  // 58
        E.post("board-post", "2016-12-01", agreement: "board", proposal: "p-board"),            // 59
    ]

    static func records(_ sample: String) throws -> [Record] {
        if sample == "story" {
            return try story.enumerated().map { index, line in
                let input = try EventDecoder.decodeInput(Array(line.utf8)[...])
                return Record(
                    seq: index + 1, recorded: Instant(rfc3339: "2026-01-05T09:00:00Z")!, envelope: input.envelope,
                    prev: Record.genesisPrev)
            }
        }
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("Events/Samples/\(sample).jsonl")
        let lines = try String(contentsOf: url, encoding: .utf8).split(separator: "\n")
        return try lines.map { line in
            var bytes = Array(line.utf8)
            return try bytes.withUnsafeMutableBytes { try EventDecoder.decodeRecord(UnsafeRawBufferPointer($0)) }
        }
    }

    /// So many shards that each holds about one name: the view is as narrow as `keys(for:)` says.
    static let narrow = 1 << 20

    /// The state an append would judge `candidate` by: the core, then the
    /// shards its keys reach, round by round. With `packing`, every proposal
    /// is left packed as shards are read, as if no event of the batch named
    /// it, and unpacked when the candidate reaches it (`unpack(for:)`).
    static func view(of full: SovereigntyState, for candidate: Record, packing: Bool = false) -> SovereigntyState {
        viewAndShards(of: full, for: candidate, packing: packing).view
    }

    /// `view(of:for:packing:)` and the shards it loaded, of `narrow`; nil for the whole world.
    static func viewAndShards(of full: SovereigntyState, for candidate: Record, packing: Bool = false)
        -> (view: SovereigntyState, shards: Set<Int>?)
    {
        var partial = SovereigntyState(checkpoint: full.checkpoint())!
        let named: Set<Identifier>? = packing ? [] : nil
        var loaded: Set<Int> = []
        var whole = false
        for _ in 0..<8 {
            guard case .named(let names) = partial.keys(for: candidate) else {
                var reach = ShardReach(shardCount: narrow)
                partial.reach(of: candidate, into: &reach)
                #expect(reach.reachesEverything)
                // A retraction may undo anything: the whole world, as one shard.
                if !whole {
                    for (_, shard) in full.shards([0], of: 1) {
                        let loaded = shard.withUnsafeBytes { partial.load(shard: $0, named: named) }
                        #expect(loaded)
                    }
                    whole = true
                }
                let unpacked = partial.unpack(for: candidate)
                #expect(unpacked != .unreadable)
                if unpacked == .unpacked { continue }
                return (partial, nil)
            }
            // What the appender asks instead: the same shards, in the same order, without the names.
            var reach = ShardReach(shardCount: narrow)
            partial.reach(of: candidate, into: &reach)
            #expect(!reach.reachesEverything && reach.shards == names.map { StateKeys.shard(of: $0, count: narrow) })
            let missing = Set(names.map { StateKeys.shard(of: $0, count: narrow) }).subtracting(loaded)
            if missing.isEmpty {
                let unpacked = partial.unpack(for: candidate)
                #expect(unpacked != .unreadable)
                if unpacked == .unpacked { continue }
                break
            }
            for (_, shard) in full.shards(missing, of: narrow) {
                let accepted = shard.withUnsafeBytes { partial.load(shard: $0, named: named) }
                #expect(accepted)
            }
            loaded.formUnion(missing)
        }
        return (partial, loaded)
    }

    /// Wrong variants of a record: each cites something else the ledger
    /// knows, is recorded by or for another council, or comes a year and a
    /// month earlier.
    static func variants(of record: Record, in world: World) -> [Record] {
        guard case .object(var top) = try? JSONParser.parse(EventEncoder.encodeRecord(record)),
            case .object(let data)? = top["data"]
        else { return [] }
        var results: [Record] = []
        func emit(_ object: JSONObject) {
            let bytes = JSONWriter.encode(.object(object))
            if let variant = try? bytes.withUnsafeBytes({ try EventDecoder.decodeRecord($0) }), variant != record {
                results.append(variant)
            }
        }
        let others: [(String, [String])] = [
            ("proposal", world.proposals.keys.map(\.raw).sorted()),
            ("post", world.posts.keys.map(\.raw).sorted()),
            ("agreement", world.agreements.keys.map(\.raw).sorted()),
            ("council", world.councils.keys.map(\.raw).sorted()),
        ]
        for (field, names) in others where data[field] != nil {
            for name in names.prefix(4) {
                var changed = data
                for index in changed.members.indices where changed.members[index].key == field {
                    changed.members[index].value = .string(name)
                }
                var object = top
                for index in object.members.indices where object.members[index].key == "data" {
                    object.members[index].value = .object(changed)
                }
                emit(object)
            }
        }
        for council in world.councils.keys.map(\.raw).sorted().prefix(4) {
            var object = top
            for index in object.members.indices where object.members[index].key == "by" {
                guard case .string(let by) = object.members[index].value, let slash = by.firstIndex(of: "/") else { continue }
                object.members[index].value = .string(council + by[slash...])
            }
            emit(object)
        }
        do {
            let earlier = record.effective.adding(days: -400)
            for index in top.members.indices where top.members[index].key == "effective" {
                top.members[index].value = .string(earlier.iso)
            }
            emit(top)
        }
        return results
    }

    @Test(arguments: samples + ["story"], [false, true])
    func theViewOfAnAppendJudgesAsTheWholeWorld(_ sample: String, packing: Bool) throws {
        var full = SovereigntyState()
        var judged = 0, rejected = 0
        for record in try Self.records(sample) {
            for candidate in [record] + Self.variants(of: record, in: full.world) {
                let expected = full.check(candidate)
                let seen = Self.view(of: full, for: candidate, packing: packing).check(candidate)
                #expect(seen == expected, "\(sample) seq \(candidate.seq) (\(candidate.type.rawValue)), packing \(packing)")
                judged += 1
                if !expected.isEmpty { rejected += 1 }
            }
            full.apply(record)
        }
        // The variants must include breaches, or the comparison proves little.
        #expect(rejected * 4 > judged, "\(rejected) of \(judged) candidates rejected")
    }

    /// A decision on a proposal that would end more contracts than
    /// `keys(for:)` scans for (past a few dozen it keeps a set of what it
    /// walked) reaches each contract once and, through it, the council that
    /// registered it.
    @Test func aDecisionOnAProposalEndingManyContractsReachesEachAndItsCouncil() throws {
        let councils = (0..<3).map { "council-\($0)" }
        let owners = (0..<5).map { "owner-\($0)" }
        let contracts = (0..<100).map { "contract-\($0)" }
        var lines = (councils + owners).map { E.register($0) }
        lines += contracts.enumerated().map { E.contract(owners[$0.offset % 5], $0.element, "2013-02-01") }
        lines.append(E.table("p-many", "2013-03-01", affects: councils, terminates: contracts, by: "council-0"))
        lines.append(E.decide("p-many", "council-1", "approve", "2013-03-10"))
        let records = try lines.enumerated().map { index, line in
            let input = try EventDecoder.decodeInput(Array(line.utf8)[...])
            return Record(
                seq: index + 1, recorded: Instant(rfc3339: "2026-01-05T09:00:00Z")!, envelope: input.envelope,
                prev: Record.genesisPrev)
        }
        var state = SovereigntyState()
        for record in records.dropLast() { state.apply(record) }
        guard case .named(let names) = state.keys(for: records.last!) else {
            Issue.record("a decision reached everything")
            return
        }
        let reached = Dictionary(names.map { ($0, 1) }, uniquingKeysWith: +)
        for contract in contracts { #expect(reached[contract] == 1, "\(contract)") }
        // An owner is reached only by walking its contracts: twenty each.
        for owner in owners { #expect(reached[owner] == 20, "\(owner)") }
        #expect(Self.view(of: state, for: records.last!).check(records.last!) == state.check(records.last!))
    }

    /// Applying each record to the view changes the entries it holds as
    /// applying it to the whole world does: the walk must reach what `apply`
    /// reads as well as what the rules read (a committee vote reads the
    /// quorum of its proposal's agreement to know whom it binds).
    @Test(arguments: samples + ["story"], [false, true])
    func applyingToTheViewChangesWhatApplyingToTheWholeWorldChanges(_ sample: String, packing: Bool) throws {
        var full = SovereigntyState()
        for record in try Self.records(sample) {
            var (partial, loaded) = Self.viewAndShards(of: full, for: record, packing: packing)
            full.apply(record)
            partial.apply(record)
            if let loaded {
                #expect(
                    partial.shards(loaded, of: Self.narrow) == full.shards(loaded, of: Self.narrow),
                    "\(sample) seq \(record.seq) (\(record.type.rawValue)), packing \(packing)")
            } else {
                #expect(partial.world.checkpointBytes() == full.world.checkpointBytes(), "\(sample) seq \(record.seq)")
            }
        }
    }
}
