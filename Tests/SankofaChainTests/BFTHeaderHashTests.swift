import SankofaPrimitives
import Testing
@testable import SankofaChain

/// Istanbul-family headers are known by Besu's on-chain hash: keccak of the header with extraData's round and
/// commit seals emptied (`BftBlockHashing`), so the hash does not depend on the round or on who sealed.
@Suite("BFT header hash")
struct BFTHeaderHashTests {
    static func address(_ last: UInt8) -> Address { Address(bytes: [UInt8](repeating: 0, count: 19) + [last]) ?? .zero }

    /// `rlp([vanity32, [validators], vote, round, [seals]])` built by hand.
    static func extraData(round: [UInt8], seals: [[UInt8]]) -> [UInt8] {
        var writer = RLPWriter()
        writer.writeList { w in
            w.write(bytes: [UInt8](repeating: 0, count: 32))
            w.writeList { v in v.write(Self.address(1)); v.write(Self.address(2)) }
            w.writeEmptyList()
            w.write(bytes: round)
            w.writeList { s in for seal in seals { s.write(bytes: seal) } }
        }
        return writer.bytes
    }

    static func header(number: UInt64 = 7, mixHash: Hash32 = BlockHeader.istanbulMixHash, extraData: [UInt8]) -> BlockHeader {
        BlockHeader(parentHash: Keccak256.hash([9]), coinbase: Self.address(1), stateRoot: Keccak256.hash([3]), difficulty: .one,
                    number: number, gasLimit: 30_000_000, gasUsed: 0, timestamp: 1_700_000_000, extraData: extraData,
                    mixHash: mixHash, baseFeePerGas: .zero)
    }

    @Test func roundAndSealsDoNotChangeTheHash() {
        let proposed = Self.header(extraData: Self.extraData(round: [2], seals: []))
        let sealed = Self.header(extraData: Self.extraData(round: [2], seals: [[UInt8](repeating: 7, count: 65)]))
        let laterRound = Self.header(extraData: Self.extraData(round: [5], seals: [[UInt8](repeating: 8, count: 65)]))
        #expect(proposed.hash == sealed.hash && sealed.hash == laterRound.hash)
        #expect(proposed.encodedHash != sealed.encodedHash)
        #expect(sealed.hash == Self.header(extraData: Self.extraData(round: [], seals: [])).encodedHash)
    }

    @Test func otherHeadersKeepKeccakOfTheirRLP() {
        let bft = Self.extraData(round: [1], seals: [])
        #expect(Self.header(mixHash: .zero, extraData: bft).hash == Self.header(mixHash: .zero, extraData: bft).encodedHash)
        // Genesis is hashed as stored, and extraData that is not BFT RLP falls back to the plain hash.
        let genesis = Self.header(number: 0, extraData: bft)
        #expect(genesis.hash == genesis.encodedHash)
        let clique = Self.header(extraData: [UInt8](repeating: 0, count: 97))
        #expect(clique.hash == clique.encodedHash)
    }
}
