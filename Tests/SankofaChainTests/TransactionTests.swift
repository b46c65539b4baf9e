import SankofaCrypto
import SankofaPrimitives
import Testing
@testable import SankofaChain

@Suite("Transactions")
struct TransactionTests {
    static let key = try! PrivateKey(hex: "0x8f2a55949038a9610f50fb23b5883af3b4ecb3c3bb792cbcefbd1542c692be63")
    static let payload = Transaction.Payload.dynamicFee(DynamicFeeTransaction(
        chainId: 1337, nonce: 3, maxPriorityFeePerGas: .zero, maxFeePerGas: .zero, gasLimit: 100_000,
        to: Address(low: 0x1001), value: .zero, data: [0xde, 0xad, 0, 0], accessList: []))

    @Test func roundTripEveryType() throws {
        let payloads: [Transaction.Payload] = [
            .legacy(LegacyTransaction(nonce: 0, gasPrice: .zero, gasLimit: 21_000, to: Address(low: 1), value: .one,
                                      data: [], chainId: nil)),
            .legacy(LegacyTransaction(nonce: 1, gasPrice: .one, gasLimit: 21_000, to: nil, value: .zero,
                                      data: [1, 2, 3], chainId: 1337)),
            .accessList(AccessListTransaction(chainId: 1337, nonce: 2, gasPrice: .zero, gasLimit: 50_000,
                                              to: Address(low: 0x1000), value: .zero, data: [],
                                              accessList: [AccessListEntry(address: Address(low: 0x1000),
                                                                           storageKeys: [.zero])])),
            Self.payload,
        ]
        for payload in payloads {
            let tx = payload.signed(with: Self.key)
            let decoded = try Transaction(raw: tx.encoded)
            #expect(decoded == tx)
            #expect(decoded.payload == payload)
            #expect(decoded.hash == Keccak256.hash(tx.encoded))
            #expect(try decoded.recoverSender() == Self.key.address)
            var writer = RLPWriter()
            tx.encode(to: &writer)
            var reader = RLPReader(writer.bytes)
            #expect(try Transaction(from: &reader) == tx)
        }
    }

    @Test func decodingErrorsAreSpecific() throws {
        let tx = Self.payload.signed(with: Self.key)
        #expect(throws: TransactionError.empty) { _ = try Transaction(raw: []) }
        #expect(throws: TransactionError.unsupportedType(3)) { _ = try Transaction(raw: [3] + tx.encoded.dropFirst()) }
        #expect(throws: TransactionError.unsupportedType(0x7f)) { _ = try Transaction(raw: [0x7f, 0xc0]) }
        #expect(throws: TransactionError.malformed(.trailingBytes(count: 1))) { _ = try Transaction(raw: tx.encoded + [0]) }
        #expect(throws: TransactionError.self) { _ = try Transaction(raw: Array(tx.encoded.dropLast())) }
        #expect(throws: TransactionError.self) { _ = try Transaction(raw: [0x02]) }
    }

    @Test func malleableSignatureIsRefusedAtDecode() throws {
        let tx = Self.payload.signed(with: Self.key)
        let flipped = RecoverableSignature(r: tx.signature.r, s: RecoverableSignature.curveOrder - tx.signature.s,
                                           recoveryId: tx.signature.recoveryId ^ 1)
        let malleated = Transaction(payload: tx.payload, signature: flipped)
        #expect(throws: TransactionError.invalidSignature(.highS)) { _ = try Transaction(raw: malleated.encoded) }
    }

    @Test func legacyVValues() throws {
        let legacy = LegacyTransaction(nonce: 0, gasPrice: .zero, gasLimit: 21_000, to: Address(low: 1),
                                       value: .zero, data: [], chainId: 1337)
        let tx = Transaction.Payload.legacy(legacy).signed(with: Self.key)
        #expect(tx.v == UInt256(1337 * 2 + 35 + UInt64(tx.signature.recoveryId)))
        for badV: UInt64 in [0, 1, 26, 29, 34] {
            var writer = RLPWriter()
            writer.writeList { w in
                legacy.encodeCommonFields(to: &w)
                w.write(badV)
                w.write(tx.signature.r)
                w.write(tx.signature.s)
            }
            #expect(throws: TransactionError.invalidV) { _ = try Transaction(raw: writer.bytes) }
        }
    }

    @Test func validationRules() throws {
        func signed(_ change: (inout DynamicFeeTransaction) -> Void) -> Transaction {
            guard case .dynamicFee(var fields) = Self.payload else { preconditionFailure() }
            change(&fields)
            return Transaction.Payload.dynamicFee(fields).signed(with: Self.key)
        }
        try signed { _ in }.validate(chainId: 1337)
        #expect(throws: TransactionError.wrongChainId(expected: 1, got: 1337)) { try signed { _ in }.validate(chainId: 1) }
        #expect(throws: TransactionError.nonceTooHigh) { try signed { $0.nonce = .max }.validate(chainId: 1337) }
        #expect(throws: TransactionError.priorityFeeAboveMaxFee) {
            try signed { $0.maxPriorityFeePerGas = .one }.validate(chainId: 1337)
        }
        #expect(throws: TransactionError.feeOverflow) {
            try signed { $0.maxFeePerGas = .max; $0.maxPriorityFeePerGas = .zero }.validate(chainId: 1337)
        }
        // 21000 + 2 × 16 (non-zero bytes) + 2 × 4 (zero bytes) = 21040.
        #expect(signed { _ in }.intrinsicGas == 21_040)
        #expect(throws: TransactionError.intrinsicGasTooLow(needed: 21_040, limit: 21_000)) {
            try signed { $0.gasLimit = 21_000 }.validate(chainId: 1337)
        }
        #expect(throws: TransactionError.initCodeTooLarge(size: 49_153, limit: 49_152)) {
            try signed { $0.to = nil; $0.data = [UInt8](repeating: 1, count: 49_153); $0.gasLimit = 10_000_000 }
                .validate(chainId: 1337)
        }
        let unprotected = Transaction.Payload.legacy(LegacyTransaction(
            nonce: 0, gasPrice: .zero, gasLimit: 21_000, to: Address(low: 1), value: .zero, data: [], chainId: nil))
            .signed(with: Self.key)
        try unprotected.validate(chainId: 1337)
        #expect(throws: TransactionError.self) { try unprotected.validate(chainId: 1337, requireReplayProtection: true) }
    }
}
