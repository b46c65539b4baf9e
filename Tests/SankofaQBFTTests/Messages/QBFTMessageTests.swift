import SankofaChain
import SankofaCrypto
import SankofaPrimitives
@testable import SankofaQBFT
import Testing

/// Each message encodes, decodes to an equal value, and recovers its author; malformed input is a typed error.
@Suite("QBFT messages")
struct QBFTMessageTests {
    static let validators = TestValidators.addresses(["A", "B", "C", "D"])
    static let genesis = TestBlocks.genesis(validators: validators)

    static func block(round: UInt32) throws -> Block {
        Block(header: try TestBlocks.child(of: genesis, proposer: TestValidators.address("A"), validators: validators,
                                           round: round), transactions: [])
    }

    static func prepare(_ label: String, round: UInt32, digest: Hash32) -> Prepare {
        Prepare(PreparePayload(roundIdentifier: RoundIdentifier(height: 1, round: round), digest: digest),
                signedWith: TestValidators.key(label))
    }

    static func roundTrip(_ message: QBFTMessage) throws -> QBFTMessage {
        try QBFTMessage(code: Int(message.code.rawValue), data: message.encoded)
    }

    @Test func prepareRoundTrips() throws {
        let message = QBFTMessage.prepare(Self.prepare("B", round: 2, digest: Hash32(low: 7)))
        let decoded = try Self.roundTrip(message)
        #expect(decoded == message)
        #expect(decoded.author == TestValidators.address("B"))
        #expect(decoded.roundIdentifier == RoundIdentifier(height: 1, round: 2))
        #expect(decoded.code == .prepare)
    }

    @Test func commitRoundTripsAndItsSealRecovers() throws {
        let block = try Self.block(round: 0)
        let digest = try QBFTBlockHashing.commitSealHash(block.header)
        let key = TestValidators.key("C")
        let commit = Commit(CommitPayload(roundIdentifier: RoundIdentifier(height: 1, round: 0), digest: digest,
                                          commitSeal: key.sign(digest)), signedWith: key)
        guard case .commit(let decoded) = try Self.roundTrip(.commit(commit)) else { Issue.record("not a commit"); return }
        #expect(decoded == commit)
        #expect(decoded.author == key.address)
        #expect(try decoded.payload.commitSeal.recoverSigner(digest) == key.address)
    }

    @Test func roundZeroProposalRoundTrips() throws {
        let proposal = Proposal(signedPayload: SignedPayload(
            ProposalPayload(roundIdentifier: RoundIdentifier(height: 1, round: 0), block: try Self.block(round: 0)),
            signedWith: TestValidators.key("A")))
        let decoded = try Self.roundTrip(.proposal(proposal))
        #expect(decoded == .proposal(proposal))
        #expect(decoded.author == TestValidators.address("A"))
    }

    @Test func justifiedProposalAndPreparedRoundChangeRoundTrip() throws {
        let prepared = try Self.block(round: 1)
        let digest = try QBFTBlockHashing.commitSealHash(prepared.header)
        let prepares = ["A", "B", "C"].map { Self.prepare($0, round: 1, digest: digest) }
        let metadata = PreparedRoundMetadata(preparedRound: 1, preparedBlockHash: digest)
        let roundChanges = ["B", "C", "D"].map { label in
            RoundChange(signedPayload: SignedPayload(
                RoundChangePayload(roundIdentifier: RoundIdentifier(height: 1, round: 2), prepared: metadata),
                signedWith: TestValidators.key(label)), preparedBlock: prepared, prepares: prepares)
        }
        for roundChange in roundChanges {
            #expect(try Self.roundTrip(.roundChange(roundChange)) == .roundChange(roundChange))
        }
        let proposal = Proposal(
            signedPayload: SignedPayload(ProposalPayload(roundIdentifier: RoundIdentifier(height: 1, round: 2),
                                                         block: try Self.block(round: 2)),
                                         signedWith: TestValidators.key("C")),
            roundChanges: roundChanges.map(\.signedPayload), prepares: prepares)
        guard case .proposal(let decoded) = try Self.roundTrip(.proposal(proposal)) else {
            Issue.record("not a proposal"); return
        }
        #expect(decoded == proposal)
        #expect(decoded.roundChanges.map(\.author) == ["B", "C", "D"].map(TestValidators.address))
        #expect(decoded.prepares.map(\.author) == ["A", "B", "C"].map(TestValidators.address))
    }

    @Test func emptyRoundChangeRoundTrips() throws {
        let roundChange = RoundChange(signedPayload: SignedPayload(
            RoundChangePayload(roundIdentifier: RoundIdentifier(height: 9, round: 1), prepared: nil),
            signedWith: TestValidators.key("D")))
        // [signed, [] (no block), 0x80 (no access list), [] (no prepares)]
        #expect(roundChange.encoded.suffix(3) == [0xc0, 0x80, 0xc0])
        #expect(try Self.roundTrip(.roundChange(roundChange)) == .roundChange(roundChange))
    }

    /// Besu before 26.1 wrote no access-list item; both forms decode to the same message.
    @Test func legacyLayoutsWithoutAccessListDecode() throws {
        let roundChange = RoundChange(signedPayload: SignedPayload(
            RoundChangePayload(roundIdentifier: RoundIdentifier(height: 9, round: 1), prepared: nil),
            signedWith: TestValidators.key("D")))
        var writer = RLPWriter()
        writer.writeList { w in
            roundChange.signedPayload.encode(to: &w)
            w.writeEmptyList()
            w.writeEmptyList()
        }
        #expect(try RoundChange(rlp: writer.bytes) == roundChange)

        let payload = ProposalPayload(roundIdentifier: RoundIdentifier(height: 1, round: 0), block: try Self.block(round: 0))
        var legacy = RLPWriter()
        legacy.writeList { w in
            payload.roundIdentifier.write(to: &w)
            payload.block.encode(to: &w)
        }
        var reader = RLPReader(legacy.bytes)
        #expect(try ProposalPayload(from: &reader) == payload)
    }

    @Test func signingHashCoversTheMessageCode() {
        let payload = PreparePayload(roundIdentifier: RoundIdentifier(height: 1, round: 0), digest: .zero)
        var writer = RLPWriter()
        writer.writeList { w in
            w.write(0x13 as UInt64)
            w.writeRaw(payload.encoded)
        }
        #expect(payload.signingHash == Keccak256.hash(writer.bytes))
    }

    @Test func unknownCodeIsRefused() {
        #expect(throws: QBFTError.unknownMessageCode(0x16)) { try QBFTMessage(code: 0x16, data: [0xc0]) }
        #expect(throws: QBFTError.unknownMessageCode(-1)) { try QBFTMessage(code: -1, data: [0xc0]) }
    }

    @Test func everyTruncationIsATypedError() throws {
        let message = QBFTMessage.prepare(Self.prepare("A", round: 0, digest: Hash32(low: 1)))
        let bytes = message.encoded
        for cut in 0..<bytes.count {
            #expect(throws: QBFTError.self) { try QBFTMessage(code: 0x13, data: Array(bytes.prefix(cut))) }
        }
        #expect(throws: QBFTError.self) { try QBFTMessage(code: 0x13, data: bytes + [0x00]) }
        #expect(throws: QBFTError.self) { try QBFTMessage(code: 0x14, data: bytes) }  // a PREPARE is not a COMMIT
    }

    @Test func highSSignatureIsRefused() throws {
        let prepare = Self.prepare("A", round: 0, digest: Hash32(low: 1))
        let flipped = RecoverableSignature(r: prepare.signature.r, s: RecoverableSignature.curveOrder - prepare.signature.s,
                                           recoveryId: prepare.signature.recoveryId ^ 1)
        var writer = RLPWriter()
        writer.writeList { w in
            prepare.payload.encode(to: &w)
            w.write(bytes: flipped.rsv)
        }
        #expect(throws: QBFTError.invalidSignature("message signature is high-s; Besu requires s ≤ n/2")) {
            try QBFTMessage(code: 0x13, data: writer.bytes)
        }
    }

    @Test func corruptedBlockInProposalIsATypedError() throws {
        let proposal = Proposal(signedPayload: SignedPayload(
            ProposalPayload(roundIdentifier: RoundIdentifier(height: 1, round: 0), block: try Self.block(round: 0)),
            signedWith: TestValidators.key("A")))
        var bytes = proposal.encoded
        // Flip bytes across the message: each result is refused or decodes to a different author, never a trap.
        for index in stride(from: 0, to: bytes.count, by: 7) {
            let original = bytes[index]
            bytes[index] ^= 0x5a
            if let decoded = try? QBFTMessage(code: 0x12, data: bytes) { #expect(decoded != .proposal(proposal)) }
            bytes[index] = original
        }
    }
}
