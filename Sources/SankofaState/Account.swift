import SankofaPrimitives
import SankofaTrie

/// An account as Ethereum's state trie stores it: `rlp([nonce, balance, storageRoot, codeHash])`. System contracts
/// are accounts whose storage trie holds their data, so every byte of it is provable with `eth_getProof`.
public struct Account: Hashable, Sendable {
    public var nonce: UInt64
    public var balance: UInt256
    public var storageRoot: Hash32
    public var codeHash: Hash32

    /// keccak256 of empty code: every account here has it, since there is no EVM.
    public static let emptyCodeHash = Keccak256.hash([UInt8]())

    /// An account that has never been touched.
    public static let empty = Account(nonce: 0, balance: .zero, storageRoot: MerklePatriciaTrie.emptyRoot,
                                      codeHash: emptyCodeHash)

    public init(nonce: UInt64, balance: UInt256, storageRoot: Hash32 = MerklePatriciaTrie.emptyRoot,
                codeHash: Hash32 = Account.emptyCodeHash) {
        self.nonce = nonce
        self.balance = balance
        self.storageRoot = storageRoot
        self.codeHash = codeHash
    }

    /// EIP-161 emptiness: no nonce, no balance, no code. Empty accounts are not written to the trie.
    public var isEmpty: Bool { nonce == 0 && balance.isZero && codeHash == Account.emptyCodeHash }
}

extension Account: RLPEncodable, RLPDecodable {
    public func encode(to writer: inout RLPWriter) {
        writer.writeList { w in
            w.write(nonce)
            w.write(balance)
            w.write(storageRoot)
            w.write(codeHash)
        }
    }

    public init(from reader: inout RLPReader) throws(RLPError) {
        var fields = try reader.readList()
        nonce = try fields.readUInt64()
        balance = try fields.readUInt256()
        storageRoot = try fields.readHash()
        codeHash = try fields.readHash()
        try fields.finish()
    }
}
