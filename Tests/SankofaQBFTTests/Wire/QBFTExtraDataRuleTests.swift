import SankofaCrypto
import SankofaPrimitives
@testable import SankofaQBFT
import Testing

/// The accept/reject rules of Besu's `QbftExtraDataCodecTest`, built by hand (the vector file lists them as facts).
@Suite("QBFT extraData rules")
struct QBFTExtraDataRuleTests {
    /// RLP of `[vanity32, [], <vote>, <round>, []]` with the vote and round given as raw RLP.
    static func extraData(vote: [UInt8], round: [UInt8], trailing: [UInt8] = []) -> [UInt8] {
        var writer = RLPWriter()
        writer.writeList { w in
            w.write(bytes: [UInt8](repeating: 0, count: 32))
            w.writeEmptyList()
            w.writeRaw(vote)
            w.writeRaw(round)
            w.writeEmptyList()
            w.writeRaw(trailing)
        }
        return writer.bytes
    }

    static let addVote: [UInt8] = [0xd7, 0x94] + Address(low: 1).bytes + [0x81, 0xff]

    @Test func twoByteRoundIsAccepted() throws {
        let extra = try QBFTExtraData(rlp: Self.extraData(vote: [0xc0], round: [0x82, 0xdc, 0xba]))
        #expect(extra.round == 0xdcba)
        #expect(extra.vote == nil)
    }

    @Test func roundWithLeadingZeroIsRefused() {
        #expect(throws: QBFTError.malformed(what: "extraData round and seals", .leadingZeroInInteger)) {
            try QBFTExtraData(rlp: Self.extraData(vote: [0xc0], round: [0x83, 0x00, 0xdc, 0xba]))
        }
    }

    @Test func roundAboveJavaIntIsRefused() {
        #expect(throws: QBFTError.self) {
            try QBFTExtraData(rlp: Self.extraData(vote: [0xc0], round: [0x84, 0x80, 0, 0, 0]))
        }
    }

    @Test(arguments: [
        ([0x81, 0xff] as [UInt8], QBFTVote.Kind.add),
        ([0x80], .drop),
        ([0x00], .drop),
    ])
    func voteBytes(_ byte: [UInt8], _ kind: QBFTVote.Kind) throws {
        let vote: [UInt8] = [0xc0 + UInt8(21 + byte.count), 0x94] + Address(low: 1).bytes + byte
        let extra = try QBFTExtraData(rlp: Self.extraData(vote: vote, round: [0x80]))
        #expect(extra.vote == QBFTVote(recipient: Address(low: 1), kind: kind))
        #expect(try QBFTExtraData(rlp: extra.encoded()) == extra)
    }

    @Test func dropVoteIsWrittenAsRLPNull() {
        let extra = QBFTExtraData(validators: [], vote: QBFTVote(recipient: Address(low: 1), kind: .drop))
        let expected: [UInt8] = [0xd6, 0x94] + Address(low: 1).bytes + [0x80]
        // f83a (list header), a0 + 32 vanity bytes, c0 (no validators), then the vote.
        #expect(extra.encoded()[36..<(36 + expected.count)].elementsEqual(expected))
    }

    @Test func voteTypeAAIsRefused() {
        let vote: [UInt8] = [0xd7, 0x94] + Address(low: 1).bytes + [0x81, 0xaa]
        #expect(throws: QBFTError.self) { try QBFTExtraData(rlp: Self.extraData(vote: vote, round: [0x80])) }
    }

    @Test func ibftNullVoteIsRefused() {
        #expect(throws: QBFTError.self) { try QBFTExtraData(rlp: Self.extraData(vote: [0x80], round: [0x80])) }
    }

    @Test func trailingElementIsRefused() {
        #expect(throws: QBFTError.malformed(what: "extraData round and seals", .trailingBytes(count: 1))) {
            try QBFTExtraData(rlp: Self.extraData(vote: Self.addVote, round: [0x80], trailing: [0x01]))
        }
    }

    @Test func emptyExtraDataIsRefused() {
        #expect(throws: QBFTError.self) { try QBFTExtraData(rlp: []) }
    }

    @Test(arguments: [
        [0xc0] as [UInt8],  // empty list
        [0x80],  // not a list
        [0xc1, 0x80],  // list with one item
        [0xf8, 0x05, 0x80],  // truncated
    ])
    func malformedRLPIsATypedError(_ input: [UInt8]) {
        #expect(throws: QBFTError.self) { try QBFTExtraData(rlp: input) }
    }

    @Test func sealsMustBe65BytesWithRecoveryIdZeroOrOne() {
        var extra = QBFTExtraData(validators: [])
        extra.commitSeals = [RecoverableSignature(r: 1, s: 1, recoveryId: 0)]
        var bytes = extra.encoded()
        bytes[bytes.count - 1] = 27  // v = 27 is not how Besu writes seals
        #expect(throws: QBFTError.invalidExtraData("commit seal 0: invalid QBFT signature: recovery id 27 is not 0 or 1")) {
            try QBFTExtraData(rlp: bytes)
        }
    }
}
