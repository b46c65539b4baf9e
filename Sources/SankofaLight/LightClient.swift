import Logging
import NIOCore
import SankofaBlockchain
import SankofaChain
import SankofaConsensus
import SankofaCrypto
import SankofaP2P
import SankofaPrimitives
import SankofaState
import SankofaSync

/// A light node's view of the network: its `sfl/1` sessions with full nodes, the verified header chain, and
/// queries whose every answer is checked against a verified header before it is used. A server whose answer fails
/// the check is banned (`ban`) and the query is retried with another.
public final class LightClient: Sendable {
    public struct Configuration: Sendable {
        public var networkId: UInt64
        public var limits: EthLimits = .default
        public var requestTimeout: Duration = .seconds(5)
        /// Servers tried per query before giving up.
        public var attempts = 3
        /// A server must send its Status this soon after the session starts.
        public var statusTimeout: Duration = .seconds(5)
        /// Blocks whose bodies and receipts are kept in memory, and proven accounts/slots.
        public var blockCacheSize = 256
        public var proofCacheSize = 65_536

        public init(networkId: UInt64) { self.networkId = networkId }
    }

    public let configuration: Configuration
    public let chain: ChainStore
    let engine: any ConsensusEngine
    let genesisHash: Hash32
    let forks: ForkSchedule
    let logger: Logger
    /// Bans a server that lied (the peer manager's ban, then disconnect).
    let ban: @Sendable (PublicKey) -> Void
    private let sessions = Locked<[PublicKey: LightPeer]>([:])
    let caches: Locked<LightCaches>
    /// Wakes the header sync: a server became ready or announced a head.
    let syncTrigger = WakeSignal()
    /// Serialises header commits (sync and reorgs).
    let headLock = PThreadMutex()
    /// Every header as it is verified and stored (a reorganisation sends the new branch).
    let verifiedHeaders = Broadcast<BlockHeader>(bufferLimit: 256)
    let metrics = LightMetrics()

    public init(configuration: Configuration, chain: ChainStore, engine: any ConsensusEngine, logger: Logger,
                ban: @escaping @Sendable (PublicKey) -> Void) throws {
        self.configuration = configuration
        self.chain = chain
        self.engine = engine
        self.logger = logger
        self.ban = ban
        guard let genesis = try chain.canonicalHash(0) else { throw LightError.unknownBlock("genesis") }
        genesisHash = genesis
        forks = ForkSchedule(genesisHash: genesis, blockForks: [])
        caches = Locked(LightCaches(blocks: configuration.blockCacheSize, proofs: configuration.proofCacheSize))
    }

    /// The verified head.
    public func head() throws -> BlockHeader {
        guard let head = try chain.headHeader() else { throw LightError.unknownBlock("head") }
        return head
    }

    /// Headers as they are verified and stored, from now on (`newHeads`); a listener that stops reading loses the
    /// oldest.
    public func headerUpdates() -> AsyncStream<BlockHeader> { verifiedHeaders.subscribe() }

    /// Servers whose Status handshake passed.
    public var servers: [LightPeer] { sessions.withLock { Array($0.values) }.filter { $0.status != nil } }

    func ourStatus() throws -> EthStatus {
        let head = try head()
        let td = try chain.totalDifficulty(head.hash) ?? head.difficulty
        return EthStatus(networkId: configuration.networkId, totalDifficulty: td, bestHash: head.hash, genesisHash: genesisHash,
                         forkID: forks.forkID(headNumber: head.number, headTime: head.timestamp))
    }

    // MARK: Sessions

    public func peerChanged(_ change: PeerChange) {
        switch change {
        case .connected(let peer):
            guard peer.info.shared.entries.contains(where: { $0.capability == LightProtocol.capability }) else { return }
            let server = LightPeer(peer: peer)
            sessions.withLock { $0.updateValue(server, forKey: peer.remoteKey) }?.requests.close()
            if let status = try? ourStatus() { server.post(.eth(.status(status))) }
            peer.channel.eventLoop.scheduleTask(in: TimeAmount(configuration.statusTimeout)) { [self] in
                guard server.status == nil else { return }
                drop(server, .uselessPeer, "no sfl Status in time")
            }
        case .disconnected(let peer):
            let server = sessions.withLock { sessions -> LightPeer? in
                guard let server = sessions[peer.remoteKey], server.peer === peer else { return nil }
                sessions[peer.remoteKey] = nil
                return server
            }
            server?.requests.close()
            metrics.servers(servers.count)
        }
    }

    public func receive(_ message: SubProtocolMessage, from peer: Peer) {
        guard message.protocolName == LightProtocol.capability.name,
              let server = sessions.withLock({ $0[peer.remoteKey] }), server.peer === peer else { return }
        let decoded: LightMessage
        do {
            decoded = try LightMessage.decode(code: message.id, data: message.data, limits: configuration.limits)
        } catch {
            drop(server, error.disconnectReason, "\(error)")
            return
        }
        if let id = decoded.responseId {
            if server.requests.deliver(requestId: id, decoded).overLimit { drop(server, .breachOfProtocol, "unrequested responses") }
            return
        }
        switch decoded {
        case .eth(.status(let status)):
            guard server.status == nil else { return drop(server, .breachOfProtocol, "a second Status") }
            do {
                let head = try head()
                try ourStatus().validate(remote: status, schedule: forks, headNumber: head.number, headTime: head.timestamp)
            } catch {
                return drop(server, (error as? EthError)?.disconnectReason ?? .subprotocolError, "\(error)")
            }
            server.accept(status)
            metrics.servers(servers.count)
            // Status names the server's head by hash only: its number comes with the header, so that a light node
            // joining an idle chain need not wait for the next block's announcement.
            Task { [self] in
                do {
                    guard let head = try await fetchHeaders(from: server, HeaderQuery(origin: .hash(status.bestHash), amount: 1)).first
                    else { return }
                    server.announce(BlockHashAnnouncement(hash: head.hash, number: head.number))
                    syncTrigger.fire()
                } catch let error as LightError where error.isLie {
                    punish(server, error)
                } catch {
                    logger.debug("server's head not fetched: \(error)", metadata: ["peer": "\(server.remoteKey)"])
                }
            }
        case .eth(.newBlockHashes(let announcements)):
            for announcement in announcements { server.announce(announcement) }
            syncTrigger.fire()
        default:
            drop(server, .breachOfProtocol, "unexpected message 0x\(String(decoded.code, radix: 16)) from a server")
        }
    }

    func drop(_ server: LightPeer, _ reason: DisconnectReason, _ why: String) {
        logger.info("server dropped: \(why)", metadata: ["peer": "\(server.remoteKey)"])
        server.peer.channel.triggerUserOutboundEvent(P2PSessionCommand.disconnect(reason), promise: nil)
    }

    /// A server answered falsely: counted, banned for a time and disconnected.
    func punish(_ server: LightPeer, _ error: LightError) {
        logger.warning("server lied and is banned: \(error)", metadata: ["peer": "\(server.remoteKey)"])
        metrics.lie()
        ban(server.remoteKey)
        drop(server, .breachOfProtocol, "\(error)")
    }

    // MARK: Asking

    /// Runs `query` against up to `attempts` servers, one that announced block `number` if any, until one answers. A server whose
    /// answer fails verification is punished; one that times out or lacks the data is skipped.
    /// With an `affinity`, servers are tried in an order fixed by it (rendezvous hashing), so that one account's
    /// transactions reach the same pool in nonce order while the server set stays the same.
    func ask<T: Sendable>(_ what: String, atLeast number: UInt64 = 0, affinity: Address? = nil,
                          _ query: (LightPeer) async throws -> T) async throws -> T {
        var tried: Set<PublicKey> = []
        var lastFailure = "no full node connected"
        for _ in 0..<configuration.attempts {
            let candidates = servers.filter { !tried.contains($0.remoteKey) }
            let server: LightPeer?
            if let affinity {
                server = candidates.min { Self.rank($0, affinity).lexicographicallyPrecedes(Self.rank($1, affinity)) }
            } else {
                // Any server that has the block, at random: load spreads, and no single server is trusted by habit.
                server = candidates.filter({ ($0.announcedHead?.number ?? 0) >= number }).randomElement() ?? candidates.randomElement()
            }
            guard let server else { break }
            tried.insert(server.remoteKey)
            do {
                return try await query(server)
            } catch let error as LightError where error.isLie {
                punish(server, error)
                lastFailure = error.description
            } catch {
                lastFailure = "\(error)"
            }
        }
        throw LightError.noServerAnswered(what, reason: lastFailure)
    }

    /// A server's rank for `account`: keccak(account ‖ node id), lowest first.
    static func rank(_ server: LightPeer, _ account: Address) -> [UInt8] {
        Keccak256.hash(account.bytes + server.remoteKey.rawBytes).bytes
    }

    /// One request to `server`, with the configured timeout.
    func request(_ server: LightPeer, _ make: (UInt64) -> LightMessage) async throws -> LightMessage {
        try await server.request(timeout: configuration.requestTimeout, make)
    }
}

/// What a light node keeps in memory of answers it verified, bounded (oldest evicted).
struct LightCaches: Sendable {
    var bodies: RecentMap<Hash32, BlockBody>
    var receipts: RecentMap<Hash32, [Receipt]>
    var senders: RecentMap<Hash32, [Address]>
    var accounts: RecentMap<AccountKey, AccountProof>
    var slots: RecentMap<SlotKey, AccountProof.StorageProof>

    struct AccountKey: Hashable, Sendable {
        var stateRoot: Hash32
        var address: Address
    }

    struct SlotKey: Hashable, Sendable {
        var storageRoot: Hash32
        var slot: Hash32
    }

    init(blocks: Int, proofs: Int) {
        bodies = RecentMap(capacity: blocks)
        receipts = RecentMap(capacity: blocks)
        senders = RecentMap(capacity: blocks)
        accounts = RecentMap(capacity: proofs)
        slots = RecentMap(capacity: proofs)
    }
}
