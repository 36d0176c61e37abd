/// SplitMix64 (Steele, Lea, Flood 2014): tiny, fast and the same on every
/// platform, so a seed printed in a failure message reproduces the case exactly.
/// One copy for every test target's seeded property tests.
public struct SplitMix64: RandomNumberGenerator, Sendable {
    public var state: UInt64

    public init(seed: UInt64) { state = seed }
    public init(state: UInt64) { self.state = state }

    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// In 0..<bound (0 when bound is 0); the modulo bias is below 2^-40 for test-sized bounds.
    public mutating func next(upTo bound: UInt64) -> UInt64 { bound == 0 ? 0 : next() % bound }

    public mutating func int(_ range: ClosedRange<Int>) -> Int {
        range.lowerBound + Int(next(upTo: UInt64(range.upperBound - range.lowerBound + 1)))
    }

    /// True with probability numerator/denominator.
    public mutating func chance(_ numerator: Int, in denominator: Int) -> Bool { int(1...denominator) <= numerator }

    public mutating func pick<T>(_ items: [T]) -> T { items[int(0...(items.count - 1))] }

    public mutating func shuffled<T>(_ items: [T]) -> [T] {
        var result = items
        for index in stride(from: result.count - 1, to: 0, by: -1) { result.swapAt(index, int(0...index)) }
        return result
    }
}
