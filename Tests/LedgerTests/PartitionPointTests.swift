import Testing

@testable import Ledger

/// `partitionPoint(from:_:)`: the binary search the shard walks use to step
/// to the first shard at or past a bound.
@Suite struct PartitionPointTests {
    /// (ascending values, where to start, the bound, the first position from the start not below it).
    static let cases: [([Int], Int?, Int, Int)] = [
        ([], nil, 5, 0),
        ([1, 3, 5, 7], nil, 0, 0),
        ([1, 3, 5, 7], nil, 5, 2),
        ([1, 3, 5, 7], nil, 6, 3),
        ([1, 3, 5, 7], nil, 8, 4),
        ([1, 3, 5, 7], 3, 2, 3),  // from position 3: nothing before it is looked at
        ([1, 3, 5, 7], 4, 0, 4),
        ([2, 2, 2], nil, 2, 0),
    ]

    @Test(arguments: cases)
    func firstPositionNotBelowTheBound(_ values: [Int], _ start: Int?, _ bound: Int, _ expected: Int) {
        #expect(values.partitionPoint(from: start) { $0 < bound } == expected)
        // The same as a scan from the start.
        let from = start ?? 0
        #expect(expected == (values[from...].firstIndex { $0 >= bound } ?? values.count))
    }
}
