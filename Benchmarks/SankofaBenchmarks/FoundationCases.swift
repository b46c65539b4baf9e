import CSecp256k1
import SankofaChain
import SankofaCrypto
import SankofaPrimitives

/// Issue 2's hot paths: hashing, RLP, signatures and transaction sender recovery.
enum FoundationCases {
    static func all() -> [BenchmarkCase] {
        let key = try! PrivateKey(hex: "0x8f2a55949038a9610f50fb23b5883af3b4ecb3c3bb792cbcefbd1542c692be63")
        // A typical system-contract call: EIP-1559, 4-byte selector plus two ABI words.
        let payload = Transaction.Payload.dynamicFee(DynamicFeeTransaction(
            chainId: 1337, nonce: 42, maxPriorityFeePerGas: .zero, maxFeePerGas: .zero, gasLimit: 120_000,
            to: Address(low: 0x1001), value: .zero, data: [0x2f, 0x2f, 0xf1, 0x5d] + [UInt8](repeating: 7, count: 64),
            accessList: []))
        let tx = payload.signed(with: key)
        let raw = tx.encoded
        let digest = tx.signingHash
        let signature = tx.signature
        let small = [UInt8](repeating: 0xab, count: 32)
        let kib = [UInt8](repeating: 0xcd, count: 1024)
        let hashes = (0..<4_096).map { Keccak256.hash(Array("transaction \($0)".utf8)) }

        return [
            BenchmarkCase(name: "keccak/32B", bytesPerOp: 32, baseline: nil) { n in
                small.withUnsafeBytes { buf in for _ in 0..<n { blackHole(Keccak256.hash(buf)) } }
            },
            BenchmarkCase(name: "keccak/1KiB", bytesPerOp: 1024, baseline: nil) { n in
                kib.withUnsafeBytes { buf in for _ in 0..<n { blackHole(Keccak256.hash(buf)) } }
            },
            // What QBFT's duplicate tracker hashes every received message with instead of Keccak.
            BenchmarkCase(name: "siphash/1KiB", bytesPerOp: 1024, baseline: "keccak/1KiB") { n in
                kib.withUnsafeBytes { buf in
                    for _ in 0..<n {
                        var hasher = Hasher()
                        hasher.combine(bytes: buf)
                        blackHole(hasher.finalize())
                    }
                }
            },
            // Transaction hashes kept the way the pool, the sender cache and each peer's known set keep them: fresh
            // tables of 4,096, each key inserted and then found. Baseline: the same keys hashed by SipHash.
            BenchmarkCase(name: "table/hash32-siphash", bytesPerOp: 0, baseline: nil) { n in
                insertAndFind(n, hashes.map(SipHashed.init))
            },
            BenchmarkCase(name: "table/hash32", bytesPerOp: 0, baseline: "table/hash32-siphash") { n in
                insertAndFind(n, hashes)
            },
            BenchmarkCase(name: "rlp/encode-tx", bytesPerOp: raw.count, baseline: nil) { n in
                for _ in 0..<n { blackHole(Transaction(payload: payload, signature: signature).encoded.count) }
            },
            BenchmarkCase(name: "rlp/decode-tx", bytesPerOp: raw.count, baseline: nil) { n in
                for _ in 0..<n { blackHole(try? Transaction(raw: raw)) }
            },
            BenchmarkCase(name: "secp256k1/sign", bytesPerOp: 0, baseline: nil) { n in
                for _ in 0..<n { blackHole(key.sign(digest)) }
            },
            BenchmarkCase(name: "secp256k1/raw-recover", bytesPerOp: 0, baseline: nil) { n in
                RawRecover(digest: digest, signature: signature).run(n)
            },
            BenchmarkCase(name: "secp256k1/recover-address", bytesPerOp: 0, baseline: "secp256k1/raw-recover") { n in
                for _ in 0..<n { blackHole(try? Secp256k1.recoverAddress(digest, signature)) }
            },
            BenchmarkCase(name: "tx/decode+recover-sender", bytesPerOp: 0, baseline: "secp256k1/raw-recover") { n in
                for _ in 0..<n { blackHole(try? Transaction(raw: raw).recoverSender()) }
            },
        ]
    }
}

/// `n` insertions and lookups: each key is inserted into a table and found again, a fresh table every
/// `keys.count` keys.
private func insertAndFind<Key: Hashable>(_ n: Int, _ keys: [Key]) {
    var table = Set<Key>()
    var found = 0
    for i in 0..<n {
        let key = keys[i % keys.count]
        if i % keys.count == 0 { table = [] }
        table.insert(key)
        if table.contains(key) { found += 1 }
    }
    blackHole(found)
}

/// A hash keyed the standard way, as `Hash32` was before `WordHashing`: its four words into SipHash (what the
/// synthesized conformance does).
private struct SipHashed: Hashable {
    let hash: Hash32

    static func == (lhs: SipHashed, rhs: SipHashed) -> Bool { lhs.hash == rhs.hash }
    func hash(into hasher: inout Hasher) {
        hash.withUnsafeBytes { raw in
            for offset in stride(from: 0, to: 32, by: 8) { hasher.combine(raw.loadUnaligned(fromByteOffset: offset, as: UInt64.self)) }
        }
    }
}

/// The floor for sender recovery: libsecp256k1's `ecdsa_recover` called directly on a pre-parsed signature,
/// with no Swift wrapping, hashing or allocation.
struct RawRecover {
    var signature = secp256k1_ecdsa_recoverable_signature()
    var message: [UInt8]

    init(digest: Hash32, signature sig: RecoverableSignature) {
        message = digest.bytes
        let compact = sig.r.bigEndianBytes + sig.s.bigEndianBytes
        let context = sankofa_secp256k1_static_context()!
        _ = secp256k1_ecdsa_recoverable_signature_parse_compact(context, &signature, compact, Int32(sig.recoveryId))
    }

    func run(_ n: Int) {
        var sig = signature
        var point = secp256k1_pubkey()
        let context = sankofa_secp256k1_static_context()!
        for _ in 0..<n { blackHole(secp256k1_ecdsa_recover(context, &point, &sig, message)) }
    }
}
