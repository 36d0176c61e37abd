/// How a projection shares work out between cores without starting threads
/// of its own: the caller lends its cores as a `Runner` (the command line
/// lends `Platform.inParallel`), and tests and single answers run serially.
public enum Cores {
    /// Runs `work` over `0..<count` cut into consecutive ranges, each
    /// starting at a multiple of `chunk` (a range may span several chunks),
    /// perhaps on several cores, returning when all are done. The work
    /// promises that ranges touch disjoint memory.
    public typealias Runner = @Sendable (_ count: Int, _ chunk: Int, _ work: (Range<Int>) -> Void) -> Void

    /// The whole of `0..<count` as one range, on the caller's thread.
    public static let serially: Runner = { count, _, work in work(0..<count) }
}
