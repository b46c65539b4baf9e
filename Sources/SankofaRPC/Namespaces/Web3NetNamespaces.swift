import SankofaChain
import SankofaJSON
import SankofaPrimitives

/// `web3_` and `net_`.
public struct Web3NetNamespaces: Sendable {
    let backend: RPCBackend

    public init(backend: RPCBackend) { self.backend = backend }

    /// Methods answered from memory without suspending.
    public var immediateMethods: [(String, RPCImmediateHandler)] {
        [
            ("web3_clientVersion", { _, _ in .string(backend.node.clientVersion) }),
            ("web3_sha3", { params, _ in .hash(Keccak256.hash(try params.data(0))) }),
            ("net_version", { _, _ in .string(String(backend.chain.chainId)) }),
            ("net_listening", { _, _ in .bool(backend.peers.isListening) }),
            ("net_peerCount", { _, _ in .quantity(backend.peers.peerCount) }),
        ]
    }

    public var methods: [(String, RPCHandler)] {
        [
            ("net_enode", { _, _ in
                guard let info = await backend.peers.nodeInfo() else { throw RPCError.server("P2P has been disabled on this node") }
                return .string(info.enode)
            }),
        ]
    }
}

/// `txpool_`: what the pool holds, in geth's shapes.
public struct TxPoolNamespace: Sendable {
    let backend: RPCBackend

    public init(backend: RPCBackend) { self.backend = backend }

    public var methods: [(String, RPCHandler)] {
        [
            ("txpool_status", { _, _ in
                let status = await backend.pool.poolStatus()
                return .object(JSONObject([("pending", .quantity(status.pending)), ("queued", .quantity(status.queued))]))
            }),
            ("txpool_content", { _, _ in
                let content = await backend.pool.poolContent()
                func group(_ bySender: [Address: [RecoveredTransaction]]) -> JSON {
                    .object(JSONObject(bySender.sorted { $0.key < $1.key }.map { sender, txs in
                        (sender.checksummed, .object(JSONObject(txs.map { tx in
                            (String(tx.transaction.nonce), RPCShapes.transaction(tx.transaction, sender: tx.sender, block: nil, index: nil))
                        })))
                    }))
                }
                return .object(JSONObject([("pending", group(content.pending)), ("queued", group(content.queued))]))
            }),
        ]
    }
}

/// `clique_`: signers and the local signer's votes.
public struct CliqueNamespace: Sendable {
    let backend: RPCBackend

    public init(backend: RPCBackend) { self.backend = backend }

    public var methods: [(String, RPCHandler)] {
        [
            ("clique_getSigners", { params, _ in
                guard let header = try await backend.chain.header(try params.block(0)) else { throw RPCError.server("unknown block") }
                return .array(try await backend.consensus.signers(at: header).map { .address($0) })
            }),
            ("clique_getSignersAtHash", { params, _ in
                guard let header = try await backend.chain.header(hash: try params.hash(0)) else { throw RPCError.server("unknown block") }
                return .array(try await backend.consensus.signers(at: header).map { .address($0) })
            }),
            ("clique_propose", { params, _ in
                guard let authorize = params.optional(1)?.boolValue else { throw RPCError.invalidParams("argument 1 must be true (add) or false (remove)") }
                if let refusal = backend.consensus.validatorVotesRefusal { throw RPCError.server(refusal) }
                await backend.consensus.propose(try params.address(0), authorize: authorize)
                return .bool(true)
            }),
            ("clique_discard", { params, _ in
                await backend.consensus.discard(try params.address(0))
                return .bool(true)
            }),
            ("clique_proposals", { _, _ in
                .object(JSONObject(await backend.consensus.proposals().sorted { $0.key < $1.key }.map { ($0.key.hex, .bool($0.value)) }))
            }),
        ]
    }
}

/// `sankofa_nodeInfo`: mode, tier, head, finalized head, peers, consensus, and the hot-standby lease (`validatorLease`,
/// only on a validator that has one).
public struct SankofaNamespace: Sendable {
    let backend: RPCBackend

    public init(backend: RPCBackend) { self.backend = backend }

    public var methods: [(String, RPCHandler)] {
        [
            ("sankofa_nodeInfo", { _, _ in
                let head = try backend.chain.headHeader()
                let finalized = try await backend.chain.header(.finalized) ?? head
                var fields: [(String, JSON)] = [
                    ("clientVersion", .string(backend.node.clientVersion)),
                    ("mode", .string(backend.node.mode)),
                    ("tier", .string(backend.node.tier)),
                    ("chainId", .quantity(backend.chain.chainId)),
                    ("consensus", .string(backend.consensus.consensusName)),
                    ("head", .object(JSONObject([("number", .quantity(head.number)), ("hash", .hash(head.hash))]))),
                    ("finalized", .object(JSONObject([("number", .quantity(finalized.number)), ("hash", .hash(finalized.hash))]))),
                    ("peers", .quantity(backend.peers.peerCount)),
                    ("enode", .string(backend.node.enode)),
                ]
                if let info = await backend.node.validatorLease() {
                    fields.append(("validatorLease", .object(JSONObject([
                        ("role", .string(info.role)), ("key", .string(info.key)),
                        // Decimal, as etcdctl prints lease ids; hex would be an Ethereum quantity it is not.
                        ("leaseId", .string(String(info.leaseId))),
                        ("secondsLeft", .number(JSONNumber(Int(info.secondsLeft.rounded(.down))))),
                        ("holder", info.holder.map(JSON.string) ?? .null), ("reason", .string(info.reason)),
                    ]))))
                }
                return .object(JSONObject(fields))
            }),
        ]
    }
}
