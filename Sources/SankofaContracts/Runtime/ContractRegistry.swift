import SankofaPrimitives

/// The dispatch table of every system contract: selectors and pause keys computed once at start-up.
public struct ContractRegistry: Sendable {
    struct Entry: Sendable {
        let contract: any SystemContract
        let bySelector: [UInt32: ContractFunction]
        let byName: [String: ContractFunction]
        /// Governance's pause flag for this contract, read before every state-changing call.
        let pauseKey: Hash32
    }

    public let contracts: [any SystemContract]
    let entries: [Address: Entry]

    /// Builds the table. Two functions of one contract with the same selector are a programming error.
    public init(_ contracts: [any SystemContract]) {
        self.contracts = contracts
        var entries: [Address: Entry] = [:]
        for contract in contracts {
            var bySelector: [UInt32: ContractFunction] = [:]
            var byName: [String: ContractFunction] = [:]
            for function in contract.functions {
                let key = Self.selectorKey(function.selector)
                precondition(bySelector[key] == nil, "\(contract.name): selector clash at \(function.signature)")
                bySelector[key] = function
                byName[function.name] = function
            }
            entries[contract.address] = Entry(contract: contract, bySelector: bySelector, byName: byName,
                                             pauseKey: PauseLayout.paused(contract.address))
        }
        self.entries = entries
    }

    public func isSystemContract(_ address: Address) -> Bool { entries[address] != nil }

    public func contract(at address: Address) -> (any SystemContract)? { entries[address]?.contract }

    static func selectorKey(_ bytes: some Collection<UInt8>) -> UInt32 {
        bytes.prefix(4).reduce(0) { $0 << 8 | UInt32($1) }
    }
}
