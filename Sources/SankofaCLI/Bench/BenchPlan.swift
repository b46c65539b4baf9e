import Dispatch
import SankofaChain
import SankofaContracts
import SankofaCrypto
import SankofaPrimitives

/// What a benchmark transaction does. Every kind is callable by any account without a role or a balance on a
/// free-gas chain: a zero-value transfer to another sender, IdentityRegistry self-registration (then
/// `updateIdentity` for the sender's later identity transactions, since an account registers once), and
/// ResourceRegistry `requestResource`.
enum BenchKind: String, Sendable, CaseIterable {
    case transfer, identity, resource

    /// Gas limit per kind: a transfer's intrinsic 21000; contract calls get a generous fixed limit (gas is free).
    var gasLimit: UInt64 { self == .transfer ? 21_000 : 300_000 }
}

/// `--mix transfer,identity=2,resource`: kinds with integer weights (default 1), interleaved deterministically so
/// that every stretch of the run has the same proportions.
struct BenchMix: Sendable, Equatable, CustomStringConvertible {
    let weights: [(kind: BenchKind, weight: Int)]
    /// One period of the interleaving: each kind repeated by its weight, spread out (smooth weighted round robin).
    let pattern: [BenchKind]

    init(parsing text: String) throws(CLIError) {
        let expected = "KIND[=WEIGHT],… with kinds transfer, identity, resource (e.g. transfer,identity=2)"
        var weights: [(kind: BenchKind, weight: Int)] = []
        for item in text.split(separator: ",", omittingEmptySubsequences: false) {
            let parts = item.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            guard let kind = BenchKind(rawValue: String(parts[0]).trimmingCharacters(in: " ").lowercased()),
                  !weights.contains(where: { $0.kind == kind })
            else { throw .invalidFlag(flag: "--mix", expected: expected) }
            var weight = 1
            if parts.count == 2 {
                guard let parsed = Int(String(parts[1]).trimmingCharacters(in: " ")), (1...1_000).contains(parsed) else {
                    throw .invalidFlag(flag: "--mix", expected: expected)
                }
                weight = parsed
            }
            weights.append((kind, weight))
        }
        guard !weights.isEmpty else { throw .invalidFlag(flag: "--mix", expected: expected) }
        self.weights = weights
        // Smooth weighted round robin (as nginx balances upstreams): weights 2,1 give a,b,a rather than a,a,b.
        let total = weights.reduce(0) { $0 + $1.weight }
        var current = [Int](repeating: 0, count: weights.count)
        var pattern: [BenchKind] = []
        for _ in 0..<total {
            for i in weights.indices { current[i] += weights[i].weight }
            let best = current.indices.max { current[$0] < current[$1] || (current[$0] == current[$1] && $0 > $1) } ?? 0
            current[best] -= total
            pattern.append(weights[best].kind)
        }
        self.pattern = pattern
    }

    /// The kind of the transaction at `index` in the run.
    func kind(at index: Int) -> BenchKind { pattern[index % pattern.count] }

    func contains(_ kind: BenchKind) -> Bool { weights.contains { $0.kind == kind } }

    /// `transfer 67%, identity 33%`.
    var description: String {
        let total = Double(pattern.count)
        return weights.map { "\($0.kind.rawValue) \(Int((Double($0.weight) / total * 100).rounded()))%" }.joined(separator: ", ")
    }

    static func == (lhs: BenchMix, rhs: BenchMix) -> Bool { lhs.pattern == rhs.pattern }
}

/// Sender keys: derived from a seed (keccak(seed ‖ index), so a run is repeatable) or fresh random ones.
enum BenchKeys {
    static func derive(seed: String, count: Int) -> [PrivateKey] {
        (0..<count).map { index in
            var counter: UInt32 = 0
            while true {
                let material = Array("sankofa-bench:\(seed):\(index):\(counter)".utf8)
                if let key = try? PrivateKey(bytes: Keccak256.hash(material).bytes) { return key }
                counter += 1 // a hash outside 0 < k < n: practically never
            }
        }
    }

    static func random(count: Int) throws(CryptoError) -> [PrivateKey] {
        var keys: [PrivateKey] = []
        keys.reserveCapacity(count)
        for _ in 0..<count { keys.append(try PrivateKey.generate()) }
        return keys
    }
}

/// One sender as the chain knows it before the run.
struct BenchSender: Sendable {
    let key: PrivateKey
    let address: Address
    /// The next nonce (the node's pending count).
    var nonce: UInt64
    /// Whether IdentityRegistry already holds an identity for it (then identity transactions update it).
    var hasIdentity: Bool
}

/// A pre-signed transaction and what the run needs to know about it.
struct BenchTransaction: Sendable {
    let hash: Hash32
    let kind: BenchKind
    let sender: Int
    let nonce: UInt64
    /// `"0x…"` with the quotes: the raw transaction as a JSON string, ready to paste into a batch.
    let rawJSON: [UInt8]
}

/// One `eth_sendRawTransaction` batch for one node: the request body is built before the clock starts.
struct BenchBatch: Sendable {
    let node: Int
    /// Indices into the plan's transactions, in the order of the batch (call id = position).
    let transactions: [Int]
    let body: [UInt8]
}

/// Everything signed and framed before the first send, so the generator spends its run on I/O only.
struct BenchPlan: Sendable {
    let transactions: [BenchTransaction]
    /// Per node, its batches in sending order.
    let batches: [[BenchBatch]]
    /// Hash → index into `transactions`, for matching block contents.
    let index: [Hash32: Int]

    /// Transaction `i` goes to sender `i % senders` with that sender's next nonce (so each sender's nonces rise by
    /// one per round), does `mix.kind(at: i)`, and is sent to node `sender % nodes` so that every node sees each of
    /// its senders' nonces in order.
    static func make(count: Int, senders: [BenchSender], mix: BenchMix, chainId: UInt64, maxFeePerGas: UInt256,
                     nodes: Int, batchSize: Int) throws -> BenchPlan {
        precondition(!senders.isEmpty && nodes > 0 && batchSize > 0)
        var nonces = senders.map(\.nonce)
        var registered = senders.map(\.hasIdentity)
        var payloads: [(Transaction.Payload, BenchKind, Int)] = []
        payloads.reserveCapacity(count)
        for i in 0..<count {
            let s = i % senders.count
            let kind = mix.kind(at: i)
            let (to, data) = try call(kind, sender: senders[s], index: i, registered: &registered[s],
                                      recipient: senders[(s + 1) % senders.count].address)
            payloads.append((.dynamicFee(DynamicFeeTransaction(
                chainId: chainId, nonce: nonces[s], maxPriorityFeePerGas: .zero, maxFeePerGas: maxFeePerGas,
                gasLimit: kind.gasLimit, to: to, value: .zero, data: data, accessList: [])), kind, s))
            nonces[s] += 1
        }
        let transactions = sign(payloads, keys: senders.map(\.key))
        var index: [Hash32: Int] = [:]
        index.reserveCapacity(count)
        for (i, tx) in transactions.enumerated() { index[tx.hash] = i }
        var perNode = [[Int]](repeating: [], count: nodes)
        for i in transactions.indices { perNode[transactions[i].sender % nodes].append(i) }
        let batches = perNode.enumerated().map { node, indices in
            stride(from: 0, to: indices.count, by: batchSize).map { start in
                let slice = Array(indices[start..<min(start + batchSize, indices.count)])
                return BenchBatch(node: node, transactions: slice, body: body(slice.map { transactions[$0].rawJSON }))
            }
        }
        return BenchPlan(transactions: transactions, batches: batches, index: index)
    }

    /// The call a transaction of `kind` makes.
    static func call(_ kind: BenchKind, sender: BenchSender, index: Int, registered: inout Bool,
                     recipient: Address) throws -> (Address, [UInt8]) {
        switch kind {
        case .transfer:
            return (recipient, [])
        case .identity:
            let registry = SystemAddresses.identityRegistry
            let attributes = Keccak256.hash(Array("bench-attributes:\(index)".utf8))
            if registered {
                return (registry, try encode(registry, "updateIdentity", [.string("bench://\(index)"), .fixedBytes(attributes.bytes)]))
            }
            registered = true
            // A DID unique to the account, so that no two senders (and no rerun with the same seed) collide.
            let did = Keccak256.hash(Array("did:sankofa:bench:".utf8) + sender.address.bytes)
            return (registry, try encode(registry, "registerIdentity",
                                         [.fixedBytes(did.bytes), .string("bench://\(index)"), .fixedBytes(attributes.bytes)]))
        case .resource:
            let registry = SystemAddresses.resourceRegistry
            return (registry, try encode(registry, "requestResource", [
                .fixedBytes(Keccak256.hash(Array("bench-vm".utf8)).bytes), .string("bench-\(index)"),
                .fixedBytes(Keccak256.hash(Array("bench-region".utf8)).bytes), .uint(UInt256(UInt64(index % 3 + 1))),
            ]))
        }
    }

    /// ABI call data for a system contract function, looked up by name in the contract's own declaration.
    static func encode(_ contract: Address, _ name: String, _ values: [ABIValue]) throws -> [UInt8] {
        guard let function = SystemContracts.registry.contract(at: contract)?.functions.first(where: { $0.name == name }) else {
            throw CLIError.failed("internal: no function \(name) at \(contract.hex)")
        }
        return function.selector + (try ABI.encode(values, as: function.inputs.map(\.type)))
    }

    /// Signs on every core: signing dominates preparation (about 20k signatures a second per core).
    static func sign(_ payloads: [(Transaction.Payload, BenchKind, Int)], keys: [PrivateKey]) -> [BenchTransaction] {
        let chunk = 256
        let chunks = (payloads.count + chunk - 1) / chunk
        let signed = UnsafeMutableBufferPointer<BenchTransaction?>.allocate(capacity: payloads.count)
        signed.initialize(repeating: nil)
        defer { signed.deallocate() }
        let output = UnsafeSendable(signed)
        DispatchQueue.concurrentPerform(iterations: chunks) { c in
            for i in c * chunk..<min((c + 1) * chunk, payloads.count) {
                let (payload, kind, sender) = payloads[i]
                let tx = payload.signed(with: keys[sender])
                var raw: [UInt8] = [UInt8(ascii: "\"")]
                raw += Array(Hex.encode(tx.encoded).utf8)
                raw.append(UInt8(ascii: "\""))
                output.value[i] = BenchTransaction(hash: tx.hash, kind: kind, sender: sender, nonce: tx.nonce, rawJSON: raw)
            }
        }
        return signed.map { $0! }
    }

    /// `[{"jsonrpc":"2.0","id":0,"method":"eth_sendRawTransaction","params":["0x…"]},…]`.
    static func body(_ raws: [[UInt8]]) -> [UInt8] {
        var out: [UInt8] = [UInt8(ascii: "[")]
        out.reserveCapacity(raws.reduce(0) { $0 + $1.count + 80 })
        for (id, raw) in raws.enumerated() {
            if id > 0 { out.append(UInt8(ascii: ",")) }
            out += Array(#"{"jsonrpc":"2.0","id":\#(id),"method":"eth_sendRawTransaction","params":["#.utf8)
            out += raw
            out += Array("]}".utf8)
        }
        out.append(UInt8(ascii: "]"))
        return out
    }
}

/// Hands a buffer to `concurrentPerform`'s workers, each of which writes disjoint elements.
struct UnsafeSendable<T>: @unchecked Sendable {
    let value: T
    init(_ value: T) { self.value = value }
}
