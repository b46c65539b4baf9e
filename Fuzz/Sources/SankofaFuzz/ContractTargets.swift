import SankofaContracts
import SankofaPrimitives

/// Calldata through every system contract's dispatcher on in-memory storage. Byte 0 picks the contract, byte 1
/// the function (its selector is prepended, so argument decoding and the handlers are reached rather than
/// "unknown selector"), byte 2 the sender; the rest is the ABI-encoded argument block. Whatever decodes must
/// survive encode-after-decode unchanged.
let abiTarget = FuzzTarget(name: "abi", summary: "ABI calldata through every system contract's dispatcher",
                           prepare: { _ = SystemContracts.registry; _ = fuzzSenders }) { bytes in
    guard bytes.count >= 3 else { return }
    let contracts = SystemContracts.all
    let contract = contracts[Int(bytes[0]) % contracts.count]
    guard !contract.functions.isEmpty else { return }
    let function = contract.functions[Int(bytes[1]) % contract.functions.count]
    let arguments = Array(bytes[3...])

    let types = function.inputs.map(\.type)
    if let values = try? ABI.decode(arguments, as: types) {
        guard let encoded = try? ABI.encode(values, as: types) else { fuzzFail("decoded ABI values do not encode") }
        guard let again = try? ABI.decode(encoded, as: types) else { fuzzFail("re-encoded ABI values do not decode") }
        if again != values { fuzzFail("ABI encode-after-decode changed the values of \(function.signature)") }
    }

    let host = ContractHost(registry: SystemContracts.registry, storage: InMemoryContractStorage(),
                            block: BlockContext(number: 1, timestamp: 1_700_000_000, coinbase: Address(low: 0xC0),
                                                chainId: 1337),
                            origin: fuzzSenders[Int(bytes[2]) % fuzzSenders.count], gasLimit: 5_000_000,
                            isStatic: bytes[2] & 0x80 != 0)
    do {
        _ = try host.execute(contract.address, input: function.selector + arguments,
                             sender: fuzzSenders[Int(bytes[2]) % fuzzSenders.count])
    } catch {
        fuzzFail("in-memory contract call threw \(error)")
    }
}

private let fuzzSenders: [Address] = [.zero, Address(low: 0x1), Address(low: 0x1000), Address(low: 0xDEAD)]
