import SankofaPrimitives

/// One peer's requests and announcements waiting to be handled: served one at a time, in order, requests no
/// faster than a `RequestRate`. Bounded: `offer` refuses a message once `limit` wait, and the caller drops the
/// peer, so a peer can slow only itself.
final class PeerInbox<Message: Sendable>: Sendable {
    let limit: Int
    private let waiting = Locked(0)
    private let stream: AsyncStream<Message>
    private let continuation: AsyncStream<Message>.Continuation

    init(limit: Int) {
        self.limit = limit
        (stream, continuation) = AsyncStream<Message>.makeStream()
    }

    /// Queues `message`; false when `limit` messages already wait.
    func offer(_ message: Message) -> Bool {
        let accepted = waiting.withLock { waiting -> Bool in
            guard waiting < limit else { return false }
            waiting += 1
            return true
        }
        if accepted { continuation.yield(message) }
        return accepted
    }

    /// Ends `serve` once the messages already queued are handled.
    func finish() { continuation.finish() }

    /// Handles the queued messages in order until `finish()`; those `isRequest` picks wait for `rate`. Errors go to
    /// `failed` and the next message is served.
    func serve(rate: RequestRate, isRequest: (Message) -> Bool, handle: (Message) async throws -> Void,
               failed: (any Error) -> Void) async {
        var rate = rate
        for await message in stream {
            waiting.withLock { $0 -= 1 }
            do {
                if isRequest(message) {
                    let wait = rate.take()
                    if wait > .zero { try await Task.sleep(for: wait) }
                }
                try await handle(message)
            } catch {
                failed(error)
            }
        }
    }
}
