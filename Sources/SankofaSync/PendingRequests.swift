import NIOCore
import SankofaP2P
import SankofaPrimitives

/// Our requests to one peer that await responses, matched by request id (eth/66 and `sfl/1`): each waits until
/// its response, a timeout or the end of the session. Responses nobody waits for are counted so that a peer
/// flooding them can be dropped.
public final class PendingRequests<Response: Sendable>: Sendable {
    private struct State {
        var waiting: [UInt64: CheckedContinuation<Response, any Error>] = [:]
        var nextId: UInt64 = 0
        var unrequested = 0
        var closed = false
    }

    /// Responses nobody asked for (or that came after their timeout) tolerated before the peer is dropped.
    static var unrequestedLimit: Int { 32 }

    private let state = Locked(State())

    public init() {}

    /// Writes the request `make(id)` builds to `channel` and waits for the response with that id, failing with
    /// `SyncError.timeout` after `timeout` or `SyncError.peerGone` when the session ends.
    public func request(on channel: any Channel, timeout: Duration, _ make: (UInt64) -> SubProtocolMessage) async throws -> Response {
        let id = state.withLock { state -> UInt64 in
            state.nextId &+= 1
            return state.nextId
        }
        let message = make(id)
        return try await withCheckedThrowingContinuation { continuation in
            let registered = state.withLock { state -> Bool in
                guard !state.closed else { return false }
                state.waiting[id] = continuation
                return true
            }
            guard registered else {
                continuation.resume(throwing: SyncError.peerGone)
                return
            }
            channel.writeAndFlush(message).whenFailure { [self] _ in fail(id, .peerGone) }
            channel.eventLoop.scheduleTask(in: TimeAmount(timeout)) { [self] in fail(id, .timeout) }
        }
    }

    private func fail(_ id: UInt64, _ error: SyncError) {
        state.withLock { $0.waiting.removeValue(forKey: id) }?.resume(throwing: error)
    }

    /// Hands a response to the request waiting for it. False when no request has that id: unrequested or late;
    /// `overLimit` is set once the peer has sent more than `unrequestedLimit` of those.
    public func deliver(requestId: UInt64, _ response: Response) -> (delivered: Bool, overLimit: Bool) {
        let (waiting, overLimit) = state.withLock { state -> (CheckedContinuation<Response, any Error>?, Bool) in
            if let continuation = state.waiting.removeValue(forKey: requestId) { return (continuation, false) }
            state.unrequested += 1
            return (nil, state.unrequested > Self.unrequestedLimit)
        }
        waiting?.resume(returning: response)
        return (waiting != nil, overLimit)
    }

    /// The session ended: every waiting request fails, and later ones fail at once.
    public func close() {
        let waiting = state.withLock { state -> [CheckedContinuation<Response, any Error>] in
            state.closed = true
            defer { state.waiting = [:] }
            return Array(state.waiting.values)
        }
        for continuation in waiting { continuation.resume(throwing: SyncError.peerGone) }
    }
}
