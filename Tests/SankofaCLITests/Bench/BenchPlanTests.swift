import SankofaChain
@testable import SankofaCLI
import SankofaContracts
import SankofaCrypto
import SankofaJSON
import SankofaPrimitives
import Testing

/// The load generator's pure parts: flags, the mix, keys, pre-signing and batch framing, percentiles.
@Suite("bench tx planning")
struct BenchPlanTests {
    @Test(arguments: [
        ("transfer", [BenchKind.transfer]),
        ("transfer,identity", [.transfer, .identity]),
        ("identity=2,transfer", [.identity, .transfer, .identity]),
        ("transfer, resource=3", [.resource, .transfer, .resource, .resource]),
    ])
    func mixParsesIntoAnEvenPattern(text: String, pattern: [BenchKind]) throws {
        let mix = try BenchMix(parsing: text)
        #expect(mix.pattern == pattern)
        #expect(mix.kind(at: pattern.count) == pattern[0])
    }

    @Test(arguments: ["", "transfer,", "swap", "transfer,transfer", "transfer=0", "identity=x", "transfer=1001"])
    func mixRejectsNonsense(text: String) {
        #expect(throws: CLIError.self) { try BenchMix(parsing: text) }
    }

    @Test func mixDescribesItsShares() throws {
        #expect(try BenchMix(parsing: "transfer=3,identity").description == "transfer 75%, identity 25%")
    }

    @Test func endpointsParse() throws {
        let endpoint = try RPCEndpoint(parsing: "http://127.0.0.1:8545")
        #expect(endpoint == RPCEndpoint(host: "127.0.0.1", port: 8545, path: "/"))
        #expect(try RPCEndpoint(parsing: "http://node-1:9000/rpc").path == "/rpc")
        for bad in ["127.0.0.1:8545", "ws://127.0.0.1:8546", "http://127.0.0.1", "http://:8545", "http://h:0", "http://h:70000"] {
            #expect(throws: CLIError.self, "\(bad)") { try RPCEndpoint(parsing: bad) }
        }
    }

    @Test func seededKeysAreRepeatableAndDistinct() {
        let keys = BenchKeys.derive(seed: "s", count: 50)
        #expect(keys == BenchKeys.derive(seed: "s", count: 50))
        #expect(Set(keys.map(\.address)).count == 50)
        #expect(keys[0] != BenchKeys.derive(seed: "t", count: 1)[0])
    }

    @Test func percentilesUseNearestRank() {
        let sample: [UInt64] = Array(1...100)
        #expect(Percentile.of(sample, 50) == 50)
        #expect(Percentile.of(sample, 99) == 99)
        #expect(Percentile.of(sample, 100) == 100)
        #expect(Percentile.of([7], 99) == 7)
        #expect(Percentile.of([1, 2, 3], 50) == 2)
        #expect(Percentile.of([], 50) == nil)
    }

    @Test func rejectionReasonsGroupWithoutParticulars() {
        #expect(BenchLedger.reason("nonce too low: next 5, got 3") == "nonce too low")
        #expect(BenchLedger.reason("txpool is full") == "txpool is full")
    }

    /// 10 transactions from 3 senders starting at nonces 4, 0, 7 over 2 nodes: each sender's nonces rise by one
    /// with no gap or repeat, every transaction is signed by its sender for the chain, and every sender sticks
    /// to one node whose batches list its transactions in nonce order.
    @Test func preSigningGivesEachSenderConsecutiveNonces() throws {
        let keys = BenchKeys.derive(seed: "plan", count: 3)
        let starts: [UInt64] = [4, 0, 7]
        let senders = zip(keys, starts).map { BenchSender(key: $0, address: $0.address, nonce: $1, hasIdentity: false) }
        let plan = try BenchPlan.make(count: 10, senders: senders, mix: try BenchMix(parsing: "transfer,identity,resource"),
                                      chainId: 1337, maxFeePerGas: .zero, nodes: 2, batchSize: 2)
        #expect(plan.transactions.count == 10)
        #expect(Set(plan.transactions.map(\.hash)).count == 10)
        #expect(plan.index.count == 10)
        var registrations = 0
        for (s, sender) in senders.enumerated() {
            let mine = plan.transactions.filter { $0.sender == s }
            #expect(mine.map(\.nonce) == Array(starts[s]..<starts[s] + UInt64(mine.count)))
            for planned in mine {
                var text = planned.rawJSON
                text.removeFirst()
                text.removeLast()
                let tx = try Transaction(raw: try Hex.decode(String(decoding: text, as: UTF8.self)))
                #expect(tx.hash == planned.hash)
                #expect(try tx.recoverSender() == sender.address)
                #expect(tx.chainId == 1337 && tx.nonce == planned.nonce && tx.value.isZero && tx.maxFeePerGas.isZero)
                switch planned.kind {
                case .transfer: #expect(tx.to == senders[(s + 1) % 3].address && tx.data.isEmpty)
                case .identity:
                    #expect(tx.to == SystemAddresses.identityRegistry)
                    if try Self.function(of: tx) == "registerIdentity" { registrations += 1 }
                case .resource:
                    #expect(tx.to == SystemAddresses.resourceRegistry)
                    #expect(try Self.function(of: tx) == "requestResource")
                }
            }
        }
        // An account registers its identity once; its later identity transactions update it.
        let identitySenders = Set(plan.transactions.filter { $0.kind == .identity }.map(\.sender))
        #expect(registrations == identitySenders.count)

        // Batches: each node gets only its senders, in order, at most two per batch, and each body is a JSON-RPC
        // batch whose call ids are positions.
        for (node, batches) in plan.batches.enumerated() {
            let listed = batches.flatMap(\.transactions)
            #expect(listed == plan.transactions.indices.filter { plan.transactions[$0].sender % 2 == node })
            for batch in batches {
                #expect(batch.transactions.count <= 2 && batch.node == node)
                let calls = try #require(try JSONParser.parse(batch.body).arrayValue)
                #expect(calls.count == batch.transactions.count)
                for (position, call) in calls.enumerated() {
                    #expect(call["id"]?.intValue == position)
                    #expect(call["method"] == "eth_sendRawTransaction")
                    let raw = try #require(call["params"]?[0]?.stringValue)
                    #expect(try Transaction(raw: try Hex.decode(raw)).hash == plan.transactions[batch.transactions[position]].hash)
                }
            }
        }
    }

    @Test func aSenderWithAnIdentityOnlyUpdatesIt() throws {
        let key = BenchKeys.derive(seed: "registered", count: 1)[0]
        let plan = try BenchPlan.make(count: 3, senders: [BenchSender(key: key, address: key.address, nonce: 0, hasIdentity: true)],
                                      mix: try BenchMix(parsing: "identity"), chainId: 1, maxFeePerGas: .zero, nodes: 1, batchSize: 10)
        for planned in plan.transactions {
            var text = planned.rawJSON
            text.removeFirst()
            text.removeLast()
            #expect(try Self.function(of: try Transaction(raw: try Hex.decode(String(decoding: text, as: UTF8.self)))) == "updateIdentity")
        }
    }

    /// Sender 0's nonce 1 is rejected: its nonce 2, accepted, can never be included and is counted as blocked
    /// (so the block follower stops waiting for it); sender 1 is untouched.
    @Test func acceptedTransactionsBehindARejectedNonceAreBlocked() throws {
        let keys = BenchKeys.derive(seed: "blocked", count: 2)
        let senders = keys.map { BenchSender(key: $0, address: $0.address, nonce: 0, hasIdentity: false) }
        let plan = try BenchPlan.make(count: 6, senders: senders, mix: try BenchMix(parsing: "transfer"), chainId: 1,
                                      maxFeePerGas: .zero, nodes: 1, batchSize: 6)
        // Index i is sender i % 2 with nonce i / 2.
        let ledger = BenchLedger(count: 6)
        ledger.sent(Array(0..<6), at: 1)
        ledger.answered(Array(0..<6), errors: [nil, nil, "txpool is full", nil, nil, nil], at: 2)
        #expect(ledger.markBlocked(plan.transactions) == 1)
        #expect(ledger.outcome == [.accepted, .accepted, .rejected, .accepted, .blocked, .accepted])
        #expect(ledger.failures == ["txpool is full": 1, BenchLedger.blockedReason: 1])
        #expect(ledger.progress.blocked == 1)
    }

    static func function(of tx: Transaction) throws -> String? {
        let contract = try #require(tx.to.flatMap { SystemContracts.registry.contract(at: $0) })
        return contract.functions.first { $0.selector == Array(tx.data.prefix(4)) }?.name
    }
}
