extension Event {
    /// Decodes the `data` object of an event of `type`.
    static func decode(type: EventType, data d: FieldReader) throws(FieldError) -> Event {
        switch type {
        case .councilRegistered:
            try d.checkKnown(["council", "name", "population"])
            return .councilRegistered(
                CouncilRegistered(
                    council: try d.identifier("council"), name: try d.string("name"),
                    population: try d.optionalInteger("population", in: 1...1_000_000_000, unit: "people")))
        case .proposalTabled:
            try d.checkKnown(["proposal", "title", "matter", "affects", "agreement", "terminates"])
            let matterText = try d.string("matter")
            guard let matter = Matter(matterText) else {
                throw d.error(
                    "matter",
                    "\(FieldReader.quote(matterText)) is not a matter: use policy, cost, priority, structure, appointment or reserved:<what>"
                )
            }
            return .proposalTabled(
                ProposalTabled(
                    proposal: try d.identifier("proposal"), title: try d.string("title"), matter: matter,
                    affects: try d.identifiers("affects"), agreement: try d.optionalIdentifier("agreement"),
                    terminates: try d.optionalIdentifiers("terminates")))
        case .councilDecided:
            try d.checkKnown(["proposal", "council", "decision", "body", "minute"])
            return .councilDecided(
                CouncilDecided(
                    proposal: try d.identifier("proposal"), council: try d.identifier("council"),
                    decision: try d.enumeration("decision", Decision.self), body: try d.string("body"),
                    minute: try d.string("minute")))
        case .agreementEstablished:
            try d.checkKnown(["agreement", "title", "parties", "notice", "quorum", "proposal"])
            return .agreementEstablished(
                AgreementEstablished(
                    agreement: try d.identifier("agreement"), title: try d.string("title"),
                    parties: try d.identifiers("parties"), notice: try noticeRule(try d.object("notice")),
                    quorum: try d.optionalInteger("quorum", in: 1...1000, unit: "members").map(Int.init),
                    proposal: try d.identifier("proposal")))
        case .agreementJoined:
            try d.checkKnown(["agreement", "council", "proposal"])
            return .agreementJoined(
                AgreementJoined(
                    agreement: try d.identifier("agreement"), council: try d.identifier("council"),
                    proposal: try d.identifier("proposal")))
        case .postEstablished:
            try d.checkKnown([
                "post", "title", "agreement", "employer", "roles", "arrangement", "notice", "assuranceMonths",
                "proposal",
            ])
            return .postEstablished(
                PostEstablished(
                    post: try d.identifier("post"), title: try d.string("title"),
                    agreement: try d.identifier("agreement"), employer: try d.identifier("employer"),
                    roles: try roles(d), arrangement: try d.enumeration("arrangement", Arrangement.self),
                    notice: try d.optionalObject("notice").map { r throws(FieldError) in try noticeRule(r) },
                    assuranceMonths: try d.optionalInteger("assuranceMonths", in: 0...120, unit: "months").map(Int.init),
                    proposal: try d.identifier("proposal")))
        case .postCosted:
            try d.checkKnown(["post", "annualPence", "onCostBasisPoints"])
            return .postCosted(
                PostCosted(
                    post: try d.identifier("post"), annualPence: try d.integer("annualPence", in: Limits.pence, unit: "pence"),
                    onCostBasisPoints: try d.integer("onCostBasisPoints", in: Limits.onCostBasisPoints, unit: "basis points")))
        case .postAppointed:
            try d.checkKnown(["post", "holder", "proposal"])
            return .postAppointed(
                PostAppointed(post: try d.identifier("post"), holder: try d.string("holder"), proposal: try d.identifier("proposal")))
        case .postEnded:
            try d.checkKnown(["post", "proposal"])
            return .postEnded(PostEnded(post: try d.identifier("post"), proposal: try d.identifier("proposal")))
        case .costsApportioned:
            try d.checkKnown(["post", "basis", "weights", "proposal"])
            return .costsApportioned(
                CostsApportioned(
                    post: try d.identifier("post"), basis: try d.enumeration("basis", Basis.self),
                    weights: try weights(try d.object("weights")), proposal: try d.identifier("proposal")))
        case .noticeServed:
            try d.checkKnown(["council", "agreement", "post", "leaves", "proposal"])
            return .noticeServed(
                NoticeServed(
                    council: try d.identifier("council"), subject: try subject(d), leaves: try d.optionalDate("leaves"),
                    proposal: try d.optionalIdentifier("proposal")))
        case .noticeRescinded:
            try d.checkKnown(["council", "notice"])
            return .noticeRescinded(
                NoticeRescinded(
                    council: try d.identifier("council"),
                    notice: Int(try d.integer("notice", in: Limits.seq, unit: "(a record seq)"))))
        case .withdrawalCosted:
            try d.checkKnown(["council", "agreement", "amountPence", "description"])
            return .withdrawalCosted(
                WithdrawalCosted(
                    council: try d.identifier("council"), agreement: try d.identifier("agreement"),
                    amountPence: try d.integer("amountPence", in: Limits.pence, unit: "pence"),
                    description: try d.string("description")))
        case .variationSpecified:
            try d.checkKnown(["council", "agreement", "post", "description", "annualPence"])
            return .variationSpecified(
                VariationSpecified(
                    council: try d.identifier("council"), subject: try subject(d), description: try d.string("description"),
                    annualPence: try d.integer("annualPence", in: Limits.pence, unit: "pence")))
        case .contractRegistered:
            try d.checkKnown(["council", "contract", "counterparty", "ends"])
            return .contractRegistered(
                ContractRegistered(
                    council: try d.identifier("council"), contract: try d.identifier("contract"),
                    counterparty: try d.string("counterparty"), ends: try d.optionalDate("ends")))
        case .assuranceRecorded:
            try d.checkKnown(["post", "council", "ratings", "reviewer"])
            return .assuranceRecorded(
                AssuranceRecorded(
                    post: try d.identifier("post"), council: try d.identifier("council"),
                    ratings: try ratings(try d.object("ratings")), reviewer: try d.string("reviewer")))
        case .committeeVoted:
            try d.checkKnown(["proposal", "committee", "votes", "chair", "casting"])
            return .committeeVoted(
                CommitteeVoted(
                    proposal: try d.identifier("proposal"), committee: try d.string("committee"),
                    votes: try votes(try d.object("votes")), chair: try d.optionalIdentifier("chair"),
                    casting: try d.optionalEnumeration("casting", CastingVote.self)))
        case .disputeRaised:
            try d.checkKnown(["proposal", "councils", "mediator"])
            return .disputeRaised(
                DisputeRaised(
                    proposal: try d.identifier("proposal"), councils: try d.identifiers("councils"),
                    mediator: try d.optionalString("mediator")))
        case .recordRetracted:
            try d.checkKnown(["seq", "reason"])
            return .recordRetracted(
                RecordRetracted(
                    seq: Int(try d.integer("seq", in: Limits.seq, unit: "(a record seq)")), reason: try d.string("reason")))
        }
    }

    private static func noticeRule(_ r: FieldReader) throws(FieldError) -> NoticeRule {
        try r.checkKnown(["months", "alignment"])
        return NoticeRule(
            months: Int(try r.integer("months", in: 0...600, unit: "months")),
            alignment: try r.enumeration("alignment", Alignment.self))
    }

    private static func roles(_ d: FieldReader) throws(FieldError) -> [String] {
        guard case .array(let items) = try d.required("roles") else {
            throw d.error("roles", "must be a list of role names such as [\"DCS\"], or [] for none")
        }
        var roles: [String] = []
        for (index, item) in items.enumerated() {
            let path = d.fieldPath("roles") + "[\(index)]"
            guard case .string(let role) = item, !role.isEmpty, role.utf8.count <= 32,
                role.utf8.allSatisfy({ (65...90).contains($0) || (97...122).contains($0) || (48...57).contains($0) || $0 == 45 })
            else {
                throw FieldError(field: path, message: "must be a role name of letters, digits and '-' such as \"DCS\"")
            }
            if roles.contains(role) { throw d.error("roles", "names \(role) twice") }
            roles.append(role)
        }
        return roles
    }

    private static func subject(_ d: FieldReader) throws(FieldError) -> Subject {
        let agreement = try d.optionalIdentifier("agreement")
        let post = try d.optionalIdentifier("post")
        switch (agreement, post) {
        case (let a?, nil): return .agreement(a)
        case (nil, let p?): return .post(p)
        case (.some, .some): throw d.error("post", "give either agreement or post, not both")
        case (nil, nil): throw d.error("agreement", "is required (or give post)")
        }
    }

    private static func weights(_ r: FieldReader) throws(FieldError) -> [Weight] {
        if r.object.members.isEmpty { throw FieldError(field: r.path, message: "must give at least one council's weight") }
        var weights: [Weight] = []
        for member in r.object.members {
            let council = try r.identifier(.string(member.key), path: r.fieldPath(member.key))
            let weight = try r.integer(member.value, path: r.fieldPath(member.key), in: Limits.weight, unit: "(a positive weight)")
            weights.append(Weight(council: council, weight: weight))
        }
        return weights
    }

    private static func votes(_ r: FieldReader) throws(FieldError) -> [MemberVotes] {
        if r.object.members.isEmpty { throw FieldError(field: r.path, message: "must give at least one council's votes") }
        var votes: [MemberVotes] = []
        for member in r.object.members {
            let council = try r.identifier(.string(member.key), path: r.fieldPath(member.key))
            let counts = try FieldReader(member.value, path: r.fieldPath(member.key), strict: r.strict)
            try counts.checkKnown(["for", "against", "abstain"])
            votes.append(
                MemberVotes(
                    council: council, votesFor: Int(try counts.integer("for", in: 0...1000, unit: "members")),
                    against: Int(try counts.integer("against", in: 0...1000, unit: "members")),
                    abstain: Int(try counts.optionalInteger("abstain", in: 0...1000, unit: "members") ?? 0)))
        }
        return votes
    }

    private static func ratings(_ r: FieldReader) throws(FieldError) -> [AssuranceRecorded.Answer] {
        try r.checkKnown(AssuranceQuestion.allCases.map(\.rawValue))
        var answers: [AssuranceRecorded.Answer] = []
        for question in AssuranceQuestion.allCases {
            answers.append(.init(question: question, rating: try r.enumeration(question.rawValue, Rating.self)))
        }
        return answers
    }
}

/// Bounds on numbers, chosen so that every product and sum the projections
/// form fits in Int128 with room to spare, and a typo of extra digits is caught.
public enum Limits {
    /// Up to £1 billion a year for one post or one withdrawal cost.
    public static let pence: ClosedRange<Int64> = 0...100_000_000_000
    public static let weight: ClosedRange<Int64> = 1...1_000_000_000_000
    public static let seq: ClosedRange<Int64> = 1...1_000_000_000_000
    /// On-costs up to ten times the salary.
    public static let onCostBasisPoints: ClosedRange<Int64> = 0...100_000
}
