import Events

extension World {
    /// Undoes whatever record `seq` did. Retractions are rare, so a scan of the
    /// state is cheaper than an index of every record kept for ever.
    mutating func undo(seq: Int) {
        if let key = councils.first(where: { $0.value.seq == seq })?.key { councils[key] = nil; return }
        if let key = proposals.first(where: { $0.value.seq == seq })?.key { proposals[key] = nil; return }
        if let key = agreements.first(where: { $0.value.seq == seq })?.key { agreements[key] = nil; return }
        if let key = posts.first(where: { $0.value.seq == seq })?.key { posts[key] = nil; return }
        if let key = contracts.first(where: { $0.value.seq == seq })?.key { contracts[key] = nil; return }
        if notices.removeValue(forKey: seq) != nil { return }
        if let key = notices.first(where: { $0.value.rescinded?.seq == seq })?.key {
            notices[key]?.rescinded = nil
            return
        }
        if let index = ownCosts.firstIndex(where: { $0.seq == seq }) { ownCosts.remove(at: index); return }
        for key in Array(proposals.keys) {
            var proposal = proposals[key]!
            var found = proposal.positions.remove(seq: seq)
            if let index = proposal.votes.firstIndex(where: { $0.seq == seq }) {
                proposal.votes.remove(at: index)
                found = true
            }
            if found {
                proposals[key] = proposal
                return
            }
        }
        for key in Array(agreements.keys) {
            if let index = agreements[key]!.members.firstIndex(where: { $0.seq == seq }) {
                agreements[key]!.members.remove(at: index)
                return
            }
        }
        for key in Array(posts.keys) {
            var post = posts[key]!
            var found = post.costs.remove(seq: seq) || post.shares.remove(seq: seq) || post.appointments.remove(seq: seq)
            if post.ended?.seq == seq {
                post.ended = nil
                found = true
            }
            if let index = post.assurances.firstIndex(where: { $0.seq == seq }) {
                post.assurances.remove(at: index)
                found = true
            }
            if found {
                posts[key] = post
                return
            }
        }
    }
}
