import SankofaChain
import SankofaContracts
import SankofaPrimitives
import SankofaState

/// What one transaction did.
public struct TransactionResult: Sendable {
    public let gasUsed: UInt64
    public let outcome: CallOutcome?
    public let logs: [Log]
    public let succeeded: Bool
}

/// Applies one transaction to the world state: checks, nonce, fees, value transfer, and dispatch to a system
/// contract (geth's `state_transition.go`, without an EVM).
public struct TransactionProcessor: Sendable {
    public let registry: ContractRegistry
    public let chainId: UInt64
    public let schedule: GasSchedule

    public init(registry: ContractRegistry, chainId: UInt64, schedule: GasSchedule = .standard) {
        self.registry = registry
        self.chainId = chainId
        self.schedule = schedule
    }

    /// Applies `tx` from its already-recovered sender. Throws `ExecutionError` when the transaction cannot be
    /// included; a revert is a successful inclusion with `succeeded == false`.
    public func apply(_ tx: RecoveredTransaction, state: WorldState, block: BlockContext, baseFee: UInt256,
                      gasAvailable: UInt64) throws -> TransactionResult {
        let transaction = tx.transaction
        let sender = tx.sender
        do { try transaction.validate(chainId: chainId) } catch { throw ExecutionError.invalidTransaction(error) }
        guard let to = transaction.to else { throw ExecutionError.contractCreationNotSupported }
        guard transaction.gasLimit <= gasAvailable else {
            throw ExecutionError.blockGasLimitExceeded(used: 0, transactionGas: transaction.gasLimit, limit: gasAvailable)
        }
        let expectedNonce = try state.nonce(sender)
        guard transaction.nonce == expectedNonce else {
            throw ExecutionError.nonceMismatch(sender: sender, expected: expectedNonce, got: transaction.nonce)
        }
        guard transaction.maxFeePerGas >= baseFee else {
            throw ExecutionError.feeCapBelowBaseFee(maxFee: transaction.maxFeePerGas, baseFee: baseFee)
        }
        // EIP-1559 effective price: base fee plus the tip the fee cap leaves room for.
        let tip = min(transaction.maxPriorityFeePerGas, transaction.maxFeePerGas - baseFee)
        let price = baseFee + tip
        let (upfrontGas, _) = transaction.maxFeePerGas.multipliedReportingOverflow(by: UInt256(transaction.gasLimit))
        let (upfront, overflow) = upfrontGas.addingReportingOverflow(transaction.value)
        let balance = try state.balance(sender)
        guard !overflow, balance >= upfront else {
            throw ExecutionError.insufficientFunds(sender: sender, have: balance, need: upfront)
        }

        try state.setNonce(sender, expectedNonce + 1)
        let intrinsic = transaction.intrinsicGas
        var gasUsed = intrinsic
        var outcome: CallOutcome?
        var succeeded = true
        let checkpoint = state.checkpoint()

        if registry.isSystemContract(to) {
            let host = ContractHost(registry: registry, storage: WorldStateContractStorage(state), block: block,
                                    origin: sender, gasLimit: transaction.gasLimit - intrinsic, schedule: schedule)
            let result = try host.execute(to, input: transaction.data, sender: sender, value: transaction.value)
            gasUsed += result.gasUsed
            succeeded = result.succeeded
            outcome = result
            if !succeeded { try state.revert(to: checkpoint) }
        } else if !transaction.value.isZero {
            try state.subtractBalance(sender, transaction.value)
            try state.addBalance(to, transaction.value)
        }

        // Fees: the sender pays gas used at the effective price; the base fee is burned, the tip goes to coinbase.
        if !price.isZero {
            let (fee, _) = price.multipliedReportingOverflow(by: UInt256(gasUsed))
            try state.subtractBalance(sender, fee)
            let (reward, _) = tip.multipliedReportingOverflow(by: UInt256(gasUsed))
            if !reward.isZero { try state.addBalance(block.coinbase, reward) }
        }
        return TransactionResult(gasUsed: gasUsed, outcome: outcome, logs: outcome?.logs ?? [], succeeded: succeeded)
    }
}
