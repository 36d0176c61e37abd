import Events

// The exact sums behind one post's split: the cost of each segment (annual
// pence × (10000 + on-cost basis points) / 10000 / days in the year, for its
// days), the part of it each weight carries, and what falls to nobody.

extension Splits {
    struct Sums: Equatable {
        var total: Fraction
        var unapportioned: Fraction
        /// Councils that bore a part, in the order first met, with the days they bore it.
        var bearers: [Bearer]
    }

    struct Bearer: Equatable {
        var council: Identifier
        var exactPence: Fraction
        var days: Int
    }

    /// Fraction by fraction: each amount kept in lowest terms as it is added.
    /// Sets each segment's `exactPence`.
    static func fractionSums(_ segments: inout [PostSplit.Segment]) throws(ExactOverflow) -> Sums {
        var sums = Sums(total: .zero, unapportioned: .zero, bearers: [])
        for index in segments.indices {
            let segment = segments[index]
            let exact = try Fraction(Int128(segment.cost.annualPence))
                .scaled(by: Int128(10_000 + segment.cost.onCostBasisPoints) * Int128(segment.days),
                        over: 10_000 * Int128(segment.yearDays))
            segments[index].exactPence = exact
            sums.total = try sums.total + exact
            guard let shares = segment.shares, shares.totalWeight > 0 else {
                sums.unapportioned = try sums.unapportioned + exact
                continue
            }
            for weight in shares.weights {
                let part = try exact.scaled(by: Int128(weight.weight), over: Int128(shares.totalWeight))
                if segment.leavers.contains(weight.council) {
                    sums.unapportioned = try sums.unapportioned + part
                } else if let at = sums.bearers.firstIndex(where: { $0.council == weight.council }) {
                    sums.bearers[at].exactPence = try sums.bearers[at].exactPence + part
                    sums.bearers[at].days += segment.days
                } else {
                    sums.bearers.append(Bearer(council: weight.council, exactPence: part, days: segment.days))
                }
            }
        }
        return sums
    }

    /// The same sums as whole numbers over one denominator, a multiple of every
    /// segment's (10000 × days in the year × total weight), each reduced once
    /// at the end: the same fractions in lowest terms, with a few divisions
    /// where adding fraction by fraction takes dozens. Nil if a number would
    /// not fit in 128 bits: `fractionSums` then decides, and says if it cannot either.
    static func commonDenominatorSums(_ segments: inout [PostSplit.Segment]) -> Sums? {
        func times(_ a: Int128, _ b: Int128) -> Int128? {
            let (product, overflow) = a.multipliedReportingOverflow(by: b)
            return overflow ? nil : product
        }
        func plus(_ a: Int128, _ b: Int128) -> Int128? {
            let (sum, overflow) = a.addingReportingOverflow(b)
            return overflow ? nil : sum
        }
        // Each segment's cost as a numerator over 10000 × its year's days, and its weights' total.
        var costs: [(numerator: Int128, denominator: Int128, weight: Int128)] = []
        costs.reserveCapacity(segments.count)
        var common: Int128 = 1
        for segment in segments {
            guard let rate = times(Int128(segment.cost.annualPence), Int128(10_000 + segment.cost.onCostBasisPoints)),
                let numerator = times(rate, Int128(segment.days))
            else { return nil }
            let denominator = 10_000 * Int128(segment.yearDays)
            let weight = segment.shares.map { Int128($0.totalWeight) } ?? 0
            guard let whole = weight > 0 ? times(denominator, weight) : denominator,
                let next = times(common / Fraction.gcd(common, whole), whole)
            else { return nil }
            common = next
            costs.append((numerator, denominator, weight))
        }
        var total: Int128 = 0, unapportioned: Int128 = 0
        var bearers: [(council: Identifier, numerator: Int128, days: Int)] = []
        for (segment, cost) in zip(segments, costs) {
            guard let amount = times(cost.numerator, common / cost.denominator), let sum = plus(total, amount) else { return nil }
            total = sum
            guard let shares = segment.shares, cost.weight > 0 else {
                guard let sum = plus(unapportioned, amount) else { return nil }
                unapportioned = sum
                continue
            }
            let unit = common / (cost.denominator * cost.weight)
            for weight in shares.weights {
                guard let share = times(cost.numerator, Int128(weight.weight)), let part = times(share, unit) else { return nil }
                if segment.leavers.contains(weight.council) {
                    guard let sum = plus(unapportioned, part) else { return nil }
                    unapportioned = sum
                } else if let at = bearers.firstIndex(where: { $0.council == weight.council }) {
                    guard let sum = plus(bearers[at].numerator, part) else { return nil }
                    bearers[at].numerator = sum
                    bearers[at].days += segment.days
                } else {
                    bearers.append((weight.council, part, segment.days))
                }
            }
        }
        do throws(ExactOverflow) {
            for index in segments.indices {
                segments[index].exactPence = try Fraction(costs[index].numerator, over: costs[index].denominator)
            }
            return Sums(
                total: try Fraction(total, over: common), unapportioned: try Fraction(unapportioned, over: common),
                bearers: try bearers.map { bearer throws(ExactOverflow) in
                    Bearer(council: bearer.council, exactPence: try Fraction(bearer.numerator, over: common), days: bearer.days)
                })
        } catch {
            return nil
        }
    }
}
