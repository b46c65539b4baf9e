import SankofaPrimitives
import Testing
@testable import SankofaChain

@Suite("Genesis file")
struct GenesisFileTests {
    @Test func numbersMayBeJSONNumbersDecimalOrHexStrings() throws {
        let json = """
            {"config": {"chainId": "0x539", "qbft": {"blockperiodseconds": "2", "requesttimeoutseconds": 8}},
             "gasLimit": 30000000, "difficulty": "0x1", "alloc": {"627306090abaB3A6e1400e9345bC60c78a8BEf57": {"balance": "1000"}},
             "sankofa": {"board": ["0x627306090abab3a6e1400e9345bc60c78a8bef57"], "parameters": {"BILLING_APPROVALS": 2}}}
            """
        let file = try GenesisFile(json: Array(json.utf8))
        #expect(file.chainId == 1337)
        #expect(file.consensus == .qbft(.init(blockPeriodSeconds: 2, epochLength: 30_000, requestTimeoutSeconds: 8)))
        #expect(file.gasLimit == 30_000_000)
        #expect(file.alloc[try Address(hex: "0x627306090abab3a6e1400e9345bc60c78a8bef57")] == UInt256(1000))
        #expect(file.threshold == 1)
        #expect(file.parameters[Keccak256.hash(Array("BILLING_APPROVALS".utf8))] == UInt256(2))
    }

    @Test func badGenesisFilesSayWhatIsWrong() throws {
        let cases: [(String, String)] = [
            ("[]", "not a JSON object"),
            ("{}", "no \"config\""),
            ("{\"config\":{\"chainId\":1}}", "\"clique\" or \"qbft\""),
            ("{\"config\":{\"chainId\":\"x\",\"clique\":{}}}", "config.chainId"),
            ("{\"config\":{\"chainId\":true,\"clique\":{}}}", "not true/false"),
            ("{\"config\":{\"chainId\":1.5,\"clique\":{}}}", "not a non-negative whole number"),
            ("{\"config\":{\"chainId\":1,\"clique\":{}},\"alloc\":{\"zz\":{}}}", "alloc key zz"),
            ("{\"config\":{\"chainId\":1,\"clique\":{}},\"sankofa\":{\"board\":[\"0x0000000000000000000000000000000000000001\"],\"threshold\":2}}", "threshold"),
            ("{\"config\":", "not valid JSON"),
            ("{\"config\":{\"chainId\":1,\"clique\":{}},\"alloc\":[]}", "alloc: must be an object"),
            ("{\"config\":{\"chainId\":1,\"clique\":{}},\"sankofa\":{\"board\":\"0x01\"}}", "sankofa.board: must be a list"),
            ("{\"config\":{\"chainId\":18446744073709551616,\"clique\":{}}}", "does not fit 64 bits"),
        ]
        for (json, expected) in cases {
            do {
                _ = try GenesisFile(json: Array(json.utf8))
                Issue.record("accepted: \(json)")
            } catch {
                #expect(error.description.contains(expected), "\(error.description)")
            }
        }
    }
}

@Suite("Genesis file: QBFT validator contract")
struct GenesisValidatorContractTests {
    static func json(_ contract: String) -> String {
        """
        {"config": {"chainId": 2018, "qbft": {"blockperiodseconds": 1, "validatorcontractaddress": "\(contract)"}}}
        """
    }

    @Test func besuKeyNamesTheGovernanceContract() throws {
        let file = try GenesisFile(json: Array(Self.json("0x0000000000000000000000000000000000001000").utf8))
        guard case .qbft(let settings) = file.consensus else { Issue.record("not QBFT"); return }
        #expect(settings.validatorContractAddress == Address(low: 0x1000))
        #expect(settings.validatorContractAddress == GenesisFile.QBFTSettings.governanceContract)
        // Absent: header votes, as in Besu.
        let votes = try GenesisFile(json: Array(#"{"config": {"chainId": 1, "qbft": {}}}"#.utf8))
        #expect(votes.consensus == .qbft(.init()))
    }

    @Test(arguments: ["0x0000000000000000000000000000000000001001", "0x0000000000000000000000000000000000008888"])
    func anyOtherContractIsRefused(_ address: String) throws {
        #expect(throws: GenesisError.unsupportedValidatorContract(try Address(hex: address))) {
            try GenesisFile(json: Array(Self.json(address).utf8))
        }
        do {
            _ = try GenesisFile(json: Array(Self.json(address).utf8))
        } catch {
            #expect(error.description.contains("is not the Governance contract"))
            #expect(error.description.contains("0x0000000000000000000000000000000000001000"))
        }
    }

    @Test func aMalformedAddressNamesTheKey() {
        do {
            _ = try GenesisFile(json: Array(Self.json("0x12").utf8))
            Issue.record("accepted a short address")
        } catch {
            #expect(error.description.contains("config.qbft.validatorcontractaddress"))
        }
    }
}
