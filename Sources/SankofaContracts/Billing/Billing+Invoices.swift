import SankofaPrimitives

/// The invoice lifecycle: generate (pending) → approve (approved at the threshold) → settle (settled), with a
/// dispute (disputed) blocking settlement until a BILLING_ADMIN resolves it back to pending.
extension Billing {
    /// Sums the account's unbilled usage whose `at` lies in [periodStart, periodEnd] at the current rates and marks
    /// each record with the new invoice's id, so no record is ever billed twice. Records outside the period stay
    /// unbilled for a later invoice. Reverts rather than bill a metric that has no rate.
    static func generateInvoice(_ call: Call) throws -> [ABIValue] {
        let account = try call.address(0)
        let periodStart = try call.uint64(1)
        let periodEnd = try call.uint64(2)
        guard periodStart <= periodEnd else {
            throw call.revert("periodStart \(periodStart) is after periodEnd \(periodEnd)")
        }
        guard let previous = try call.loadUInt(BillingLayout.invoiceCount).asUInt64, previous < UInt64.max else {
            throw call.revert("arithmetic overflow: invoice ids are exhausted")
        }
        let id = previous + 1
        let list = BillingLayout.usage(account)
        let count = try list.count(call)
        let cursorKey = BillingLayout.unbilledCursor(account)
        var cursor = try call.loadUInt(cursorKey).asUInt64 ?? 0
        var advancing = true
        var rates: [Hash32: UInt256] = [:]
        var amount = UInt256.zero
        var billed: UInt64 = 0
        var index = cursor
        while index < count {
            let key = list.itemKey(index)
            guard var usage = try call.loadRecord(BillingUsageRecord.self, key) else {
                throw call.revert("usage record \(index) of \(account.checksummed) is missing")
            }
            let inPeriod = usage.invoiceId == 0 && usage.at >= periodStart && usage.at <= periodEnd
            if inPeriod {
                let price = try rates[usage.metric] ?? Self.price(call, usage.metric)
                rates[usage.metric] = price
                guard let cost = usage.quantity.checkedMul(price), let sum = amount.checkedAdd(cost) else {
                    throw call.revert("arithmetic overflow: invoice amount for \(account.checksummed) would exceed 2^256-1")
                }
                amount = sum
                usage.invoiceId = id
                try call.storeRecord(key, usage)
                billed += 1
            }
            if advancing && usage.invoiceId != 0 { cursor = index + 1 } else { advancing = false }
            index += 1
        }
        guard billed > 0 else {
            throw call.revert("no unbilled usage for \(account.checksummed) between \(periodStart) and \(periodEnd)")
        }
        try call.storeUInt(cursorKey, UInt256(cursor))
        try call.storeUInt(BillingLayout.invoiceCount, UInt256(id))
        try call.storeRecord(BillingLayout.invoice(id), InvoiceRecord(
            account: account, periodStart: periodStart, periodEnd: periodEnd, amount: amount,
            createdAt: call.block.timestamp, usageRecords: billed))
        try BillingLayout.invoices(account).append(call, StorageKey.number(id))
        try call.emit(Self.invoiceGenerated, .uint(UInt256(id)), .address(account), .uint(amount))
        return [.uint(UInt256(id))]
    }

    /// The price per unit of `metric`; a metric without a rate card entry cannot be invoiced.
    static func price(_ call: Call, _ metric: Hash32) throws -> UInt256 {
        guard let rate = try call.loadRecord(RateRecord.self, BillingLayout.rate(metric)) else {
            throw call.revert("no rate set for metric \(metric.hex): a BILLING_ADMIN must call setRate first")
        }
        return rate.pricePerUnit
    }

    /// One approval per distinct BILLING_VERIFIER per approval round, never by the billed account itself, and
    /// no more than the threshold needs.
    static func approveInvoice(_ call: Call) throws -> [ABIValue] {
        var (id, invoice) = try invoice(call)
        switch InvoiceStatus(rawValue: invoice.status) {
        case .pending, .approved: break
        case .settled: throw call.revert("invoice \(id) is already settled")
        case .disputed: throw call.revert("invoice \(id) is disputed: a BILLING_ADMIN must resolve the dispute before it can be approved")
        case nil: throw call.revert("invoice \(id) has unknown status \(invoice.status)")
        }
        guard call.sender != invoice.account else {
            throw call.revert("the billed account \(invoice.account.checksummed) cannot approve its own invoice")
        }
        let key = BillingLayout.approval(id, round: invoice.approvalRound, call.sender)
        guard try !call.loadBool(key) else {
            throw call.revert("\(call.sender.checksummed) has already approved invoice \(id)")
        }
        let threshold = try approvalThreshold(call)
        guard UInt256(invoice.approvals) < threshold else {
            throw call.revert("invoice \(id) already has the \(threshold.decimalString) approvals it needs")
        }
        let (approvals, overflow) = invoice.approvals.addingReportingOverflow(1)
        guard !overflow else { throw call.revert("arithmetic overflow: approval count of invoice \(id)") }
        invoice.approvals = approvals
        invoice.status = (UInt256(approvals) >= threshold ? InvoiceStatus.approved : .pending).rawValue
        try call.storeBool(key, true)
        try call.storeRecord(BillingLayout.invoice(id), invoice)
        try call.emit(Self.invoiceApproved, .uint(UInt256(id)), .address(call.sender))
        return []
    }

    /// Pays the invoice from the account's credit. The threshold is re-read here, so a threshold Governance raised
    /// after the approvals were given still applies.
    static func settleInvoice(_ call: Call) throws -> [ABIValue] {
        var (id, invoice) = try invoice(call)
        guard try call.sender == invoice.account || call.hasRole(Roles.billingAdmin, call.sender) else {
            throw call.revert("only the billed account \(invoice.account.checksummed) or a BILLING_ADMIN may settle invoice \(id)")
        }
        switch InvoiceStatus(rawValue: invoice.status) {
        case .pending, .approved: break
        case .settled: throw call.revert("invoice \(id) is already settled")
        case .disputed: throw call.revert("invoice \(id) is disputed (\"\(invoice.disputeReason)\"): it cannot be settled until a BILLING_ADMIN resolves the dispute")
        case nil: throw call.revert("invoice \(id) has unknown status \(invoice.status)")
        }
        let threshold = try approvalThreshold(call)
        guard UInt256(invoice.approvals) >= threshold else {
            throw call.revert("invoice \(id) has \(invoice.approvals) of the \(threshold.decimalString) approvals it needs from BILLING_VERIFIERs")
        }
        let creditKey = BillingLayout.credit(invoice.account)
        let credit = try call.loadUInt(creditKey)
        guard let remaining = credit.checkedSub(invoice.amount) else {
            throw call.revert("insufficient credit: \(invoice.account.checksummed) has \(credit.decimalString), invoice \(id) needs \(invoice.amount.decimalString); deposit more credit first")
        }
        try call.storeUInt(creditKey, remaining)
        invoice.status = InvoiceStatus.settled.rawValue
        invoice.settledAt = call.block.timestamp
        try call.storeRecord(BillingLayout.invoice(id), invoice)
        try call.emit(Self.invoiceSettled, .uint(UInt256(id)), .uint(invoice.amount))
        return []
    }

    static func disputeInvoice(_ call: Call) throws -> [ABIValue] {
        var (id, invoice) = try invoice(call)
        let reason = try call.string(1)
        guard call.sender == invoice.account else {
            throw call.revert("only the billed account \(invoice.account.checksummed) may dispute invoice \(id)")
        }
        switch InvoiceStatus(rawValue: invoice.status) {
        case .pending, .approved: break
        case .settled: throw call.revert("invoice \(id) is already settled and can no longer be disputed")
        case .disputed: throw call.revert("invoice \(id) is already disputed")
        case nil: throw call.revert("invoice \(id) has unknown status \(invoice.status)")
        }
        guard !reason.isEmpty else { throw call.revert("reason must not be empty: say what is wrong with the invoice") }
        invoice.status = InvoiceStatus.disputed.rawValue
        invoice.disputeReason = reason
        try call.storeRecord(BillingLayout.invoice(id), invoice)
        try call.emit(Self.invoiceDisputed, .uint(UInt256(id)), .string(reason))
        return []
    }

    /// Ends a dispute with an amount no higher than the disputed one (the same amount rejects the dispute; a lower
    /// one corrects the invoice). The invoice goes back to pending and needs a fresh round of approvals, since the
    /// verifiers approved a different figure.
    static func resolveDispute(_ call: Call) throws -> [ABIValue] {
        var (id, invoice) = try invoice(call)
        let adjusted = try call.uint(1)
        guard invoice.status == InvoiceStatus.disputed.rawValue else {
            throw call.revert("invoice \(id) is not disputed (status \(invoice.status))")
        }
        guard adjusted <= invoice.amount else {
            throw call.revert("adjusted amount \(adjusted.decimalString) exceeds the disputed amount \(invoice.amount.decimalString): resolving a dispute can only lower an invoice")
        }
        let (round, overflow) = invoice.approvalRound.addingReportingOverflow(1)
        guard !overflow else { throw call.revert("arithmetic overflow: approval round of invoice \(id)") }
        invoice.amount = adjusted
        invoice.status = InvoiceStatus.pending.rawValue
        invoice.approvals = 0
        invoice.approvalRound = round
        try call.storeRecord(BillingLayout.invoice(id), invoice)
        try call.emit(Self.disputeResolved, .uint(UInt256(id)), .uint(adjusted))
        return []
    }
}
