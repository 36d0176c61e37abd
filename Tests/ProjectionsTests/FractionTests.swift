import Testing
import TestSupport
@testable import Projections

@Suite("Fraction and largest remainder")
struct FractionTests {
    static func f(_ n: Int128, _ d: Int128) -> Fraction {
        do { return try Fraction(n, over: d) } catch { preconditionFailure("overflow building \(n)/\(d)") }
    }

    /// The divisor that keeps fractions in lowest terms, against Euclid on
    /// 128 bits throughout: values of every width, so both the 64-bit path
    /// and the hand-over to it from wider values are reached.
    @Test func gcdAgreesWithEuclidOnEveryWidth() {
        func euclid(_ a: Int128, _ b: Int128) -> Int128 {
            var (x, y) = (a.magnitude, b.magnitude)
            while y != 0 { (x, y) = (y, x % y) }
            return x == 0 ? 1 : Int128(x)
        }
        let seed: UInt64 = 0x6CD0_F4AC_7104_0001
        var random = SplitMix64(seed: seed)
        func value() -> Int128 {
            let bits = random.int(0...126)
            let wide = (UInt128(random.next()) << 64 | UInt128(random.next())) >> (127 - bits)
            let shared = Int128(random.pick([1, 2, 6, 365, 366, 10_000, 3_660_000]))
            let signed = random.chance(1, in: 4) ? -Int128(wide) : Int128(wide)
            return signed.multipliedReportingOverflow(by: shared).overflow ? signed : signed * shared
        }
        for round in 0..<20_000 {
            let (a, b) = (value(), value())
            let expected = euclid(a, b)
            guard Fraction.gcd(a, b) == expected else {
                Issue.record("seed \(seed), round \(round): gcd(\(a), \(b)) is \(Fraction.gcd(a, b)), not \(expected)")
                return
            }
        }
        #expect(Fraction.gcd(0, 0) == 1 && Fraction.gcd(0, -12) == 12 && Fraction.gcd(.min + 1, 3) == 1)
    }

    /// Comparing by cross-multiplication (when the products fit) and by
    /// continued fractions agree, on values small and large enough to overflow.
    @Test func bothWaysOfComparingAgree() throws {
        let seed: UInt64 = 0xC0_3EA2_0000_0001
        var random = SplitMix64(seed: seed)
        func part() -> Int128 {
            let bits = random.int(1...100)
            let value = Int128((UInt128(random.next()) << 64 | UInt128(random.next())) >> (128 - bits))
            return random.chance(1, in: 3) ? -value : value
        }
        for round in 0..<20_000 {
            let a = try Fraction(part(), over: Int128(part().magnitude | 1))
            let b = random.chance(1, in: 10) ? a : try Fraction(part(), over: Int128(part().magnitude | 1))
            let expected = Fraction.compareByContinuedFraction(a, b)
            guard Fraction.compare(a, b) == expected, Fraction.compare(b, a) == -expected else {
                Issue.record("seed \(seed), round \(round): compare(\(a), \(b)) is \(Fraction.compare(a, b)), not \(expected)")
                return
            }
        }
    }

    /// A continued-fraction step near the limits of Int128: the quotient times
    /// the denominator overflows there, the remainder does not (found in review).
    @Test func comparingNearTheLimitsDoesNotOverflow() throws {
        let near = try Fraction(-Int128.max, over: 119_949_818_110_281_922_595_991_542_087_924_226_543)
        let far = try Fraction(-843, over: 433)
        #expect(Fraction.compareByContinuedFraction(near, far) == 1 && Fraction.compareByContinuedFraction(far, near) == -1)
        #expect(Fraction.compare(near, far) == 1 && Fraction.compare(far, near) == -1)
        #expect(Fraction.compareByContinuedFraction(near, near) == 0)
    }

    @Test func lowestTermsAndPositiveDenominator() {
        let x = Self.f(6, -4)
        #expect(x.numerator == -3 && x.denominator == 2)
        #expect(Self.f(0, -7) == Fraction.zero && Fraction.zero.denominator == 1)
        #expect(Self.f(10, 5).description == "2" && Self.f(-6, 4).description == "-3/2")
    }

    /// (numerator, denominator, floor, fractional part numerator) — floor goes down, also below zero.
    @Test(arguments: [
        (Int128(7), Int128(2), Int128(3), Int128(1)),
        (-7, 2, -4, 1),  // −3.5 → −4, part ½
        (-1, 3, -1, 2),  // −⅓ → −1, part ⅔
        (-4, 2, -2, 0),  // exact: no adjustment
        (-6, 3, -2, 0),
        (0, 5, 0, 0),
        (-1_000_000_000_001, 1_000_000_000_000, -2, 999_999_999_999),
    ])
    func floorAndFractionalPart(n: Int128, d: Int128, floor: Int128, part: Int128) {
        let x = Self.f(n, d)
        #expect(x.floor == floor)
        #expect(x.fractionalPart.numerator == part)
        #expect(x.fractionalPart < Fraction(1) && !(x.fractionalPart < Fraction.zero))
    }

    /// Half up: exactly .5 goes up (towards +∞), anything less goes down.
    @Test(arguments: [
        (Int128(1), Int128(2), Int128(1)),
        (3, 2, 2),
        (5, 2, 3),
        (7, 2, 4),
        (49, 100, 0),
        (51, 100, 1),
        (1_220_500_001, 2, 610_250_001),  // n + ½ → n + 1
        (2_999_999, 2_000_000, 1),  // 1.4999995 → 1
        (-1, 2, 0),  // −0.5 → 0 (up, not away from zero)
        (-5, 2, -2),
        (-51, 100, -1),
        (6, 3, 2),
    ])
    func roundedHalfUp(n: Int128, d: Int128, expected: Int128) {
        #expect(Self.f(n, d).roundedHalfUp == expected)
    }

    @Test func arithmetic() throws {
        #expect(try Self.f(1, 3) + Self.f(1, 6) == Self.f(1, 2))
        #expect(try Self.f(1, 2) - Self.f(1, 3) == Self.f(1, 6))
        #expect(try Self.f(1, 3) - Self.f(1, 2) == Self.f(-1, 6))
        #expect(try Fraction(5) + Fraction.zero == Fraction(5))
        // Adding fractions with coprime denominators near 10^20 needs a 10^40 denominator.
        #expect(throws: ExactOverflow.self) {
            try Self.f(1, 100_000_000_000_000_000_039) + Self.f(1, 100_000_000_000_000_000_129)
        }
        #expect(throws: ExactOverflow.self) { try Fraction(Int128.max) + Fraction(1) }
    }

    @Test func scaledReducesCrosswise() throws {
        // 10^36/7 × (7 × 10^6) / 10^36 = 10^6. Multiplying first would need 7 × 10^42.
        let big: Int128 = 1_000_000_000_000_000_000_000_000_000_000_000_000
        let x = try Self.f(big, 7).scaled(by: 7_000_000, over: big)
        #expect(x == Fraction(1_000_000))
        // The split's own shape: 12 000 000 × 12 500 × 88 / (10 000 × 366) = 220 000 000/61.
        let daily = try Fraction(12_000_000).scaled(by: 12_500 * 88, over: 10_000 * 366)
        #expect(daily.numerator == 220_000_000 && daily.denominator == 61)
        // Then a weight of 2 out of 3.
        let share = try daily.scaled(by: 2, over: 3)
        #expect(share.numerator == 440_000_000 && share.denominator == 183)
        // Negative factors keep the sign on the numerator.
        #expect(try Self.f(3, 4).scaled(by: -2, over: 3) == Self.f(-1, 2))
        // Truly too large: reported, not wrapped.
        #expect(throws: ExactOverflow.self) { try Fraction(Int128.max / 2).scaled(by: 3, over: 1) }
    }

    /// Comparison by continued fractions cannot overflow, even where cross-multiplying
    /// would need ~10^74. Expected orders checked with python3 `fractions.Fraction`.
    @Test func compareLargeDenominators() {
        let n: Int128 = 10_000_000_000_000_000_000_000_000_000_000_000_000  // 10^37
        let a = Self.f(n + 1, n + 3), b = Self.f(n, n + 2)  // a > b
        #expect(Fraction.compare(a, b) == 1 && Fraction.compare(b, a) == -1)
        #expect(b < a && !(a < b))
        let m = Int128.max
        let c = Self.f(m - 1, m), e = Self.f(m - 2, m - 1)  // (M−1)/M > (M−2)/(M−1)
        #expect(Fraction.compare(c, e) == 1)
        #expect(Fraction.compare(c, c) == 0)
        let p = Self.f(
            123_456_789_012_345_678_901_234_567_890_123_457, 98_765_432_109_876_543_210_987_654_321_098_765)
        let q = Self.f(
            123_456_789_012_345_678_901_234_567_890_123_456, 98_765_432_109_876_543_210_987_654_321_098_764)
        #expect(p.numerator == 11_223_344_455_667_788_991_021_324_353_647_587)  // reduced, as python has it
        #expect(p < q && Fraction.compare(q, p) == 1)
        // Signs and integers.
        #expect(Self.f(-1, 2) < Self.f(-1, 3))
        #expect(Self.f(-7, 2) < Fraction(-3))
        #expect(Fraction.compare(Fraction(-3), Self.f(-6, 2)) == 0)
        #expect(Self.f(1, m) < Self.f(1, m - 1))
        #expect(Fraction.zero < Self.f(1, m))
    }

    @Test func largestRemainderTieOrder() {
        // Shares arrive in tie order (employer, then ids, unapportioned last): equal remainders
        // take pennies in that order.
        let third = Self.f(1, 3), twoThirds = Self.f(2, 3)
        #expect(LargestRemainder.allocate(total: 1, shares: [third, third, third]) == [1, 0, 0])
        #expect(LargestRemainder.allocate(total: 2, shares: [twoThirds, twoThirds, twoThirds]) == [1, 1, 0])
        // A larger remainder wins whatever its place.
        #expect(LargestRemainder.allocate(total: 10, shares: [Self.f(31, 10), Self.f(39, 10), Self.f(3, 1)])
            == [3, 4, 3])
        // Remainders that differ only far below a penny still order correctly.
        let n: Int128 = 10_000_000_000_000_000_000_000_000_000_000_000
        let small = Self.f(n, n + 1), larger = Self.f(n + 1, n + 2)  // both just under 1
        #expect(LargestRemainder.allocate(total: 1, shares: [small, larger]) == [0, 1])
        #expect(LargestRemainder.allocate(total: 0, shares: [Fraction.zero, Fraction.zero]) == [0, 0])
    }
}
