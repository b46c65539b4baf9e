import SankofaCrypto
import SankofaPrimitives

/// COMMIT: a prepared validator's commit seal for the proposal `digest` (Besu `CommitPayload`:
/// `[height, round, digest, commitSeal65]`). The seal signs the block's commit-seal hash with this round.
public struct CommitPayload: QBFTPayload {
    public static let messageCode = QBFTMessageCode.commit
    public var roundIdentifier: RoundIdentifier
    public var digest: Hash32
    /// The signature that goes into the sealed header's extraData.
    public var commitSeal: RecoverableSignature

    public init(roundIdentifier: RoundIdentifier, digest: Hash32, commitSeal: RecoverableSignature) {
        self.roundIdentifier = roundIdentifier
        self.digest = digest
        self.commitSeal = commitSeal
    }

    public func encode(to writer: inout RLPWriter) {
        writer.writeList { w in
            roundIdentifier.write(to: &w)
            w.write(digest)
            w.write(bytes: commitSeal.rsv)
        }
    }

    public init(from reader: inout RLPReader) throws(QBFTError) {
        let (round, digest, seal) = try QBFTError.reading("COMMIT payload") {
            () throws(RLPError) -> (RoundIdentifier, Hash32, ArraySlice<UInt8>) in
            var list = try reader.readList()
            let round = try RoundIdentifier.read(from: &list)
            let digest = try list.readHash()
            let seal = try list.readBytes()
            try list.finish()
            return (round, digest, seal)
        }
        self.init(roundIdentifier: round, digest: digest, commitSeal: try RecoverableSignature.qbft(seal))
    }
}
