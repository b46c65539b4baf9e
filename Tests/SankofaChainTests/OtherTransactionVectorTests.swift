import Foundation
import SankofaCrypto
import SankofaPrimitives
import SankofaTestSupport
import Testing
@testable import SankofaChain

/// The EIP-155 example, ethereumjs' transaction fixtures and ethereum/tests' txtest.
@Suite("EIP-155, ethereumjs and txtest vectors", .enabled(if: VectorFiles.available, "../shared/vectors is absent"))
struct OtherTransactionVectorTests {
    @Test func eip155Example() throws {
        let json = try #require(try VectorFiles.json("transactions/eip155-example.json") as? [String: Any])
        let key = try PrivateKey(hex: try #require(json["privateKey"] as? String))
        let payload = Transaction.Payload.legacy(LegacyTransaction(
            nonce: 9, gasPrice: UInt256(20_000_000_000), gasLimit: 21_000,
            to: try Address(hex: "0x3535353535353535353535353535353535353535"),
            value: try #require(UInt256(decimal: "1000000000000000000")), data: [], chainId: 1))
        #expect(Hex.encode(payload.signingPayload) == json["signingData"] as? String)
        #expect(payload.signingHash.hex == json["signingHash"] as? String)
        let tx = payload.signed(with: key)
        #expect(tx.v == UInt256(37))
        #expect(Hex.encode(tx.encoded) == json["signedTransaction"] as? String)
        let decoded = try Transaction(raw: tx.encoded)
        #expect(try decoded.recoverSender().hex == "0x9d8a62f656a8d1615c1294fd71e9cfb3e4855a4f")
        try decoded.validate(chainId: 1)
        #expect(throws: TransactionError.wrongChainId(expected: 2, got: 1)) { try decoded.validate(chainId: 2) }
    }

    @Test func ethereumjsEIP1559BlockBodyForm() throws {
        let cases = try #require(try VectorFiles.json("transactions/ethereumjs/eip1559.json") as? [[String: Any]])
        #expect(cases.count == 10)
        for test in cases {
            // signedTransactionRLP is the block-body form: an RLP string wrapping the typed envelope.
            var reader = RLPReader(fixtureBytes(try #require(test["signedTransactionRLP"] as? String)))
            let tx = try Transaction(from: &reader)
            try reader.finish()
            let key = try PrivateKey(hex: try #require(test["privateKey"] as? String))
            #expect(try tx.recoverSender() == key.address)
            #expect(tx.nonce == (test["nonce"] as? NSNumber)?.uint64Value)
            #expect(tx.maxFeePerGas == UInt256((test["maxFeePerGas"] as? NSNumber)?.uint64Value ?? 0))
            var writer = RLPWriter()
            tx.encode(to: &writer)
            #expect(writer.bytes == reader.input)
            #expect(tx.payload.signed(with: key) == tx)
        }
    }

    /// Senders of the fixtures' own raw signatures, as eth-account 0.13.7 recovers them. Several of these
    /// fixtures pair a raw signature with a different key than `privateKey` (ethereumjs uses them for
    /// serialization only), so the raw bytes are checked against this independent implementation and the key
    /// is checked by signing afresh.
    static let ethAccountRawSenders: [String: [String]] = [
        "eip1559txs.json": ["0x3410e0a06a13ac0f84563855b54783327db09805"],
        "eip2930txs.json": ["0xa94f5374fce5edbc8e2a8697c15331677e6ebf0b"],
        "txs.json": ["0x1f36f546477cda21bf2296c50976f2740247906f", "0x5d6ac9861fbbebd7a6a84e71335fa9a66d9f09ba",
                     "0xd13d825eb15c87b247c4c26331d66f225a5f632e", "0x1f36f546477cda21bf2296c50976f2740247906f",
                     "0x7758d79c8fa4747a44577b8780ed8534d5e1945f"],
    ]

    @Test(arguments: ["eip1559txs.json", "eip2930txs.json", "txs.json"])
    func ethereumjsRawFieldLists(file: String) throws {
        let cases = try #require(try VectorFiles.json("transactions/ethereumjs/\(file)") as? [[String: Any]])
        let rawSenders = try #require(Self.ethAccountRawSenders[file])
        #expect(cases.count == rawSenders.count)
        for (index, test) in cases.enumerated() {
            let raw = try #require(test["raw"] as? [Any])
            let list = RLPItem.list(raw.map { Self.item($0) }).encoded
            let bytes: [UInt8]
            switch file {
            case "eip1559txs.json": bytes = [2] + list
            case "eip2930txs.json": bytes = [1] + list
            default: bytes = list
            }
            let tx = try Transaction(raw: bytes)
            #expect(tx.encoded == bytes)
            #expect(try tx.recoverSender().hex == rawSenders[index], "\(file) #\(index)")
            // Where the fixture has a usable key, signing the same fields with it recovers `sendersAddress`.
            if let key = try? PrivateKey(hex: test["privateKey"] as? String ?? "") {
                let sender = try #require(test["sendersAddress"] as? String)
                #expect(try tx.payload.signed(with: key).recoverSender().hex == "0x" + sender)
            }
        }
    }

    static func item(_ value: Any) -> RLPItem {
        if let list = value as? [Any] { return .list(list.map(item)) }
        return .bytes(fixtureBytes(value as? String ?? ""))
    }

    @Test func vitaliksEIP155Cases() throws {
        let cases = try #require(try VectorFiles.json("transactions/ethereumjs/ttTransactionTestEip155VitaliksTests.json") as? [[String: Any]])
        #expect(cases.count == 11)
        for test in cases {
            let tx = try Transaction(raw: fixtureBytes(try #require(test["rlp"] as? String)))
            // In this file `hash` is the EIP-155 signing hash, not the transaction hash (vectors README).
            #expect(tx.signingHash.hex == "0x" + (try #require(test["hash"] as? String)))
            #expect(try tx.recoverSender().hex == "0x" + (try #require(test["sender"] as? String)))
            #expect(tx.chainId == 1)
        }
    }

    /// txtest.json holds pre-Homestead signatures, whose s may be in the upper half of the curve order. EIP-2
    /// forbids those, so decoding must refuse them; our signer, deterministic per RFC 6979, must produce the
    /// same r with the low-s counterpart (n - s, recovery id flipped).
    @Test func txtestPreEIP155Signing() throws {
        let cases = try #require(try VectorFiles.json("transactions/txtest.json") as? [[String: Any]])
        #expect(cases.count == 2)
        for test in cases {
            let key = try PrivateKey(hex: try #require(test["key"] as? String))
            func number(_ name: String) throws -> UInt256 {
                UInt256(try #require((test[name] as? NSNumber)?.uint64Value))
            }
            let payload = Transaction.Payload.legacy(LegacyTransaction(
                nonce: try number("nonce").asUInt64 ?? 0, gasPrice: try number("gasprice"),
                gasLimit: try number("startgas").asUInt64 ?? 0,
                to: try (test["to"] as? String).flatMap { $0.isEmpty ? nil : try Address(hex: $0) },
                value: try number("value"),
                data: fixtureBytes(test["data"] as? String ?? ""), chainId: nil))
            // `unsigned` is the nine-field list with empty v, r, s: our six fields followed by three 0x80s.
            var theirOuter = RLPReader(fixtureBytes(try #require(test["unsigned"] as? String)))
            var theirs = try theirOuter.readList()
            var myOuter = RLPReader(payload.signingPayload)
            var mine = try myOuter.readList()
            for _ in 0..<6 { #expect(try theirs.readRawItem() == mine.readRawItem()) }
            try mine.finish()
            for _ in 0..<3 { #expect(try theirs.readBytes().isEmpty) }
            try theirs.finish()

            let signed = fixtureBytes(try #require(test["signed"] as? String))
            var outer = RLPReader(signed)
            var fields = try outer.readList()
            for _ in 0..<6 { try fields.skipItem() }
            let v = try fields.readUInt64()
            let r = try fields.readUInt256()
            let s = try fields.readUInt256()
            let ours = payload.signed(with: key)
            #expect(ours.signature.r == r)
            #expect(try ours.recoverSender() == key.address)
            if s > RecoverableSignature.halfCurveOrder {
                #expect(throws: TransactionError.invalidSignature(.highS)) { _ = try Transaction(raw: signed) }
                #expect(ours.signature.s == RecoverableSignature.curveOrder - s)
                #expect(ours.signature.recoveryId == UInt8(v - 27) ^ 1)
            } else {
                #expect(ours.encoded == signed)
            }
        }
    }
}
