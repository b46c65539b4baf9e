import SankofaChain
import SankofaConsensus
import SankofaPrimitives

extension CliqueEngine {
    /// The voting snapshot after `header` (EIP-225 §Snapshot).
    ///
    /// Walks back from `header` (which need not be stored yet) through the chain until it meets a snapshot in
    /// memory, one persisted at a checkpoint or every 1024 blocks, or a checkpoint it may trust — genesis, or an
    /// epoch block whose predecessor this node does not have (checkpoint sync) or that lies more than
    /// `immutabilityThreshold` blocks back. It then replays the headers walked over, caches the result and
    /// persists it if it lands on a checkpoint or a multiple of 1024.
    ///
    /// An epoch block whose predecessor *is* known is replayed rather than trusted, so the recently-signed
    /// window carries across checkpoints (the Rinkeby split, geth#17593).
    public func snapshot(at header: BlockHeader, chain: any ChainHeaderReader) throws(ConsensusError) -> Snapshot {
        var pending: [BlockHeader] = []
        var next: BlockHeader? = header
        var number = header.number
        var hash = header.hash
        var base: Snapshot
        while true {
            if let cached = snapshots.value(for: hash) {
                base = cached
                break
            }
            if isPersistPoint(number), let stored = try loadSnapshot(hash, number: number) {
                base = stored
                break
            }
            let current: BlockHeader
            if let next {
                current = next
            } else {
                guard let found = try read({ try chain.header(hash) }) else { throw .unknownAncestor(hash) }
                current = found
            }
            guard current.number == number else { throw .unknownAncestor(hash) }
            if try isTrustedCheckpoint(current, walked: pending.count, chain: chain) {
                let extra = try CliqueExtraData(parsing: current.extraData, checkpoint: true)
                base = Snapshot(number: number, hash: hash, signers: extra.signers)
                snapshots.insert(base, for: hash)
                try saveSnapshot(base)
                break
            }
            pending.append(current)
            number -= 1  // number > 0: genesis is always a trusted checkpoint
            hash = current.parentHash
            next = nil
        }
        guard !pending.isEmpty else { return base }
        let snap = try base.applying(pending.reversed(), epoch: config.epoch) { (h) throws(ConsensusError) in
            try author(of: h)
        }
        snapshots.insert(snap, for: snap.hash)
        if isPersistPoint(snap.number) { try saveSnapshot(snap) }
        return snap
    }

    /// Snapshots are persisted at checkpoints and every `persistInterval` blocks, so only there can one be loaded.
    func isPersistPoint(_ number: UInt64) -> Bool {
        config.isCheckpoint(number) || number % Self.persistInterval == 0
    }

    private func isTrustedCheckpoint(_ header: BlockHeader, walked: Int,
                                     chain: any ChainHeaderReader) throws(ConsensusError) -> Bool {
        if header.number == 0 { return true }
        guard config.isCheckpoint(header.number) else { return false }
        if walked > Self.immutabilityThreshold { return true }
        return try read({ try chain.canonicalHeader(header.number - 1) }) == nil
    }

    private func loadSnapshot(_ hash: Hash32, number: UInt64) throws(ConsensusError) -> Snapshot? {
        guard let bytes = try read({ try store.load(hash) }) else { return nil }
        let snap: Snapshot
        do { snap = try Snapshot(rlp: bytes) } catch { throw .storage("stored Clique snapshot \(hash) is corrupt: \(error)") }
        guard snap.hash == hash, snap.number == number else {
            throw .storage("stored Clique snapshot under \(hash) describes block \(snap.number) \(snap.hash)")
        }
        snapshots.insert(snap, for: hash)
        return snap
    }

    private func saveSnapshot(_ snap: Snapshot) throws(ConsensusError) {
        let bytes = snap.rlpEncoded
        try read { try store.save(snap.hash, bytes) }
    }
}
