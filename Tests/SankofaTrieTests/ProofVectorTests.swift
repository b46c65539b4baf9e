import Foundation
import SankofaPrimitives
import SankofaTestSupport
import Testing
@testable import SankofaTrie

/// Real eth_getProof (EIP-1186) responses from Ropsten, checked with SecureTrie.verifyProof.
@Suite("eth_getProof vectors", .enabled(if: VectorFiles.available, "../shared/vectors is absent"))
struct ProofVectorTests {
    struct Response {
        let address: [UInt8]
        let accountProof: [[UInt8]]
        let nonce: [UInt8]
        let balance: [UInt8]
        let storageHash: Hash32
        let codeHash: Hash32
        let storage: [(key: [UInt8], value: [UInt8], proof: [[UInt8]])]

        init(_ file: String) throws {
            let json = try #require(try VectorFiles.json("trie/proofs/\(file)") as? [String: Any])
            address = fixtureBytes(try #require(json["address"] as? String))
            accountProof = try #require(json["accountProof"] as? [String]).map(fixtureBytes)
            nonce = Self.quantity(try #require(json["nonce"] as? String))
            balance = Self.quantity(try #require(json["balance"] as? String))
            storageHash = try Hash32(hex: try #require(json["storageHash"] as? String))
            codeHash = try Hash32(hex: try #require(json["codeHash"] as? String))
            storage = try (json["storageProof"] as? [[String: Any]] ?? []).map { entry in
                (fixtureBytes(try #require(entry["key"] as? String)),
                 Self.quantity(try #require(entry["value"] as? String)),
                 try #require(entry["proof"] as? [String]).map(fixtureBytes))
            }
        }

        /// A JSON-RPC quantity as minimal big-endian bytes (zero is empty).
        static func quantity(_ hex: String) -> [UInt8] { Array(fixtureBytes(hex).drop { $0 == 0 }) }

        /// rlp([nonce, balance, storageHash, codeHash]): the account leaf's value.
        var accountRLP: [UInt8] {
            var writer = RLPWriter()
            writer.writeList { w in
                w.write(bytes: nonce)
                w.write(bytes: balance)
                w.write(storageHash)
                w.write(codeHash)
            }
            return writer.bytes
        }
    }

    static func stateRoot() throws -> Hash32 {
        let json = try #require(try VectorFiles.json("trie/proofs/derived-proof-roots.json") as? [String: Any])
        return try Hash32(hex: try #require(json["stateRoot"] as? String))
    }

    @Test func validAccount() throws {
        let response = try Response("ropsten_validAccount.json")
        let root = try Self.stateRoot()
        #expect(Keccak256.hash(response.accountProof[0]) == root)
        let value = try SecureTrie.verifyProof(root: root, key: response.address, proof: response.accountProof)
        #expect(value == response.accountRLP)
        #expect(response.storageHash == MerklePatriciaTrie.emptyRoot)
    }

    @Test func nonexistentAccountProvesAbsence() throws {
        let response = try Response("ropsten_nonexistentAccount.json")
        let root = try Self.stateRoot()
        #expect(Keccak256.hash(response.accountProof[0]) == root)
        #expect(try SecureTrie.verifyProof(root: root, key: response.address, proof: response.accountProof) == nil)
    }

    @Test func contractWithStorage() throws {
        let response = try Response("ropsten_contractWithStorage.json")
        let root = try Self.stateRoot()
        let value = try SecureTrie.verifyProof(root: root, key: response.address, proof: response.accountProof)
        #expect(value == response.accountRLP)
        #expect(response.storage.count == 2)
        for slot in response.storage {
            let proven = try SecureTrie.verifyProof(root: response.storageHash, key: slot.key, proof: slot.proof)
            if slot.value.isEmpty {
                #expect(proven == nil, "slot \(slot.key.hexString) is absent")
            } else {
                var writer = RLPWriter()
                writer.write(bytes: slot.value)
                #expect(proven == writer.bytes, "slot \(slot.key.hexString)")
            }
        }
    }

    /// The real proofs stop verifying when altered: wrong root, a flipped byte anywhere, a dropped node, or
    /// another account's key.
    @Test func tamperedProofsFail() throws {
        let response = try Response("ropsten_contractWithStorage.json")
        let root = try Self.stateRoot()
        let proof = response.accountProof
        let good = try SecureTrie.verifyProof(root: root, key: response.address, proof: proof)
        #expect(good != nil)

        #expect(throws: TrieError.self) {
            try SecureTrie.verifyProof(root: response.storageHash, key: response.address, proof: proof)
        }
        for index in proof.indices {
            var dropped = proof
            dropped.remove(at: index)
            #expect(throws: TrieError.self, "without node \(index)") {
                try SecureTrie.verifyProof(root: root, key: response.address, proof: dropped)
            }
            for offset in [0, proof[index].count / 2, proof[index].count - 1] {
                var flipped = proof
                flipped[index][offset] ^= 0x01
                #expect(throws: TrieError.self, "node \(index) byte \(offset) flipped") {
                    try SecureTrie.verifyProof(root: root, key: response.address, proof: flipped)
                }
            }
        }
        var otherKey = response.address
        otherKey[19] ^= 0x01
        let other = try? SecureTrie.verifyProof(root: root, key: otherKey, proof: proof)
        #expect(other == nil)
    }
}
