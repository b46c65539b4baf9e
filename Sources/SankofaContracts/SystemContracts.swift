/// Every system contract the chain runs, in address order: the one list that genesis, the executor, RPC and the
/// `Contracts/` export all use.
public enum SystemContracts {
    public static let all: [any SystemContract] = [
        Governance(),
        IdentityRegistry(),
        ResourceRegistry(),
        SupplyChain(),
        Billing(),
        ServiceLevels(),
        ComplianceAudit(),
        NodeRegistry(),
    ]

    /// The dispatch table for `all`.
    public static let registry = ContractRegistry(all)
}
