import Foundation
import SankofaPrimitives
import SankofaTestSupport
import Testing
@testable import SankofaChain

/// ethereum/tests TransactionTests (210 files): valid transactions decode with the stated hash, sender and
/// intrinsic gas; invalid ones are refused by decoding, validation or sender recovery.
@Suite("ethereum/tests TransactionTests", .enabled(if: VectorFiles.available, "../shared/vectors is absent"))
struct EthereumTransactionTests {
    /// These vectors are filled for mainnet.
    static let chainId: UInt64 = 1

    /// Everything the node does with a raw transaction before execution.
    static func admit(_ raw: [UInt8]) throws -> (Transaction, Address) {
        let tx = try Transaction(raw: raw)
        try tx.validate(chainId: chainId)
        return (tx, try tx.recoverSender())
    }

    @Test func allFiles() throws {
        let files = VectorFiles.jsonFiles(under: "transactions/ethereum-tests")
        #expect(files.count == 210)
        var valid = 0
        var invalid = 0
        for file in files {
            let tests = try #require(try VectorFiles.json(file) as? [String: [String: Any]])
            for (name, test) in tests {
                let results = try #require(test["result"] as? [String: [String: String]])
                // Sankofa follows Shanghai's rules; the two fillers that stop before it are judged by London's.
                let expected = try #require(results["Shanghai"] ?? results["London"], "\(file) \(name)")
                let raw = fixtureBytes(try #require(test["txbytes"] as? String))
                if let hash = expected["hash"] {
                    valid += 1
                    do {
                        let (tx, sender) = try Self.admit(raw)
                        #expect(tx.hash.hex == hash, "\(file) \(name)")
                        #expect(sender.hex == expected["sender"], "\(file) \(name)")
                        #expect(UInt256(tx.intrinsicGas) == expected["intrinsicGas"].flatMap { UInt256(hex: $0) },
                                "\(file) \(name)")
                        #expect(try Transaction(raw: tx.encoded).encoded == raw)
                    } catch {
                        Issue.record("\(file) \(name): valid transaction refused: \(error)")
                    }
                } else {
                    invalid += 1
                    #expect(throws: (any Error).self, "\(file) \(name) should fail with \(expected["exception"] ?? "?")") {
                        _ = try Self.admit(raw)
                    }
                }
            }
        }
        // Every file holds cases of both kinds overall; a loader that silently read nothing would fail here.
        #expect(valid + invalid == 210 && valid > 30 && invalid > 30, "valid \(valid), invalid \(invalid)")
    }
}
