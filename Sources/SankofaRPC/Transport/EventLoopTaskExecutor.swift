import NIOCore

/// Runs a connection's task on its channel's own event loop (SE-0417 task executor preference), so reading a
/// request from the `NIOAsyncChannel` and writing its answer do not hop between the event loop and the cooperative
/// pool — two thread wake-ups per request, which profiling showed were the largest cost of a small call. Heavy
/// calls still move to `HeavyCallExecutor`, so nothing long runs on the loop.
final class EventLoopTaskExecutor: TaskExecutor, @unchecked Sendable {
    /// `@unchecked Sendable`: event loops are thread-safe and nothing else is stored.
    let loop: any EventLoop

    init(_ loop: any EventLoop) { self.loop = loop }

    func enqueue(_ job: consuming ExecutorJob) {
        let job = UnownedJob(job)
        let executor = asUnownedTaskExecutor()
        loop.execute { job.runSynchronously(on: executor) }
    }
}
