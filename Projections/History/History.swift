import Events

/// The timeline a lawyer reads (SPEC §5.4): every record that touches an
/// agreement, a post or a council, with retractions marked both ways.
public struct History: Sendable {
    public enum Subject: Sendable, Equatable {
        case agreement(Identifier)
        case post(Identifier)
        case council(Identifier)
    }

    public struct Line: Sendable {
        public var record: Record
        /// The seq of the record that retracted this one, if any.
        public var retractedBy: Int?
    }

    public let subject: Subject
    public private(set) var lines: [Line] = []
    // What the subject has drawn in so far: the posts of an agreement, the proposals cited.
    private var posts = Set<Identifier>()
    private var proposals = Set<Identifier>()
    private var seqs = Set<Int>()

    public init(subject: Subject) { self.subject = subject }

    public mutating func add(_ record: Record) {
        let event = record.event
        if case .recordRetracted(let e) = event, seqs.contains(e.seq) {
            if let index = lines.firstIndex(where: { $0.record.seq == e.seq }) { lines[index].retractedBy = record.seq }
            keep(record)
            return
        }
        guard touches(event, by: record.by) else { return }
        if let post = event.post, case .agreement = subject { posts.insert(post) }
        if let proposal = event.proposal { proposals.insert(proposal) }
        keep(record)
    }

    private mutating func keep(_ record: Record) {
        lines.append(Line(record: record))
        seqs.insert(record.seq)
    }

    private func touches(_ event: Event, by: Author) -> Bool {
        switch subject {
        case .agreement(let id):
            if event.agreement == id { return true }
            if let post = event.post, posts.contains(post) { return true }
        case .post(let id):
            if event.post == id { return true }
        case .council(let id):
            return by.council == id || event.councils.contains(id)
        }
        // Decisions and votes on a proposal the subject relies on belong to its story.
        switch event {
        case .councilDecided, .committeeVoted, .disputeRaised:
            return event.proposal.map(proposals.contains) ?? false
        default:
            return false
        }
    }
}
