import SankofaPrimitives

/// Why a trie operation or proof check failed. Every problem that stored data or a proof can cause is reported
/// here instead of trapping, because both come from outside the process (a database, a peer, an RPC client).
public enum TrieError: Error, Equatable, Sendable, CustomStringConvertible {
    /// A node the trie references by hash is not in the node store (an incomplete or pruned database).
    case missingNode(Hash32)
    /// A stored node is not a valid trie node (bad RLP, wrong item count, bad hex-prefix path, oversized
    /// embedded child). The string says what was wrong.
    case malformedNode(String)
    /// A Merkle proof does not lead from the claimed root to the key: a node is missing, tampered with or
    /// malformed.
    case invalidProof(String)

    public var description: String {
        switch self {
        case .missingNode(let hash): "trie node \(hash) is missing from the node store"
        case .malformedNode(let why): "malformed trie node: \(why)"
        case .invalidProof(let why): "invalid Merkle proof: \(why)"
        }
    }
}
