import SankofaChain
import SankofaContracts
import SankofaJSON
import SankofaPrimitives
import SankofaState

extension EthNamespace {
    /// The code of system contracts as seen by tools that probe for a contract: one `INVALID` byte, since there is
    /// no EVM bytecode behind them. Plain accounts have no code.
    static let systemContractCode: [UInt8] = [0xfe]
    /// Storage keys one eth_getProof may ask for (each adds several trie nodes to the response).
    static let maxProofKeys = 1_024

    func balance(_ params: RPCParams) async throws -> JSON {
        let address = try params.address(0)
        return .quantity(try await backend.state.account(address, at: try await stateHeader(try params.block(1))).balance)
    }

    func nonce(_ params: RPCParams) async throws -> JSON {
        let address = try params.address(0)
        let tag = try params.block(1)
        if tag == .pending { return .quantity(try await backend.pool.nextNonce(address)) }
        return .quantity(try await backend.state.account(address, at: try await stateHeader(tag)).nonce)
    }

    func code(_ params: RPCParams) async throws -> JSON {
        let address = try params.address(0)
        _ = try await stateHeader(try params.block(1))
        return .data(backend.state.isSystemContract(address) ? Self.systemContractCode : [])
    }

    /// A slot's value: left-padded to 32 bytes as tools expect; system contracts may store longer records, which
    /// are returned whole.
    func storageAt(_ params: RPCParams) async throws -> JSON {
        let address = try params.address(0)
        let key = try Self.slot(try params.string(1), position: 1)
        let value = try await backend.state.storage(address, key, at: try await stateHeader(try params.block(2)))
        return .data(Self.word(value))
    }

    /// EIP-1186 `eth_getProof`. The proof's size is charged against the request's response budget before it is
    /// encoded, so a batch of proofs stops at `--rpc-max-response-size` instead of growing ~80× its request.
    func proof(_ params: RPCParams, budget: RPCRequestBudget?) async throws -> JSON {
        let address = try params.address(0)
        guard let keyList = params.optional(1)?.arrayValue else { throw RPCError.invalidParams("argument 1 must be an array of storage keys") }
        guard keyList.count <= Self.maxProofKeys else { throw RPCError.invalidParams("at most \(Self.maxProofKeys) storage keys per proof") }
        let keys = try keyList.enumerated().map { offset, value in
            guard let text = value.stringValue else { throw RPCError.invalidParams("storage key \(offset) must be a hex string") }
            return try Self.slot(text, position: 1)
        }
        let header = try await stateHeader(try params.block(2))
        let proof = try await backend.state.proof(address, slots: keys, at: header)
        try budget?.check(adding: Self.encodedSize(proof))
        return .object(JSONObject([
            ("address", .address(address)),
            ("accountProof", .array(proof.accountProof.map { .data($0) })),
            ("balance", .quantity(proof.account.balance)),
            ("codeHash", .hash(proof.account.codeHash)),
            ("nonce", .quantity(proof.account.nonce)),
            ("storageHash", .hash(proof.account.storageRoot)),
            ("storageProof", .array(proof.storageProofs.map { slot in
                .object(JSONObject([("key", .hash(slot.key)), ("value", .data(Self.word(slot.value))),
                                    ("proof", .array(slot.proof.map { .data($0) }))]))
            })),
        ]))
    }

    /// About the bytes `proof` takes as JSON: each node as a quoted 0x-hex string, plus each slot's key, value and
    /// field names.
    static func encodedSize(_ proof: AccountProof) -> Int {
        func nodes(_ list: [[UInt8]]) -> Int { list.reduce(0) { $0 + 2 * $1.count + 5 } }
        return 400 + nodes(proof.accountProof) + proof.storageProofs.reduce(0) { $0 + 200 + nodes($1.proof) + 2 * $1.value.count }
    }

    /// Storage keys may be given shorter than 32 bytes ("0x0"); they are left-padded like geth does.
    static func slot(_ text: String, position: Int) throws(RPCError) -> Hash32 {
        guard let value = UInt256(hex: text) else { throw RPCError.invalidParams("argument \(position): \(text) is not a storage key") }
        return Hash32(bytes: value.bigEndianBytes) ?? .zero
    }

    static func word(_ value: [UInt8]) -> [UInt8] {
        value.count >= 32 ? value : [UInt8](repeating: 0, count: 32 - value.count) + value
    }

    // MARK: Calls

    func callRequest(_ object: JSONObject) throws(RPCError) -> CallRequest {
        func address(_ key: String) throws(RPCError) -> Address? {
            guard let text = object[key]?.stringValue else { return nil }
            guard let address = try? Address(hex: text) else { throw RPCError.invalidParams("\(key): \(text) is not an address") }
            return address
        }
        let input = object["input"]?.stringValue ?? object["data"]?.stringValue ?? "0x"
        guard let data = try? Hex.decode(input) else { throw RPCError.invalidParams("input: not hex data") }
        let value = try object["value"].map { value throws(RPCError) in try RPCParams.quantity(value, position: "value") } ?? .zero
        let gas = try object["gas"].map { value throws(RPCError) in try RPCParams.quantity(value, position: "gas") }
        return CallRequest(from: try address("from") ?? .zero, to: try address("to"), data: data, value: value,
                           gas: gas.map { $0.asUInt64 ?? .max }, accessList: try accessList(object["accessList"]))
    }

    /// An EIP-2930 access list: `[{address, storageKeys: [32-byte hex…]}]`.
    func accessList(_ value: JSON?) throws(RPCError) -> AccessList {
        guard let value, !value.isNull else { return [] }
        guard let entries = value.arrayValue else { throw RPCError.invalidParams("accessList must be a list") }
        return try entries.map { entry throws(RPCError) in
            guard let text = entry["address"]?.stringValue, let address = try? Address(hex: text) else {
                throw RPCError.invalidParams("accessList entries need an address and storageKeys")
            }
            let keys = try (entry["storageKeys"]?.arrayValue ?? []).map { key throws(RPCError) in
                guard let text = key.stringValue, let bytes = try? Hex.decode(text), let hash = Hash32(bytes: bytes) else {
                    throw RPCError.invalidParams("accessList storageKeys must be 32-byte hex")
                }
                return hash
            }
            return AccessListEntry(address: address, storageKeys: keys)
        }
    }

    func call(_ params: RPCParams) async throws -> JSON {
        let request = try callRequest(try params.object(0))
        let outcome = try await backend.state.call(request, at: try await stateHeader(try params.block(1)))
        guard outcome.succeeded else { throw Self.failure(outcome) }
        return .data(outcome.output)
    }

    /// The exact gas the call needs: intrinsic plus metered contract work (Sankofa's gas is deterministic, so no
    /// search is needed).
    func estimateGas(_ params: RPCParams) async throws -> JSON {
        let request = try callRequest(try params.object(0))
        guard request.to != nil else {
            throw RPCError.server("contract creation is not supported: Sankofa runs native system contracts, there is no EVM")
        }
        let header = try await stateHeader(try params.block(1, default: .latest))
        let outcome = try await backend.state.call(request, at: header)
        guard outcome.succeeded else { throw Self.failure(outcome) }
        let intrinsic = IntrinsicGas.of(data: request.data, isCreation: false, accessList: request.accessList)
        return .quantity(intrinsic + outcome.gasUsed)
    }

    static func failure(_ outcome: CallOutcome) -> RPCError {
        if case .outOfGas = outcome.error { return .server("out of gas") }
        return .reverted(reason: ABI.decodeRevert(outcome.output), data: outcome.output)
    }
}
