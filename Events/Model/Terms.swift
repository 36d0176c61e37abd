/// What a proposal is about. `reserved:<what>` marks a matter each council
/// decides alone (SG-2: council tax, budget, constitution, name, elections,
/// spending priorities, service policy).
public enum Matter: Hashable, Sendable, CustomStringConvertible {
    case policy, cost, priority, structure, appointment
    case reserved(Identifier)

    public init?(_ text: String) {
        switch text {
        case "policy": self = .policy
        case "cost": self = .cost
        case "priority": self = .priority
        case "structure": self = .structure
        case "appointment": self = .appointment
        default:
            guard text.hasPrefix("reserved:"), let what = Identifier(String(text.dropFirst(9))) else { return nil }
            self = .reserved(what)
        }
    }

    public var description: String {
        switch self {
        case .policy: "policy"
        case .cost: "cost"
        case .priority: "priority"
        case .structure: "structure"
        case .appointment: "appointment"
        case .reserved(let what): "reserved:" + what.raw
        }
    }

    public var isReserved: Bool { if case .reserved = self { true } else { false } }
}

public enum Decision: String, Hashable, Sendable, CaseIterable {
    case approve, reject, abstain
}

public enum Alignment: String, Hashable, Sendable, CaseIterable {
    case none
    case monthEnd = "month-end"
    case financialYearEnd = "financial-year-end"
}

/// How long notice runs and where it lands (SPEC §5.2).
public struct NoticeRule: Hashable, Sendable {
    public var months: Int
    public var alignment: Alignment
    public init(months: Int, alignment: Alignment) {
        self.months = months
        self.alignment = alignment
    }
}

public enum Arrangement: String, Hashable, Sendable, CaseIterable {
    case s113, loan, tupe
}

/// Why the weights are what they are; for people, never for arithmetic.
public enum Basis: String, Hashable, Sendable, CaseIterable {
    case equal, fixed, population, budget, time
}

public enum Rating: String, Hashable, Sendable, CaseIterable {
    case good
    case requiresImprovement = "requires-improvement"
    case inadequate
}

/// The six key questions of the DfE 2013 statutory guidance, as the test of
/// assurance in seeds/003 Appendix 2 asks them.
public enum AssuranceQuestion: String, Hashable, Sendable, CaseIterable, Comparable {
    case seniorManagement = "senior-management"
    case accountability
    case breadthOfResponsibilities = "breadth-of-responsibilities"
    case childrenInvolvement = "children-involvement"
    case childProtection = "child-protection"
    case partnerships

    public static func < (lhs: Self, rhs: Self) -> Bool {
        allCases.firstIndex(of: lhs)! < allCases.firstIndex(of: rhs)!
    }
}

/// One council's share weight in an apportionment.
public struct Weight: Hashable, Sendable {
    public var council: Identifier
    public var weight: Int64
    public init(council: Identifier, weight: Int64) {
        self.council = council
        self.weight = weight
    }
}

/// A council's members' votes at a joint committee.
public struct MemberVotes: Hashable, Sendable {
    public var council: Identifier
    public var votesFor: Int
    public var against: Int
    public var abstain: Int
    public init(council: Identifier, votesFor: Int, against: Int, abstain: Int) {
        self.council = council
        self.votesFor = votesFor
        self.against = against
        self.abstain = abstain
    }
    public var present: Int { votesFor + against + abstain }
}

/// What a notice or a variation is about: a whole agreement or one post.
public enum Subject: Hashable, Sendable, CustomStringConvertible {
    case agreement(Identifier)
    case post(Identifier)
    public var description: String {
        switch self {
        case .agreement(let id): "agreement " + id.raw
        case .post(let id): "post " + id.raw
        }
    }
}
