import SankofaPrimitives

extension Call {
    /// Reads a slot of another system contract's storage, metered like any read (cold 2,100 / warm 100 gas).
    ///
    /// For parameters one contract owns and another obeys, such as Governance's `BILLING_APPROVALS` threshold:
    /// reading the slot directly costs one read, where a cross-contract call would also pay a call's entry gas.
    /// Read-only by construction: there is no matching `storeExternal`.
    func loadExternal(_ contract: Address, _ key: Hash32) throws -> [UInt8] { try host.load(contract, key) }
}
