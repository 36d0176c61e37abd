import Events

/// The notices of a `World` that stand (not rescinded), by council: built
/// once by a projection that asks of every post, day and council who has
/// left, instead of scanning every notice for every question. Derived, never
/// stored; a world that changes needs a new one.
public struct StandingNotices: Sendable {
    private let byCouncil: [Identifier: [NoticeEntry]]

    public init(_ world: World) {
        var byCouncil: [Identifier: [NoticeEntry]] = [:]
        for notice in world.notices.values where notice.rescinded == nil { byCouncil[notice.council, default: []].append(notice) }
        self.byCouncil = byCouncil
    }

    public func of(_ council: Identifier) -> [NoticeEntry] { byCouncil[council] ?? [] }
}
