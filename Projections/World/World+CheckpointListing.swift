import Events

extension World {
    /// The world a checkpoint's reader has read, part by part.
    init(
        head: Int, latestEffective: CalendarDate?, councils: [Identifier: CouncilEntry],
        proposals: [Identifier: ProposalEntry], agreements: [Identifier: AgreementEntry], posts: [Identifier: PostEntry],
        notices: [Int: NoticeEntry], contracts: [Identifier: ContractEntry], ownCosts: [OwnCostEntry], retracted: [Int: Int]
    ) {
        self.init()
        self.head = head
        self.latestEffective = latestEffective
        self.councils = councils
        self.proposals = proposals
        self.agreements = agreements
        self.posts = posts
        self.notices = notices
        self.contracts = contracts
        self.ownCosts = ownCosts
        self.retracted = retracted
    }

    /// What a checkpoint lists, in the order it lists it: entries by id,
    /// notices and retractions by seq. Built from a whole world, or gathered
    /// for one shard straight from a larger world's entries, without a world
    /// (and its dictionaries) made for each of tens of thousands of shards.
    public struct CheckpointListing {
        public var head: Int
        public var latestEffective: CalendarDate?
        public var councils: [(id: Identifier, entry: CouncilEntry)] = []
        public var proposals: [(id: Identifier, entry: ProposalEntry)] = []
        public var agreements: [(id: Identifier, entry: AgreementEntry)] = []
        public var posts: [(id: Identifier, entry: PostEntry)] = []
        public var notices: [(seq: Int, entry: NoticeEntry)] = []
        public var contracts: [(id: Identifier, entry: ContractEntry)] = []
        public var ownCosts: [OwnCostEntry] = []
        public var retracted: [(seq: Int, by: Int)] = []

        /// An empty listing; the caller appends entries in the order above.
        public init(head: Int, latestEffective: CalendarDate? = nil) {
            self.head = head
            self.latestEffective = latestEffective
        }

        /// `world`'s stored properties, sorted.
        public init(_ world: World) {
            head = world.head
            latestEffective = world.latestEffective
            councils = Identifier.sortedByID(world.councils)
            proposals = Identifier.sortedByID(world.proposals)
            agreements = Identifier.sortedByID(world.agreements)
            posts = Identifier.sortedByID(world.posts)
            notices = world.notices.sorted { $0.key < $1.key }.map { ($0.key, $0.value) }
            contracts = Identifier.sortedByID(world.contracts)
            ownCosts = world.ownCosts
            retracted = world.retracted.sorted { $0.key < $1.key }.map { ($0.key, $0.value) }
        }

        /// Whether the listing holds no entry at all (head and date aside).
        public var isEmpty: Bool {
            councils.isEmpty && proposals.isEmpty && agreements.isEmpty && posts.isEmpty && notices.isEmpty
                && contracts.isEmpty && ownCosts.isEmpty && retracted.isEmpty
        }
    }
}
