import NIOCore

/// Deadlines of one HTTP connection, so idle and slow clients cannot hold connection slots forever (geth's
/// `IdleTimeout` and `ReadTimeout`): a connection with no request under way is closed after `idle`; a request must
/// arrive whole, headers and body, within `request` of its first byte. While the node works on a request and
/// writes the response, no deadline runs. Lives on the connection's event loop; `RPCHTTPConnectionHandler`, which
/// sees every byte, moves it from phase to phase.
///
/// A phase change only notes the time: one check per connection runs every quarter of the shorter limit and closes
/// a connection whose phase has outlived its limit, so a deadline is kept to within a quarter of it and a request
/// costs no timer of its own (scheduling and cancelling one per phase was a measurable share of a small call).
final class HTTPConnectionTimeouts {
    enum Phase { case idle, reading, responding }

    let idle: TimeAmount
    let request: TimeAmount
    private(set) var phase = Phase.idle
    private var since = NIODeadline.now()
    private var check: Scheduled<Void>?
    private var stopped = false

    init(idle: TimeAmount, request: TimeAmount) {
        self.idle = idle
        self.request = request
    }

    /// How often the deadlines are looked at.
    var interval: TimeAmount { .nanoseconds(max(min(idle, request).nanoseconds / 4, 1_000_000)) }

    func enter(_ next: Phase) {
        phase = next
        since = .now()
    }

    /// Starts the checks; the connection is closed when its phase outlives its limit.
    func start(_ context: ChannelHandlerContext) {
        guard check == nil, !stopped else { return }
        since = .now()
        schedule(context.eventLoop.assumeIsolated(), channel: context.channel)
    }

    func stop() {
        stopped = true
        check?.cancel()
        check = nil
    }

    private func schedule(_ loop: NIOIsolatedEventLoop, channel: any Channel) {
        check = loop.scheduleTask(in: interval) { [self] in
            guard !stopped else { return }
            let limit: TimeAmount?
            switch phase {
            case .idle: limit = idle
            case .reading: limit = request
            case .responding: limit = nil
            }
            if let limit, NIODeadline.now() - since >= limit {
                check = nil
                channel.close(promise: nil)
            } else {
                schedule(loop, channel: channel)
            }
        }
    }
}
