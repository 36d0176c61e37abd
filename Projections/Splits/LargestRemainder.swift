/// One rounding per post and period (SPEC §5.1): each share gets the floor of
/// its exact amount and the pennies left go one each to the largest remainders.
public enum LargestRemainder {
    /// `shares` must already be in tie order (employer first, then council id,
    /// unapportioned last); a stable sort by remainder keeps that order among equals.
    /// Returns whole pence per share, summing exactly to `total`.
    public static func allocate(total: Int128, shares: [Fraction]) -> [Int128] {
        var amounts = shares.map(\.floor)
        let left = total - amounts.reduce(0, +)
        precondition(left >= 0 && left <= Int128(shares.count), "rounded total \(total) cannot come from these shares")
        // Most posts come out even or a penny short: sort the remainders only when a penny is left over.
        guard left > 0 else { return amounts }
        let remainders = shares.map(\.fractionalPart)
        let order = shares.indices.sorted { a, b in
            let comparison = Fraction.compare(remainders[a], remainders[b])
            return comparison != 0 ? comparison > 0 : a < b
        }
        for index in order.prefix(Int(left)) { amounts[index] += 1 }
        assert(amounts.reduce(0, +) == total, "allocated pence must add up to the total")
        return amounts
    }
}
