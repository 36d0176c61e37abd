import Events
import Ledger
import Projections

/// The state an append judges events by: the `World` so far. Kept current
/// record by record and saved in the checkpoint beside the ledger, so an
/// append never replays the history.
public struct SovereigntyState: ReplayState {
    public private(set) var world = World()

    public init() { world.keepsMoney = false }

    public mutating func apply(_ record: Record) { world.apply(record) }

    public func check(_ candidate: Record) -> [Finding] { Validator.findings(for: candidate, in: world) }

    public func checkpoint() -> JSONValue { world.checkpointJSON() }

    public init?(checkpoint: JSONValue) {
        guard var world = World(checkpointJSON: checkpoint) else { return nil }
        world.keepsMoney = false
        self.world = world
    }
}
