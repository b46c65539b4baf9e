import Foundation
import Prometheus
import SankofaPrimitives

/// The process metrics every Prometheus client library exports, read at each scrape: `process_cpu_seconds_total`
/// (user and system time) and `process_resident_memory_bytes`. Dashboards divide the first by the transaction
/// counters to get CPU per transaction, and `sankofa bench tx --metrics` reads it around a run.
final class ProcessMetrics: ScrapedMetrics {
    private let cpu: Counter
    private let resident: Gauge
    /// CPU seconds already added to `cpu` (a counter only moves by increments).
    private let counted = Locked(0.0)

    /// One per registry (the metrics server makes it): each instance adds all the CPU the process has used since it
    /// started to the registry's shared counter.
    init(registry: PrometheusCollectorRegistry) {
        cpu = registry.makeCounter(descriptor: MetricNameDescriptor(
            metricName: "process_cpu_seconds_total", unitName: "", helpText: "User and system CPU time spent in seconds."))
        resident = registry.makeGauge(descriptor: MetricNameDescriptor(
            metricName: "process_resident_memory_bytes", unitName: "", helpText: "Resident memory size in bytes."))
    }

    /// Reads the figures now.
    func update() {
        let seconds = Self.cpuSeconds()
        counted.withLock { counted in
            guard seconds > counted else { return }
            cpu.increment(by: seconds - counted)
            counted = seconds
        }
        if let bytes = Self.residentBytes() { resident.set(Int64(bytes)) }
    }

    static func cpuSeconds() -> Double {
        var usage = rusage()
        guard getrusage(RUSAGE_SELF.rawValue, &usage) == 0 else { return 0 }
        func seconds(_ time: timeval) -> Double { Double(time.tv_sec) + Double(time.tv_usec) / 1e6 }
        return seconds(usage.ru_utime) + seconds(usage.ru_stime)
    }

    /// The second field of `/proc/self/statm` (resident pages) times the page size; nil where there is no procfs.
    static func residentBytes() -> Int? {
        guard let text = try? String(contentsOfFile: "/proc/self/statm", encoding: .utf8) else { return nil }
        let fields = text.split(separator: " ")
        guard fields.count > 1, let pages = Int(fields[1]) else { return nil }
        return pages * sysconf(Int32(_SC_PAGESIZE))
    }
}
