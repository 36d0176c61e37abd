import Events

/// One example of every event type, with and without optional fields and with
/// awkward text, shared by the round-trip tests and the ledger's frame tests.
public enum EventExamples {
    static let d = CalendarDate(iso: "2013-04-01")!

    public static let all: [Event] = [
        .councilRegistered(CouncilRegistered(council: "darlington", name: "Darlington Borough Council", population: 105_600)),
        .councilRegistered(CouncilRegistered(council: "redcar", name: "Redcar & Cleveland \"R&C\" Council")),
        .proposalTabled(ProposalTabled(proposal: "p-1", title: "Share a DASS", matter: .cost, affects: ["darlington", "hartlepool"])),
        .proposalTabled(
            ProposalTabled(
                proposal: "p-2", title: "Council tax", matter: .reserved("council-tax"), affects: ["redcar"],
                agreement: "people", terminates: ["c-1", "c-2"])),
        .councilDecided(CouncilDecided(proposal: "p-1", council: "darlington", decision: .approve, body: "Cabinet", minute: "C45/13")),
        .councilDecided(CouncilDecided(proposal: "p-1", council: "redcar", decision: .abstain, body: "Council", minute: "M 12")),
        .agreementEstablished(
            AgreementEstablished(
                agreement: "people", title: "People Services", parties: ["darlington", "hartlepool", "redcar"],
                notice: NoticeRule(months: 24, alignment: .none), quorum: 2, proposal: "p-1")),
        .agreementEstablished(
            AgreementEstablished(
                agreement: "shared", title: "Shared", parties: ["cambs"], notice: NoticeRule(months: 6, alignment: .financialYearEnd),
                proposal: "p-3")),
        .agreementJoined(AgreementJoined(agreement: "people", council: "stockton", proposal: "p-4")),
        .postEstablished(
            PostEstablished(
                post: "dass", title: "Director of Adult Social Services", agreement: "people", employer: "darlington",
                roles: ["DASS"], arrangement: .s113, proposal: "p-1")),
        .postEstablished(
            PostEstablished(
                post: "exec", title: "Executive Director", agreement: "shared", employer: "cambs", roles: [], arrangement: .loan,
                notice: NoticeRule(months: 6, alignment: .monthEnd), assuranceMonths: 0, proposal: "p-3")),
        .postCosted(PostCosted(post: "dass", annualPence: 12_000_000, onCostBasisPoints: 2500)),
        .postAppointed(PostAppointed(post: "dass", holder: "A. N. Other", proposal: "p-5")),
        .postEnded(PostEnded(post: "dass", proposal: "p-6")),
        .costsApportioned(
            CostsApportioned(
                post: "dass", basis: .population,
                weights: [
                    Weight(council: "darlington", weight: 105_600), Weight(council: "hartlepool", weight: 92_000),
                    Weight(council: "redcar", weight: 135_200),
                ], proposal: "p-1")),
        .noticeServed(NoticeServed(council: "redcar", subject: .agreement("people"))),
        .noticeServed(NoticeServed(council: "cambs", subject: .post("exec"), leaves: d, proposal: "p-7")),
        .noticeRescinded(NoticeRescinded(council: "redcar", notice: 17)),
        .withdrawalCosted(WithdrawalCosted(council: "redcar", agreement: "people", amountPence: 2_500_000, description: "Redundancy")),
        .variationSpecified(
            VariationSpecified(council: "hartlepool", subject: .post("dass"), description: "Moderate needs", annualPence: 40_000_000)),
        .variationSpecified(
            VariationSpecified(council: "hartlepool", subject: .agreement("people"), description: "Local hub", annualPence: 0)),
        .contractRegistered(ContractRegistered(council: "redcar", contract: "c-1", counterparty: "Care Ltd", ends: d)),
        .contractRegistered(ContractRegistered(council: "redcar", contract: "c-2", counterparty: "Care Ltd")),
        .assuranceRecorded(
            AssuranceRecorded(
                post: "dcs", council: "torbay",
                ratings: AssuranceQuestion.allCases.map { .init(question: $0, rating: $0 == .partnerships ? .requiresImprovement : .good) },
                reviewer: "Chief Executive")),
        .committeeVoted(
            CommitteeVoted(
                proposal: "p-1", committee: "Joint Committee",
                votes: [
                    MemberVotes(council: "darlington", votesFor: 3, against: 0, abstain: 0),
                    MemberVotes(council: "redcar", votesFor: 1, against: 2, abstain: 1),
                ], chair: "darlington", casting: .votedFor)),
        .committeeVoted(
            CommitteeVoted(proposal: "p-1", committee: "JC", votes: [MemberVotes(council: "a", votesFor: 0, against: 0, abstain: 0)])),
        .disputeRaised(DisputeRaised(proposal: "p-1", councils: ["redcar", "darlington"], mediator: "ACAS")),
        .disputeRaised(DisputeRaised(proposal: "p-1", councils: ["redcar"])),
        .recordRetracted(RecordRetracted(seq: 12, reason: "Wrong weights were typed")),
    ]
}
