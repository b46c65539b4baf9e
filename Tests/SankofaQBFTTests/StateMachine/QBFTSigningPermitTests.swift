import SankofaChain
import SankofaConsensus
import SankofaPrimitives
@testable import SankofaQBFT
import Testing

/// The signing port a hot standby's guard plugs into (`QBFTController.init`'s `signingPermit`): every PROPOSAL,
/// PREPARE, COMMIT and ROUND-CHANGE is asked first, with the intent the guard records, and a refusal sends nothing.
@Suite("QBFT signing permit")
struct QBFTSigningPermitTests {
    /// What one validator's port was asked, in order; checks each intent against the last recorded one with the
    /// guard's own rules (`SigningIntent.conflicts`, `advances`).
    final class Recorder {
        var asked: [SigningIntent] = []
        var conflicts: [(SigningIntent, SigningIntent)] = []
        var last: SigningIntent?

        func permit(_ intent: SigningIntent) -> Bool {
            asked.append(intent)
            if let last, intent.conflicts(after: last) {
                conflicts.append((last, intent))
                return false
            }
            if last.map({ intent.advances(past: $0) }) ?? true { last = intent }
            return true
        }
    }

    /// With the round-0 proposer down, height 1 goes through a ROUND-CHANGE into round 1: the honest state machine
    /// never asks for an intent the guard would refuse, asks a round change before any block in round 1, and
    /// signs one digest per height and round (its PROPOSAL, PREPARE and COMMIT share it).
    @Test func everySignatureIsAskedFirstAndHonestRoundsNeverConflict() throws {
        let network = FakeNetwork(validators: ["A", "B", "C", "D"], config: QBFTScenarioTests.config)
        var recorders: [String: Recorder] = [:]
        for label in network.labels {
            let recorder = Recorder()
            recorders[label] = recorder
            network[label].signingPermit = recorder.permit
        }
        network.start()
        let down = try #require(QBFTScenarioTests.proposer(in: network))
        network[down].stop()
        #expect(network.run(untilHeight: 4, within: 120))
        #expect(network.conflictingHeights().isEmpty)
        for node in network.runningNodes {
            let recorder = try #require(recorders[node.label])
            #expect(recorder.conflicts.isEmpty, "\(node.label): \(recorder.conflicts)")
            let counters = try #require(node.controller?.counters)
            // One permit per message signed, a COMMIT's seal riding on its message's: at most two signatures each.
            #expect(!recorder.asked.isEmpty && counters.signatures <= 2 * recorder.asked.count,
                    "\(node.label): asked \(recorder.asked.count), signed \(counters.signatures)")
            let enteredRound1 = recorder.asked.firstIndex { $0.height == 1 && $0.round == 1 && !$0.signsBlock }
            let signedRound1 = recorder.asked.firstIndex { $0.height == 1 && $0.round == 1 && $0.signsBlock }
            #expect(enteredRound1 != nil, "\(node.label) sent no ROUND-CHANGE into round 1")
            if let enteredRound1, let signedRound1 { #expect(enteredRound1 < signedRound1) }
            var digests: [String: Set<Hash32>] = [:]
            for intent in recorder.asked where intent.signsBlock { digests["\(intent.height)/\(intent.round)", default: []].insert(intent.blockHash) }
            #expect(digests.values.allSatisfy { $0.count == 1 }, "\(node.label): \(digests)")
            // The block committed at height 1 is the one this node's round-1 intents named.
            let block = try #require(node.chain.blocks[1])
            let committed = try QBFTBlockHashing.commitSealHash(block.header)
            #expect(digests["1/1"] == [committed])
        }
    }

    /// A validator whose guard refuses everything (a standby, or a holder that lost its lease) signs and sends
    /// nothing of its own: no seal of its key appears in any block, and the three others still finalise.
    @Test func aRefusingGuardSignsNothingAndTheOthersFinalise() throws {
        let network = FakeNetwork(validators: ["A", "B", "C", "D"], config: QBFTScenarioTests.config)
        network["D"].signingPermit = { _ in false }
        network.start()
        #expect(network.run(untilHeight: 5, within: 180))
        #expect(network.conflictingHeights().isEmpty)
        let counters = try #require(network["D"].controller?.counters)
        #expect(counters.signatures == 0)
        #expect(counters.proposalsMade == 0)
        #expect(counters.signaturesRefused > 0)
        for number in 1...5 {
            let header = try #require(network["A"].chain.blocks[UInt64(number)]?.header)
            #expect(try !QBFTBlockHashing.recoverCommitters(header).contains(network["D"].address))
            #expect(header.coinbase != network["D"].address)
        }
    }
}
