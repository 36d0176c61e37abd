import Events
import Ledger
import Projections

/// What every report starts from: the verified ledger folded into a `World`
/// from the viewpoint of `--as-of` and `--known-at` (SPEC §5.4).
struct ReportContext {
    static let viewpointOptions = ["--as-of", "--known-at"]
    static let viewpointUsage = """
        --as-of DATE   compute as at this effective date: later facts are left out
                       (default: today, or the ledger's last effective date if earlier)
        --known-at SEQ what the ledger held at record SEQ: later records are left out
        """

    var viewpoint: Viewpoint
    var world: World
    var head: Int
    /// The date "days left" and "overdue" are judged at.
    var referenceDate: CalendarDate

    /// `needs` names the event types the report reads; the others are checked
    /// as links of the chain but not decoded.
    ///
    /// With `snapshot` (a name for the report and every option that shapes
    /// `start`), a report whose whole result is the world, from the default
    /// viewpoint, starts from the world it saved last time and folds only the
    /// records added since (`ReportSnapshot` says when that is allowed), then
    /// saves the world again. Not for a report that needs `each` record.
    static func load(
        _ arguments: Arguments, world start: World = World(), needs: (EventType) -> Bool = { _ in true },
        each: (Record) -> Void = { _ in }, snapshot name: String? = nil
    ) throws(AccordError) -> ReportContext {
        let viewpoint = Viewpoint(asOf: try arguments.date("--as-of"), knownAt: try arguments.positiveInteger("--known-at"))
        let store = LedgerStore(path: arguments.ledgerPath)
        let snapshotName = viewpoint == Viewpoint() ? name : nil
        var fold = try Fold.read(store, world: start, viewpoint: viewpoint, needs: needs, each: each, snapshot: snapshotName)
        if let surprise = fold.surprise {
            // Read once more from the first record, with no snapshot, and, if a
            // retraction came unannounced, forgetting nothing: that is always exact.
            precondition(start.forgetsBefore != nil || surprise == .ledgerChanged, "only a forgetting world is surprised by a retraction")
            var again = start
            if surprise == .unannouncedRetraction { again.forgetsBefore = nil }
            fold = try Fold.read(store, world: again, viewpoint: viewpoint, needs: needs, each: { _ in }, snapshot: nil)
        }
        let (world, summary) = (fold.world, fold.summary)
        if let knownAt = viewpoint.knownAt, knownAt > summary.head.seq {
            throw AccordError(
                .usage, position: "--known-at",
                "the ledger holds \(summary.head.seq) records, so it never stood at seq \(knownAt)",
                hint: "give a seq from 0 to \(summary.head.seq)")
        }
        let today = (try? Clock.fromEnvironment())?.fixed?.date ?? Platform.now().date
        let reference = viewpoint.asOf ?? min(today, world.latestEffective ?? today)
        return ReportContext(viewpoint: viewpoint, world: world, head: summary.head.seq, referenceDate: reference)
    }

    /// The viewpoint as JSON members every report carries.
    var jsonMembers: [(String, JSONValue)] {
        [
            ("asOf", .string(referenceDate.iso)),
            ("knownAt", .integer(Int64(viewpoint.knownAt ?? head))),
        ]
    }

    /// A line saying where the report stands, for the text form.
    var caption: String {
        var parts = ["as at \(referenceDate.iso)"]
        parts.append(viewpoint.knownAt.map { "as known at seq \($0) of \(head)" } ?? "as known at seq \(head)")
        return parts.joined(separator: ", ")
    }
}

/// One read of the ledger into a world, and whether it met something it had
/// not planned for, in which case its world is not to be believed or saved.
private struct Fold {
    enum Surprise: Equatable {
        /// A retraction of a record the world may already have forgotten (one appended
        /// after the retractions were listed, or missed by their byte search).
        case unannouncedRetraction
        /// The ledger was written between checking a snapshot and reading on from it.
        case ledgerChanged
    }

    var world: World
    var summary: ChainSummary
    var surprise: Surprise?

    static func read(
        _ store: LedgerStore, world start: World, viewpoint: Viewpoint, needs: (EventType) -> Bool,
        each: (Record) -> Void, snapshot name: String?
    ) throws(AccordError) -> Fold {
        var world = start
        var from = ChainPosition.genesis
        if let name, let snapshot = ReportSnapshot.usable(name: name, ledgerPath: store.path),
            let saved = snapshot.state.withUnsafeBytes({
                World(checkpointText: $0, runner: Commands.cores)
            })
        {
            // No retraction follows a usable snapshot's head, so there is nothing to skip.
            world = saved.configured(like: world)
            from = snapshot.head
        } else if world.forgetsBefore != nil {
            // What is forgotten cannot be retracted later, so retracted records are left out from the start.
            let known = try store.retractions()
                .filter { retraction in viewpoint.knownAt.map { retraction.seq <= $0 } ?? true }
            world.skipping = Set(known.map(\.target))
        }
        var surprise: Surprise?
        let summary = try store.readVerified(from: from, decoding: needs, skipped: { world.note(effective: $0.effective) }) {
            (record) throws(AccordError) in
            guard viewpoint.admits(record) else { return }
            if world.forgetsBefore != nil, case .recordRetracted(let retraction) = record.event,
                !world.skipping.contains(retraction.seq)
            {
                surprise = .unannouncedRetraction
            }
            world.apply(record)
            each(record)
        }
        // From a snapshot, the records before it were vouched for when it was checked;
        // if the note no longer vouched when the read began, something wrote in between
        // and the reader read nothing.
        if from != .genesis, summary.vouchedThrough == nil, surprise == nil { surprise = .ledgerChanged }
        if let name, surprise == nil, summary.head != from {
            ReportSnapshot.save(name: name, head: summary.head, stateText: world.checkpointBytes(), for: store.path)
        }
        return Fold(world: world, summary: summary, surprise: surprise)
    }
}
