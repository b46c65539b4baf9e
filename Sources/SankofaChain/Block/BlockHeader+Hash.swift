import SankofaPrimitives

extension BlockHeader {
    /// The mixHash every Istanbul-family (IBFT 2.0, QBFT) header carries: ASCII "ctical byzantine fault tolerance"
    /// (Besu `BftHelpers.EXPECTED_MIX_HASH`). It is how a header says its hash follows Besu's BFT rule.
    public static let istanbulMixHash = Hash32(bytes: Array("ctical byzantine fault tolerance".utf8)) ?? .zero

    /// The block hash: what a child's `parentHash` holds, what storage and JSON-RPC key blocks by.
    ///
    /// For Ethereum, Clique and every genesis header, keccak256(rlp(header)). For Istanbul-family headers
    /// (`mixHash == istanbulMixHash`, number > 0) Besu's on-chain hash (`BftBlockHashing`): the header with its BFT
    /// extraData's round and commit seals emptied, so a block keeps one hash whichever round finalised it and
    /// whichever validators sealed it. An extraData that is not BFT RLP falls back to keccak256(rlp(header)); such a
    /// header fails consensus verification anyway.
    public var hash: Hash32 {
        memo.get {
            guard mixHash == Self.istanbulMixHash, let onChain = bftOnChainHash else { return encodedHash }
            return onChain
        }
    }

    /// Besu's on-chain hash of a BFT header (`BftBlockHashing.calculateHashOfBftBlockOnchain`): keccak of the header
    /// with extraData's round and commit seals emptied; a genesis header is hashed as stored. Nil when extraData is
    /// not BFT RLP.
    public var bftOnChainHash: Hash32? {
        if number == 0 { return encodedHash }
        guard let reduced = Self.bftExtraDataForHash(extraData) else { return nil }
        var writer = RLPWriter(capacity: 640)
        writer.writeList { w in encodeFields(to: &w, extraData: reduced) }
        return Keccak256.hash(writer.bytes)
    }

    /// keccak256(rlp(header)) exactly as encoded, seals included.
    public var encodedHash: Hash32 { Keccak256.hash(rlpEncoded) }

    /// BFT extraData `rlp([vanity, [validators], vote, round, [seals]])` rewritten with round = empty string and seals =
    /// empty list (QBFT's layout; IBFT 2.0's has no round), or nil when it is not that shape.
    static func bftExtraDataForHash(_ extraData: [UInt8]) -> [UInt8]? {
        var outer = RLPReader(extraData)
        guard var list = try? outer.readList(), (try? outer.finish()) != nil,
              let vanity = try? list.readRawItem(),
              let validators = try? list.readRawItem(),
              let vote = try? list.readRawItem(),
              (try? list.readRawItem()) != nil,      // round
              (try? list.readRawItem()) != nil,      // commit seals
              list.isAtEnd else { return nil }
        var writer = RLPWriter(capacity: extraData.count)
        writer.writeList { w in
            w.writeRaw(vanity)
            w.writeRaw(validators)
            w.writeRaw(vote)
            w.write(bytes: [UInt8]())
            w.writeEmptyList()
        }
        return writer.bytes
    }
}
