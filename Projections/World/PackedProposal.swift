import Events

// A batch onto a long history reads tens of thousands of shards to reach the
// one or two entries each record names, and most of what those shards hold
// is proposals no record of the batch looks at: on the 10th batch onto
// 900,000 records, about 78,000 of the 104,000 proposals read. Decoding each
// (a string and half a dozen arrays), keeping it in the state, and encoding it
// again to write its shard back was most of reading and writing the shards.
// So a shard's reader may leave a proposal packed, as the bytes it was read
// from, and the shard's writer copies those bytes back.
//
// In the packed layout a proposal is its id, the length of the rest, then
// the rest (`World+PackedWriting.swift`), so it can be stepped over unread.

/// A proposal as a shard holds it, not decoded: its id, the length of the
/// rest and the rest, exactly as `PackedWriter` wrote them.
public struct PackedProposal: Sendable {
    /// The proposals a shard's reader left packed share one copy of their bytes.
    let storage: [UInt8]
    let range: Range<Int>
    /// The head of the shard it was read from, which no seq in it may pass:
    /// checked when it is unpacked, as reading the shard whole would have.
    let head: Int

    /// The proposal decoded, if its bytes are one proposal named `id` and no
    /// seq in it is past the head of the shard it was read from; nil if they
    /// are anything else.
    public func unpacked(id: Identifier) -> ProposalEntry? {
        storage.withUnsafeBytes { all in
            var r = PackedWorldReader(reader: PackedReader(UnsafeRawBufferPointer(rebasing: all[range])))
            r.head = head
            guard let (read, entry) = r.proposal(), read == id, r.reader.atEnd else { return nil }
            return entry
        }
    }

    /// Its bytes, appended as they are.
    package func write(into writer: inout PackedWriter) {
        storage.withUnsafeBytes { writer.bytes.append(contentsOf: UnsafeRawBufferPointer(rebasing: $0[range])) }
    }
}

/// The proposals one shard's reader left packed, in id order, and one copy
/// of the bytes they lie in.
public struct PackedProposals: Sendable {
    private var entries: [(id: Identifier, range: Range<Int>)] = []
    private var storage: [UInt8] = []
    private var head = 0

    public init() {}

    /// The proposals found in `all` at `entries` (in order), of a shard whose
    /// head is `head`: the bytes from the first to the last are copied once,
    /// at their size, rather than each proposal appended to a growing copy.
    init(_ entries: [(id: Identifier, range: Range<Int>)], in all: UnsafeRawBufferPointer, head: Int) {
        guard let first = entries.first?.range.lowerBound, let end = entries.last?.range.upperBound else { return }
        self.head = head
        storage = Array(UnsafeRawBufferPointer(rebasing: all[first..<end]))
        self.entries = entries.map { ($0.id, ($0.range.lowerBound - first)..<($0.range.upperBound - first)) }
    }

    public var count: Int { entries.count }

    /// Proposal `index`, in id order.
    public subscript(index: Int) -> (id: Identifier, proposal: PackedProposal) {
        (entries[index].id, PackedProposal(storage: storage, range: entries[index].range, head: head))
    }
}
