/// One seeded damage to a line, as the fast decoders' property tests apply it:
/// a byte changed (to one of the bytes JSON and the layouts care about), dropped,
/// doubled, or replaced by an escape. Many damaged lines stay valid, which is
/// the point: a fast path must then read them as the general decoder does.
public enum LineDamage {
    static let alphabet = Array(#"0123456789abcdefAZ:/-_"\{}[],. Tu"#.utf8) + [0x00, 0x1F, 0x7F, 0xC3, 0xA9]

    public static func damaged(_ line: [UInt8], _ random: inout SplitMix64) -> [UInt8] {
        var line = line
        let at = random.int(0...(line.count - 1))
        switch random.int(0...3) {
        case 0: line[at] = random.pick(alphabet)
        case 1: line.remove(at: at)
        case 2: line.insert(line[at], at: at)
        default: line.replaceSubrange(at..<min(at + 1, line.count), with: Array(#"\u0030"#.utf8))
        }
        return line
    }

    /// Damages a line of `pool` `rounds` times from `seed`, and reads each with
    /// `fast` and, where it takes it, with `general`: how many `fast` took, and
    /// the first round and line it read otherwise than `general`, if any.
    public static func compare<Read: Equatable>(
        _ pool: [[UInt8]], seed: UInt64, rounds: Int, fast: ([UInt8]) -> Read?, general: ([UInt8]) -> Read?
    ) -> (taken: Int, differs: (round: Int, line: String)?) {
        var random = SplitMix64(seed: seed)
        var taken = 0
        for round in 0..<rounds {
            let line = damaged(random.pick(pool), &random)
            guard let read = fast(line) else { continue }
            taken += 1
            if read != general(line) { return (taken, (round, String(decoding: line, as: UTF8.self))) }
        }
        return (taken, nil)
    }
}
