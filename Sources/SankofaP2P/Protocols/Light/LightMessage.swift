import SankofaChain
import SankofaPrimitives

/// One account and the storage slots of it to prove (EIP-1186's `eth_getProof` arguments).
public struct ProofQuery: Hashable, Sendable {
    public var address: Address
    public var slots: [Hash32]

    public init(address: Address, slots: [Hash32]) {
        self.address = address
        self.slots = slots
    }
}

/// The trie nodes proving one account and its requested slots: the path from the state root to the account,
/// then one path per slot from the account's storage root. Values are not sent; the client reads them out of the
/// proof, so a server can only prove, never assert.
public struct ProofNodes: Hashable, Sendable {
    public var account: [[UInt8]]
    public var slots: [[[UInt8]]]

    public init(account: [[UInt8]], slots: [[[UInt8]]]) {
        self.account = account
        self.slots = slots
    }
}

/// Where a server says a transaction was included; the client checks it against the block's body.
public struct TransactionPosition: Hashable, Sendable {
    public var blockHash: Hash32
    public var index: UInt64

    public init(blockHash: Hash32, index: UInt64) {
        self.blockHash = blockHash
        self.index = index
    }
}

/// Every `sfl/1` message, typed. Requests and responses pair by request id as in eth/66.
public enum LightMessage: Hashable, Sendable {
    /// One of the eth/68 messages `sfl/1` shares (Status, NewBlockHashes, headers, bodies, receipts).
    case eth(EthMessage)
    /// 0x11: `[request-id, blockhash, [[address, [slot, …]], …]]`.
    case getProofs(requestId: UInt64, block: Hash32, [ProofQuery])
    /// 0x12: `[request-id, [[[account-node, …], [[slot-node, …], …]], …]]`, one entry per query.
    case proofs(requestId: UInt64, [ProofNodes])
    /// 0x13: `[request-id, [txhash, …]]`.
    case getTransactionLocations(requestId: UInt64, [Hash32])
    /// 0x14: `[request-id, [[blockhash, index] or [], …]]`, one entry per hash.
    case transactionLocations(requestId: UInt64, [TransactionPosition?])
    /// 0x15: `[request-id, tx]`, a signed transaction in its network form, for the server's pool.
    case sendTransaction(requestId: UInt64, Transaction)
    /// 0x16: `[request-id, error]`: empty when the pool took the transaction, else its reason.
    case transactionStatus(requestId: UInt64, error: String)

    /// The eth/68 messages `sfl/1` carries.
    public static let sharedEthCodes: Set<EthMessageCode> = [
        .status, .newBlockHashes, .getBlockHeaders, .blockHeaders, .getBlockBodies, .blockBodies, .getReceipts, .receipts,
    ]

    /// Most queries in one GetProofs and slots per query (each costs a few trie nodes in the response).
    public static let maxProofQueries = 64
    public static let maxProofSlots = 256
    /// Most nodes one proof path may hold (a secure trie is at most 64 nibbles deep, plus the leaf).
    public static let maxProofDepth = 80
    /// Most hashes in one GetTransactionLocations.
    public static let maxLocations = 256
    /// Longest reason a TransactionStatus may carry.
    public static let maxStatusLength = 1_024

    public var code: UInt64 {
        switch self {
        case .eth(let message): message.code.rawValue
        case .getProofs: LightMessageCode.getProofs.rawValue
        case .proofs: LightMessageCode.proofs.rawValue
        case .getTransactionLocations: LightMessageCode.getTransactionLocations.rawValue
        case .transactionLocations: LightMessageCode.transactionLocations.rawValue
        case .sendTransaction: LightMessageCode.sendTransaction.rawValue
        case .transactionStatus: LightMessageCode.transactionStatus.rawValue
        }
    }

    /// The request id of a response (what a client matches it by), nil for requests and announcements.
    public var responseId: UInt64? {
        switch self {
        case .eth(.blockHeaders(let id, _)), .eth(.blockBodies(let id, _)), .eth(.receipts(let id, _)),
             .proofs(let id, _), .transactionLocations(let id, _), .transactionStatus(let id, _):
            id
        default: nil
        }
    }

    public var encoded: [UInt8] {
        switch self {
        case .eth(let message):
            return message.encoded
        case .getProofs(let requestId, let block, let queries):
            var writer = RLPWriter(capacity: 64 + queries.count * 64)
            writer.writeList { w in
                w.write(requestId)
                w.write(block)
                w.writeList { list in
                    for query in queries {
                        list.writeList { q in
                            q.write(query.address)
                            q.writeList { slots in for slot in query.slots { slots.write(slot) } }
                        }
                    }
                }
            }
            return writer.bytes
        case .proofs(let requestId, let entries):
            return EthDecoding.writeRequest(requestId, entries) { entry, w in
                w.writeList { e in
                    e.writeList { path in for node in entry.account { path.write(bytes: node) } }
                    e.writeList { slots in
                        for slot in entry.slots { slots.writeList { path in for node in slot { path.write(bytes: node) } } }
                    }
                }
            }
        case .getTransactionLocations(let requestId, let hashes):
            return EthDecoding.writeRequest(requestId, hashes) { $1.write($0) }
        case .transactionLocations(let requestId, let positions):
            return EthDecoding.writeRequest(requestId, positions) { position, w in
                w.writeList { e in
                    if let position {
                        e.write(position.blockHash)
                        e.write(position.index)
                    }
                }
            }
        case .sendTransaction(let requestId, let transaction):
            var writer = RLPWriter(capacity: 32 + transaction.encoded.count)
            writer.writeList { w in
                w.write(requestId)
                transaction.encode(to: &w)
            }
            return writer.bytes
        case .transactionStatus(let requestId, let error):
            var writer = RLPWriter(capacity: 32 + error.utf8.count)
            writer.writeList { w in
                w.write(requestId)
                w.write(bytes: Array(error.utf8))
            }
            return writer.bytes
        }
    }

    /// Decodes message `code` of `sfl/1`, as strictly as eth/68 decodes its own: bounded lists, canonical RLP, no
    /// trailing bytes; eth/68 messages `sfl/1` does not carry are refused as unknown.
    public static func decode(code: UInt64, data: [UInt8], limits: EthLimits = .default) throws(EthError) -> LightMessage {
        if let shared = EthMessageCode(rawValue: code) {
            guard sharedEthCodes.contains(shared) else { throw .unknownMessageCode(code) }
            return .eth(try EthMessage.decode(code: code, data: data, limits: limits))
        }
        guard let known = LightMessageCode(rawValue: code) else { throw .unknownMessageCode(code) }
        guard data.count <= limits.maxMessageSize else { throw .messageTooLarge(size: data.count, limit: limits.maxMessageSize) }
        switch known {
        case .getProofs:
            return try EthDecoding.run("GetProofs") {
                var reader = RLPReader(data)
                var fields = try reader.readList()
                let requestId = try fields.readUInt64()
                let block = try fields.readHash()
                let queries = try EthDecoding.readList(&fields, limit: maxProofQueries, message: "GetProofs") { item in
                    var entry = try item.readList()
                    let address = try entry.readAddress()
                    let slots = try EthDecoding.readList(&entry, limit: maxProofSlots, message: "GetProofs slots") { try $0.readHash() }
                    try entry.finish()
                    return ProofQuery(address: address, slots: slots)
                }
                try fields.finish()
                try reader.finish()
                return .getProofs(requestId: requestId, block: block, queries)
            }
        case .proofs:
            let (requestId, entries) = try EthDecoding.readRequest(data, message: "Proofs", limit: maxProofQueries) { item in
                var entry = try item.readList()
                let account = try readPath(&entry)
                let slots = try EthDecoding.readList(&entry, limit: maxProofSlots, message: "Proofs slots") { try readPath(&$0) }
                try entry.finish()
                return ProofNodes(account: account, slots: slots)
            }
            return .proofs(requestId: requestId, entries)
        case .getTransactionLocations:
            let (requestId, hashes) = try EthDecoding.readRequest(data, message: "GetTransactionLocations",
                                                                  limit: maxLocations) { try $0.readHash() }
            return .getTransactionLocations(requestId: requestId, hashes)
        case .transactionLocations:
            let (requestId, positions) = try EthDecoding.readRequest(data, message: "TransactionLocations",
                                                                     limit: maxLocations) { item -> TransactionPosition? in
                var entry = try item.readList()
                if entry.isAtEnd { return nil }
                let position = TransactionPosition(blockHash: try entry.readHash(), index: try entry.readUInt64())
                try entry.finish()
                return position
            }
            return .transactionLocations(requestId: requestId, positions)
        case .sendTransaction:
            return try EthDecoding.run("SendTransaction") {
                var reader = RLPReader(data)
                var fields = try reader.readList()
                let requestId = try fields.readUInt64()
                let transaction = try EthDecoding.readTransaction(&fields)
                try fields.finish()
                try reader.finish()
                return .sendTransaction(requestId: requestId, transaction)
            }
        case .transactionStatus:
            return try EthDecoding.run("TransactionStatus") {
                var reader = RLPReader(data)
                var fields = try reader.readList()
                let requestId = try fields.readUInt64()
                let text = Array(try fields.readBytes())
                guard text.count <= maxStatusLength else {
                    throw EthError.invalidField(message: "TransactionStatus", "reason longer than \(maxStatusLength) bytes")
                }
                // Refused rather than repaired: a reason decoded with replacement characters would no longer be
                // what the server sent (found by the `light` fuzz target).
                guard let reason = String(validating: text, as: UTF8.self) else {
                    throw EthError.invalidField(message: "TransactionStatus", "reason is not UTF-8")
                }
                try fields.finish()
                try reader.finish()
                return .transactionStatus(requestId: requestId, error: reason)
            }
        }
    }

    /// Reads one proof path: a list of at most `maxProofDepth` RLP-encoded trie nodes.
    private static func readPath(_ reader: inout RLPReader) throws -> [[UInt8]] {
        try EthDecoding.readList(&reader, limit: maxProofDepth, message: "Proofs path") { Array(try $0.readBytes()) }
    }
}
