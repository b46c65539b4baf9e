import NIOCore
import SankofaCrypto
import SankofaP2P
import SankofaPrimitives

/// What this node knows of one peer's `eth/68` side: its Status, its best block as it last told us, what it
/// already has (so nothing is sent to it twice), and our requests awaiting its responses, matched by request id
/// (eth/66). Every collection is bounded; the peer cannot grow them.
public final class EthPeer: Sendable, CustomStringConvertible {
    public let peer: Peer

    struct Head: Sendable, Equatable {
        var hash: Hash32
        /// Known once the peer announced it or we fetched the header (Status carries only the hash).
        var number: UInt64?
        var totalDifficulty: UInt256
    }

    private struct State {
        var status: EthStatus?
        var head: Head?
        var knownBlocks = RecentSet<Hash32>(capacity: EthPeer.knownBlocksCapacity)
        var knownTransactions = RecentSet<Hash32>(capacity: EthPeer.knownTransactionsCapacity)
    }

    /// Announced transactions to fetch from this peer, in announcement order, and whether a loop is fetching them.
    /// Holds only hashes claimed in `TransactionGossip`'s in-flight set, so it is bounded by that set.
    private struct Fetches {
        var hashes: [Hash32] = []
        var next = 0
        var fetching = false
    }

    /// geth keeps 1,024 block and 32,768 transaction hashes per peer.
    static let knownBlocksCapacity = 1_024
    static let knownTransactionsCapacity = 32_768

    private let state = Locked(State())
    private let fetches = Locked(Fetches())
    private let requests = PendingRequests<EthMessage>()

    init(peer: Peer) { self.peer = peer }

    public var remoteKey: PublicKey { peer.remoteKey }
    public var description: String { "eth peer \(peer.remoteKey.description.prefix(18))…" }

    /// The peer's Status, once its handshake passed.
    public var status: EthStatus? { state.withLock { $0.status } }
    var head: Head? { state.withLock { $0.head } }

    func accept(_ status: EthStatus) {
        state.withLock {
            $0.status = status
            $0.head = Head(hash: status.bestHash, number: nil, totalDifficulty: status.totalDifficulty)
        }
    }

    /// Moves the peer's known head forward (announcements only ever raise it).
    func advanceHead(hash: Hash32, number: UInt64, totalDifficulty: UInt256?) {
        state.withLock { state in
            guard var head = state.head else { return }
            if let totalDifficulty {
                guard totalDifficulty >= head.totalDifficulty else { return }
                head = Head(hash: hash, number: number, totalDifficulty: totalDifficulty)
            } else if number > (head.number ?? 0) || head.hash == hash {
                head.hash = hash
                head.number = number
            }
            state.head = head
        }
    }

    /// The peer could not produce the head it claimed: it stops counting as ahead until it announces again.
    func forgetHead() {
        state.withLock { state in
            state.head?.number = nil
            state.head?.totalDifficulty = 0
        }
    }

    /// Records the number of the head hash when we learn it.
    func learnHeadNumber(_ number: UInt64, for hash: Hash32) {
        state.withLock { if $0.head?.hash == hash { $0.head?.number = number } }
    }

    func knowsBlock(_ hash: Hash32) -> Bool { state.withLock { $0.knownBlocks.contains(hash) } }
    func markBlock(_ hash: Hash32) { state.withLock { _ = $0.knownBlocks.insert(hash) } }
    func markTransactions(_ hashes: some Sequence<Hash32>) {
        state.withLock { for hash in hashes { $0.knownTransactions.insert(hash) } }
    }
    /// Of `hashes`, those the peer is not known to have; they are marked as known (we are about to send them).
    func takeUnknownTransactions(_ hashes: [Hash32]) -> [Hash32] {
        // `insert` is false for a hash already known: one lookup for each new hash, not two.
        state.withLock { state in hashes.filter { state.knownTransactions.insert($0) } }
    }

    // MARK: Fetching announced transactions

    /// Queues announced hashes for fetching; true when no loop is fetching from this peer yet, and the caller must
    /// start one (it then runs `nextFetch` until that returns nil).
    func queueFetch(_ hashes: [Hash32]) -> Bool {
        fetches.withLock { fetches in
            fetches.hashes.append(contentsOf: hashes)
            defer { fetches.fetching = true }
            return !fetches.fetching
        }
    }

    /// The next at most `limit` queued hashes; nil (and the loop ends) when none are left.
    func nextFetch(limit: Int) -> [Hash32]? {
        fetches.withLock { fetches in
            guard fetches.next < fetches.hashes.count else {
                fetches = Fetches()
                return nil
            }
            if fetches.next >= 4_096, fetches.next * 2 >= fetches.hashes.count {
                // Drop the part already handed out, so a peer that keeps announcing cannot grow the array.
                fetches.hashes.removeFirst(fetches.next)
                fetches.next = 0
            }
            let end = min(fetches.next + limit, fetches.hashes.count)
            defer { fetches.next = end }
            return Array(fetches.hashes[fetches.next..<end])
        }
    }

    // MARK: Sending

    /// Queues `message` without waiting (announcements). Skipped while the peer's socket is backed up, so a peer
    /// that stops reading costs a bounded buffer; returns whether it was queued.
    @discardableResult
    func post(_ message: EthMessage) -> Bool {
        guard peer.channel.isWritable else { return false }
        peer.channel.writeAndFlush(Self.wire(message), promise: nil)
        return true
    }

    /// Sends `message` and waits until it is written (responses: the next request is served only after, so a
    /// peer that asks without reading stalls only itself).
    func send(_ message: EthMessage) async throws {
        try await peer.channel.writeAndFlush(Self.wire(message)).get()
    }

    static func wire(_ message: EthMessage) -> SubProtocolMessage {
        SubProtocolMessage(protocolName: EthProtocol.capability.name, id: message.code.rawValue, data: message.encoded)
    }

    // MARK: Requests

    /// Sends the request `make(id)` builds and waits for the response with the same request id, failing after
    /// `timeout` or when the peer goes.
    func request(timeout: Duration, _ make: (UInt64) -> EthMessage) async throws -> EthMessage {
        try await requests.request(on: peer.channel, timeout: timeout) { Self.wire(make($0)) }
    }

    /// Hands a response to the request waiting for it (see `PendingRequests.deliver`).
    func deliver(requestId: UInt64, _ message: EthMessage) -> (delivered: Bool, overLimit: Bool) {
        requests.deliver(requestId: requestId, message)
    }

    /// The session ended: every waiting request fails.
    func close() { requests.close() }
}
