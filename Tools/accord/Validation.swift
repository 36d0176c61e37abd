import Ledger

/// The state an append keeps and judges events by: the sovereignty validator
/// plugs in here.
typealias ValidatorState = UncheckedState
