import Events
import Ledger
import Projections

// Cuts the state into checkpoint shards. A save writes its shards in groups
// (`CheckpointCache`), and each group once walked every entry, hashing every
// name, to find its own: sixteen walks for a state built from the first
// record. The map below is worked out once per save instead, sorted so that a
// group's entries are one run of each list, already in the checkpoint's order.

extension SovereigntyState {
    public struct ShardMap: @unchecked Sendable {
        // Unchecked: dictionary indices, valid for the state the map was made
        // from, which the save holds unchanged and only reads.
        var councils: [Place<[Identifier: CouncilEntry].Index>] = []
        var proposals: [Place<[Identifier: ProposalEntry].Index>] = []
        var packedProposals: [Place<[Identifier: PackedProposal].Index>] = []
        var agreements: [Place<[Identifier: AgreementEntry].Index>] = []
        var posts: [Place<[Identifier: PostEntry].Index>] = []
        var contracts: [Place<[Identifier: ContractEntry].Index>] = []
        /// A notice lives with the council that served it.
        var notices: [Place<[Int: NoticeEntry].Index>] = []
        /// A rescinding finds its notice's council by the notice's own key.
        var noticeOwners: [Place<[Int: Identifier].Index>] = []
    }

    /// An entry's shard and where it is in its dictionary.
    struct Place<Index> {
        var shard: Int
        var index: Index
    }

    public func shardMap(of count: Int) -> ShardMap {
        // Within a shard, keys in order (ids in byte order, notices by seq), as the checkpoint lists them.
        func places<Key: Comparable, Value>(_ all: [Key: Value], shard: (Key, Value) -> Int) -> [Place<[Key: Value].Index>] {
            var placed = all.indices.map { Place(shard: shard(all.keys[$0], all.values[$0]), index: $0) }
            placed.sort { $0.shard != $1.shard ? $0.shard < $1.shard : all.keys[$0.index] < all.keys[$1.index] }
            return placed
        }
        func byName<Value>(_ all: [Identifier: Value]) -> [Place<[Identifier: Value].Index>] {
            places(all) { id, _ in StateKeys.shard(of: id.raw, count: count) }
        }
        var map = ShardMap()
        map.councils = byName(world.councils)
        map.proposals = byName(world.proposals)
        map.packedProposals = byName(packedProposals)
        map.agreements = byName(world.agreements)
        map.posts = byName(world.posts)
        map.contracts = byName(world.contracts)
        map.notices = places(world.notices) { _, entry in StateKeys.shard(of: entry.council.raw, count: count) }
        map.noticeOwners = places(noticeOwners) { seq, _ in StateKeys.shard(of: Self.noticeKey(seq), count: count) }
        return map
    }

    /// The entries in each shard of `group` (ascending) that holds any, as
    /// `part(ofShard:)` reads them: the world packed, then the notice owners.
    public func shards(_ group: [Int], in map: ShardMap) -> [Int: [UInt8]] {
        precondition(world.ownCosts.isEmpty, "the validator keeps no money")
        precondition(zip(group, group.dropFirst()).allSatisfy { $0 < $1 }, "a group's shards come in ascending order")
        guard let first = group.first else { return [:] }
        // One cursor per list, each starting at the group's first shard.
        func start<Index>(_ places: [Place<Index>]) -> Int {
            var low = 0, high = places.count
            while low < high {
                let middle = (low + high) / 2
                if places[middle].shard < first { low = middle + 1 } else { high = middle }
            }
            return low
        }
        var cursors = Cursors(
            councils: start(map.councils), proposals: start(map.proposals),
            packedProposals: start(map.packedProposals), agreements: start(map.agreements),
            posts: start(map.posts), contracts: start(map.contracts), notices: start(map.notices),
            noticeOwners: start(map.noticeOwners))
        // The entries of shard `shard` at `cursor` onwards; the cursor ends past them.
        func take<Index>(_ places: [Place<Index>], _ shard: Int, _ cursor: inout Int) -> ArraySlice<Place<Index>> {
            while cursor < places.count, places[cursor].shard < shard { cursor += 1 }  // shards outside the group
            let begin = cursor
            while cursor < places.count, places[cursor].shard == shard { cursor += 1 }
            return places[begin..<cursor]
        }
        // Where each of the shard's entries lies, not the entries: gathering
        // copies of them was a quarter of encoding the shards.
        func indices<Index>(_ places: [Place<Index>], _ shard: Int, _ cursor: inout Int) -> [Index] {
            take(places, shard, &cursor).map(\.index)
        }
        var result: [Int: [UInt8]] = [:]
        // One buffer for the group's shards, each copied out at its own size,
        // rather than a buffer per shard grown from nothing by doubling.
        var scratch: [UInt8] = []
        scratch.reserveCapacity(1 << 16)
        for shard in group {
            var selection = World.PackedSelection()
            selection.councils = indices(map.councils, shard, &cursors.councils)
            selection.proposals = indices(map.proposals, shard, &cursors.proposals)
            selection.packedProposals = take(map.packedProposals, shard, &cursors.packedProposals).map {
                (packedProposals.keys[$0.index], packedProposals.values[$0.index])
            }
            selection.agreements = indices(map.agreements, shard, &cursors.agreements)
            selection.posts = indices(map.posts, shard, &cursors.posts)
            selection.notices = indices(map.notices, shard, &cursors.notices)
            selection.contracts = indices(map.contracts, shard, &cursors.contracts)
            let owners = take(map.noticeOwners, shard, &cursors.noticeOwners)
            guard !selection.isEmpty || !owners.isEmpty else { continue }
            scratch.removeAll(keepingCapacity: true)
            world.writePacked(selection, into: &scratch)
            Self.writeOwners(
                owners.lazy.map { (self.noticeOwners.keys[$0.index], self.noticeOwners.values[$0.index]) }, into: &scratch)
            // Copied out through a pointer: `Array(scratch)` would share the
            // buffer, and clearing it for the next shard would then leave the
            // whole 64 KB with this one (20 MB more at the peak of a batch).
            result[shard] = scratch.withUnsafeBufferPointer { Array($0) }
        }
        return result
    }

    private struct Cursors {
        var councils, proposals, packedProposals, agreements, posts, contracts, notices, noticeOwners: Int
    }
}
