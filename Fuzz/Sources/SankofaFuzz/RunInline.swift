import Dispatch
import Synchronization

/// Runs an async body to completion on the calling thread: the body's task prefers this executor, whose jobs the
/// caller runs itself, so an input costs no thread hand-over (a detached task and a semaphore cost milliseconds
/// per input under the sanitizers). Jobs that move elsewhere (heavy calls on their own threads) come back here.
final class InlineExecutor: TaskExecutor, Sendable {
    private let jobs = Mutex<[UnownedJob]>([])
    private let ready = DispatchSemaphore(value: 0)

    func enqueue(_ job: consuming ExecutorJob) {
        let job = UnownedJob(job)
        jobs.withLock { $0.append(job) }
        ready.signal()
    }

    func run<T: Sendable>(_ body: @escaping @Sendable () async -> T) -> T {
        let result = Mutex<T?>(nil)
        Task(executorPreference: self) {
            let value = await body()
            result.withLock { $0 = value }
            self.ready.signal()
        }
        while true {
            ready.wait()
            let next = jobs.withLock { $0.isEmpty ? nil : $0.removeFirst() }
            if let next {
                next.runSynchronously(on: asUnownedTaskExecutor())
            } else if let value = result.withLock({ $0 }) {
                return value
            }
        }
    }
}
