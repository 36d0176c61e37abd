/// A set of shard numbers below a fixed count, a bit each. Judging asks
/// whether a record's shards are loaded, and marks them changed, several
/// times a record; a hashed set answered each at a hash and a probe, a
/// tenth of judging a long batch.
struct ShardSet: Equatable, Sendable {
    private var words: [UInt64]
    /// How many numbers are in the set.
    private(set) var count = 0
    /// One more than the largest number the set can hold.
    let capacity: Int

    init(capacity: Int) {
        precondition(capacity >= 0, "a set holds no fewer than no numbers")
        self.capacity = capacity
        words = [UInt64](repeating: 0, count: (capacity + 63) / 64)
    }

    var isEmpty: Bool { count == 0 }

    func contains(_ index: Int) -> Bool {
        guard index >= 0, index < capacity else { return false }
        return words[index >> 6] & (1 << UInt64(index & 63)) != 0
    }

    /// Adds `index`, which must be below `capacity`; whether it was new.
    @discardableResult
    mutating func insert(_ index: Int) -> Bool {
        precondition(index >= 0 && index < capacity, "shard \(index) is not below \(capacity)")
        let bit: UInt64 = 1 << UInt64(index & 63)
        guard words[index >> 6] & bit == 0 else { return false }
        words[index >> 6] |= bit
        count += 1
        return true
    }

    mutating func formUnion(_ indices: some Sequence<Int>) {
        for index in indices { insert(index) }
    }

    mutating func formUnion(_ other: ShardSet) {
        precondition(other.capacity == capacity, "sets of shards of different counts")
        count = 0
        for word in words.indices {
            words[word] |= other.words[word]
            count += words[word].nonzeroBitCount
        }
        checkInvariants()
    }

    mutating func removeAll() {
        for word in words.indices { words[word] = 0 }
        count = 0
    }

    /// The numbers in ascending order.
    func sorted() -> [Int] {
        var result: [Int] = []
        result.reserveCapacity(count)
        for (position, word) in words.enumerated() {
            var rest = word
            // Bounded: each round clears one of the word's at most 64 set bits.
            while rest != 0 {
                result.append(position << 6 | rest.trailingZeroBitCount)
                rest &= rest - 1
            }
        }
        assert(result.count == count, "the count is the number of bits set")
        return result
    }

    /// The count is the number of bits set, and no bit is set at or past `capacity`.
    func checkInvariants() {
        #if DEBUG
        precondition(words.reduce(0) { $0 + $1.nonzeroBitCount } == count, "count out of step with the bits")
        if capacity % 64 != 0, let last = words.last {
            precondition(last >> UInt64(capacity % 64) == 0, "a bit set past the capacity")
        }
        #endif
    }
}
