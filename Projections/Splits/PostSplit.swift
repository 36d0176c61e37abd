import Events

/// One post's costs over a period, split between councils to the penny.
public struct PostSplit: Sendable {
    /// A run of days over which cost, apportionment and parties stay the same.
    public struct Segment: Sendable {
        public var from: CalendarDate
        public var to: CalendarDate
        public var days: Int { from.days(to: to) + 1 }
        public var yearDays: Int
        public var cost: CostEntry
        /// Nil when no apportionment is in force: the whole segment is unapportioned.
        public var shares: ShareEntry?
        /// Councils with a weight who had already left: their part is unapportioned.
        public var leavers: [Identifier]
        public var exactPence: Fraction
    }

    public struct CouncilShare: Sendable {
        public var council: Identifier
        public var pence: Int64
        public var exactPence: Fraction
        public var daysBorne: Int
    }

    public var post: Identifier
    public var title: String
    public var employer: Identifier
    public var from: CalendarDate
    public var to: CalendarDate
    public var segments: [Segment]
    public var councils: [CouncilShare]
    public var totalPence: Int64
    public var unapportionedPence: Int64
    public var exactTotalPence: Fraction
    public var exactUnapportionedPence: Fraction

    /// Councils' amounts plus the unapportioned amount are the post total, to the penny.
    public func checkInvariants() {
        let sum = councils.reduce(Int64(0)) { $0 + $1.pence } + unapportionedPence
        precondition(sum == totalPence, "post \(post): shares add to \(sum), total is \(totalPence)")
        precondition(Int128(totalPence) == exactTotalPence.roundedHalfUp, "post \(post): total not the rounded exact cost")
        for share in councils {
            let gap = Int128(share.pence) - share.exactPence.floor
            precondition(gap == 0 || gap == 1, "post \(post): \(share.council) more than a penny from its exact share")
        }
    }
}
