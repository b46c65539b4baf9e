import SankofaPrimitives

/// PREPARE: a validator accepted the round's proposal whose commit-seal hash is `digest`
/// (Besu `PreparePayload`: `[height, round, digest]`).
public struct PreparePayload: QBFTPayload {
    public static let messageCode = QBFTMessageCode.prepare
    public var roundIdentifier: RoundIdentifier
    /// `QBFTBlockHashing.commitSealHash` of the proposed block.
    public var digest: Hash32

    public init(roundIdentifier: RoundIdentifier, digest: Hash32) {
        self.roundIdentifier = roundIdentifier
        self.digest = digest
    }

    public func encode(to writer: inout RLPWriter) {
        writer.writeList { w in
            roundIdentifier.write(to: &w)
            w.write(digest)
        }
    }

    public init(from reader: inout RLPReader) throws(QBFTError) {
        (roundIdentifier, digest) = try QBFTError.reading("PREPARE payload") { () throws(RLPError) in
            var list = try reader.readList()
            let round = try RoundIdentifier.read(from: &list)
            let digest = try list.readHash()
            try list.finish()
            return (round, digest)
        }
    }
}
