import Events
import Testing
import TestSupport

@testable import Projections

// The checkpoint must give back the world exactly: encode → decode → encode is
// byte-identical, a world restored from any prefix of a history and then fed
// the rest equals the world fed the whole history, and anything malformed is
// refused (nil) rather than half-read. Besides the JSON, worlds are compared
// through `CheckpointFixture.dump`, which reads every stored property by
// reflection, so a property the checkpoint forgot would show up even though
// its own JSON could not.

@Suite struct WorldCheckpointTests {
    typealias F = CheckpointFixture

    // MARK: - A realistic history with every event type

    @Test func everyEventTypeRoundTrips() throws {
        let history = F.scenario()
        let world = F.world(history.records)
        let json = world.checkpointJSON()
        let restored = try #require(World(checkpointJSON: json))
        #expect(JSONWriter.encode(restored.checkpointJSON()) == JSONWriter.encode(json))
        #expect(F.dump(restored) == F.dump(world))

        // Through bytes and the parser, as the appender stores it.
        let parsed = try JSONParser.parse(JSONWriter.encode(json))
        let reread = try #require(World(checkpointJSON: parsed))
        #expect(F.dump(reread) == F.dump(world))

        // The scenario really reaches every corner of the world.
        #expect(world.councils.count == 3)
        #expect(world.councils["hunts"]?.population == nil)
        #expect(world.proposals["p-1"]?.votes.count == 1)
        #expect(world.proposals["p-1"]?.positions.count == 3)
        #expect(world.proposals["p-2"]?.tabled.matter == .reserved("council-tax"))
        #expect(world.agreements["shared"]?.members.count == 3)
        let post = try #require(world.posts["dcs"])
        #expect(post.costs.entries.count == 3)
        #expect(post.shares.entries.count == 2)
        #expect(post.appointments.entries.count == 2)
        #expect(post.assurances.count == 1)
        #expect(world.posts["ended"]?.ended != nil)
        #expect(world.notices.values.contains { $0.rescinded != nil })
        #expect(world.notices.values.contains { $0.rescinded == nil })
        #expect(world.contracts.count == 2)
        #expect(world.ownCosts.count == 2)
        #expect(world.retracted.count == 4)
        #expect(world.latestEffective == F.date("2016-09-01"))

        // And the restored world answers questions the same way.
        for date in ["2015-05-01", "2015-11-01", "2016-04-01", "2016-08-01"].map(F.date) {
            #expect(restored.parties(of: "shared", on: date) == world.parties(of: "shared", on: date))
            #expect(restored.sharing(post: "dcs", on: date) == world.sharing(post: "dcs", on: date))
            for council: Identifier in ["cambs", "pboro", "hunts"] {
                #expect(
                    restored.position(of: council, on: "p-1", asOf: date)
                        == world.position(of: council, on: "p-1", asOf: date))
                #expect(
                    restored.lastDay(of: council, inPost: "dcs") == world.lastDay(of: council, inPost: "dcs"))
            }
        }
    }

    @Test func emptyWorldRoundTrips() throws {
        let json = World().checkpointJSON()
        let restored = try #require(World(checkpointJSON: json))
        #expect(restored.checkpointJSON() == json)
        #expect(F.dump(restored) == F.dump(World()))
        #expect(
            String(decoding: JSONWriter.encode(json), as: UTF8.self)
                == #"{"version":1,"head":0,"councils":[],"proposals":[],"agreements":[],"posts":[],"#
                + #""notices":[],"contracts":[],"ownCosts":[],"retracted":[]}"#)
    }

    @Test func encodingIsDeterministicAndSorted() throws {
        // Equal worlds whose dictionaries were filled in different orders and
        // sizes (so iterate differently) give the same bytes, keys in byte order.
        let ids: [Identifier] = (0..<40).map { Identifier("c-\($0 * 7 % 40)")! } + ["a", "aa", "a-1", "b"]
        var forward = World()
        var backward = World()
        backward.councils = Dictionary(minimumCapacity: 1000)
        backward.retracted = Dictionary(minimumCapacity: 1000)
        for (index, id) in ids.enumerated() {
            forward.councils[id] = CouncilEntry(seq: index + 1, effective: F.date("2014-01-01"), name: id.raw)
            forward.retracted[index * 13 % 41 + 1] = 100
        }
        for (index, id) in ids.enumerated().reversed() {
            backward.councils[id] = CouncilEntry(seq: index + 1, effective: F.date("2014-01-01"), name: id.raw)
            backward.retracted[index * 13 % 41 + 1] = 100
        }
        forward.head = 100
        backward.head = 100
        let json = forward.checkpointJSON()
        #expect(JSONWriter.encode(json) == JSONWriter.encode(backward.checkpointJSON()))
        let written = F.array(["councils"], in: json).map { F.value(at: ["id"], in: $0) }
        #expect(written == ids.sorted().map { .string($0.raw) })
        #expect(written.first == .string("a") && written[1] == .string("a-1") && written[2] == .string("aa"))
        let retracted = F.array(["retracted"], in: json).map { F.value(at: ["seq"], in: $0) }
        #expect(retracted == forward.retracted.keys.sorted().map { .integer(Int64($0)) })
        #expect(World(checkpointJSON: json) != nil)
    }

    @Test func tiedTimelineEntriesKeepTheirOrder() throws {
        // One committee vote naming a council twice puts two entries with the
        // same (effective, seq) in one timeline; `insert` puts a tie first, so
        // decoding must insert a run of ties last first.
        var history = F.History()
        history.add(
            "2014-01-01", .proposalTabled(ProposalTabled(proposal: "p", title: "P", matter: .policy, affects: [])))
        history.add(
            "2014-02-01",
            .committeeVoted(
                CommitteeVoted(
                    proposal: "p", committee: "Joint",
                    votes: [
                        MemberVotes(council: "x", votesFor: 3, against: 0, abstain: 0),
                        MemberVotes(council: "x", votesFor: 0, against: 3, abstain: 0),
                        MemberVotes(council: "x", votesFor: 1, against: 1, abstain: 0),
                    ])))
        let world = F.world(history.records)
        let decisions = world.proposals["p"]?.positions["x"]?.entries.map(\.value.decision)
        #expect(decisions?.count == 3)
        let restored = try #require(World(checkpointJSON: world.checkpointJSON()))
        #expect(restored.proposals["p"]?.positions["x"]?.entries.map(\.value.decision) == decisions)
        #expect(restored.checkpointJSON() == world.checkpointJSON())
    }

    @Test func datesBeyondISOYearsRoundTripAsDayNumbers() throws {
        // A 50-year notice served in 2999 ends in 3049, which `CalendarDate(iso:)` refuses.
        var history = F.History()
        history.add(
            "2999-01-01",
            .agreementEstablished(
                AgreementEstablished(
                    agreement: "long", title: "Long", parties: ["x"], notice: NoticeRule(months: 600, alignment: .none),
                    proposal: "p")))
        history.add("2999-06-30", .noticeServed(NoticeServed(council: "x", subject: .agreement("long"))))
        let world = F.world(history.records)
        let lastDay = try #require(world.notices[2]?.lastDay)
        #expect(lastDay.year == 3049)
        let json = world.checkpointJSON()
        #expect(String(decoding: JSONWriter.encode(json), as: UTF8.self).contains(#""lastDay":\#(lastDay.dayNumber)"#))
        let restored = try #require(World(checkpointJSON: json))
        #expect(restored.notices[2]?.lastDay == lastDay)
        #expect(F.dump(restored) == F.dump(world))
    }

    @Test func emptiedTimelinesAndRetractionsSurvive() throws {
        // Retracting a council's only decision leaves an empty timeline under
        // its key; the checkpoint keeps the key.
        var history = F.History()
        history.add(
            "2014-01-01", .proposalTabled(ProposalTabled(proposal: "p", title: "P", matter: .cost, affects: ["x"])))
        let decided = history.add(
            "2014-02-01",
            .councilDecided(
                CouncilDecided(
                    proposal: "p", council: "x", decision: .approve, body: "Cabinet", minute: "m1")))
        history.add("2014-03-01", .recordRetracted(RecordRetracted(seq: decided, reason: "wrong meeting")))
        let world = F.world(history.records)
        #expect(world.proposals["p"]?.positions["x"]?.isEmpty == true)
        let restored = try #require(World(checkpointJSON: world.checkpointJSON()))
        #expect(restored.proposals["p"]?.positions["x"]?.isEmpty == true)
        #expect(restored.retracted == [decided: 3])
        #expect(F.dump(restored) == F.dump(world))
    }

    // MARK: - Property: restore at any point, then carry on

    @Test func restoringAPrefixThenApplyingTheRestMatchesAFullReplay() throws {
        for (seed, records, split) in F.randomHistories(320, base: 0xACC0_2D5E_ED00_0000) {

            let full = F.world(records)
            let prefix = F.world(Array(records[..<split]))
            let bytes = JSONWriter.encode(prefix.checkpointJSON())
            guard let parsed = try? JSONParser.parse(bytes), var restored = World(checkpointJSON: parsed) else {
                Issue.record("seed \(seed): the checkpoint of a \(split)-record prefix did not decode")
                return
            }
            guard F.dump(restored) == F.dump(prefix) else {
                Issue.record("seed \(seed): the world restored at \(split) of \(records.count) differs")
                return
            }
            for record in records[split...] { restored.apply(record) }
            guard JSONWriter.encode(restored.checkpointJSON()) == JSONWriter.encode(full.checkpointJSON()),
                F.dump(restored) == F.dump(full)
            else {
                Issue.record("seed \(seed): restored at \(split) of \(records.count), then replayed, differs")
                return
            }
        }
    }

    // MARK: - Malformed checkpoints

    @Test func malformedCheckpointsAreRefused() throws {
        let good = F.world(F.scenario().records).checkpointJSON()
        #expect(World(checkpointJSON: good) != nil)

        var cases: [(String, JSONValue)] = [
            ("not an object", .array([])),
            ("null", .null),
            ("no version", F.removing(["version"], from: good)),
            ("future version", F.replacing(["version"], with: .integer(2), in: good)),
            ("head as string", F.replacing(["head"], with: .string("12"), in: good)),
            ("head as a number literal", F.replacing(["head"], with: .number("12.0"), in: good)),
            ("negative head", F.replacing(["head"], with: .integer(-1), in: good)),
            ("head below a seq", F.replacing(["head"], with: .integer(3), in: good)),
            ("unknown key", F.adding("extra", .null, to: [], in: good)),
            ("no councils", F.removing(["councils"], from: good)),
            ("councils as object", F.replacing(["councils"], with: .object(JSONObject()), in: good)),
            ("council id upper case", F.replacing(["councils", 0, "id"], with: .string("Cambs"), in: good)),
            ("council id empty", F.replacing(["councils", 0, "id"], with: .string(""), in: good)),
            ("council id as number", F.replacing(["councils", 0, "id"], with: .integer(1), in: good)),
            ("councils out of order", F.reversing(["councils"], in: good)),
            ("council repeated", F.duplicatingFirst(["councils"], in: good)),
            ("council seq zero", F.replacing(["councils", 0, "seq"], with: .integer(0), in: good)),
            ("council seq string", F.replacing(["councils", 0, "seq"], with: .string("1"), in: good)),
            ("council seq huge", F.replacing(["councils", 0, "seq"], with: .integer(.max), in: good)),
            ("council without name", F.removing(["councils", 0, "name"], from: good)),
            ("population null", F.replacing(["councils", 0, "population"], with: .null, in: good)),
            ("bad date", F.replacing(["councils", 0, "effective"], with: .string("2015-02-30"), in: good)),
            ("short date", F.replacing(["councils", 0, "effective"], with: .string("2015-4-1"), in: good)),
            (
                "ISO-range date as day number",
                F.replacing(["councils", 0, "effective"], with: .integer(16000), in: good)
            ),
            ("huge day number", F.replacing(["councils", 0, "effective"], with: .integer(.min), in: good)),
            ("bad latest", F.replacing(["latestEffective"], with: .bool(true), in: good)),
            ("bad matter", F.replacing(["proposals", 1, "tabled", "matter"], with: .string("reserved:"), in: good)),
            (
                "bad decision",
                F.replacing(
                    ["proposals", 0, "positions", 0, "timeline", 0, "decision"], with: .string("maybe"), in: good)
            ),
            (
                "bad source",
                F.replacing(
                    ["proposals", 0, "positions", 0, "timeline", 0, "source"], with: .string("rumour"), in: good)
            ),
            ("timeline out of order", F.reversing(["posts", 0, "costs"], in: good)),
            ("timeline entry truncated", F.removing(["posts", 0, "costs", 0, "onCostBasisPoints"], from: good)),
            ("weight truncated", F.removing(["posts", 0, "shares", 0, "weights", 0, "weight"], from: good)),
            (
                "weights as object",
                F.replacing(["posts", 0, "shares", 0, "weights"], with: .object(JSONObject()), in: good)
            ),
            ("vote truncated", F.removing(["proposals", 0, "votes", 0, "vote", "votes", 0, "against"], from: good)),
            (
                "bad casting",
                F.replacing(["proposals", 0, "votes", 0, "vote", "casting"], with: .string("maybe"), in: good)
            ),
            ("bad arrangement", F.replacing(["posts", 0, "established", "arrangement"], with: .string("x"), in: good)),
            ("notice rule truncated", F.removing(["agreements", 0, "established", "notice", "months"], from: good)),
            (
                "bad alignment",
                F.replacing(
                    ["agreements", 0, "established", "notice", "alignment"], with: .string("leap"), in: good)
            ),
            ("member id bad", F.replacing(["agreements", 0, "members", 0, "council"], with: .string("a b"), in: good)),
            ("notice without subject", F.removing(["notices", 0, "notice", "agreement"], from: good)),
            ("notice with two subjects", F.adding("post", .string("dcs"), to: ["notices", 0, "notice"], in: good)),
            ("notice key string", F.replacing(["notices", 0, "id"], with: .string("7"), in: good)),
            ("rescinded truncated", F.removing(["notices", 0, "rescinded", "effective"], from: good)),
            ("ended as array", F.replacing(["posts", 1, "ended"], with: .array([]), in: good)),
            ("bad worst", F.replacing(["posts", 0, "assurances", 0, "worst"], with: .string("ok"), in: good)),
            ("bad kind", F.replacing(["ownCosts", 0, "kind"], with: .string("gift"), in: good)),
            ("own cost without subject", F.removing(["ownCosts", 0, "agreement"], from: good)),
            ("retraction after its retractor", F.replacing(["retracted", 0, "by"], with: .integer(1), in: good)),
            ("retracted truncated", F.removing(["retracted", 0, "by"], from: good)),
            (
                "retracted as pairs",
                F.replacing(["retracted"], with: .array([.array([.integer(1), .integer(2)])]), in: good)
            ),
        ]
        // Each contract cut short of its payload in turn.
        for index in F.array(["contracts"], in: good).indices {
            cases.append(
                ("contract \(index) truncated", F.removing(["contracts", .index(index), "registered"], from: good)))
        }
        for (name, json) in cases {
            #expect(json != good, "\(name): the mutation did nothing")
            #expect(World(checkpointJSON: json) == nil, "\(name)")
        }
    }

    @Test func everyMutationIsRefusedOrReadExactly() throws {
        // Replace, remove or truncate each value in a real checkpoint in turn. The
        // decoder either refuses the result or reads exactly it: a world whose own
        // checkpoint is the mutated value. Never a crash, never a half-read.
        let good = F.world(F.scenario().records).checkpointJSON()
        var mutations = 0
        var refused = 0
        for path in F.paths(in: good) {
            for mutant in F.mutants(of: F.value(at: path, in: good)) {
                let json = F.replacing(path, with: mutant, in: good)
                mutations += 1
                if let world = World(checkpointJSON: json) {
                    #expect(world.checkpointJSON() == json, "mutating \(path) to \(mutant)")
                } else {
                    refused += 1
                }
            }
            if case .key? = path.last {
                let json = F.removing(path, from: good)
                mutations += 1
                if let world = World(checkpointJSON: json) {
                    #expect(world.checkpointJSON() == json, "removing \(path)")
                } else {
                    refused += 1
                }
            }
        }
        #expect(mutations > 1000)
        #expect(refused > mutations / 2)
    }

    @Test func truncatedBytesNeverCrash() {
        let bytes = JSONWriter.encode(F.world(F.scenario().records).checkpointJSON())
        for length in stride(from: 0, to: bytes.count, by: 11) {
            if let json = try? JSONParser.parse(Array(bytes[..<length])) {
                _ = World(checkpointJSON: json)
            }
        }
    }
}

// MARK: - Fixtures

enum CheckpointFixture {
    static func date(_ iso: String) -> CalendarDate {
        guard let date = CalendarDate(iso: iso) else { preconditionFailure("bad date literal \(iso)") }
        return date
    }

    static func world(_ records: [Record]) -> World {
        var world = World()
        for record in records { world.apply(record) }
        return world
    }

    /// Records in seq order, built straight in Swift.
    struct History {
        var records: [Record] = []

        @discardableResult
        mutating func add(_ effective: String, _ event: Event) -> Int {
            add(CheckpointFixture.date(effective), event)
        }

        @discardableResult
        mutating func add(_ effective: CalendarDate, _ event: Event) -> Int {
            let seq = records.count + 1
            records.append(
                Record(
                    seq: seq, recorded: Instant(secondsSinceEpoch: 1_700_000_000 + seq * 60),
                    envelope: EventEnvelope(
                        effective: effective, by: Author(council: "cambs", officer: "governance"), event: event),
                    prev: Record.genesisPrev))
            return seq
        }
    }

    /// Every event type, retractions, a rescinded notice, committee votes and
    /// mid-year changes of cost and apportionment.
    static func scenario() -> History {
        var h = History()
        h.add(
            "2015-01-05",
            .councilRegistered(CouncilRegistered(council: "cambs", name: "Cambridgeshire", population: 621_200)))
        h.add(
            "2015-01-05",
            .councilRegistered(CouncilRegistered(council: "pboro", name: "Peterborough", population: 183_600)))
        h.add("2015-01-06", .councilRegistered(CouncilRegistered(council: "hunts", name: "Huntingdonshire \"DC\"\n")))
        h.add(
            "2015-01-10",
            .proposalTabled(
                ProposalTabled(
                    proposal: "p-1", title: "Shared children's services", matter: .structure,
                    affects: ["cambs", "pboro"],
                    agreement: "shared", terminates: ["old-lease"])))
        h.add(
            "2015-01-11",
            .proposalTabled(
                ProposalTabled(
                    proposal: "p-2", title: "Council tax", matter: .reserved("council-tax"), affects: ["cambs"])))
        h.add(
            "2015-01-20",
            .contractRegistered(
                ContractRegistered(
                    council: "cambs", contract: "old-lease", counterparty: "Landlord Ltd", ends: date("2017-03-31"))))
        h.add(
            "2015-01-20",
            .contractRegistered(ContractRegistered(council: "pboro", contract: "it", counterparty: "IT plc")))
        h.add(
            "2015-02-01",
            .agreementEstablished(
                AgreementEstablished(
                    agreement: "shared", title: "Shared services", parties: ["cambs", "pboro"],
                    notice: NoticeRule(months: 24, alignment: .financialYearEnd), quorum: 3, proposal: "p-1")))
        let decided = h.add(
            "2015-02-10",
            .councilDecided(
                CouncilDecided(
                    proposal: "p-1", council: "cambs", decision: .approve, body: "Cabinet", minute: "C/15/3")))
        h.add(
            "2015-02-12",
            .councilDecided(
                CouncilDecided(
                    proposal: "p-1", council: "pboro", decision: .reject, body: "Cabinet", minute: "P/15/9")))
        // Back-dated: lands before the decision above in pboro's timeline.
        h.add(
            "2015-02-01",
            .councilDecided(
                CouncilDecided(
                    proposal: "p-1", council: "pboro", decision: .abstain, body: "Council", minute: "P/15/1")))
        h.add(
            "2015-02-20",
            .committeeVoted(
                CommitteeVoted(
                    proposal: "p-1", committee: "Joint Committee",
                    votes: [
                        MemberVotes(council: "cambs", votesFor: 3, against: 1, abstain: 0),
                        MemberVotes(council: "pboro", votesFor: 2, against: 2, abstain: 1),
                        MemberVotes(council: "hunts", votesFor: 3, against: 0, abstain: 0),
                    ],
                    chair: "cambs", casting: .votedFor)))
        let badVote = h.add(
            "2015-02-21",
            .committeeVoted(
                CommitteeVoted(
                    proposal: "p-1", committee: "Wrong Committee",
                    votes: [MemberVotes(council: "cambs", votesFor: 0, against: 5, abstain: 0)])))
        h.add("2015-03-01", .agreementJoined(AgreementJoined(agreement: "shared", council: "hunts", proposal: "p-1")))
        h.add(
            "2015-03-01",
            .postEstablished(
                PostEstablished(
                    post: "dcs", title: "Director of Children's Services", agreement: "shared", employer: "cambs",
                    roles: ["DCS", "DASS"], arrangement: .s113, notice: NoticeRule(months: 6, alignment: .monthEnd),
                    assuranceMonths: 12, proposal: "p-1")))
        h.add(
            "2015-03-01",
            .postEstablished(
                PostEstablished(
                    post: "ended", title: "Interim", agreement: "shared", employer: "pboro", roles: [],
                    arrangement: .loan,
                    proposal: "p-1")))
        h.add("2015-04-01", .postCosted(PostCosted(post: "dcs", annualPence: 12_000_000, onCostBasisPoints: 2500)))
        let wrongCost = h.add(
            "2015-04-01", .postCosted(PostCosted(post: "dcs", annualPence: 99_000_000, onCostBasisPoints: 0)))
        // Mid-year pay award.
        h.add("2015-10-01", .postCosted(PostCosted(post: "dcs", annualPence: 12_600_000, onCostBasisPoints: 2600)))
        h.add(
            "2015-04-01",
            .costsApportioned(
                CostsApportioned(
                    post: "dcs", basis: .equal,
                    weights: [Weight(council: "cambs", weight: 1), Weight(council: "pboro", weight: 1)],
                    proposal: "p-1")))
        // Mid-year re-apportionment when hunts joins the post.
        h.add(
            "2015-11-15",
            .costsApportioned(
                CostsApportioned(
                    post: "dcs", basis: .population,
                    weights: [
                        Weight(council: "pboro", weight: 183_600), Weight(council: "cambs", weight: 621_200),
                        Weight(council: "hunts", weight: 175_000),
                    ],
                    proposal: "p-1")))
        h.add("2015-04-01", .postAppointed(PostAppointed(post: "dcs", holder: "A. Smith", proposal: "p-1")))
        h.add("2016-01-04", .postAppointed(PostAppointed(post: "dcs", holder: "B. Jones — interim", proposal: "p-1")))
        h.add("2015-04-01", .postCosted(PostCosted(post: "dcs", annualPence: 11_900_000, onCostBasisPoints: 2500)))
        h.add("2016-03-31", .postEnded(PostEnded(post: "ended", proposal: "p-1")))
        h.add(
            "2016-04-01",
            .assuranceRecorded(
                AssuranceRecorded(
                    post: "dcs", council: "pboro",
                    ratings: AssuranceQuestion.allCases.map {
                        .init(question: $0, rating: $0 == .partnerships ? .requiresImprovement : .good)
                    },
                    reviewer: "Independent reviewer")))
        let notice = h.add("2016-04-15", .noticeServed(NoticeServed(council: "pboro", subject: .agreement("shared"))))
        h.add(
            "2016-04-20",
            .noticeServed(
                NoticeServed(
                    council: "hunts", subject: .post("dcs"), leaves: date("2016-09-30"), proposal: "p-1")))
        h.add("2016-05-01", .noticeRescinded(NoticeRescinded(council: "pboro", notice: notice)))
        let rescindHunts = h.add("2016-05-02", .noticeRescinded(NoticeRescinded(council: "hunts", notice: notice + 1)))
        h.add(
            "2016-05-10",
            .withdrawalCosted(
                WithdrawalCosted(
                    council: "hunts", agreement: "shared", amountPence: 250_000, description: "Redundancy share")))
        h.add(
            "2016-05-11",
            .variationSpecified(
                VariationSpecified(
                    council: "cambs", subject: .post("dcs"), description: "Extra day a week", annualPence: 1_500_000)))
        h.add(
            "2016-06-01", .disputeRaised(DisputeRaised(proposal: "p-1", councils: ["cambs", "pboro"], mediator: "LGA")))
        h.add("2016-06-02", .recordRetracted(RecordRetracted(seq: wrongCost, reason: "typo")))
        h.add("2016-06-02", .recordRetracted(RecordRetracted(seq: badVote, reason: "wrong committee")))
        h.add("2016-06-03", .recordRetracted(RecordRetracted(seq: rescindHunts, reason: "not authorised")))
        h.add("2016-09-01", .recordRetracted(RecordRetracted(seq: decided + 100, reason: "no such record")))
        h.add("2016-06-04", .recordRetracted(RecordRetracted(seq: decided, reason: "minute mis-numbered")))
        return h
    }

    // MARK: Random histories


    static let councils: [Identifier] = ["cambs", "pboro", "hunts", "fenland"]
    static let proposals: [Identifier] = ["p-1", "p-2", "p-3", "p-4"]
    static let agreements: [Identifier] = ["a-1", "a-2", "a-3"]
    static let posts: [Identifier] = ["s-1", "s-2", "s-3"]
    static let contracts: [Identifier] = ["k-1", "k-2"]

    /// A history of 1–60 records of any types, effective dates back and forth
    /// (now and then in 2999, so notice periods run past the ISO years).
    /// `count` seeded random histories from `base` on, each with a random place to cut it.
    static func randomHistories(_ count: Int, base: UInt64) -> [(seed: UInt64, records: [Record], cut: Int)] {
        (0..<count).map { iteration in
            let seed = base &+ UInt64(iteration)
            var random = SplitMix64(seed: seed)
            let records = randomHistory(&random)
            return (seed, records, Int(random.next(upTo: UInt64(records.count + 1))))
        }
    }

    static func randomHistory(_ r: inout SplitMix64) -> [Record] {
        var h = History()
        var noticeSeqs: [Int] = []
        let count = r.int(1...60)
        let farFuture = r.chance(1, in: 8)
        for _ in 0..<count {
            let seq = h.records.count + 1
            let day = farFuture ? r.int(376_000...376_400) : r.int(15_700...17_700)
            let effective = CalendarDate(dayNumber: day)
            let event = randomEvent(&r, seq: seq, noticeSeqs: noticeSeqs, effective: effective, farFuture: farFuture)
            if case .noticeServed = event { noticeSeqs.append(seq) }
            h.add(effective, event)
        }
        return h.records
    }

    static func randomEvent(
        _ r: inout SplitMix64, seq: Int, noticeSeqs: [Int], effective: CalendarDate, farFuture: Bool
    ) -> Event {
        let council = r.pick(councils)
        let proposal = r.pick(proposals)
        let agreement = r.pick(agreements)
        let post = r.pick(posts)
        func rule(_ r: inout SplitMix64) -> NoticeRule {
            // Not financial-year-end near 2999: `FinancialYear.last` traps past year 2999.
            NoticeRule(
                months: r.pick([0, 1, 6, 24, 600]),
                alignment: r.pick(farFuture ? [.none, .monthEnd] : Alignment.allCases))
        }
        func subject(_ r: inout SplitMix64) -> Subject { r.chance(1, in: 2) ? .agreement(agreement) : .post(post) }
        switch r.int(0...19) {
        case 0:
            return .councilRegistered(
                CouncilRegistered(
                    council: council, name: "Council \(r.int(0...99))",
                    population: (r.chance(1, in: 2) ? Int64(r.int(1...900_000)) : nil)))
        case 1:
            return .proposalTabled(
                ProposalTabled(
                    proposal: proposal, title: "Title \(seq)",
                    matter: r.pick([.policy, .cost, .priority, .structure, .appointment, .reserved("budget")]),
                    affects: (0..<r.int(0...3)).map { _ in r.pick(councils) },
                    agreement: (r.chance(1, in: 2) ? agreement : nil),
                    terminates: (0..<r.int(0...2)).map { _ in r.pick(contracts) }))
        case 2, 3:
            return .councilDecided(
                CouncilDecided(
                    proposal: proposal, council: council, decision: r.pick(Decision.allCases),
                    body: r.pick(["Cabinet", "Full Council"]), minute: "m-\(seq)"))
        case 4:
            // Now and then a council twice in one vote, so timelines get ties.
            let votes = (0..<r.int(0...4)).map { _ in
                MemberVotes(
                    council: r.pick(councils), votesFor: r.int(0...5), against: r.int(0...5), abstain: r.int(0...2))
            }
            return .committeeVoted(
                CommitteeVoted(
                    proposal: proposal, committee: "Joint", votes: votes, chair: (r.chance(1, in: 2) ? council : nil),
                    casting: (r.chance(1, in: 2) ? r.pick(CastingVote.allCases) : nil)))
        case 5:
            return .agreementEstablished(
                AgreementEstablished(
                    agreement: agreement, title: "Agreement \(seq)",
                    parties: (0..<r.int(0...3)).map { _ in r.pick(councils) },
                    notice: rule(&r), quorum: (r.chance(1, in: 2) ? r.int(1...4) : nil), proposal: proposal))
        case 6:
            return .agreementJoined(AgreementJoined(agreement: agreement, council: council, proposal: proposal))
        case 7:
            return .postEstablished(
                PostEstablished(
                    post: post, title: "Post \(seq)", agreement: agreement, employer: council,
                    roles: r.chance(1, in: 2) ? ["DCS"] : [], arrangement: r.pick(Arrangement.allCases),
                    notice: r.chance(1, in: 2) ? rule(&r) : nil, assuranceMonths: (r.chance(1, in: 2) ? r.int(0...24) : nil),
                    proposal: proposal))
        case 8, 9:
            return .postCosted(
                PostCosted(
                    post: post, annualPence: Int64(r.int(0...20_000_000)), onCostBasisPoints: Int64(r.int(0...3000))))
        case 10:
            return .postAppointed(PostAppointed(post: post, holder: "Holder \(seq)", proposal: proposal))
        case 11:
            return .postEnded(PostEnded(post: post, proposal: proposal))
        case 12:
            let weights = (0..<r.int(0...3)).map { _ in
                Weight(council: r.pick(councils), weight: Int64(r.int(1...1000)))
            }
            return .costsApportioned(
                CostsApportioned(
                    post: post, basis: r.pick(Basis.allCases), weights: weights, proposal: proposal))
        case 13:
            return .noticeServed(
                NoticeServed(
                    council: council, subject: subject(&r),
                    leaves: (r.chance(1, in: 2) ? effective.adding(days: r.int(0...400)) : nil),
                    proposal: (r.chance(1, in: 2) ? proposal : nil)))
        case 14:
            let target = noticeSeqs.isEmpty || r.chance(1, in: 5) ? r.int(1...seq + 1) : r.pick(noticeSeqs)
            return .noticeRescinded(NoticeRescinded(council: council, notice: target))
        case 15:
            return .withdrawalCosted(
                WithdrawalCosted(
                    council: council, agreement: agreement, amountPence: Int64(r.int(0...1_000_000)),
                    description: "w \(seq)"))
        case 16:
            return .variationSpecified(
                VariationSpecified(
                    council: council, subject: subject(&r), description: "v \(seq)",
                    annualPence: Int64(r.int(-5000...5000))))
        case 17:
            return .contractRegistered(
                ContractRegistered(
                    council: council, contract: r.pick(contracts), counterparty: "Supplier \(seq)",
                    ends: (r.chance(1, in: 2) ? effective.adding(days: 365) : nil)))
        case 18:
            return .assuranceRecorded(
                AssuranceRecorded(
                    post: post, council: council,
                    ratings: AssuranceQuestion.allCases.map { .init(question: $0, rating: r.pick(Rating.allCases)) },
                    reviewer: "Reviewer"))
        default:
            if r.chance(1, in: 6) {
                return .disputeRaised(
                    DisputeRaised(proposal: proposal, councils: [council], mediator: (r.chance(1, in: 2) ? "ACAS" : nil)))
            }
            // Mostly earlier records; now and then itself or a later seq, which the world ignores.
            return .recordRetracted(RecordRetracted(seq: r.int(1...seq + 1), reason: "r \(seq)"))
        }
    }

    // MARK: Comparing worlds by reflection

    /// Every stored property of `value`, recursively, as text; dictionary and
    /// set members sorted so equal contents give equal text whatever their
    /// hash order.
    static func dump(_ value: Any) -> String {
        let mirror = Mirror(reflecting: value)
        switch mirror.displayStyle {
        case .dictionary?, .set?:
            return "{" + mirror.children.map { dump($0.value) }.sorted().joined(separator: ", ") + "}"
        case nil:
            return String(reflecting: value)
        default:
            if mirror.children.isEmpty { return String(reflecting: value) }
            let fields = mirror.children.map { ($0.label ?? "_") + ": " + dump($0.value) }
            return "\(type(of: value))(" + fields.joined(separator: ", ") + ")"
        }
    }

    // MARK: Editing JSON by path

    enum Step: CustomStringConvertible, ExpressibleByStringLiteral, ExpressibleByIntegerLiteral {
        case key(String)
        case index(Int)
        init(stringLiteral value: String) { self = .key(value) }
        init(integerLiteral value: Int) { self = .index(value) }
        var description: String {
            switch self {
            case .key(let key): key
            case .index(let index): String(index)
            }
        }
    }

    static func value(at path: [Step], in json: JSONValue) -> JSONValue {
        guard let step = path.first else { return json }
        switch (step, json) {
        case (.key(let key), .object(let object)):
            guard let child = object[key] else { preconditionFailure("no member \(key)") }
            return value(at: Array(path.dropFirst()), in: child)
        case (.index(let index), .array(let elements)):
            return value(at: Array(path.dropFirst()), in: elements[index])
        default:
            preconditionFailure("path \(path) does not fit")
        }
    }

    static func array(_ path: [Step], in json: JSONValue) -> [JSONValue] {
        guard case .array(let elements) = value(at: path, in: json) else { preconditionFailure("not an array") }
        return elements
    }

    /// `json` with the value at `path` passed through `change`, which returns nil to remove it.
    static func editing(_ path: [Step], in json: JSONValue, _ change: (JSONValue) -> JSONValue?) -> JSONValue? {
        guard let step = path.first else { return change(json) }
        let rest = Array(path.dropFirst())
        switch (step, json) {
        case (.key(let key), .object(var object)):
            guard let index = object.members.firstIndex(where: { $0.key == key }) else {
                preconditionFailure("no member \(key)")
            }
            if let child = editing(rest, in: object.members[index].value, change) {
                object.members[index].value = child
            } else {
                object.members.remove(at: index)
            }
            return .object(object)
        case (.index(let index), .array(var elements)):
            if let child = editing(rest, in: elements[index], change) {
                elements[index] = child
            } else {
                elements.remove(at: index)
            }
            return .array(elements)
        default:
            preconditionFailure("path \(path) does not fit")
        }
    }

    static func replacing(_ path: [Step], with value: JSONValue, in json: JSONValue) -> JSONValue {
        editing(path, in: json) { _ in value }!
    }

    static func removing(_ path: [Step], from json: JSONValue) -> JSONValue {
        editing(path, in: json) { _ in nil }!
    }

    static func adding(_ key: String, _ value: JSONValue, to path: [Step], in json: JSONValue) -> JSONValue {
        editing(path, in: json) { target in
            guard case .object(var object) = target else { preconditionFailure("not an object") }
            object.members.append(.init(key: key, value: value))
            return .object(object)
        }!
    }

    static func reversing(_ path: [Step], in json: JSONValue) -> JSONValue {
        replacing(path, with: .array(array(path, in: json).reversed()), in: json)
    }

    static func duplicatingFirst(_ path: [Step], in json: JSONValue) -> JSONValue {
        let elements = array(path, in: json)
        return replacing(path, with: .array([elements[0]] + elements), in: json)
    }

    /// The path of every value in `json` below the top.
    static func paths(in json: JSONValue, below prefix: [Step] = []) -> [[Step]] {
        switch json {
        case .object(let object):
            return object.members.flatMap { member in
                let path = prefix + [.key(member.key)]
                return [path] + paths(in: member.value, below: path)
            }
        case .array(let elements):
            return elements.indices.flatMap { index in
                let path = prefix + [.index(index)]
                return [path] + paths(in: elements[index], below: path)
            }
        default:
            return []
        }
    }

    /// Wrong types, edge values and truncations of one value.
    static func mutants(of value: JSONValue) -> [JSONValue] {
        var result: [JSONValue] = [
            .null, .bool(false), .integer(0), .integer(-1), .integer(3), .integer(.max), .number("1.5"),
            .string(""), .string("Not-An-Id"), .string("zz"), .string("2015-02-29"), .string("2016-02-29"),
            .array([]), .object(JSONObject()),
        ]
        switch value {
        case .array(let elements) where !elements.isEmpty:
            result.append(.array(Array(elements.dropLast())))
            result.append(.array(Array(elements.dropFirst())))
            result.append(.array(elements + [elements[0]]))
        case .object(let object) where !object.members.isEmpty:
            result.append(.object(JSONObject(Array(object.members.dropLast()))))
            result.append(.object(JSONObject(object.members + [object.members[0]])))
        case .integer(let number):
            result.append(.integer(number &+ 1))
        default:
            break
        }
        return result.filter { $0 != value }
    }
}
