import SankofaPrimitives

/// Rate cards, metered usage, invoices per period with multi-party approval, settlement against a credit ledger,
/// disputes and credits (DESIGN.md `0x…1004`).
///
/// Money rules: every amount is a `uint256` and every sum, product and debit is checked, reverting with
/// "arithmetic overflow" rather than wrapping; a usage record is billed by at most one invoice; an invoice is paid
/// only once enough distinct BILLING_VERIFIERs approved it (Governance parameter `BILLING_APPROVALS`, default 1),
/// only if it is not disputed, and only from credit the account actually holds.
public struct Billing: SystemContract {
    public let name = "Billing"
    public let address = SystemAddresses.billing

    public init() {}

    /// The Governance parameter holding the number of distinct approvals an invoice needs (unset or 0 means 1).
    public static let approvalsParameter = Keccak256.hash(Array("BILLING_APPROVALS".utf8))

    public static let usageRecorded = ContractEvent("UsageRecorded", [
        ABIParameter("account", .address, indexed: true), ABIParameter("metric", .fixedBytes(32), indexed: true),
        ABIParameter("quantity", .uint(256)), ABIParameter("at", .uint(64))])
    public static let invoiceGenerated = ContractEvent("InvoiceGenerated", [
        ABIParameter("invoiceId", .uint(256), indexed: true), ABIParameter("account", .address, indexed: true),
        ABIParameter("amount", .uint(256))])
    public static let invoiceApproved = ContractEvent("InvoiceApproved", [
        ABIParameter("invoiceId", .uint(256), indexed: true), ABIParameter("verifier", .address, indexed: true)])
    public static let invoiceSettled = ContractEvent("InvoiceSettled", [
        ABIParameter("invoiceId", .uint(256), indexed: true), ABIParameter("amount", .uint(256))])
    public static let invoiceDisputed = ContractEvent("InvoiceDisputed", [
        ABIParameter("invoiceId", .uint(256), indexed: true), ABIParameter("reason", .string)])
    public static let creditIssued = ContractEvent("CreditIssued", [
        ABIParameter("account", .address, indexed: true), ABIParameter("amount", .uint(256)),
        ABIParameter("reason", .fixedBytes(32))])
    public static let rateSet = ContractEvent("RateSet", [
        ABIParameter("metric", .fixedBytes(32), indexed: true), ABIParameter("pricePerUnit", .uint(256))])
    public static let creditDeposited = ContractEvent("CreditDeposited", [
        ABIParameter("account", .address, indexed: true), ABIParameter("amount", .uint(256))])
    public static let disputeResolved = ContractEvent("DisputeResolved", [
        ABIParameter("invoiceId", .uint(256), indexed: true), ABIParameter("amount", .uint(256))])

    public var events: [ContractEvent] {
        [Self.usageRecorded, Self.invoiceGenerated, Self.invoiceApproved, Self.invoiceSettled, Self.invoiceDisputed,
         Self.creditIssued, Self.rateSet, Self.creditDeposited, Self.disputeResolved]
    }

    public var functions: [ContractFunction] {
        let account = ABIParameter("account", .address)
        let metric = ABIParameter("metric", .fixedBytes(32))
        let amount = ABIParameter("amount", .uint(256))
        return [
            ContractFunction("setRate", [metric, ABIParameter("pricePerUnit", .uint(256))],
                             roles: [Roles.billingAdmin]) { call in
                let metric = try call.bytes32(0)
                let price = try call.uint(1)
                guard !metric.isZero else { throw call.revert("metric must not be zero") }
                try call.storeRecord(BillingLayout.rate(metric), RateRecord(pricePerUnit: price, updatedAt: call.block.timestamp))
                try call.emit(Self.rateSet, .fixedBytes(metric.bytes), .uint(price))
                return []
            },
            ContractFunction("rateOf", [metric], returns: [
                ABIParameter("pricePerUnit", .uint(256)), ABIParameter("isSet", .bool), ABIParameter("updatedAt", .uint(64)),
            ], .view) { call in
                guard let rate = try call.loadRecord(RateRecord.self, BillingLayout.rate(try call.bytes32(0))) else {
                    return [.uint(.zero), .bool(false), .uint(.zero)]
                }
                return [.uint(rate.pricePerUnit), .bool(true), .uint(UInt256(rate.updatedAt))]
            },
            ContractFunction("recordUsage", [account, metric, ABIParameter("quantity", .uint(256)), ABIParameter("at", .uint(64))]) { call in
                try Self.recordUsage(call)
            },
            ContractFunction("usageOf", [account, metric], returns: [ABIParameter("total", .uint(256))], .view) { call in
                [.uint(try call.loadUInt(BillingLayout.usageTotal(try call.address(0), try call.bytes32(1))))]
            },
            ContractFunction("usageCount", [account], returns: [ABIParameter("count", .uint(256))], .view) { call in
                [.uint(UInt256(try BillingLayout.usage(try call.address(0)).count(call)))]
            },
            ContractFunction("usageEntry", [account, ABIParameter("index", .uint(256))], returns: [
                metric, ABIParameter("quantity", .uint(256)), ABIParameter("at", .uint(64)),
                ABIParameter("invoiceId", .uint(256)),
            ], .view) { call in
                let account = try call.address(0)
                let rawIndex = try call.uint(1)
                let list = BillingLayout.usage(account)
                let count = try list.count(call)
                guard let index = rawIndex.asUInt64, index < count,
                      let usage = try call.loadRecord(BillingUsageRecord.self, list.itemKey(index)) else {
                    throw call.revert("\(account.checksummed) has \(count) usage records; index \(rawIndex.decimalString) is out of range")
                }
                return [.fixedBytes(usage.metric.bytes), .uint(usage.quantity), .uint(UInt256(usage.at)),
                        .uint(UInt256(usage.invoiceId))]
            },
            ContractFunction("deposit", [account, amount], roles: [Roles.billingAdmin]) { call in
                let account = try call.address(0)
                let amount = try Self.credit(call, account, by: try call.uint(1))
                try call.emit(Self.creditDeposited, .address(account), .uint(amount))
                return []
            },
            ContractFunction("issueCredit", [account, amount, ABIParameter("reason", .fixedBytes(32))]) { call in
                if call.sender != SystemAddresses.serviceLevels { try call.requireRole(Roles.billingAdmin) }
                let account = try call.address(0)
                let amount = try Self.credit(call, account, by: try call.uint(1))
                try call.emit(Self.creditIssued, .address(account), .uint(amount), .fixedBytes(try call.bytes32(2).bytes))
                return []
            },
            ContractFunction("creditOf", [account], returns: [ABIParameter("credit", .uint(256))], .view) { call in
                [.uint(try call.loadUInt(BillingLayout.credit(try call.address(0))))]
            },
            ContractFunction("generateInvoice", [account, ABIParameter("periodStart", .uint(64)), ABIParameter("periodEnd", .uint(64))],
                             returns: [ABIParameter("invoiceId", .uint(256))], roles: [Roles.billingAdmin]) { call in
                try Self.generateInvoice(call)
            },
            ContractFunction("approveInvoice", [ABIParameter("invoiceId", .uint(256))],
                             roles: [Roles.billingVerifier]) { call in try Self.approveInvoice(call) },
            ContractFunction("settleInvoice", [ABIParameter("invoiceId", .uint(256))]) { call in try Self.settleInvoice(call) },
            ContractFunction("disputeInvoice", [ABIParameter("invoiceId", .uint(256)), ABIParameter("reason", .string)]) { call in
                try Self.disputeInvoice(call)
            },
            ContractFunction("resolveDispute", [ABIParameter("invoiceId", .uint(256)), ABIParameter("adjustedAmount", .uint(256))],
                             roles: [Roles.billingAdmin]) { call in try Self.resolveDispute(call) },
            ContractFunction("getInvoice", [ABIParameter("invoiceId", .uint(256))], returns: [
                account, ABIParameter("periodStart", .uint(64)), ABIParameter("periodEnd", .uint(64)), amount,
                ABIParameter("status", .uint(8)), ABIParameter("approvals", .uint(256)),
            ], .view) { call in
                let (_, i) = try Self.invoice(call)
                return [.address(i.account), .uint(UInt256(i.periodStart)), .uint(UInt256(i.periodEnd)), .uint(i.amount),
                        .uint(UInt256(UInt64(i.status))), .uint(UInt256(i.approvals))]
            },
            ContractFunction("invoiceDetails", [ABIParameter("invoiceId", .uint(256))], returns: [
                ABIParameter("createdAt", .uint(64)), ABIParameter("settledAt", .uint(64)),
                ABIParameter("usageRecords", .uint(256)), ABIParameter("disputeReason", .string),
            ], .view) { call in
                let (_, i) = try Self.invoice(call)
                return [.uint(UInt256(i.createdAt)), .uint(UInt256(i.settledAt)), .uint(UInt256(i.usageRecords)),
                        .string(i.disputeReason)]
            },
            ContractFunction("invoicesOf", [account], returns: [ABIParameter("invoiceIds", .array(.uint(256)))], .view) { call in
                [.array(try BillingLayout.invoices(try call.address(0)).all(call).map { .uint(UInt256(bigEndian: $0) ?? .zero) })]
            },
            ContractFunction("invoiceCount", [], returns: [ABIParameter("count", .uint(256))], .view) { call in
                [.uint(try call.loadUInt(BillingLayout.invoiceCount))]
            },
            ContractFunction("hasApproved", [ABIParameter("invoiceId", .uint(256)), ABIParameter("verifier", .address)],
                             returns: [ABIParameter("approved", .bool)], .view) { call in
                let (id, i) = try Self.invoice(call)
                return [.bool(try call.loadBool(BillingLayout.approval(id, round: i.approvalRound, try call.address(1))))]
            },
            ContractFunction("approvalThreshold", [], returns: [ABIParameter("threshold", .uint(256))], .view) { call in
                [.uint(try Self.approvalThreshold(call))]
            },
        ]
    }

    // MARK: Usage and credit

    /// OPERATORs record usage directly; ResourceRegistry records it on the owner's behalf as part of its own
    /// `recordUsage`, so the contract address is accepted as the sender too.
    static func recordUsage(_ call: Call) throws -> [ABIValue] {
        if call.sender != SystemAddresses.resourceRegistry { try call.requireRole(Roles.operator) }
        let account = try call.address(0)
        let metric = try call.bytes32(1)
        let quantity = try call.uint(2)
        let at = try call.uint64(3)
        guard account != .zero else { throw call.revert("account must not be the zero address") }
        guard !metric.isZero else { throw call.revert("metric must not be zero") }
        guard !quantity.isZero else { throw call.revert("quantity must be greater than zero") }
        let totalKey = BillingLayout.usageTotal(account, metric)
        guard let total = try call.loadUInt(totalKey).checkedAdd(quantity) else {
            throw call.revert("arithmetic overflow: usage total of \(account.checksummed) for this metric would exceed 2^256-1")
        }
        try call.storeUInt(totalKey, total)
        let record = BillingUsageRecord(metric: metric, quantity: quantity, at: at, recordedAt: call.block.timestamp,
                                        recorder: call.sender)
        try BillingLayout.usage(account).append(call, record.rlpEncoded)
        try call.emit(Self.usageRecorded, .address(account), .fixedBytes(metric.bytes), .uint(quantity), .uint(UInt256(at)))
        return []
    }

    /// Adds `amount` (> 0) to the account's credit; returns it for the event.
    static func credit(_ call: Call, _ account: Address, by amount: UInt256) throws -> UInt256 {
        guard account != .zero else { throw call.revert("account must not be the zero address") }
        guard !amount.isZero else { throw call.revert("amount must be greater than zero") }
        let key = BillingLayout.credit(account)
        guard let balance = try call.loadUInt(key).checkedAdd(amount) else {
            throw call.revert("arithmetic overflow: credit of \(account.checksummed) would exceed 2^256-1")
        }
        try call.storeUInt(key, balance)
        return amount
    }

    // MARK: Shared helpers

    /// The invoice named by argument 0, which must exist.
    static func invoice(_ call: Call) throws -> (UInt64, InvoiceRecord) {
        let raw = try call.uint(0)
        guard let id = raw.asUInt64, let record = try call.loadRecord(InvoiceRecord.self, BillingLayout.invoice(id)) else {
            throw call.revert("no invoice with id \(raw.decimalString)")
        }
        return (id, record)
    }

    /// Governance's `BILLING_APPROVALS` parameter, read straight from Governance's storage; 1 when unset or 0.
    static func approvalThreshold(_ call: Call) throws -> UInt256 {
        let raw = try call.loadExternal(SystemAddresses.governance, GovernanceLayout.parameter(approvalsParameter))
        let value = UInt256(bigEndian: raw) ?? .zero
        return value.isZero ? .one : value
    }
}
