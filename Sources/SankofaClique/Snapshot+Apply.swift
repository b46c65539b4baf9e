import SankofaChain
import SankofaConsensus
import SankofaPrimitives

extension Snapshot {
    /// EIP-225 nonce that votes to add the coinbase as a signer (`NONCE_AUTH`).
    public static let nonceAuthorize: UInt64 = 0xffff_ffff_ffff_ffff
    /// EIP-225 nonce that votes to drop the coinbase, or casts no vote (`NONCE_DROP`).
    public static let nonceDrop: UInt64 = 0

    /// The snapshot after `headers`, which must continue this one without gaps (EIP-225 §Snapshot apply).
    ///
    /// For each header: votes reset at epoch checkpoints; the oldest entry leaves the recents window; the
    /// signer (from `signerOf`) must be authorized and not recent; the signer's earlier vote on the same address
    /// is replaced; a meaningful vote is tallied; and once more than half of the signers agree, the change
    /// takes effect — a dropped signer's own votes are discarded and all votes on the changed address cleared.
    public func applying(_ headers: [BlockHeader], epoch: UInt64,
                         signerOf: (BlockHeader) throws(ConsensusError) -> Address) throws(ConsensusError) -> Snapshot {
        guard let last = headers.last else { return self }
        var snap = self
        var expectedParent = hash
        for header in headers {
            guard header.number == snap.number &+ 1, header.parentHash == expectedParent else {
                throw .unknownAncestor(header.parentHash)
            }
            try snap.apply(header, epoch: epoch, signer: signerOf(header))
            expectedParent = header.hash
            snap.number = header.number
        }
        snap.hash = last.hash
        return snap
    }

    mutating func apply(_ header: BlockHeader, epoch: UInt64, signer: Address) throws(ConsensusError) {
        let number = header.number
        if epoch != 0 && number % epoch == 0 {
            votes = []
            tally = [:]
        }
        if number >= recentsLimit { recents[number - recentsLimit] = nil }
        guard isAuthorized(signer) else { throw .unauthorizedSigner(signer) }
        guard !recents.values.contains(signer) else { throw .recentlySigned(signer) }
        recents[number] = signer

        let authorize: Bool
        switch header.nonce {
        case Self.nonceAuthorize: authorize = true
        case Self.nonceDrop: authorize = false
        default: throw .invalidVote("nonce must be 0x0000000000000000 or 0xffffffffffffffff")
        }
        let target = header.coinbase
        // One vote per signer and target: a new vote replaces the signer's previous one.
        if let previous = votes.firstIndex(where: { $0.signer == signer && $0.address == target }) {
            uncast(target, authorize: votes[previous].authorize)
            votes.remove(at: previous)
        }
        if cast(target, authorize: authorize) {
            votes.append(Vote(signer: signer, block: number, address: target, authorize: authorize))
        }
        guard let count = tally[target], count.votes > signers.count / 2 else { return }
        if count.authorize {
            if let position = insertionIndex(of: target) { signers.insert(target, at: position) }
        } else {
            signers.removeAll { $0 == target }
            // The window shrank with the signer list: forget the entry that just fell out of it.
            if number >= recentsLimit { recents[number - recentsLimit] = nil }
            // Votes the dropped signer cast no longer count.
            for vote in votes where vote.signer == target { uncast(vote.address, authorize: vote.authorize) }
            votes.removeAll { $0.signer == target }
        }
        // The change is done: clear every pending vote about the changed address.
        votes.removeAll { $0.address == target }
        tally[target] = nil
    }

    /// Counts a vote if it is meaningful and agrees with the tally's direction; false if it was ignored.
    private mutating func cast(_ address: Address, authorize: Bool) -> Bool {
        guard isMeaningfulVote(on: address, authorize: authorize) else { return false }
        if let existing = tally[address] {
            guard existing.authorize == authorize else { return false }
            tally[address] = Tally(authorize: authorize, votes: existing.votes + 1)
        } else {
            tally[address] = Tally(authorize: authorize, votes: 1)
        }
        return true
    }

    /// Withdraws one previously counted vote.
    private mutating func uncast(_ address: Address, authorize: Bool) {
        guard let existing = tally[address], existing.authorize == authorize else { return }
        tally[address] = existing.votes > 1 ? Tally(authorize: authorize, votes: existing.votes - 1) : nil
    }

    /// Where `address` goes in the sorted signer list, or nil if it is already there.
    private func insertionIndex(of address: Address) -> Int? {
        if isAuthorized(address) { return nil }
        return signers.firstIndex { address < $0 } ?? signers.count
    }
}
