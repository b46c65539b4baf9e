import SankofaChain
import SankofaConsensus
import SankofaPrimitives

/// Reads the validator list a contract keeps, in the state a header commits to (its `stateRoot`): the port through
/// which QBFT's contract mode (Besu `validatorcontractaddress`) reaches state without this target knowing how
/// state is stored or executed. The node implements it over its world state; tests plug in a table.
public protocol ContractValidatorSource: Sendable {
    /// The contract's validators in the state after `header`, in any order; throws `.storage` when that state is
    /// not available (pruned, not yet stored).
    func validators(inStateOf header: BlockHeader) throws(ConsensusError) -> [Address]
}
