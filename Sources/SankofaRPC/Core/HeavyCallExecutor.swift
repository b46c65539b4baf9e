#if canImport(Glibc)
import Glibc
#endif
import NIOCore
import NIOPosix

/// Where heavy calls (`RPCLimits.isHeavy`) run: a few threads of their own, at a lower scheduling priority
/// (nice 10), so the kernel gives light calls and the event loops the CPU first and a flood of proofs or log scans
/// uses what is left instead of queueing ahead of `eth_blockNumber` on the cooperative pool. One per process, like
/// NIO's singleton event loop group; `HeavyCallGate` bounds how many requests use it at once.
public final class HeavyCallExecutor: TaskExecutor, @unchecked Sendable {
    /// `@unchecked Sendable`: `pool` is thread-safe and nothing else is stored.
    private let pool: NIOThreadPool
    /// The nice value of the heavy-call threads (0 is normal, 19 the lowest priority).
    static let niceness: Int32 = 10

    public static let shared = HeavyCallExecutor(threads: max(1, System.coreCount - 1))

    init(threads: Int) {
        pool = NIOThreadPool(numberOfThreads: threads)
        pool.start()
    }

    public func enqueue(_ job: consuming ExecutorJob) {
        let job = UnownedJob(job)
        let executor = asUnownedTaskExecutor()
        pool.submit { _ in
            Self.lowerPriority()
            job.runSynchronously(on: executor)
        }
    }

    /// Lowers the calling thread's priority (on Linux `setpriority` with who = 0 applies to the calling thread only);
    /// idempotent, so each job may call it.
    static func lowerPriority() {
        #if os(Linux)
        _ = setpriority(__priority_which_t(PRIO_PROCESS.rawValue), 0, niceness)
        #endif
    }
}
