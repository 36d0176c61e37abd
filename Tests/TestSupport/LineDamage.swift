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
}
