import SankofaPrimitives

/// An Ethereum block header: the 15 classic fields, then the optional fields later forks appended (London's
/// `baseFeePerGas`, Shanghai's `withdrawalsRoot`, Cancun's blob-gas fields and beacon root). The block hash is
/// keccak256 of its RLP (Besu's on-chain rule for BFT headers: `BlockHeader+Hash.swift`), so every field must
/// round-trip byte for byte.
public struct BlockHeader: Hashable, Sendable {
    /// The block hash once computed (`hash`): shared by copies until one of them changes a field, and left out of
    /// equality. Verification, storage and RPC ask a header for its hash many times; each answer would otherwise
    /// cost an RLP encoding and a Keccak-256.
    var memo = HashMemo()

    public var parentHash: Hash32 { didSet { memo = HashMemo() } }
    /// keccak(rlp([])) in PoA chains, which have no uncles.
    public var ommersHash: Hash32 { didSet { memo = HashMemo() } }
    /// The fee recipient; Clique puts the voted-on address here.
    public var coinbase: Address { didSet { memo = HashMemo() } }
    public var stateRoot: Hash32 { didSet { memo = HashMemo() } }
    public var transactionsRoot: Hash32 { didSet { memo = HashMemo() } }
    public var receiptsRoot: Hash32 { didSet { memo = HashMemo() } }
    public var logsBloom: Bloom { didSet { memo = HashMemo() } }
    /// Clique: 2 in turn, 1 out of turn.
    public var difficulty: UInt256 { didSet { memo = HashMemo() } }
    public var number: UInt64 { didSet { memo = HashMemo() } }
    public var gasLimit: UInt64 { didSet { memo = HashMemo() } }
    public var gasUsed: UInt64 { didSet { memo = HashMemo() } }
    public var timestamp: UInt64 { didSet { memo = HashMemo() } }
    /// Clique: vanity ‖ signers (at checkpoints) ‖ seal. QBFT: its RLP extra data.
    public var extraData: [UInt8] { didSet { memo = HashMemo() } }
    public var mixHash: Hash32 { didSet { memo = HashMemo() } }
    /// Eight bytes; Clique uses all-ones / all-zeroes to vote.
    public var nonce: UInt64 { didSet { memo = HashMemo() } }
    public var baseFeePerGas: UInt256? { didSet { memo = HashMemo() } }
    public var withdrawalsRoot: Hash32? { didSet { memo = HashMemo() } }
    public var blobGasUsed: UInt64? { didSet { memo = HashMemo() } }
    public var excessBlobGas: UInt64? { didSet { memo = HashMemo() } }
    public var parentBeaconBlockRoot: Hash32? { didSet { memo = HashMemo() } }

    /// keccak256(rlp([])): the ommers hash of a block without uncles.
    public static let emptyOmmersHash = Keccak256.hash([0xc0] as [UInt8])
    /// keccak256(rlp("")): the root of an empty trie.
    public static let emptyTrieRoot = Keccak256.hash([0x80] as [UInt8])

    public init(parentHash: Hash32, ommersHash: Hash32 = BlockHeader.emptyOmmersHash, coinbase: Address,
                stateRoot: Hash32, transactionsRoot: Hash32 = BlockHeader.emptyTrieRoot,
                receiptsRoot: Hash32 = BlockHeader.emptyTrieRoot, logsBloom: Bloom = Bloom(), difficulty: UInt256,
                number: UInt64, gasLimit: UInt64, gasUsed: UInt64, timestamp: UInt64, extraData: [UInt8],
                mixHash: Hash32 = .zero, nonce: UInt64 = 0, baseFeePerGas: UInt256? = nil,
                withdrawalsRoot: Hash32? = nil, blobGasUsed: UInt64? = nil, excessBlobGas: UInt64? = nil,
                parentBeaconBlockRoot: Hash32? = nil) {
        self.parentHash = parentHash
        self.ommersHash = ommersHash
        self.coinbase = coinbase
        self.stateRoot = stateRoot
        self.transactionsRoot = transactionsRoot
        self.receiptsRoot = receiptsRoot
        self.logsBloom = logsBloom
        self.difficulty = difficulty
        self.number = number
        self.gasLimit = gasLimit
        self.gasUsed = gasUsed
        self.timestamp = timestamp
        self.extraData = extraData
        self.mixHash = mixHash
        self.nonce = nonce
        self.baseFeePerGas = baseFeePerGas
        self.withdrawalsRoot = withdrawalsRoot
        self.blobGasUsed = blobGasUsed
        self.excessBlobGas = excessBlobGas
        self.parentBeaconBlockRoot = parentBeaconBlockRoot
    }
}

extension BlockHeader: RLPEncodable, RLPDecodable {
    public func encode(to writer: inout RLPWriter) {
        writer.writeList { w in encodeFields(to: &w, extraData: extraData) }
    }

    /// Writes the fields in order with `extraData` replaced (Clique's seal hash signs the header minus its seal).
    /// Optional fields stop at the first absent one, since each fork only appends.
    public func encodeFields(to w: inout RLPWriter, extraData: some Collection<UInt8>) {
        w.write(parentHash)
        w.write(ommersHash)
        w.write(coinbase)
        w.write(stateRoot)
        w.write(transactionsRoot)
        w.write(receiptsRoot)
        w.write(bytes: logsBloom.bytes)
        w.write(difficulty)
        w.write(number)
        w.write(gasLimit)
        w.write(gasUsed)
        w.write(timestamp)
        w.write(bytes: extraData)
        w.write(mixHash)
        w.write(bytes: withUnsafeBytes(of: nonce.bigEndian) { Array($0) })
        guard let baseFeePerGas else { return }
        w.write(baseFeePerGas)
        guard let withdrawalsRoot else { return }
        w.write(withdrawalsRoot)
        guard let blobGasUsed, let excessBlobGas else { return }
        w.write(blobGasUsed)
        w.write(excessBlobGas)
        guard let parentBeaconBlockRoot else { return }
        w.write(parentBeaconBlockRoot)
    }

    public init(from reader: inout RLPReader) throws(RLPError) {
        var r = try reader.readList()
        parentHash = try r.readHash()
        ommersHash = try r.readHash()
        coinbase = try r.readAddress()
        stateRoot = try r.readHash()
        transactionsRoot = try r.readHash()
        receiptsRoot = try r.readHash()
        let bloomBytes = try r.readFixed(Bloom.byteCount)
        logsBloom = Bloom(bytes: bloomBytes) ?? Bloom()  // readFixed guarantees the length
        difficulty = try r.readUInt256()
        number = try r.readUInt64()
        gasLimit = try r.readUInt64()
        gasUsed = try r.readUInt64()
        timestamp = try r.readUInt64()
        extraData = Array(try r.readBytes())
        mixHash = try r.readHash()
        let nonceBytes = try r.readFixed(8)
        nonce = nonceBytes.reduce(0) { $0 << 8 | UInt64($1) }
        baseFeePerGas = r.isAtEnd ? nil : try r.readUInt256()
        withdrawalsRoot = r.isAtEnd ? nil : try r.readHash()
        blobGasUsed = r.isAtEnd ? nil : try r.readUInt64()
        excessBlobGas = r.isAtEnd ? nil : try r.readUInt64()
        parentBeaconBlockRoot = r.isAtEnd ? nil : try r.readHash()
        try r.finish()
    }
}

extension BlockHeader {
    /// Field by field; the hash memo is not part of a header's value.
    public static func == (lhs: BlockHeader, rhs: BlockHeader) -> Bool {
        lhs.parentHash == rhs.parentHash
            && lhs.ommersHash == rhs.ommersHash
            && lhs.coinbase == rhs.coinbase
            && lhs.stateRoot == rhs.stateRoot
            && lhs.transactionsRoot == rhs.transactionsRoot
            && lhs.receiptsRoot == rhs.receiptsRoot
            && lhs.logsBloom == rhs.logsBloom
            && lhs.difficulty == rhs.difficulty
            && lhs.number == rhs.number
            && lhs.gasLimit == rhs.gasLimit
            && lhs.gasUsed == rhs.gasUsed
            && lhs.timestamp == rhs.timestamp
            && lhs.extraData == rhs.extraData
            && lhs.mixHash == rhs.mixHash
            && lhs.nonce == rhs.nonce
            && lhs.baseFeePerGas == rhs.baseFeePerGas
            && lhs.withdrawalsRoot == rhs.withdrawalsRoot
            && lhs.blobGasUsed == rhs.blobGasUsed
            && lhs.excessBlobGas == rhs.excessBlobGas
            && lhs.parentBeaconBlockRoot == rhs.parentBeaconBlockRoot
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(parentHash)
        hasher.combine(ommersHash)
        hasher.combine(coinbase)
        hasher.combine(stateRoot)
        hasher.combine(transactionsRoot)
        hasher.combine(receiptsRoot)
        hasher.combine(logsBloom)
        hasher.combine(difficulty)
        hasher.combine(number)
        hasher.combine(gasLimit)
        hasher.combine(gasUsed)
        hasher.combine(timestamp)
        hasher.combine(extraData)
        hasher.combine(mixHash)
        hasher.combine(nonce)
        hasher.combine(baseFeePerGas)
        hasher.combine(withdrawalsRoot)
        hasher.combine(blobGasUsed)
        hasher.combine(excessBlobGas)
        hasher.combine(parentBeaconBlockRoot)
    }
}
