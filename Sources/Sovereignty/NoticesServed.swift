import Events
import Projections

/// The seqs of the notices served, by the council that served them and by
/// their subject, added to as notices are applied or loaded and never
/// trimmed. SG-4 asks for the standing notices of every council an
/// apportionment names, and scanning every notice loaded, once per council,
/// was a sixth of judging a late batch onto a long history; the rules that
/// ask who is party to an agreement or shares a post asked for the notices
/// on it by scanning them all, as much again. A notice since rescinded,
/// retracted or never loaded is looked up and passed over, so each answer is
/// exactly what the scan gives.
struct NoticesServed: Sendable {
    private var seqs: [Identifier: [Int]] = [:]
    private var seqsOn: [Subject: [Int]] = [:]

    mutating func add(_ seq: Int, _ notice: NoticeServed) {
        seqs[notice.council, default: []].append(seq)
        seqsOn[notice.subject, default: []].append(seq)
    }

    /// Notes `record` if it served a notice `world`, just applied it, kept.
    mutating func add(_ record: Record, appliedTo world: World) {
        if case .noticeServed(let e) = record.event, world.notices[record.seq] != nil { add(record.seq, e) }
    }

    /// The standing notices on `subject` in `world`, as `World.standingNotices(on:)` finds them (in another order).
    func standing(on subject: Subject, in world: World) -> [NoticeEntry] {
        Self.standing(seqsOn[subject], in: world, where: { $0.subject == subject }, asScanned: { world.standingNotices(on: subject) })
    }

    /// `council`'s standing notices in `world`, as `World.standingNotices(of:)` finds them (in another order).
    func standing(of council: Identifier, in world: World) -> [NoticeEntry] {
        Self.standing(seqs[council], in: world, where: { $0.council == council }, asScanned: { world.standingNotices(of: council) })
    }

    /// The notices at `seqs` that `world` holds as they were indexed
    /// (`belongs`) and that stand; in debug builds, held to the scan the index saves.
    private static func standing(
        _ seqs: [Int]?, in world: World, where belongs: (NoticeEntry) -> Bool, asScanned scan: () -> [NoticeEntry]
    ) -> [NoticeEntry] {
        var standing: [NoticeEntry] = []
        for seq in seqs ?? [] {
            if let notice = world.notices[seq], belongs(notice), notice.rescinded == nil { standing.append(notice) }
        }
        assert(Set(standing.map(\.seq)) == Set(scan().map(\.seq)), "a standing notice is not indexed")
        return standing
    }
}
