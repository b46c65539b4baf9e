import SankofaChain
import SankofaClique
import SankofaConsensus
import SankofaCrypto
import SankofaPrimitives
import Testing

/// EIP-225 seal hash, sealing and signer recovery.
@Suite("Clique seal")
struct CliqueSealTests {
    static let genesis = TestHeaders.genesis(signers: TestSigners.addresses(["A", "B", "C"]))

    static func sealedHeader(by label: String = "A") throws -> BlockHeader {
        var header = TestHeaders.child(of: genesis, difficulty: 2, coinbase: TestSigners.address("D"),
                                       nonce: Snapshot.nonceAuthorize)
        header.baseFeePerGas = 7
        return try CliqueSeal.sign(header, with: TestSigners.key(label))
    }

    @Test func sealedHeaderRecoversToItsSigner() throws {
        for label in ["A", "B", "C", "D"] {
            let sealed = try Self.sealedHeader(by: label)
            #expect(try CliqueSeal.recoverSigner(of: sealed) == TestSigners.address(label))
            #expect(try CliqueEngine(config: CliqueConfig(period: 1, epoch: 10)).author(of: sealed) == TestSigners.address(label))
        }
    }

    @Test func engineSealRecoversToTheKey() throws {
        let engine = CliqueEngine(config: CliqueConfig(period: 1, epoch: 10))
        let unsealed = TestHeaders.child(of: Self.genesis, difficulty: 2)
        let sealed = try engine.seal(unsealed, with: TestSigners.key("B"))
        #expect(try CliqueSeal.recoverSigner(of: sealed) == TestSigners.address("B"))
        #expect(sealed.extraData.dropLast(65) == unsealed.extraData.dropLast(65))
        #expect(try CliqueSeal.hash(of: sealed) == CliqueSeal.hash(of: unsealed))
        #expect(sealed.hash != unsealed.hash)
    }

    /// The seal hash is keccak of the RLP with extraData minus the seal: the same as hashing the header whose
    /// extraData was cut by hand.
    @Test func sealHashIsTheHashOfTheHeaderWithoutItsSeal() throws {
        let sealed = try Self.sealedHeader()
        var cut = sealed
        cut.extraData = Array(sealed.extraData.dropLast(65))
        #expect(try CliqueSeal.hash(of: sealed) == cut.hash)
    }

    /// Every field of the header is covered by the seal: changing any one makes recovery fail or yield
    /// another address.
    @Test(arguments: 0..<17)
    func tamperingAnyFieldBreaksTheSeal(field: Int) throws {
        let sealed = try Self.sealedHeader()
        var t = sealed
        switch field {
        case 0: t.parentHash = Keccak256.hash([1] as [UInt8])
        case 1: t.ommersHash = .zero
        case 2: t.coinbase = TestSigners.address("E")
        case 3: t.stateRoot = Keccak256.hash([2] as [UInt8])
        case 4: t.transactionsRoot = .zero
        case 5: t.receiptsRoot = .zero
        case 6: var bloom = Bloom(); bloom.add([1, 2, 3]); t.logsBloom = bloom
        case 7: t.difficulty = 1
        case 8: t.number += 1
        case 9: t.gasLimit -= 1
        case 10: t.gasUsed += 1
        case 11: t.timestamp += 1
        case 12: t.extraData[0] ^= 0xff
        case 13: t.mixHash = Keccak256.hash([3] as [UInt8])
        case 14: t.nonce = Snapshot.nonceDrop
        case 15: t.baseFeePerGas = 8
        default: t.extraData[t.extraData.count - 40] ^= 0x01  // inside the seal's s
        }
        #expect(t != sealed)
        do {
            #expect(try CliqueSeal.recoverSigner(of: t) != TestSigners.address("A"))
        } catch {
            guard case .invalidSeal = error else { Issue.record("unexpected \(error)"); return }
        }
    }

    @Test func malformedSealsAreInvalidSealNotTraps() throws {
        let sealed = try Self.sealedHeader()
        var zero = sealed
        zero.extraData.replaceSubrange((zero.extraData.count - 65)..., with: [UInt8](repeating: 0, count: 65))
        #expect { try CliqueSeal.recoverSigner(of: zero) } throws: { error in
            if case .invalidSeal = error as? ConsensusError { return true } else { return false }
        }
        var legacyV = sealed  // v = 27/28 is not accepted in Clique seals (geth's ecrecover wants 0/1)
        legacyV.extraData[legacyV.extraData.count - 1] += 27
        #expect(throws: ConsensusError.invalidSeal("recovery id v must be 0 or 1")) { try CliqueSeal.recoverSigner(of: legacyV) }
    }

    /// A high-s seal (r, n-s, v^1) is what geth accepts too; it recovers the same signer.
    @Test func highSSealRecoversTheSameSigner() throws {
        let sealed = try Self.sealedHeader()
        let seal = Array(sealed.extraData.suffix(65))
        let low = try RecoverableSignature(rsv: seal)
        let high = RecoverableSignature(r: low.r, s: RecoverableSignature.curveOrder - low.s, recoveryId: low.recoveryId ^ 1)
        var malleated = sealed
        malleated.extraData.replaceSubrange((sealed.extraData.count - 65)..., with: high.rsv)
        #expect(try CliqueSeal.recoverSigner(of: malleated) == TestSigners.address("A"))
    }

    @Test(arguments: [0, 1, 31, 32, 64, 96])
    func shortExtraDataIsInvalidExtraData(length: Int) throws {
        var header = TestHeaders.child(of: Self.genesis, difficulty: 2)
        header.extraData = [UInt8](repeating: 7, count: length)
        let engine = CliqueEngine(config: CliqueConfig(period: 1, epoch: 10))
        for attempt in [
            { _ = try CliqueSeal.hash(of: header) },
            { _ = try CliqueSeal.recoverSigner(of: header) },
            { _ = try engine.author(of: header) },
            { _ = try engine.seal(header, with: TestSigners.key("A")) },
        ] as [() throws -> Void] {
            #expect { try attempt() } throws: { error in
                if case .invalidExtraData = error as? ConsensusError { return true } else { return false }
            }
        }
    }
}
