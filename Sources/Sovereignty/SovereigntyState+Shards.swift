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
        // `shard` is given where the entry lies, not the entry: handing it the
        // entry copied it, a retain and a release of everything in it.
        //
        // Counted into place by shard, then each shard's few entries put in
        // order of key: sorting by a closure that compared shards and looked
        // keys up was nearly all of the map's time, and a batch's save waits
        // for the map before it encodes anything.
        func places<Key: Comparable, Value>(
            _ all: [Key: Value], counts starts: inout [Int], shard: ([Key: Value].Index) -> Int
        ) -> [Place<[Key: Value].Index>] {
            var placed = all.indices.map { Place(shard: shard($0), index: $0) }
            // Counting walks every shard: for a state much smaller than that
            // (a test's, a few records'), sorting the shard numbers is less work.
            if placed.count * 16 >= count {
                Self.countIntoPlace(&placed, shards: count, counts: &starts)
            } else {
                placed.sort { $0.shard < $1.shard }
            }
            // Bounded: each pass moves `start` past one shard's run.
            var start = 0
            while start < placed.count {
                var end = start + 1
                while end < placed.count, placed[end].shard == placed[start].shard { end += 1 }
                if end - start > 1 {
                    placed.withUnsafeMutableBufferPointer { all.sortRun(of: &$0, from: start, to: end) }
                }
                start = end
            }
            return placed
        }
        var starts: [Int] = []  // made by the first list long enough to count
        func byName<Value>(_ all: [Identifier: Value]) -> [Place<[Identifier: Value].Index>] {
            places(all, counts: &starts) { StateKeys.shard(of: all.keys[$0].raw, count: count) }
        }
        var map = ShardMap()
        map.councils = byName(world.councils)
        map.proposals = byName(world.proposals)
        map.packedProposals = byName(packedProposals)
        map.agreements = byName(world.agreements)
        map.posts = byName(world.posts)
        map.contracts = byName(world.contracts)
        let notices = world.notices, owners = noticeOwners
        map.notices = places(notices, counts: &starts) { StateKeys.shard(of: notices.values[$0].council.raw, count: count) }
        map.noticeOwners = places(owners, counts: &starts) { StateKeys.shard(of: Self.noticeKey(owners.keys[$0]), count: count) }
        return map
    }

    /// `places` ordered by shard (a counting sort), `starts` its counts,
    /// kept from list to list.
    private static func countIntoPlace<Index>(_ places: inout [Place<Index>], shards count: Int, counts starts: inout [Int]) {
        if starts.isEmpty {
            starts = [Int](repeating: 0, count: count + 1)
        } else {
            for index in starts.indices { starts[index] = 0 }
        }
        for place in places { starts[place.shard + 1] += 1 }
        for shard in 0..<count { starts[shard + 1] += starts[shard] }
        // `starts[shard]` is where the next entry of `shard` goes.
        let unsorted = places
        for place in unsorted {
            places[starts[place.shard]] = place
            starts[place.shard] += 1
        }
    }

    /// The entries in each shard of `group` (ascending) that holds any, as
    /// `part(ofShard:)` reads them: the world packed, then the notice owners.
    public func forEachShard(_ group: [Int], in map: ShardMap, _ body: (_ index: Int, _ bytes: UnsafeRawBufferPointer) -> Void) {
        precondition(world.ownCosts.isEmpty, "the validator keeps no money")
        // An index loop: a zip of the group with itself was a fifth of a debug test's time.
        for position in group.indices.dropFirst() {
            precondition(group[position - 1] < group[position], "a group's shards come in ascending order")
        }
        guard let first = group.first else { return }
        // One cursor per list, each starting at the group's first shard.
        func start<Index>(_ places: [Place<Index>]) -> Int { places.partitionPoint { $0.shard < first } }
        var cursors = Cursors(
            councils: start(map.councils), proposals: start(map.proposals),
            packedProposals: start(map.packedProposals), agreements: start(map.agreements),
            posts: start(map.posts), contracts: start(map.contracts), notices: start(map.notices),
            noticeOwners: start(map.noticeOwners))
        // The first shard from `shard` on that this list holds anything in,
        // the cursor moved to it; Int.max past the list's end.
        func firstHolding<Index>(_ places: [Place<Index>], from shard: Int, _ cursor: inout Int) -> Int {
            while cursor < places.count, places[cursor].shard < shard { cursor += 1 }  // shards outside the group
            return cursor < places.count ? places[cursor].shard : Int.max
        }
        // The entries of shard `shard` at `cursor` onwards; the cursor ends past them.
        func take<Index>(_ places: [Place<Index>], _ shard: Int, _ cursor: inout Int) -> ArraySlice<Place<Index>> {
            _ = firstHolding(places, from: shard, &cursor)
            let begin = cursor
            while cursor < places.count, places[cursor].shard == shard { cursor += 1 }
            return places[begin..<cursor]
        }
        // Where each of the shard's entries lies, not the entries: gathering
        // copies of them was a quarter of encoding the shards. Into the
        // selection's lists, kept from shard to shard: new lists for each
        // were seven allocations a shard.
        func indices<Index>(_ places: [Place<Index>], _ shard: Int, _ cursor: inout Int, into list: inout [Index]) {
            list.removeAll(keepingCapacity: true)
            // A loop: a lazy map by key path looked the key path up at run time, each call.
            for place in take(places, shard, &cursor) { list.append(place.index) }
        }
        // One buffer for the group's shards, each lent to `body`, rather than
        // a buffer per shard grown from nothing by doubling. (Each was copied
        // into an array of its own and then again into its sealed bytes.)
        var scratch: [UInt8] = []
        scratch.reserveCapacity(1 << 16)
        var selection = World.PackedSelection()
        // Read from here, not through `self`: a closure that reached `self`
        // copied the whole state, a retain and a release of all of it, for every shard.
        let (packedProposals, noticeOwners) = (self.packedProposals, self.noticeOwners)
        // Shards with nothing in them are stepped over to the next that holds
        // something: a save of a state built from the first record walks
        // every shard, and in tests nearly all of 524,288 are empty.
        var position = 0
        // Bounded by the group: each round moves `position` on.
        while position < group.count {
            let shard = group[position]
            let holding = min(
                firstHolding(map.councils, from: shard, &cursors.councils),
                firstHolding(map.proposals, from: shard, &cursors.proposals),
                firstHolding(map.packedProposals, from: shard, &cursors.packedProposals),
                firstHolding(map.agreements, from: shard, &cursors.agreements),
                firstHolding(map.posts, from: shard, &cursors.posts),
                firstHolding(map.notices, from: shard, &cursors.notices),
                firstHolding(map.contracts, from: shard, &cursors.contracts),
                firstHolding(map.noticeOwners, from: shard, &cursors.noticeOwners))
            guard holding == shard else {
                // The group's first shard from `holding` on: past `position`, as `holding` is past `shard`.
                position = group.partitionPoint(from: position + 1) { $0 < holding }
                continue
            }
            position += 1
            indices(map.councils, shard, &cursors.councils, into: &selection.councils)
            indices(map.proposals, shard, &cursors.proposals, into: &selection.proposals)
            selection.packedProposals.removeAll(keepingCapacity: true)
            for place in take(map.packedProposals, shard, &cursors.packedProposals) {
                selection.packedProposals.append((packedProposals.keys[place.index], packedProposals.values[place.index]))
            }
            indices(map.agreements, shard, &cursors.agreements, into: &selection.agreements)
            indices(map.posts, shard, &cursors.posts, into: &selection.posts)
            indices(map.notices, shard, &cursors.notices, into: &selection.notices)
            indices(map.contracts, shard, &cursors.contracts, into: &selection.contracts)
            let owners = take(map.noticeOwners, shard, &cursors.noticeOwners)
            guard !selection.isEmpty || !owners.isEmpty else { continue }
            scratch.removeAll(keepingCapacity: true)
            world.writePacked(selection, into: &scratch)
            Self.writeOwners(owners.lazy.map { (noticeOwners.keys[$0.index], noticeOwners.values[$0.index]) }, into: &scratch)
            scratch.withUnsafeBytes { body(shard, $0) }
        }
    }

    private struct Cursors {
        var councils, proposals, packedProposals, agreements, posts, contracts, notices, noticeOwners: Int
    }
}

extension Dictionary where Key: Comparable {
    /// Puts `places[start..<end]` in order of key: by insertion for the few
    /// entries a shard holds as a rule, else by sorting (a council's shard
    /// may hold all its notices).
    fileprivate func sortRun(
        of places: inout UnsafeMutableBufferPointer<SovereigntyState.Place<Index>>, from start: Int, to end: Int
    ) {
        guard end - start <= 16 else {
            var run = UnsafeMutableBufferPointer(rebasing: places[start..<end])
            run.sort { keys[$0.index] < keys[$1.index] }
            return
        }
        for next in (start + 1)..<end {
            let moving = places[next]
            var position = next
            while position > start, keys[moving.index] < keys[places[position - 1].index] {
                places[position] = places[position - 1]
                position -= 1
            }
            places[position] = moving
        }
    }
}
