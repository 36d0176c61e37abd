import Events

/// Notices served, when each takes effect and the days left (SPEC §5.2).
public enum Notices {
    /// The events a notice's last day depends on: the rules of agreements and
    /// posts, the notices, their rescinding, and retractions of any of these.
    public static let eventTypes: Set<EventType> = [
        .agreementEstablished, .agreementJoined, .postEstablished, .noticeServed, .noticeRescinded, .recordRetracted,
    ]

    public enum Status: String, Sendable {
        case running, effective, rescinded
    }

    public struct Row: Sendable {
        public var seq: Int
        public var council: Identifier
        public var subject: Subject
        public var served: CalendarDate
        public var lastDay: CalendarDate
        /// Calendar days from the as-of date to the last day; 0 once it has passed.
        public var daysLeft: Int
        public var rescinded: Bool
        public var status: Status
        /// Whether the notice named its own `leaves` date rather than the rule's.
        public var namedDate: Bool
    }

    public static func rows(_ world: World, asOf: CalendarDate) -> [Row] {
        world.notices.values.sorted { $0.seq < $1.seq }.compactMap { entry in
            guard entry.served <= asOf else { return nil }
            let rescinded = entry.rescinded.map { $0.effective <= asOf } ?? false
            let status: Status = rescinded ? .rescinded : (entry.lastDay < asOf ? .effective : .running)
            return Row(
                seq: entry.seq, council: entry.council, subject: entry.subject, served: entry.served,
                lastDay: entry.lastDay, daysLeft: status == .running ? asOf.days(to: entry.lastDay) : 0,
                rescinded: rescinded, status: status, namedDate: entry.notice.leaves != nil)
        }
    }
}
