import Logging
import NIOCore
import SankofaBlockchain
import SankofaChain
import SankofaCrypto
import SankofaP2P
import SankofaPrimitives
import SankofaState
import SankofaTrie
import SankofaTxPool

/// A full node's side of `sfl/1`: answers light clients' requests for headers, bodies, receipts, state proofs
/// (EIP-1186 trie paths) and transaction locations, takes their transactions into the pool, and announces each new
/// head to them. Served like eth/68 requests: each peer has its own bounded queue, served in order at a bounded
/// rate, with responses capped by count and size.
public final class LightServer: Sendable {
    public struct Configuration: Sendable {
        public var requestsPerSecond: Double = 500
        public var requestBurst: Double = 1_000
        /// Requests waiting per peer; one more and the peer is dropped.
        public var queueLimit = 256
        /// A client must send its Status this soon after the session starts.
        public var statusTimeout: Duration = .seconds(5)

        public init() {}
    }

    private final class Session: Sendable {
        let peer: Peer
        let inbox: PeerInbox<LightMessage>
        let ready = Locked(false)
        init(peer: Peer, limit: Int) {
            self.peer = peer
            inbox = PeerInbox(limit: limit)
        }
    }

    public let configuration: Configuration
    let eth: EthHandler
    let logger: Logger
    private let sessions = Locked<[PublicKey: Session]>([:])

    /// Serves from the chain, state and pool behind `eth` (whose Status it shares).
    public init(configuration: Configuration = .init(), eth: EthHandler, logger: Logger) {
        self.configuration = configuration
        self.eth = eth
        self.logger = logger
    }

    // MARK: Sessions

    public func peerChanged(_ change: PeerChange) {
        switch change {
        case .connected(let peer):
            // A light client speaks sfl without eth; two full nodes share both and keep to eth between them.
            let shared = peer.info.shared.entries.map(\.capability)
            guard shared.contains(LightProtocol.capability), !shared.contains(EthProtocol.capability) else { return }
            let session = Session(peer: peer, limit: configuration.queueLimit)
            let replaced = sessions.withLock { $0.updateValue(session, forKey: peer.remoteKey) }
            replaced?.inbox.finish()
            post(.eth(.status(eth.ourStatus())), to: peer)
            peer.channel.eventLoop.scheduleTask(in: TimeAmount(configuration.statusTimeout)) { [self] in
                guard !session.ready.withLock({ $0 }) else { return }
                drop(peer, .uselessPeer, "no sfl Status in time")
            }
            Task { await serve(session) }
        case .disconnected(let peer):
            let session = sessions.withLock { sessions -> Session? in
                guard let session = sessions[peer.remoteKey], session.peer === peer else { return nil }
                sessions[peer.remoteKey] = nil
                return session
            }
            session?.inbox.finish()
        }
    }

    /// A message of any sub-protocol from `peer`; those of `sfl` are ours.
    public func receive(_ message: SubProtocolMessage, from peer: Peer) {
        guard message.protocolName == LightProtocol.capability.name,
              let session = sessions.withLock({ $0[peer.remoteKey] }), session.peer === peer else { return }
        let decoded: LightMessage
        do {
            decoded = try LightMessage.decode(code: message.id, data: message.data, limits: eth.configuration.limits)
        } catch {
            drop(peer, error.disconnectReason, "\(error)")
            return
        }
        guard session.ready.withLock({ $0 }) else {
            guard case .eth(.status(let status)) = decoded else {
                drop(peer, .breachOfProtocol, "sfl message before Status")
                return
            }
            let head = eth.localHead.withLock { $0 }
            do {
                try eth.ourStatus().validate(remote: status, schedule: eth.forks, headNumber: head.number, headTime: head.timestamp)
            } catch {
                drop(peer, error.disconnectReason, "\(error)")
                return
            }
            session.ready.withLock { $0 = true }
            return
        }
        guard decoded.isLightRequest else {
            drop(peer, .breachOfProtocol, "unexpected sfl message 0x\(String(decoded.code, radix: 16)) from a client")
            return
        }
        guard session.inbox.offer(decoded) else {
            drop(peer, .uselessPeer, "more than \(configuration.queueLimit) sfl requests waiting")
            return
        }
    }

    private func drop(_ peer: Peer, _ reason: DisconnectReason, _ why: String) {
        logger.info("light peer dropped: \(why)", metadata: ["peer": "\(peer.remoteKey)"])
        peer.channel.triggerUserOutboundEvent(P2PSessionCommand.disconnect(reason), promise: nil)
    }

    private func post(_ message: LightMessage, to peer: Peer) {
        guard peer.channel.isWritable else { return }
        peer.channel.writeAndFlush(Self.wire(message), promise: nil)
    }

    static func wire(_ message: LightMessage) -> SubProtocolMessage {
        SubProtocolMessage(protocolName: LightProtocol.capability.name, id: message.code, data: message.encoded)
    }

    // MARK: Serving

    private func serve(_ session: Session) async {
        await session.inbox.serve(
            rate: RequestRate(perSecond: configuration.requestsPerSecond, burst: configuration.requestBurst),
            isRequest: { _ in true },
            handle: { request in
                let response = try await answer(request)
                try await session.peer.channel.writeAndFlush(Self.wire(response)).get()
            },
            failed: { error in
                logger.debug("sfl request not served: \(error)", metadata: ["peer": "\(session.peer.remoteKey)"])
            })
    }

    /// The response to one client request.
    func answer(_ request: LightMessage) async throws -> LightMessage {
        let limits = eth.configuration.limits
        switch request {
        case .eth(.getBlockHeaders(let id, let query)):
            return .eth(.blockHeaders(requestId: id, try HeaderRequestServer.answer(query, from: StoredHeaders(chain: eth.chain),
                                                                                    limits: limits)))
        case .eth(.getBlockBodies(let id, let hashes)):
            return .eth(.blockBodies(requestId: id, try eth.bodies(hashes)))
        case .eth(.getReceipts(let id, let hashes)):
            return .eth(.receipts(requestId: id, try eth.receipts(hashes)))
        case .getProofs(let id, let block, let queries):
            return .proofs(requestId: id, try proofs(queries, at: block, limit: limits.softResponseSize))
        case .getTransactionLocations(let id, let hashes):
            return .transactionLocations(requestId: id, try hashes.map { hash in
                try eth.chain.transactionLocation(hash).map { TransactionPosition(blockHash: $0.blockHash, index: UInt64($0.index)) }
            })
        case .sendTransaction(let id, let transaction):
            let error: String
            switch await eth.pool.add([transaction]).first {
            case .failure(let failure): error = failure.description
            default: error = ""
            }
            return .transactionStatus(requestId: id, error: error)
        default:
            throw SyncError.unexpectedResponse(expected: "an sfl request")
        }
    }

    /// Proof paths for `queries` in the state of block `hash`, in order, stopping once `limit` bytes are reached
    /// (the client asks again for the rest). Empty when the block or its state is not kept here (a pruned state),
    /// which the client reads as "ask another server".
    func proofs(_ queries: [ProofQuery], at hash: Hash32, limit: Int) throws -> [ProofNodes] {
        guard let header = try eth.chain.header(hash) else { return [] }
        do {
            let state = try WorldState(reader: eth.chain.store.snapshot(), root: header.stateRoot, snapshot: false)
            var out: [ProofNodes] = []
            var bytes = 0
            for query in queries {
                guard bytes < limit else { break }
                let proof = try state.proof(query.address, slots: query.slots)
                let entry = ProofNodes(account: proof.accountProof, slots: proof.storageProofs.map(\.proof))
                bytes += entry.account.reduce(0) { $0 + $1.count } + entry.slots.joined().reduce(0) { $0 + $1.count }
                out.append(entry)
            }
            return out
        } catch let error as TrieError {
            if case .missingNode = error { return [] }
            throw error
        }
    }

    // MARK: Announcements

    /// Announces every new canonical head to the light clients, by hash and number, until cancelled; they fetch and
    /// verify the header themselves.
    public func announceHeads() async {
        for await event in await eth.blockchain.headEvents() {
            let announcement = LightMessage.eth(.newBlockHashes([BlockHashAnnouncement(hash: event.block.hash, number: event.block.number)]))
            for session in sessions.withLock({ Array($0.values) }) where session.ready.withLock({ $0 }) {
                post(announcement, to: session.peer)
            }
        }
    }
}

extension LightMessage {
    /// Requests a client may make of a server.
    var isLightRequest: Bool {
        switch self {
        case .eth(.getBlockHeaders), .eth(.getBlockBodies), .eth(.getReceipts), .getProofs, .getTransactionLocations,
             .sendTransaction:
            true
        default: false
        }
    }
}
