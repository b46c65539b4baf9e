import SankofaPrimitives

/// A consensus instance: the block height being decided ("sequence" in Besu's `ConsensusRoundIdentifier`) and
/// the round within it. Ordered by height, then round.
public struct RoundIdentifier: Hashable, Sendable, Comparable, CustomStringConvertible {
    /// The number of the block being agreed on (parent number + 1).
    public var height: UInt64
    /// The round at that height, starting at 0; each timeout moves to the next.
    public var round: UInt32

    public init(height: UInt64, round: UInt32) {
        self.height = height
        self.round = round
    }

    /// The largest round Besu can represent (a Java `int`); larger values on the wire are refused.
    public static let maximumRound = UInt32(Int32.max)

    public static func < (lhs: RoundIdentifier, rhs: RoundIdentifier) -> Bool {
        (lhs.height, lhs.round) < (rhs.height, rhs.round)
    }

    public var description: String { "h\(height)/r\(round)" }

    /// Writes height and round as two RLP scalars into the enclosing list (Besu `QbftPayload.writeConsensusRound`:
    /// `writeLongScalar`, `writeIntScalar`).
    func write(to writer: inout RLPWriter) {
        writer.write(height)
        writer.write(UInt64(round))
    }

    /// Reads the two scalars back; a round above `Int32.max` is refused as Besu's `readIntScalar` would.
    static func read(from reader: inout RLPReader) throws(RLPError) -> RoundIdentifier {
        let height = try reader.readUInt64()
        let round = try reader.readRound()
        return RoundIdentifier(height: height, round: round)
    }
}

extension RLPReader {
    /// A QBFT round: a minimal RLP scalar of at most four bytes that fits a Java `int`.
    mutating func readRound() throws(RLPError) -> UInt32 {
        let value = try readUInt64()
        guard value <= UInt64(RoundIdentifier.maximumRound) else {
            throw .integerTooLarge(maxBytes: 4, got: 8 - value.leadingZeroBitCount / 8)
        }
        return UInt32(value)
    }
}
