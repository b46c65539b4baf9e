import SankofaPrimitives
import SankofaStorage
import SankofaTrie

/// Serves trie nodes from the database's `trieNodes` column.
public struct StoreTrieNodes: TrieNodeReader {
    let reader: any KeyValueReader

    public init(_ reader: any KeyValueReader) { self.reader = reader }

    public func trieNode(_ hash: Hash32) throws -> [UInt8]? {
        try reader.get(.trieNodes, Schema.trieNodeKey(hash))
    }
}
