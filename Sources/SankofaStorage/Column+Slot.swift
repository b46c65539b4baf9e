extension Column {
    /// A dense index 0..<`Column.allCases.count` for array-backed per-column tables (cheaper than hashing the
    /// enum on every operation). The switch is exhaustive, so a new column cannot be forgotten here.
    @inline(__always)
    var slot: Int {
        switch self {
        case .metadata: 0
        case .headers: 1
        case .bodies: 2
        case .receipts: 3
        case .canonical: 4
        case .transactionLookup: 5
        case .trieNodes: 6
        case .snapshotAccounts: 7
        case .snapshotStorage: 8
        }
    }

    /// Number of slots (`Column.allCases.count`).
    static let slotCount = 9
}
