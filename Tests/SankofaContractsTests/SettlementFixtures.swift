import Foundation
import SankofaPrimitives
import Testing
@testable import SankofaContracts

/// Shared steps for the ResourceRegistry, Billing and ServiceLevels suites: role grants, Governance pauses and
/// parameters, and names for metrics, regions and reasons. A namespace (not a testbed extension) so its names
/// cannot collide with other suites' helpers.
enum SettlementFixtures {
    typealias T = ContractTestbed

    static func word(_ text: String) -> Hash32 { Keccak256.hash(Array(text.utf8)) }

    /// Grants `role` to `account` as the testbed admin; fails the test if IdentityRegistry refuses.
    static func grant(_ bed: T, _ role: Hash32, to account: Address) throws {
        let result = try bed.call(SystemAddresses.identityRegistry, "grantRole", [.word(role), .address(account)], from: T.admin)
        #expect(result.succeeded, "grantRole failed: \(result.revertReason ?? "")")
    }

    /// Governance's immediate pause by the only board member.
    static func pause(_ bed: T, _ contract: Address) throws {
        let result = try bed.call(SystemAddresses.governance, "emergencyPause", [.address(contract)], from: T.admin)
        #expect(result.succeeded, "emergencyPause failed: \(result.revertReason ?? "")")
    }

    /// Runs a Governance proposal through the one-member board (threshold 1).
    static func govern(_ bed: T, _ action: GovernanceAction, _ arguments: [ABIValue]) throws {
        let governance = SystemAddresses.governance
        let payload = try ABI.encode(arguments, as: action.payloadTypes)
        let proposed = try bed.call(governance, "propose", [.number(UInt64(action.rawValue)), .bytes(payload), .string("test")],
                                    from: T.admin)
        let id = try #require(proposed.values.first)
        #expect(try bed.call(governance, "vote", [id, .bool(true)], from: T.admin).succeeded)
        let executed = try bed.call(governance, "execute", [id], from: T.admin)
        #expect(executed.succeeded, "execute failed: \(executed.revertReason ?? "")")
    }

    static func unpause(_ bed: T, _ contract: Address) throws { try govern(bed, .unpause, [.address(contract)]) }

    /// Sets Governance's BILLING_APPROVALS parameter.
    static func setBillingApprovals(_ bed: T, _ count: UInt64) throws {
        try govern(bed, .setParameter, [.word(Billing.approvalsParameter), .number(count)])
    }

    /// Every log of a result, decoded to (event, values), with the emitting contract.
    static func events(_ bed: T, _ result: T.Result) throws -> [(Address, String, [ABIValue])] {
        try result.outcome.logs.map { log in
            let (name, values) = try bed.decode(log)
            return (log.address, name, values)
        }
    }

    /// Prints gas figures when SANKOFA_PRINT_GAS=1 (for the published schedule table); silent otherwise.
    static func report(_ rows: [(String, UInt64)]) {
        guard ProcessInfo.processInfo.environment["SANKOFA_PRINT_GAS"] == "1" else { return }
        for (name, gas) in rows { print("gas \(name): \(gas)") }
    }
}
