import SankofaPrimitives

/// The eth Status message (0x00), exchanged once right after Hello: `[version, networkid, td, blockhash, genesis,
/// forkid]` (devp2p caps/eth.md, "Status"). Peers on another network, genesis or fork schedule are dropped.
public struct EthStatus: Hashable, Sendable {
    public var protocolVersion: UInt64
    public var networkId: UInt64
    /// Total difficulty of the best chain. PoA chains report the sum of their 1/2 difficulties.
    public var totalDifficulty: UInt256
    /// Hash of the best known block.
    public var bestHash: Hash32
    public var genesisHash: Hash32
    /// EIP-2124 fork id at the sender's head.
    public var forkID: ForkID

    public init(protocolVersion: UInt64 = EthProtocol.version, networkId: UInt64, totalDifficulty: UInt256,
                bestHash: Hash32, genesisHash: Hash32, forkID: ForkID) {
        self.protocolVersion = protocolVersion
        self.networkId = networkId
        self.totalDifficulty = totalDifficulty
        self.bestHash = bestHash
        self.genesisHash = genesisHash
        self.forkID = forkID
    }

    func encode(to writer: inout RLPWriter) {
        writer.writeList { w in
            w.write(protocolVersion)
            w.write(networkId)
            w.write(totalDifficulty)
            w.write(bestHash)
            w.write(genesisHash)
            forkID.encode(to: &w)
        }
    }

    init(from reader: inout RLPReader) throws(RLPError) {
        var fields = try reader.readList()
        protocolVersion = try fields.readUInt64()
        networkId = try fields.readUInt64()
        totalDifficulty = try fields.readUInt256()
        bestHash = try fields.readHash()
        genesisHash = try fields.readHash()
        forkID = try ForkID(from: &fields)
        try fields.finish()
    }

    /// geth refuses a total difficulty wider than this many bits (no real chain comes near it).
    public static let maxTotalDifficultyBits = 100

    /// Checks a peer's Status against ours, in geth's order: total difficulty width, version, network, genesis,
    /// then the fork id at our head (EIP-2124). The mismatches disconnect with `subprotocolError` (0x10); an
    /// absurd total difficulty is an `invalidField` (0x02).
    public func validate(remote: EthStatus, schedule: ForkSchedule, headNumber: UInt64,
                         headTime: UInt64) throws(EthError) {
        let tdBits = remote.totalDifficulty.significantBitCount
        guard tdBits <= Self.maxTotalDifficultyBits else {
            throw .invalidField(message: "Status", "total difficulty of \(tdBits) bits exceeds "
                                + "\(Self.maxTotalDifficultyBits) bits")
        }
        guard remote.protocolVersion == protocolVersion else {
            throw .protocolVersionMismatch(got: remote.protocolVersion, expected: protocolVersion)
        }
        guard remote.networkId == networkId else { throw .networkMismatch(got: remote.networkId, expected: networkId) }
        guard remote.genesisHash == genesisHash else {
            throw .genesisMismatch(got: remote.genesisHash, expected: genesisHash)
        }
        do {
            try schedule.validate(remote.forkID, headNumber: headNumber, headTime: headTime)
        } catch {
            throw .incompatibleForkID(error)
        }
    }
}
