import SankofaPrimitives

/// What a ROUND-CHANGE says it prepared: the latest round in which its author saw a quorum of PREPAREs, and the
/// digest of that round's proposal (Besu `PreparedRoundMetadata`, written `round, hash` inside a list).
public struct PreparedRoundMetadata: Hashable, Sendable {
    public var preparedRound: UInt32
    /// The commit-seal hash of the block prepared in `preparedRound`.
    public var preparedBlockHash: Hash32

    public init(preparedRound: UInt32, preparedBlockHash: Hash32) {
        self.preparedRound = preparedRound
        self.preparedBlockHash = preparedBlockHash
    }
}

/// ROUND-CHANGE: its author wants to move to `roundIdentifier.round`, and reports what it prepared, if anything
/// (Besu `RoundChangePayload`: `[height, round, [] | [preparedRound, preparedBlockHash]]`).
public struct RoundChangePayload: QBFTPayload {
    public static let messageCode = QBFTMessageCode.roundChange
    /// The round being moved to.
    public var roundIdentifier: RoundIdentifier
    public var prepared: PreparedRoundMetadata?

    public init(roundIdentifier: RoundIdentifier, prepared: PreparedRoundMetadata?) {
        self.roundIdentifier = roundIdentifier
        self.prepared = prepared
    }

    public func encode(to writer: inout RLPWriter) {
        writer.writeList { w in
            roundIdentifier.write(to: &w)
            w.writeList { inner in
                if let prepared {
                    inner.write(UInt64(prepared.preparedRound))
                    inner.write(prepared.preparedBlockHash)
                }
            }
        }
    }

    public init(from reader: inout RLPReader) throws(QBFTError) {
        (roundIdentifier, prepared) = try QBFTError.reading("ROUND-CHANGE payload") { () throws(RLPError) in
            var list = try reader.readList()
            let round = try RoundIdentifier.read(from: &list)
            var inner = try list.readList()
            var prepared: PreparedRoundMetadata?
            if !inner.isAtEnd {
                let preparedRound = try inner.readRound()
                prepared = PreparedRoundMetadata(preparedRound: preparedRound, preparedBlockHash: try inner.readHash())
            }
            try inner.finish()
            try list.finish()
            return (round, prepared)
        }
    }
}
