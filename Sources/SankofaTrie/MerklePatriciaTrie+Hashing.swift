import SankofaPrimitives

/// Hashing and committing: one post-order walk that visits only nodes changed since they were last hashed
/// (or, when committing, since the last commit), so the cost of `rootHash()` is proportional to the paths an
/// update touched, not to the size of the trie.
extension MerklePatriciaTrie {
    /// Brings the reference of `node` up to date (its hash, or its length when it is embedded because its
    /// encoding is under 32 bytes). When `committing`, also appends every dirty node that is referenced by hash
    /// (and the root node, which is always hashed) to `out` and marks it clean.
    static func hash(_ node: inout Node, isRoot: Bool, committing: Bool, into out: inout [TrieNode]) {
        guard node.needsVisit(committing: committing) else { return }
        switch node {
        case .empty, .hash:
            return

        case .leaf(let path, let value, var flags):
            let encoded = NodeCodec.encodeLeaf(path: path, value: value)
            settle(encoded, &flags, isRoot: isRoot, committing: committing, into: &out)
            node = .leaf(path: path, value: value, flags: flags)

        case .ext:
            // Taken out of its slot so the box is released and `child` is updated in place.
            guard case .ext(let path, var child, var flags) = node.take() else { return }
            hash(&child, isRoot: false, committing: committing, into: &out)
            let encoded = NodeCodec.encodeExtension(path: path, child: child)
            settle(encoded, &flags, isRoot: isRoot, committing: committing, into: &out)
            node = .ext(path: path, child: child, flags: flags)

        case .branch:
            guard case .branch(var children, let value, var flags) = node.take() else { return }
            for i in 0..<16 where children[i].needsVisit(committing: committing) {
                hash(&children[i], isRoot: false, committing: committing, into: &out)
            }
            let encoded = NodeCodec.encodeBranch(children: children, value: value)
            settle(encoded, &flags, isRoot: isRoot, committing: committing, into: &out)
            node = .branch(children: children, value: value, flags: flags)
        }
    }

    /// Records a freshly encoded node's reference (hashing it only if not already hashed) and, when committing
    /// a dirty node that is stored by hash, hands it out and marks it clean.
    @inline(__always)
    static func settle(_ encoded: [UInt8], _ flags: inout NodeFlags, isRoot: Bool, committing: Bool,
                       into out: inout [TrieNode]) {
        if !flags.isHashed {
            if encoded.count < 32 {
                flags.embeddedLength = UInt8(encoded.count)
            } else {
                flags.hash = Keccak256.hash(encoded)
                flags.embeddedLength = 0
            }
            flags.isHashed = true
        }
        guard committing && flags.dirty else { return }
        if flags.embeddedLength == 0 {
            out.append(TrieNode(hash: flags.hash, encoded: encoded))
        } else if isRoot {
            out.append(TrieNode(encoded: encoded))
        }  // else: embedded in its parent, which is dirty too and will be stored
        flags.dirty = false
    }

    /// The root hash of a hashed tree: keccak256 of the root's encoding, which is cached unless the root is
    /// small enough to be embedded (then it is re-encoded and hashed, a few bytes).
    static func rootHash(of root: Node) -> Hash32 {
        switch root {
        case .empty: return emptyRoot
        case .hash(let hash): return hash
        case .leaf(_, _, let flags), .ext(_, _, let flags), .branch(_, _, let flags):
            return flags.embeddedLength == 0 ? flags.hash : Keccak256.hash(NodeCodec.encode(root))
        }
    }
}
