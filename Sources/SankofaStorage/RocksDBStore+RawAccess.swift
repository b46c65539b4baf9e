/// Direct access to the C handles, for benchmarks that measure this wrapper against raw RocksDB calls in the same
/// run. Not for product code: it bypasses the close gate.
extension RocksDBStore {
    @_spi(Benchmarks)
    public func withRawHandles<R>(_ body: (_ db: OpaquePointer, _ families: [Column: OpaquePointer]) throws -> R) rethrows -> R {
        var byColumn: [Column: OpaquePointer] = [:]
        for column in Column.allCases { byColumn[column] = families[column.slot] }
        return try body(db, byColumn)
    }
}
