import Events
import Ledger
import Projections

// A shard as `shards(_:in:)` writes it: the world's entries in the packed
// layout (`World(packed:)`), then the owners of the notices in it, as a list
// of (seq, council). Read apart from the state, so that the appender can
// read shards on another core while it judges (`ShardPrefetch`).

extension SovereigntyState {
    /// One shard's world and the owners of the notices in it, read apart from the state.
    public struct ShardPart: Sendable {
        var world: World
        /// The proposals no event of the batch names, left as their bytes.
        var packed: PackedProposals
        var owners: [(seq: Int, council: Identifier)]
    }

    public mutating func merge(_ part: inout ShardPart) -> Bool {
        merge(&part.world, packed: part.packed, owners: part.owners)
    }

    public static func part(ofShard bytes: UnsafeRawBufferPointer, named: Set<Identifier>?) -> ShardPart? {
        var reader = PackedReader(bytes)
        let leavingPacked: ((Identifier) -> Bool)? = named.map { named in { !named.contains($0) } }
        guard let (world, packed) = World.packed(&reader, leavingPacked: leavingPacked), let count = reader.listCount()
        else { return nil }
        var owners: [(seq: Int, council: Identifier)] = []
        owners.reserveCapacity(PackedReader.room(for: count))
        // In increasing seq, each a record of the world's history, as `shards` writes them.
        for _ in 0..<count {
            guard let seq = reader.count(), seq > (owners.last?.seq ?? 0), seq <= world.head, let council = reader.id()
            else { return nil }
            owners.append((seq, council))
        }
        guard reader.atEnd else { return nil }
        return ShardPart(world: world, packed: packed, owners: owners)
    }

    /// `part(ofShard:)`'s bytes for a listing: what `shards(_:in:)` writes
    /// for the same entries from the state's own dictionaries.
    static func shardBytes(
        _ listing: World.CheckpointListing, owners: some Collection<(seq: Int, council: Identifier)>
    ) -> [UInt8] {
        var bytes: [UInt8] = []
        listing.writePacked(into: &bytes)
        writeOwners(owners, into: &bytes)
        return bytes
    }

    /// The notice owners that follow a shard's world.
    static func writeOwners(_ owners: some Collection<(seq: Int, council: Identifier)>, into bytes: inout [UInt8]) {
        var w = PackedWriter(appendingTo: &bytes)
        w.count(owners.count)
        for owner in owners {
            w.count(owner.seq)
            w.id(owner.council)
        }
        w.finish(into: &bytes)
    }
}
