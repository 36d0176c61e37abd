// The rest of the event types read by position (`layoutEvent`): each a
// handful in a hundred of a long batch, but read through a JSON tree
// (and, not taken as encoded, encoded again for the ledger) they cost the
// 10th 100,000-record batch onto 900,000 records about 16,000 instructions
// a line, a fifth of reading its input (callgrind). As in `layoutEvent`,
// only the encoder's own layout is taken; anything else is left to the
// general decoder (nil), which takes it or names what is wrong.

extension EventDecoder {
    static func layoutRest(_ type: EventType, _ cursor: inout LayoutCursor, _ end: Int) -> Event? {
        switch type {
        case .postAppointed:
            guard cursor.expect(#"{"post":""#), let post = identifier(&cursor), cursor.expect(#","holder":""#),
                let holder = text(&cursor), cursor.expect(#","proposal":""#), let proposal = identifier(&cursor),
                cursor.expect("}"), cursor.offset == end
            else { return nil }
            return .postAppointed(PostAppointed(post: post, holder: holder, proposal: proposal))
        case .contractRegistered:
            guard cursor.expect(#"{"council":""#), let council = identifier(&cursor), cursor.expect(#","contract":""#),
                let contract = identifier(&cursor), cursor.expect(#","counterparty":""#), let counterparty = text(&cursor),
                let ends = optionalDate(&cursor, #","ends":""#), cursor.expect("}"), cursor.offset == end
            else { return nil }
            return .contractRegistered(ContractRegistered(council: council, contract: contract, counterparty: counterparty, ends: ends))
        case .variationSpecified:
            guard cursor.expect(#"{"council":""#), let council = identifier(&cursor), let subject = subject(&cursor),
                cursor.expect(#","description":""#), let description = text(&cursor), cursor.expect(#","annualPence":"#),
                let annual = pence(&cursor), cursor.expect("}"), cursor.offset == end
            else { return nil }
            return .variationSpecified(
                VariationSpecified(council: council, subject: subject, description: description, annualPence: annual))
        case .withdrawalCosted:
            guard cursor.expect(#"{"council":""#), let council = identifier(&cursor), cursor.expect(#","agreement":""#),
                let agreement = identifier(&cursor), cursor.expect(#","amountPence":"#), let amount = pence(&cursor),
                cursor.expect(#","description":""#), let description = text(&cursor), cursor.expect("}"), cursor.offset == end
            else { return nil }
            return .withdrawalCosted(
                WithdrawalCosted(council: council, agreement: agreement, amountPence: amount, description: description))
        case .noticeServed:
            guard cursor.expect(#"{"council":""#), let council = identifier(&cursor), let subject = subject(&cursor),
                let leaves = optionalDate(&cursor, #","leaves":""#),
                let proposal = optionalIdentifier(&cursor, #","proposal":""#), cursor.expect("}"), cursor.offset == end
            else { return nil }
            return .noticeServed(NoticeServed(council: council, subject: subject, leaves: leaves, proposal: proposal))
        case .assuranceRecorded:
            guard cursor.expect(#"{"post":""#), let post = identifier(&cursor), cursor.expect(#","council":""#),
                let council = identifier(&cursor), cursor.expect(#","ratings":"#), let ratings = ratings(&cursor),
                cursor.expect(#","reviewer":""#), let reviewer = text(&cursor), cursor.expect("}"), cursor.offset == end
            else { return nil }
            return .assuranceRecorded(AssuranceRecorded(post: post, council: council, ratings: ratings, reviewer: reviewer))
        case .committeeVoted:
            guard cursor.expect(#"{"proposal":""#), let proposal = identifier(&cursor), cursor.expect(#","committee":""#),
                let committee = text(&cursor), cursor.expect(#","votes":{"#)
            else { return nil }
            var votes: [MemberVotes] = []
            // Bounded by the line: each turn consumes at least a quoted id and three counts.
            repeat {
                guard cursor.expect("\""), let council = identifier(&cursor), cursor.expect(#":{"for":"#),
                    let votesFor = members(&cursor), cursor.expect(#","against":"#), let against = members(&cursor),
                    cursor.expect(#","abstain":"#), let abstain = members(&cursor), cursor.expect("}"),
                    !votes.contains(where: { $0.council == council })  // JSON refuses a repeated key
                else { return nil }
                votes.append(MemberVotes(council: council, votesFor: votesFor, against: against, abstain: abstain))
            } while cursor.expect(",")
            guard cursor.expect("}"), let chair = optionalIdentifier(&cursor, #","chair":""#) else { return nil }
            var casting: CastingVote?
            if cursor.expect(#","casting":""#) {
                guard let range = cursor.plain(), let vote = CastingVote(rawValue: string(cursor.bytes, range)) else { return nil }
                casting = vote
            }
            guard cursor.expect("}"), cursor.offset == end else { return nil }
            return .committeeVoted(CommitteeVoted(proposal: proposal, committee: committee, votes: votes, chair: chair, casting: casting))
        default:
            return nil
        }
    }

    /// `,"agreement":"<id>"` or `,"post":"<id>"`, as the encoder writes a subject.
    private static func subject(_ cursor: inout LayoutCursor) -> Subject? {
        if cursor.expect(#","agreement":""#) { return identifier(&cursor).map(Subject.agreement) }
        if cursor.expect(#","post":""#) { return identifier(&cursor).map(Subject.post) }
        return nil
    }

    /// The date after `key` if the key comes next (`.some(nil)` if it does not); nil if what follows the key is not a date.
    private static func optionalDate(_ cursor: inout LayoutCursor, _ key: StaticString) -> CalendarDate?? {
        guard cursor.expect(key) else { return .some(nil) }
        return cursor.date().map { .some($0) }
    }

    private static func pence(_ cursor: inout LayoutCursor) -> Int64? {
        guard let value = cursor.integer(), Limits.pence.contains(Int64(value)) else { return nil }
        return Int64(value)
    }

    /// A count of committee members, as `Event.decode` bounds it.
    private static func members(_ cursor: inout LayoutCursor) -> Int? {
        guard let value = cursor.integer(), value <= 1000 else { return nil }
        return value
    }

    /// Every assurance question, in the encoder's order, each rated.
    private static func ratings(_ cursor: inout LayoutCursor) -> [AssuranceRecorded.Answer]? {
        guard cursor.expect("{") else { return nil }
        var answers: [AssuranceRecorded.Answer] = []
        answers.reserveCapacity(ratingKeys.count)
        for (index, (key, question)) in ratingKeys.enumerated() {
            guard index == 0 || cursor.expect(","), cursor.expect(key), let range = cursor.plain(),
                let rating = Rating(rawValue: string(cursor.bytes, range))
            else { return nil }
            answers.append(.init(question: question, rating: rating))
        }
        return cursor.expect("}") ? answers : nil
    }

    /// Each question's key as the encoder writes it, in `AssuranceQuestion.allCases` order (`CanonicalInputTests`).
    package static let ratingKeys: [(StaticString, AssuranceQuestion)] = [
        (#""senior-management":""#, .seniorManagement), (#""accountability":""#, .accountability),
        (#""breadth-of-responsibilities":""#, .breadthOfResponsibilities),
        (#""children-involvement":""#, .childrenInvolvement), (#""child-protection":""#, .childProtection),
        (#""partnerships":""#, .partnerships),
    ]
}
