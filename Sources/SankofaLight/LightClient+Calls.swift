import SankofaChain
import SankofaContracts
import SankofaExecution
import SankofaP2P
import SankofaPrimitives

extension LightClient {
    /// Most storage slots one call may prove.
    static var maxCallSlots: Int { 4_096 }

    /// Runs a system-contract call over the state of `header`, proving each storage slot it reads. Each run
    /// collects the slots it read but lacked; they are proven together (one request per contract) and the call runs
    /// again, so round trips follow the depth of dependent reads, not their number. Only a run that read nothing
    /// unproven counts.
    public func call(_ simulator: CallSimulator, to: Address?, from: Address, data: [UInt8], value: UInt256, gas: UInt64?,
                     at header: BlockHeader) async throws -> CallOutcome {
        var proven: [ProvenSlots.Reference: [UInt8]] = [:]
        while true {
            let storage = ProvenSlots(proven)
            let outcome = try simulator.call(to: to, from: from, data: data, value: value, gas: gas, header: header, storage: storage)
            if storage.missing.isEmpty { return outcome }
            guard proven.count + storage.missing.count <= Self.maxCallSlots else { throw LightError.callTooLarge(slots: Self.maxCallSlots) }
            for (contract, references) in Dictionary(grouping: storage.missing, by: \.contract) {
                let slots = references.map(\.key)
                for start in stride(from: 0, to: slots.count, by: LightMessage.maxProofSlots) {
                    let chunk = Array(slots[start..<min(start + LightMessage.maxProofSlots, slots.count)])
                    let proof = try await proof(contract, slots: chunk, at: header)
                    for slot in proof.storageProofs { proven[ProvenSlots.Reference(contract: contract, key: slot.key)] = slot.value }
                }
            }
        }
    }
}
