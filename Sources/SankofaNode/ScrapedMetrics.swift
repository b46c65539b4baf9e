/// Figures read when Prometheus scrapes rather than recorded as they change (the process's CPU and memory,
/// RocksDB's memory): `MetricsHandler` updates each just before it writes the registry out.
protocol ScrapedMetrics: Sendable {
    /// Reads the figures now.
    func update()
}
