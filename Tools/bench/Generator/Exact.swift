// Exact arithmetic for the generator's own cost splits. Deliberately written
// here rather than imported from Projections: the benchmark's expected totals
// are an independent computation that Accord's output is checked against.

struct Rational {
    var num: Int128
    var den: Int128  // always > 0

    static let zero = Rational(num: 0, den: 1)

    init(num: Int128, den: Int128) {
        precondition(den > 0)
        let g = Rational.gcd(num < 0 ? -num : num, den)
        self.num = g > 1 ? num / g : num
        self.den = g > 1 ? den / g : den
    }

    static func gcd(_ a: Int128, _ b: Int128) -> Int128 {
        var a = a, b = b
        while b != 0 { (a, b) = (b, a % b) }
        return a == 0 ? 1 : a
    }

    static func + (l: Rational, r: Rational) -> Rational {
        if l.den == r.den { return Rational(num: l.num + r.num, den: l.den) }
        let g = gcd(l.den, r.den)
        let lcm = l.den / g * r.den
        return Rational(num: l.num * (lcm / l.den) + r.num * (lcm / r.den), den: lcm)
    }

    /// self × a / b, reducing first so the intermediates stay small.
    func scaled(by a: Int128, over b: Int128) -> Rational {
        let g1 = Rational.gcd(a, den), g2 = Rational.gcd(num < 0 ? -num : num, b)
        return Rational(num: (num / g2) * (a / g1), den: (den / g1) * (b / g2))
    }

    /// Non-negative values only (all costs here are).
    var floor: Int128 { num / den }
    var remainder: Rational { Rational(num: num % den, den: den) }
    var roundedHalfUp: Int128 { (num * 2 + den) / (den * 2) }

    static func < (l: Rational, r: Rational) -> Bool { l.num * r.den < r.num * l.den }
    static func == (l: Rational, r: Rational) -> Bool { l.num == r.num && l.den == r.den }
}

/// Deterministic PRNG (SplitMix64): the same seed gives the same ledger on every machine.
struct SplitMix {
    var state: UInt64
    init(seed: UInt64) { state = seed &* 0x9E37_79B9_7F4A_7C15 &+ 0x1234_5678 }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
    /// Uniform in lo...hi.
    mutating func int(_ lo: Int, _ hi: Int) -> Int {
        precondition(hi >= lo)
        return lo + Int(next() % UInt64(hi - lo + 1))
    }
    mutating func chance(_ p: Double) -> Bool { Double(next() >> 11) / Double(1 << 53) < p }
}
