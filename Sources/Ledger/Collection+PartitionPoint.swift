extension RandomAccessCollection where Index == Int {
    /// The first position from `start` whose element is not `below`, or
    /// `endIndex` if there is none; from `start` on, the elements must be
    /// all below and then none (ascending, for a bound). A binary search.
    @inlinable
    public func partitionPoint(from start: Int? = nil, _ below: (Element) -> Bool) -> Int {
        var low = start ?? startIndex, high = endIndex
        // Bounded by the halving.
        while low < high {
            let middle = low + (high - low) / 2
            if below(self[middle]) { low = middle + 1 } else { high = middle }
        }
        return low
    }
}
