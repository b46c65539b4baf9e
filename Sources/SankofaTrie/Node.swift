import SankofaPrimitives

/// Per-node bookkeeping that lets hashing and committing skip everything that did not change. Plain data (no
/// references), so reading it while walking the tree costs no reference counting.
///
/// Once hashed, a node is referenced by its parent either by `hash` (encoding of 32 bytes or more) or by
/// embedding its encoding, `embeddedLength` bytes long (Yellow Paper: `c(J, i)`); embedded encodings are
/// rebuilt when needed rather than kept, which is cheap because they are under 32 bytes.
struct NodeFlags: Sendable {
    /// keccak256 of the encoding; meaningful when `isHashed` and `embeddedLength == 0`.
    var hash: Hash32
    /// The encoding's length when it is under 32 bytes (and so embedded in the parent), else 0.
    var embeddedLength: UInt8
    /// The reference above is up to date; false when the node changed since it was last hashed.
    var isHashed: Bool
    /// The node changed since the last commit (so `commit()` must hand it out).
    var dirty: Bool

    /// A node just built by an update: neither hashed nor committed.
    static let fresh = NodeFlags(hash: .zero, embeddedLength: 0, isHashed: false, dirty: true)

    /// A node read from the store under `hash`: already persisted.
    static func stored(_ hash: Hash32) -> NodeFlags {
        NodeFlags(hash: hash, embeddedLength: 0, isHashed: true, dirty: false)
    }

    /// A node read embedded in its parent, `length` bytes long.
    static func embedded(_ length: Int) -> NodeFlags {
        NodeFlags(hash: .zero, embeddedLength: UInt8(truncatingIfNeeded: length), isHashed: true, dirty: false)
    }

    /// True when the node is hashed and referenced by hash (so it is stored, and a separate proof entry).
    var isStoredByHash: Bool { isHashed && embeddedLength == 0 }
}

/// The in-memory trie. Paths are nibble arrays (one nibble per byte). Leaf, extension and branch payloads are
/// boxed so a child slot is small; `.hash` is a node that is stored but not loaded yet and is resolved from the
/// `TrieNodeReader` on first use. Updates copy only the nodes on the changed path, so copies of a trie share
/// everything else (value semantics at O(depth) cost per update).
enum Node: Sendable {
    case empty
    indirect case leaf(path: [UInt8], value: [UInt8], flags: NodeFlags)
    indirect case ext(path: [UInt8], child: Node, flags: NodeFlags)
    /// `children` always has 16 entries; `value` is empty when no key ends at this branch.
    indirect case branch(children: [Node], value: [UInt8], flags: NodeFlags)
    case hash(Hash32)

    /// The node's bookkeeping (nil for `.empty` and unloaded `.hash` nodes, which have none).
    var flags: NodeFlags? {
        switch self {
        case .empty, .hash: nil
        case .leaf(_, _, let flags), .ext(_, _, let flags), .branch(_, _, let flags): flags
        }
    }

    /// Moves the node out, leaving `.empty`, so that the payload bound from the result is the only reference
    /// to its arrays and can be changed in place.
    @inline(__always)
    mutating func take() -> Node {
        let node = self
        self = .empty
        return node
    }

    var isEmpty: Bool {
        if case .empty = self { return true }
        return false
    }

    /// True when hashing (or, if `committing`, committing) must visit this node.
    func needsVisit(committing: Bool) -> Bool {
        switch self {
        case .empty, .hash: false
        case .leaf(_, _, let flags), .ext(_, _, let flags), .branch(_, _, let flags):
            !flags.isHashed || (committing && flags.dirty)
        }
    }
}

/// Nibble-path comparisons shared by the trie walks.
enum Path {
    /// Length of the common prefix of `path` and `key[pos...]`.
    @inline(__always)
    static func commonPrefix(_ path: [UInt8], _ key: [UInt8], _ pos: Int) -> Int {
        let limit = min(path.count, key.count - pos)
        var i = 0
        while i < limit && path[i] == key[pos + i] { i += 1 }
        return i
    }

    /// True when `key[pos...]` starts with `path`.
    @inline(__always)
    static func hasPrefix(_ key: [UInt8], _ pos: Int, _ path: [UInt8]) -> Bool {
        path.count <= key.count - pos && commonPrefix(path, key, pos) == path.count
    }

    /// True when `key[pos...]` is exactly `path`.
    @inline(__always)
    static func equalsRest(_ key: [UInt8], _ pos: Int, _ path: [UInt8]) -> Bool {
        path.count == key.count - pos && commonPrefix(path, key, pos) == path.count
    }
}
