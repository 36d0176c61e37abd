// Events about shared posts: establishing, costing, sharing, appointing, assuring.

public struct PostEstablished: Hashable, Sendable {
    public var post: Identifier
    public var title: String
    public var agreement: Identifier
    public var employer: Identifier
    /// Statutory roles such as `DCS` and `DASS` (SG-7).
    public var roles: [String]
    public var arrangement: Arrangement
    public var notice: NoticeRule?
    public var assuranceMonths: Int?
    public var proposal: Identifier
    public init(
        post: Identifier, title: String, agreement: Identifier, employer: Identifier, roles: [String],
        arrangement: Arrangement, notice: NoticeRule? = nil, assuranceMonths: Int? = nil, proposal: Identifier
    ) {
        self.post = post
        self.title = title
        self.agreement = agreement
        self.employer = employer
        self.roles = roles
        self.arrangement = arrangement
        self.notice = notice
        self.assuranceMonths = assuranceMonths
        self.proposal = proposal
    }

    public static let statutoryRoles: Set<String> = ["DCS", "DASS"]
    public var holdsStatutoryRole: Bool { roles.contains(where: Self.statutoryRoles.contains) }
}

public struct PostCosted: Hashable, Sendable {
    public var post: Identifier
    public var annualPence: Int64
    /// Employer's on-costs in basis points of salary (2500 = 25%).
    public var onCostBasisPoints: Int64
    public init(post: Identifier, annualPence: Int64, onCostBasisPoints: Int64) {
        self.post = post
        self.annualPence = annualPence
        self.onCostBasisPoints = onCostBasisPoints
    }
}

public struct PostAppointed: Hashable, Sendable {
    public var post: Identifier
    public var holder: String
    public var proposal: Identifier
    public init(post: Identifier, holder: String, proposal: Identifier) {
        self.post = post
        self.holder = holder
        self.proposal = proposal
    }
}

public struct PostEnded: Hashable, Sendable {
    public var post: Identifier
    public var proposal: Identifier
    public init(post: Identifier, proposal: Identifier) {
        self.post = post
        self.proposal = proposal
    }
}

public struct CostsApportioned: Hashable, Sendable {
    public var post: Identifier
    public var basis: Basis
    /// Councils are unique, weights positive.
    public var weights: [Weight]
    public var proposal: Identifier
    public init(post: Identifier, basis: Basis, weights: [Weight], proposal: Identifier) {
        self.post = post
        self.basis = basis
        self.weights = weights
        self.proposal = proposal
    }
}

public struct VariationSpecified: Hashable, Sendable {
    public var council: Identifier
    public var subject: Subject
    public var description: String
    public var annualPence: Int64
    public init(council: Identifier, subject: Subject, description: String, annualPence: Int64) {
        self.council = council
        self.subject = subject
        self.description = description
        self.annualPence = annualPence
    }
}

public struct AssuranceRecorded: Hashable, Sendable {
    public struct Answer: Hashable, Sendable {
        public var question: AssuranceQuestion
        public var rating: Rating
        public init(question: AssuranceQuestion, rating: Rating) {
            self.question = question
            self.rating = rating
        }
    }
    public var post: Identifier
    public var council: Identifier
    /// All six questions, in `AssuranceQuestion` order.
    public var ratings: [Answer]
    public var reviewer: String
    public init(post: Identifier, council: Identifier, ratings: [Answer], reviewer: String) {
        self.post = post
        self.council = council
        self.ratings = ratings
        self.reviewer = reviewer
    }
}
