import SankofaPrimitives

/// The Clique authorization state after a given block (EIP-225 §Snapshot): who may sign, who signed recently,
/// and the votes in flight. Snapshots are values; `applying(_:epoch:signerOf:)` returns the next one.
public struct Snapshot: Hashable, Sendable {
    /// One signer's standing vote on one address, kept so that it can be withdrawn (EIP-225 §Voting).
    public struct Vote: Hashable, Sendable {
        /// The authorized signer that cast the vote.
        public var signer: Address
        /// The block in which it was cast.
        public var block: UInt64
        /// The address voted on (the header's coinbase).
        public var address: Address
        /// True to add `address` as a signer, false to drop it.
        public var authorize: Bool

        /// A vote by `signer` in `block` to add (`authorize`) or drop `address`.
        public init(signer: Address, block: UInt64, address: Address, authorize: Bool) {
            self.signer = signer
            self.block = block
            self.address = address
            self.authorize = authorize
        }
    }

    /// The running count of votes for one proposal.
    public struct Tally: Hashable, Sendable {
        /// Whether the votes are to add (true) or drop (false) the address.
        public var authorize: Bool
        /// How many current signers voted so.
        public var votes: Int

        /// A count of `votes` in the direction `authorize`.
        public init(authorize: Bool, votes: Int) {
            self.authorize = authorize
            self.votes = votes
        }
    }

    /// The block this snapshot describes the state after.
    public internal(set) var number: UInt64
    /// That block's hash.
    public internal(set) var hash: Hash32
    /// The authorized signers, sorted ascending by address (the order that defines turns).
    public internal(set) var signers: [Address]
    /// Block number → its signer, for the last ⌊N/2⌋+1 blocks (the recently-signed window).
    public internal(set) var recents: [UInt64: Address]
    /// Votes cast since the last checkpoint, in order.
    public internal(set) var votes: [Vote]
    /// The vote count per proposed address.
    public internal(set) var tally: [Address: Tally]

    /// A fresh snapshot at a checkpoint (or genesis): `signers` in any order, no recents, no votes.
    public init(number: UInt64, hash: Hash32, signers: [Address]) {
        self.init(number: number, hash: hash, signers: signers, recents: [:], votes: [], tally: [:])
    }

    /// A snapshot with every field given (for decoding); signers are sorted and deduplicated.
    public init(number: UInt64, hash: Hash32, signers: [Address], recents: [UInt64: Address], votes: [Vote],
                tally: [Address: Tally]) {
        self.number = number
        self.hash = hash
        self.signers = Array(Set(signers)).sorted()
        self.recents = recents
        self.votes = votes
        self.tally = tally
    }

    /// Whether `address` may sign the next block.
    public func isAuthorized(_ address: Address) -> Bool { index(of: address) != nil }

    /// The position of `address` in the sorted signer list.
    public func index(of address: Address) -> Int? {
        var low = 0
        var high = signers.count
        while low < high {
            let mid = (low + high) / 2
            if signers[mid] < address { low = mid + 1 } else { high = mid }
        }
        return low < signers.count && signers[low] == address ? low : nil
    }

    /// EIP-225 in-turn rule: block `number` is `signer`'s turn when `number % N` is its index in the sorted list.
    public func isInTurn(_ number: UInt64, signer: Address) -> Bool {
        guard let index = index(of: signer), !signers.isEmpty else { return false }
        return number % UInt64(signers.count) == UInt64(index)
    }

    /// EIP-225 `SIGNER_LIMIT`: a signer may seal only one of any `⌊N/2⌋ + 1` consecutive blocks.
    public var recentsLimit: UInt64 { UInt64(signers.count / 2 + 1) }

    /// Whether `signer` sealed a block too recently to seal block `number` (the one after this snapshot).
    public func signedRecently(_ signer: Address, before number: UInt64) -> Bool {
        let limit = recentsLimit
        // seen > number - limit, written without unsigned underflow for the first blocks.
        return recents.contains { seen, recent in recent == signer && seen &+ limit > number }
    }

    /// Whether a vote on `address` would change anything (EIP-225: add a non-signer or drop a signer).
    public func isMeaningfulVote(on address: Address, authorize: Bool) -> Bool {
        isAuthorized(address) != authorize
    }
}
