import Events
import Testing
@testable import Projections

/// One joint-committee vote and the positions it gives (SPEC §5.3).
struct VoteCase: Sendable, CustomTestStringConvertible {
    var name: String
    /// (council, for, against, abstain) — members present.
    var votes: [(Identifier, Int, Int, Int)]
    var chair: Identifier? = nil
    var casting: CastingVote? = nil
    var quorum: Int? = nil
    var stances: [Decisions.Stance]
    var adopted: Bool
    var carriedOverall: Bool
    var outvoted: [Identifier]
    var testDescription: String { name }
}

@Suite("Decisions (SPEC §5.3)")
struct DecisionsTests {
    static let voteCases: [VoteCase] = [
        // SAMPLES.md §2 p-appoint-sd-education: 5–4 overall, but pboro's own members 1–3.
        // Sch 12 would pass it; the Sovereignty Guarantee does not: pboro rejects, not adopted.
        VoteCase(
            name: "overall majority, one council's members against",
            votes: [("cambs", 4, 1, 0), ("pboro", 1, 3, 0)],
            stances: [.approve, .reject], adopted: false, carriedOverall: true, outvoted: ["pboro"]),
        // 3–3 overall; the chair (from a) gives a casting vote for. a 2–1 approves, b 1–2 rejects.
        VoteCase(
            name: "chair's casting vote carries, b's members against",
            votes: [("a", 2, 1, 0), ("b", 1, 2, 0)], chair: "a", casting: .votedFor,
            stances: [.approve, .reject], adopted: false, carriedOverall: true, outvoted: ["b"]),
        VoteCase(
            name: "chair's casting vote against",
            votes: [("a", 2, 1, 0), ("b", 1, 2, 0)], chair: "a", casting: .against,
            stances: [.approve, .reject], adopted: false, carriedOverall: false, outvoted: []),
        // b's own members split 1–1: not a majority for, so not approval (abstain).
        VoteCase(
            name: "a council's own members evenly split",
            votes: [("a", 3, 0, 0), ("b", 1, 1, 1)],
            stances: [.approve, .abstain], adopted: false, carriedOverall: true, outvoted: ["b"]),
        // Abstentions do not count as voting: b 2 for, 0 against, 1 abstaining approves.
        VoteCase(
            name: "every council's members for",
            votes: [("a", 3, 0, 0), ("b", 2, 0, 1)],
            stances: [.approve, .approve], adopted: true, carriedOverall: true, outvoted: []),
        VoteCase(
            name: "a council whose members all abstain",
            votes: [("a", 3, 0, 0), ("b", 0, 0, 3)],
            stances: [.approve, .abstain], adopted: false, carriedOverall: true, outvoted: ["b"]),
        // Two councils of three approve: a majority of councils binds nobody either.
        VoteCase(
            name: "two councils of three",
            votes: [("a", 2, 0, 0), ("b", 2, 0, 0), ("c", 0, 2, 0)],
            stances: [.approve, .approve, .reject], adopted: false, carriedOverall: true, outvoted: ["c"]),
        // Quorum counts members present, abstaining ones too: b 2 for + 1 abstaining = 3.
        VoteCase(
            name: "quorum met with an abstention",
            votes: [("a", 3, 0, 0), ("b", 2, 0, 1)], quorum: 3,
            stances: [.approve, .approve], adopted: true, carriedOverall: true, outvoted: []),
    ]

    static func committeeLedger(_ c: VoteCase) -> LedgerBuilder {
        var l = LedgerBuilder()
        let councils = c.votes.map(\.0)
        l.agreement("agr", parties: councils, quorum: c.quorum)
        l.proposal("p-x", affects: councils, agreement: "agr", on: "2020-01-01")
        l.vote(
            "p-x", on: "2020-02-01",
            c.votes.map { MemberVotes(council: $0.0, votesFor: $0.1, against: $0.2, abstain: $0.3) },
            chair: c.chair, casting: c.casting)
        return l
    }

    @Test(arguments: voteCases)
    func committeeVote(_ c: VoteCase) throws {
        let world = Self.committeeLedger(c).world()
        let row = try #require(Decisions.rows(world, asOf: nil).first)
        #expect(row.positions.map(\.council) == c.votes.map(\.0))
        #expect(row.positions.map(\.stance) == c.stances)
        #expect(row.positions.allSatisfy { $0.body == "Joint Committee" })
        #expect(row.adopted == c.adopted)
        #expect(row.outvoted == c.outvoted)
        #expect(row.undecided.isEmpty)
        let vote = try #require(world.proposals["p-x"]?.votes.first?.vote)
        #expect(CommitteeRule.carriedOverall(vote) == c.carriedOverall)
    }

    @Test func councilDecidedAllApprove() throws {
        var l = LedgerBuilder()
        l.proposal("p-1", affects: ["a", "b", "c"], on: "2020-01-01")
        l.decide("p-1", "a", .approve, on: "2020-01-10")
        l.decide("p-1", "b", .approve, on: "2020-01-11")
        let partial = try #require(Decisions.rows(l.world(), asOf: nil).first)
        #expect(partial.adopted == false)
        #expect(partial.undecided == ["c"])
        l.decide("p-1", "c", .approve, on: "2020-01-12", body: "Council")
        let row = try #require(Decisions.rows(l.world(), asOf: nil).first)
        #expect(row.adopted)
        #expect(row.positions.map(\.stance) == [.approve, .approve, .approve])
        #expect(row.positions.last?.body == "Council" && row.positions.last?.effective == d("2020-01-12"))
    }

    @Test func rejectAndAbstainAreNotApproval() throws {
        for other in [Decision.reject, .abstain] {
            var l = LedgerBuilder()
            l.proposal("p-1", affects: ["a", "b"], on: "2020-01-01")
            l.decide("p-1", "a", .approve, on: "2020-01-10")
            l.decide("p-1", "b", other, on: "2020-01-10")
            let row = try #require(Decisions.rows(l.world(), asOf: nil).first)
            #expect(row.adopted == false, "\(other)")
            #expect(row.positions[1].stance.rawValue == other.rawValue)
        }
    }

    /// "The latest counts": by effective date, then by seq on the same day.
    @Test func latestDecisionCounts() throws {
        var l = LedgerBuilder()
        l.proposal("p-1", affects: ["a", "b"], on: "2020-01-01")
        l.decide("p-1", "a", .reject, on: "2020-01-10")
        l.decide("p-1", "b", .approve, on: "2020-01-10")
        l.decide("p-1", "a", .approve, on: "2020-02-10")  // a changes its mind
        let world = l.world()
        #expect(try #require(Decisions.rows(world, asOf: nil).first).adopted)
        #expect(try #require(Decisions.rows(world, asOf: d("2020-02-09")).first).positions[0].stance == .reject)
        #expect(try #require(Decisions.rows(world, asOf: d("2020-02-10")).first).positions[0].stance == .approve)

        // A later decision that takes back an approval: b rejects on 2020-03-01.
        l.decide("p-1", "b", .reject, on: "2020-03-01")
        let reversed = try #require(Decisions.rows(l.world(), asOf: nil).first)
        #expect(reversed.positions.map(\.stance) == [.approve, .reject] && !reversed.adopted)

        // Two decisions on one day: the later record counts.
        l.decide("p-1", "b", .abstain, on: "2020-03-01")
        #expect(try #require(Decisions.rows(l.world(), asOf: nil).first).positions[1].stance == .abstain)

        // A decision recorded later but taken earlier (back-dated minute) does not
        // override one taken after it.
        l.decide("p-1", "b", .approve, on: "2020-03-05")
        l.decide("p-1", "b", .reject, on: "2020-03-02")
        let backdated = try #require(Decisions.rows(l.world(), asOf: nil).first)
        #expect(backdated.positions[1].stance == .approve && backdated.adopted)
        #expect(backdated.positions[1].effective == d("2020-03-05"))
    }

    /// A committee vote and a council's own decision share one timeline: the later one counts.
    @Test func committeeVoteThenCouncilDecision() throws {
        var l = LedgerBuilder()
        l.agreement("agr", parties: ["cambs", "pboro"])
        l.proposal("p-ed", affects: ["cambs", "pboro"], agreement: "agr", on: "2017-06-01")
        l.vote(
            "p-ed", on: "2017-06-20",
            [MemberVotes(council: "cambs", votesFor: 4, against: 1, abstain: 0),
             MemberVotes(council: "pboro", votesFor: 1, against: 3, abstain: 0)])
        l.decide("p-ed", "pboro", .approve, on: "2017-07-15", body: "Employment Committee")
        let world = l.world()
        let before = try #require(Decisions.rows(world, asOf: d("2017-07-14")).first)
        #expect(before.positions.map(\.stance) == [.approve, .reject] && !before.adopted)
        let after = try #require(Decisions.rows(world, asOf: nil).first)
        #expect(after.positions.map(\.stance) == [.approve, .approve] && after.adopted)
        #expect(after.positions[1].body == "Employment Committee")
        #expect(world.position(of: "pboro", on: "p-ed", asOf: d("2017-06-30")) == .reject)
    }

    /// As at a date before any decision, every council is undecided: both when the
    /// whole world is asked as at that date and when the world is folded from the viewpoint.
    @Test func asOfBeforeADecisionIsUndecided() throws {
        var l = LedgerBuilder()
        l.proposal("p-1", affects: ["a", "b"], on: "2020-01-01")
        l.decide("p-1", "a", .approve, on: "2020-01-10")
        l.decide("p-1", "b", .approve, on: "2020-01-20")
        let world = l.world()
        let early = try #require(Decisions.rows(world, asOf: d("2020-01-09")).first)
        #expect(early.positions.map(\.stance) == [.undecided, .undecided])
        #expect(early.undecided == ["a", "b"] && !early.adopted)
        #expect(early.positions.allSatisfy { $0.seq == nil && $0.body == nil })
        let middle = try #require(Decisions.rows(world, asOf: d("2020-01-19")).first)
        #expect(middle.positions.map(\.stance) == [.approve, .undecided] && !middle.adopted)
        #expect(try #require(Decisions.rows(world, asOf: d("2020-01-20")).first).adopted)

        let viewpoint = Viewpoint(asOf: d("2020-01-09"))
        let folded = try #require(Decisions.rows(l.world(viewpoint), asOf: viewpoint.asOf).first)
        #expect(folded.positions.map(\.stance) == [.undecided, .undecided])
        // Before the proposal is tabled it is not listed at all.
        #expect(Decisions.rows(l.world(Viewpoint(asOf: d("2019-12-31"))), asOf: d("2019-12-31")).isEmpty)
    }

    @Test func retractedDecision() throws {
        var l = LedgerBuilder()
        l.proposal("p-1", affects: ["a", "b"], on: "2020-01-01")
        l.decide("p-1", "a", .reject, on: "2020-01-05")
        l.decide("p-1", "a", .approve, on: "2020-01-10")
        let wrong = l.decide("p-1", "b", .approve, on: "2020-01-10")  // entered against the wrong council
        let retraction = l.retract(wrong, on: "2020-01-12")
        let now = try #require(Decisions.rows(l.world(), asOf: nil).first)
        #expect(now.positions.map(\.stance) == [.approve, .undecided] && !now.adopted)
        #expect(l.world().retracted[wrong] == retraction)
        // Known before the retraction, it counted.
        let then = try #require(Decisions.rows(l.world(Viewpoint(knownAt: wrong)), asOf: nil).first)
        #expect(then.adopted)
        // Retracting a's later approval brings back its earlier rejection.
        let second = l.retract(wrong - 1, on: "2020-01-13")
        let reverted = try #require(Decisions.rows(l.world(), asOf: nil).first)
        #expect(reverted.positions[0].stance == .reject && reverted.positions[0].seq == wrong - 2)
        #expect(l.world().retracted[wrong - 1] == second)
    }

    @Test func proposalFilterAndOrder() {
        var l = LedgerBuilder()
        l.proposal("p-b", affects: ["a"], on: "2020-01-01")
        l.proposal("p-a", affects: ["a"], on: "2020-01-02")
        let world = l.world()
        #expect(Decisions.rows(world, asOf: nil).map(\.proposal) == ["p-b", "p-a"])  // tabling order
        #expect(Decisions.rows(world, asOf: nil, proposal: "p-a").map(\.proposal) == ["p-a"])
        #expect(Decisions.rows(world, asOf: nil, proposal: "p-zz").isEmpty)
    }

    // MARK: - Quorum: "a vote short of it binds nobody"

    /// Quorum 3 members per council; b has 2 present (both for). The vote is short of
    /// quorum: it gives b no approval and the proposal is not adopted.
    @Test func quorumShortfallBindsNobody() throws {
        var l = LedgerBuilder()
        l.agreement("agr", parties: ["a", "b"], quorum: 3)
        l.proposal("p-x", affects: ["a", "b"], agreement: "agr", on: "2020-01-01")
        l.vote(
            "p-x", on: "2020-02-01",
            [MemberVotes(council: "a", votesFor: 3, against: 0, abstain: 0),
             MemberVotes(council: "b", votesFor: 2, against: 0, abstain: 0)])
        let world = l.world()
        #expect(world.quorum(for: "p-x") == 3)
        let row = try #require(Decisions.rows(world, asOf: nil).first)
        #expect(row.positions[1].stance != .approve)
        #expect(row.adopted == false)
        // Without a quorum in the agreement the same vote approves for both.
        var open = LedgerBuilder()
        open.agreement("agr", parties: ["a", "b"])
        open.proposal("p-x", affects: ["a", "b"], agreement: "agr", on: "2020-01-01")
        open.vote(
            "p-x", on: "2020-02-01",
            [MemberVotes(council: "a", votesFor: 3, against: 0, abstain: 0),
             MemberVotes(council: "b", votesFor: 2, against: 0, abstain: 0)])
        #expect(try #require(Decisions.rows(open.world(), asOf: nil).first).adopted)
    }

    /// SPEC §5.3: "Where an agreement sets a quorum (members per council), a vote short
    /// of it binds nobody." Here b has 1 member present against a quorum of 3, so the
    /// vote is short of quorum and should bind neither council. a's three members voted
    /// for, but an inquorate meeting cannot give a's approval; with b's own later
    /// approval, the proposal must still not be adopted on a's inquorate vote.
    @Test
    func inquorateVoteGivesNoCouncilAPosition() throws {
        var l = LedgerBuilder()
        l.agreement("agr", parties: ["a", "b"], quorum: 3)
        l.proposal("p-x", affects: ["a", "b"], agreement: "agr", on: "2020-01-01")
        l.vote(
            "p-x", on: "2020-02-01",
            [MemberVotes(council: "a", votesFor: 3, against: 0, abstain: 0),
             MemberVotes(council: "b", votesFor: 1, against: 0, abstain: 0)])
        l.decide("p-x", "b", .approve, on: "2020-02-10")
        let row = try #require(Decisions.rows(l.world(), asOf: nil).first)
        #expect(row.positions[0].stance == .undecided)
        #expect(row.adopted == false)
    }

    /// The same rule the other way: an inquorate vote recorded after both councils had
    /// approved by their own decisions binds nobody, so it cannot undo those approvals.
    @Test
    func inquorateVoteDoesNotOverrideDecisions() throws {
        var l = LedgerBuilder()
        l.agreement("agr", parties: ["a", "b"], quorum: 3)
        l.proposal("p-x", affects: ["a", "b"], agreement: "agr", on: "2020-01-01")
        l.decide("p-x", "a", .approve, on: "2020-01-10")
        l.decide("p-x", "b", .approve, on: "2020-01-10")
        l.vote(
            "p-x", on: "2020-02-01",
            [MemberVotes(council: "a", votesFor: 0, against: 3, abstain: 0),
             MemberVotes(council: "b", votesFor: 0, against: 1, abstain: 0)])
        let row = try #require(Decisions.rows(l.world(), asOf: nil).first)
        #expect(row.positions.map(\.stance) == [.approve, .approve])
        #expect(row.adopted)
    }
}
