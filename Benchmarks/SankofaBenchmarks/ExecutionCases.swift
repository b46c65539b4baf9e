import Foundation
import SankofaChain
import SankofaClique
import SankofaContracts
import SankofaCrypto
import SankofaExecution
import SankofaPrimitives
import SankofaState
import SankofaStorage
import SankofaTrie

/// Issue 4's figure: executor throughput on a 1,000-transaction block of IdentityRegistry `attest` and
/// `grantRole` calls, with senders already recovered (as after pool admission) and with recovery included; the
/// same for a block of all eight contracts, and for one shaped like the network benchmark's (issue 14).
enum ExecutionCases {
    static func all() -> [BenchmarkCase] {
        // Measure only a block that executes fully successfully, so a regression cannot pass as a speed-up.
        guard let fixture = try? ExecutionFixture(), fixture.execute(fixture.block) != nil,
              fixture.execute(fixture.mixed) != nil, fixture.execute(fixture.networkMix) != nil else {
            print("execution fixture failed to build or execute; execution cases skipped")
            return []
        }
        return [
            BenchmarkCase(name: "execution/block-1k-recovered", bytesPerOp: 0, itemsPerOp: fixture.block.count,
                          baseline: "secp256k1/raw-recover") { n in
                for _ in 0..<n { blackHole(fixture.execute(fixture.block)) }
            },
            BenchmarkCase(name: "execution/block-1k-mixed-contracts", bytesPerOp: 0, itemsPerOp: fixture.mixed.count,
                          baseline: "secp256k1/raw-recover") { n in
                for _ in 0..<n { blackHole(fixture.execute(fixture.mixed)) }
            },
            BenchmarkCase(name: "execution/block-1k-network-mix", bytesPerOp: 0, itemsPerOp: fixture.networkMix.count,
                          baseline: "secp256k1/raw-recover") { n in
                for _ in 0..<n { blackHole(fixture.execute(fixture.networkMix)) }
            },
            BenchmarkCase(name: "execution/block-1k-with-recovery", bytesPerOp: 0, itemsPerOp: fixture.block.count,
                          baseline: "secp256k1/raw-recover") { n in
                for _ in 0..<n {
                    let recovered = fixture.raw.compactMap { try? Transaction(raw: $0).recovered() }
                    blackHole(fixture.execute(recovered))
                }
            },
        ]
    }
}

/// A dev chain whose admin has registered 500 identities, and a block of 500 `attest` + 500 `grantRole` calls; and
/// 500 more senders with their own identities, for a block shaped like the network benchmark's.
final class ExecutionFixture {
    let store = MemoryStore()
    let executor = BlockExecutor(processor: TransactionProcessor(registry: SystemContracts.registry, chainId: 1337))
    var root = Hash32.zero
    var header: BlockHeader
    var block: [RecoveredTransaction] = []
    var raw: [[UInt8]] = []
    /// 1,000 calls spread over all eight contracts.
    var mixed: [RecoveredTransaction] = []
    /// What the network benchmark sends once every sender has an identity: from each of 500 senders, a transfer and
    /// an IdentityRegistry `updateIdentity`.
    var networkMix: [RecoveredTransaction] = []

    init() throws {
        let admin = try PrivateKey(hex: "0xc87509a1c067bbde78beb793e6fa76530b6382a4c0241e5e4a9ec0a0f44dc0d3")
        let genesisURL = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("Genesis/dev.json")
        let chain = try ChainStore(store: store)
        let file = try GenesisFile(json: Data(contentsOf: genesisURL))
        let genesis = try Genesis.initialize(file, validators: try CliqueEngine.genesisValidators(file), chain: chain)
        let accounts = (0..<500).map { Address(low: UInt32(0x10_0000 + $0)) }
        func send(_ to: Address, _ data: [UInt8], nonce: UInt64, from key: PrivateKey) -> Transaction {
            Transaction.Payload.dynamicFee(DynamicFeeTransaction(
                chainId: 1337, nonce: nonce, maxPriorityFeePerGas: .zero, maxFeePerGas: .zero,
                gasLimit: data.isEmpty ? 21_000 : 500_000, to: to, value: .zero, data: data, accessList: [])).signed(with: key)
        }
        func call(_ contract: Address, _ name: String, _ args: [ABIValue], nonce: UInt64, from key: PrivateKey? = nil) throws -> Transaction {
            guard let function = SystemContracts.registry.contract(at: contract)?.functions.first(where: { $0.name == name }) else {
                throw ContractError.revert("no \(name)")
            }
            return send(contract, function.selector + (try ABI.encode(args, as: function.inputs.map(\.type))), nonce: nonce,
                        from: key ?? admin)
        }
        var nonce: UInt64 = 0
        var setup: [RecoveredTransaction] = []
        func word(_ text: String) -> ABIValue { .fixedBytes(Keccak256.hash(Array(text.utf8)).bytes) }
        for (contract, name, args) in [
            (SystemAddresses.billing, "setRate", [word("cpu"), .uint(UInt256(3))]),
            (SystemAddresses.resourceRegistry, "requestResource", [word("vm"), .string("spec"), word("region"), .uint(UInt256(1))]),
            (SystemAddresses.resourceRegistry, "markProvisioned", [.uint(UInt256(1)), .string("vm-1")]),
            (SystemAddresses.serviceLevels, "createAgreement", [.address(admin.address), .address(accounts[0]), word("uptime"),
                                                                 .uint(UInt256(9_990)), .uint(UInt256(60)), .uint(UInt256(1))]),
        ] as [(Address, String, [ABIValue])] {
            setup.append(try call(contract, name, args, nonce: nonce).recovered())
            nonce += 1
        }
        for account in accounts {
            let did = Keccak256.hash(account.bytes)
            setup.append(try call(SystemAddresses.identityRegistry, "registerIdentityFor",
                                  [.address(account), .fixedBytes(did.bytes), .string("ipfs://id"), .fixedBytes(did.bytes)],
                                  nonce: nonce).recovered())
            nonce += 1
        }
        // The network benchmark's senders (`bench tx --mix transfer,identity`): each registered its own identity.
        let senders = try (0..<500).map { try PrivateKey(bytes: Keccak256.hash(Array("bench sender \($0)".utf8)).bytes) }
        for (i, key) in senders.enumerated() {
            let did = word("did:sankofa:bench:\(i)")
            setup.append(try call(SystemAddresses.identityRegistry, "registerIdentity", [did, .string("bench://\(i)"), did],
                                  nonce: 0, from: key).recovered())
        }
        header = BlockHeader(parentHash: genesis.hash, coinbase: .zero, stateRoot: .zero, difficulty: UInt256(2), number: 1,
                             gasLimit: 1_000_000_000, gasUsed: 0, timestamp: 1_700_000_000, extraData: [], baseFeePerGas: .zero)
        let state = try WorldState(reader: store, root: genesis.header.stateRoot, snapshot: true)
        _ = try executor.execute(setup, header: header, state: state)
        let commit = try state.commit()
        try store.write(commit.batch, sync: false)
        root = commit.root
        header.number = 2
        let claim = Keccak256.hash(Array("KYC".utf8))
        var mixedNonce = nonce  // both blocks are measured on the same pre-state
        for i in 0..<125 {
            let tag = "\(i)"
            let calls: [(Address, String, [ABIValue])] = [
                (SystemAddresses.identityRegistry, "attest", [.address(accounts[i]), word("KYC"), word(tag), .uint(UInt256(2_000_000_000))]),
                (SystemAddresses.resourceRegistry, "recordUsage", [.uint(UInt256(1)), word("cpu"), .uint(UInt256(5)), .uint(UInt256(UInt64(i))), .uint(UInt256(UInt64(i + 1)))]),
                (SystemAddresses.supplyChain, "registerComponent", [word("serial" + tag), .string("Dell"), .string("R750"), word("doc")]),
                (SystemAddresses.billing, "deposit", [.address(accounts[i]), .uint(UInt256(100))]),
                (SystemAddresses.serviceLevels, "reportMeasurement", [.uint(UInt256(1)), .uint(UInt256(UInt64(i) * 60)), .uint(UInt256(i % 2 == 0 ? 9_999 : 9_000))]),
                (SystemAddresses.complianceAudit, "recordAttestation", [word("SOC2"), word("CC" + tag), .bool(true), word("ev"), .string("ok")]),
                (SystemAddresses.nodeRegistry, "registerNode", [word("node" + tag), word("zone"), .string("https://n:8545"), .uint(UInt256(1))]),
                (SystemAddresses.governance, "isPaused", [.address(SystemAddresses.billing)]),
            ]
            for (contract, name, args) in calls {
                mixed.append(try call(contract, name, args, nonce: mixedNonce).recovered())
                mixedNonce += 1
            }
        }

        for (i, key) in senders.enumerated() {
            networkMix.append(try send(Address(low: UInt32(0x20_0000 + i)), [], nonce: 1, from: key).recovered())
            networkMix.append(try call(SystemAddresses.identityRegistry, "updateIdentity", [.string("bench://\(i)/2"), word("\(i)")],
                                       nonce: 2, from: key).recovered())
        }

        for (i, account) in accounts.enumerated() {
            let attest = try call(SystemAddresses.identityRegistry, "attest",
                                  [.address(account), .fixedBytes(claim.bytes), .fixedBytes(claim.bytes), .uint(UInt256(2_000_000_000))],
                                  nonce: nonce)
            let grant = try call(SystemAddresses.identityRegistry, "grantRole",
                                 [.fixedBytes(Roles.monitor.bytes), .address(accounts[(i + 1) % accounts.count])], nonce: nonce + 1)
            nonce += 2
            for tx in [attest, grant] {
                raw.append(tx.encoded)
                block.append(try tx.recovered())
            }
        }
    }

    /// Executes the block on the pre-state and commits (roots computed, nothing written), as import does.
    func execute(_ transactions: [RecoveredTransaction]) -> Hash32? {
        guard let state = try? WorldState(reader: store, root: root, snapshot: true),
              let outcome = try? executor.execute(transactions, header: header, state: state),
              outcome.receipts.allSatisfy(\.succeeded) else { return nil }
        return try? state.commit().root
    }
}
