import SankofaPrimitives

/// Insert and delete, following geth's `trie.insert` / `trie.delete` so that the resulting shape (and so the
/// root hash) is identical.
///
/// Each step takes the node out of its slot (`node.take()`) before recursing, so the boxed payload is
/// released and the child array is uniquely referenced and updated in place; the node is rebuilt on the way
/// back. On a thrown error every step puts back what it took, so a failed update leaves the trie as it was.
extension MerklePatriciaTrie {
    /// Inserts `value` (non-empty) at `key[pos...]` below `node`; returns false when the key already held it.
    static func insert(_ node: inout Node, _ key: [UInt8], _ pos: Int, _ value: [UInt8],
                       _ reader: any TrieNodeReader) throws -> Bool {
        switch node {
        case .empty:
            node = .leaf(path: Array(key[pos...]), value: value, flags: .fresh)
            return true

        case .hash(let hash):
            var loaded = try load(hash, reader)
            defer { node = loaded }
            return try insert(&loaded, key, pos, value, reader)

        case .leaf(let path, let old, _):
            let match = Path.commonPrefix(path, key, pos)
            let rest = key.count - pos
            if match == path.count && match == rest {
                if old == value { return false }
                node = .leaf(path: path, value: value, flags: .fresh)
                return true
            }
            // The paths diverge after `match` nibbles: a branch there holds both (a key that ends at the branch
            // goes in its value slot), under an extension for the shared part.
            var children = [Node](repeating: .empty, count: 16)
            var branchValue: [UInt8] = []
            if match == path.count {
                branchValue = old
            } else {
                children[Int(path[match])] = .leaf(path: Array(path[(match + 1)...]), value: old, flags: .fresh)
            }
            if match == rest {
                branchValue = value
            } else {
                children[Int(key[pos + match])] = .leaf(path: Array(key[(pos + match + 1)...]), value: value,
                                                        flags: .fresh)
            }
            node = wrap(Array(path[..<match]), .branch(children: children, value: branchValue, flags: .fresh))
            return true

        case .ext:
            guard case .ext(let path, var child, let flags) = node.take() else { return false }
            let match = Path.commonPrefix(path, key, pos)
            if match == path.count {
                let changed: Bool
                do {
                    changed = try insert(&child, key, pos + match, value, reader)
                } catch {
                    node = .ext(path: path, child: child, flags: flags)
                    throw error
                }
                node = .ext(path: path, child: child, flags: changed ? .fresh : flags)
                return changed
            }
            // Split the extension at the first differing nibble.
            var children = [Node](repeating: .empty, count: 16)
            var branchValue: [UInt8] = []
            children[Int(path[match])] = match + 1 == path.count
                ? child : .ext(path: Array(path[(match + 1)...]), child: child, flags: .fresh)
            if pos + match == key.count {
                branchValue = value
            } else {
                children[Int(key[pos + match])] = .leaf(path: Array(key[(pos + match + 1)...]), value: value,
                                                        flags: .fresh)
            }
            node = wrap(Array(path[..<match]), .branch(children: children, value: branchValue, flags: .fresh))
            return true

        case .branch:
            guard case .branch(var children, let branchValue, let flags) = node.take() else { return false }
            if pos == key.count {
                node = .branch(children: children, value: value, flags: branchValue == value ? flags : .fresh)
                return branchValue != value
            }
            let changed: Bool
            do {
                changed = try insert(&children[Int(key[pos])], key, pos + 1, value, reader)
            } catch {
                node = .branch(children: children, value: branchValue, flags: flags)
                throw error
            }
            node = .branch(children: children, value: branchValue, flags: changed ? .fresh : flags)
            return changed
        }
    }

    /// `inner` under an extension for `prefix`, or `inner` itself when the prefix is empty.
    @inline(__always)
    static func wrap(_ prefix: [UInt8], _ inner: Node) -> Node {
        prefix.isEmpty ? inner : .ext(path: prefix, child: inner, flags: .fresh)
    }

    /// Removes `key[pos...]` below `node`; returns false when it was not there.
    static func delete(_ node: inout Node, _ key: [UInt8], _ pos: Int, _ reader: any TrieNodeReader) throws -> Bool {
        switch node {
        case .empty:
            return false

        case .hash(let hash):
            var loaded = try load(hash, reader)
            defer { node = loaded }
            return try delete(&loaded, key, pos, reader)

        case .leaf(let path, _, _):
            guard Path.equalsRest(key, pos, path) else { return false }
            node = .empty
            return true

        case .ext(let path, _, _):
            guard Path.hasPrefix(key, pos, path) else { return false }
            guard case .ext(_, var child, let flags) = node.take() else { return false }
            let removed: Bool
            do {
                removed = try delete(&child, key, pos + path.count, reader)
            } catch {
                node = .ext(path: path, child: child, flags: flags)
                throw error
            }
            guard removed else {
                node = .ext(path: path, child: child, flags: flags)
                return false
            }
            // What is left below may be a short node: merge its path into this one.
            switch child {
            case .empty: node = .empty
            case .leaf(let rest, let value, _): node = .leaf(path: path + rest, value: value, flags: .fresh)
            case .ext(let rest, let grandchild, _): node = .ext(path: path + rest, child: grandchild, flags: .fresh)
            case .branch, .hash: node = .ext(path: path, child: child, flags: .fresh)
            }
            return true

        case .branch:
            guard case .branch(var children, var branchValue, let flags) = node.take() else { return false }
            let target = pos == key.count ? 16 : Int(key[pos])
            // If exactly one other entry exists, deleting the target may leave it alone and it must merge into
            // this node; load it now, before anything changes, so a failed read leaves the trie untouched.
            var others = target != 16 && !branchValue.isEmpty ? 1 : 0
            var sibling = 16
            for i in 0..<16 where i != target && !children[i].isEmpty {
                others += 1
                sibling = i
            }
            if others == 1, sibling < 16, case .hash(let hash) = children[sibling] {
                do {
                    children[sibling] = try load(hash, reader)
                } catch {
                    node = .branch(children: children, value: branchValue, flags: flags)
                    throw error
                }
            }
            if target == 16 {
                guard !branchValue.isEmpty else {
                    node = .branch(children: children, value: branchValue, flags: flags)
                    return false
                }
                branchValue = []
            } else {
                let removed: Bool
                do {
                    removed = try delete(&children[target], key, pos + 1, reader)
                } catch {
                    node = .branch(children: children, value: branchValue, flags: flags)
                    throw error
                }
                guard removed else {
                    node = .branch(children: children, value: branchValue, flags: flags)
                    return false
                }
            }
            node = collapse(children, branchValue)
            return true
        }
    }

    /// A branch after a deletion: kept if two or more entries remain, otherwise replaced by a short node
    /// holding the one remaining entry (geth's rule), or nothing at all.
    static func collapse(_ children: [Node], _ value: [UInt8]) -> Node {
        var count = value.isEmpty ? 0 : 1
        var only = 16
        for i in 0..<16 where !children[i].isEmpty {
            count += 1
            only = i
            if count > 1 { break }
        }
        if count > 1 { return .branch(children: children, value: value, flags: .fresh) }
        if count == 0 { return .empty }
        if only == 16 { return .leaf(path: [], value: value, flags: .fresh) }
        let nibble = UInt8(only)
        switch children[only] {
        case .leaf(let path, let leafValue, _):
            return .leaf(path: [nibble] + path, value: leafValue, flags: .fresh)
        case .ext(let path, let child, _):
            return .ext(path: [nibble] + path, child: child, flags: .fresh)
        default:
            return .ext(path: [nibble], child: children[only], flags: .fresh)
        }
    }
}
