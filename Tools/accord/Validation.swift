import Ledger
import Sovereignty

/// The state an append keeps and judges events by: the Sovereignty Guarantee.
typealias ValidatorState = SovereigntyState
