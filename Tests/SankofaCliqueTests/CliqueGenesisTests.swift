import Foundation
import SankofaChain
import SankofaConsensus
import SankofaPrimitives
import Testing
@testable import SankofaClique

@Suite("Clique genesis")
struct CliqueGenesisTests {
    static let devFile = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("Genesis/dev.json")

    @Test func devGenesisListsItsOneSigner() throws {
        let genesis = try GenesisFile(json: Data(contentsOf: Self.devFile))
        #expect(try CliqueEngine.genesisValidators(genesis) == [try Address(hex: "0x627306090abab3a6e1400e9345bc60c78a8bef57")])
    }

    @Test func extraDataWithoutRoomForTheSealIsRefused() throws {
        var genesis = try GenesisFile(json: Data(contentsOf: Self.devFile))
        genesis.extraData = [UInt8](repeating: 0, count: 40)
        #expect(throws: ConsensusError.self) { try CliqueEngine.genesisValidators(genesis) }
    }
}
