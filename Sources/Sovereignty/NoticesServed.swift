import Events
import Projections

/// Council → the seqs of the notices it served, added to as notices are
/// applied or loaded and never trimmed. SG-4 asks for the standing notices of
/// every council an apportionment names, and scanning every notice loaded,
/// once per council, was a sixth of judging a late batch onto a long history.
/// A notice since rescinded, retracted or never loaded is looked up and passed
/// over, so the answer is exactly what the scan gives.
struct NoticesServed: Sendable {
    private var seqs: [Identifier: [Int]] = [:]

    mutating func add(_ seq: Int, by council: Identifier) {
        seqs[council, default: []].append(seq)
    }

    /// Notes `record` if it served a notice `world`, just applied it, kept.
    mutating func add(_ record: Record, appliedTo world: World) {
        if case .noticeServed(let e) = record.event, world.notices[record.seq] != nil { add(record.seq, by: e.council) }
    }

    /// `council`'s standing notices in `world`, as `World.standingNotices(of:)` finds them (in another order).
    func standing(of council: Identifier, in world: World) -> [NoticeEntry] {
        var standing: [NoticeEntry] = []
        for seq in seqs[council] ?? [] {
            if let notice = world.notices[seq], notice.council == council, notice.rescinded == nil { standing.append(notice) }
        }
        assert(
            Set(standing.map(\.seq)) == Set(world.standingNotices(of: council).map(\.seq)),
            "the notices \(council) served are not all indexed")
        return standing
    }
}
