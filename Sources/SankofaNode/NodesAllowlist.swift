import SankofaCrypto
import SankofaP2P
import SankofaPrimitives

/// Besu's local node permissioning (`--permissions-nodes-config-file`): the enode URLs in `nodes-allowlist`.
/// A peer is judged by its node id alone (the key the RLPx handshake proves), never by the address it reports.
/// Changes are written back to the file at once.
final class NodesAllowlist: Sendable {
    static let key = "nodes-allowlist"

    let path: String
    private let entries: Locked<[Enode]>

    /// Reads the list; a missing file or an invalid URL is an error naming the file.
    init(path: String) throws(ConfigError) {
        self.path = path
        entries = Locked(try Self.read(path: path))
    }

    var enodes: [Enode] { entries.withLock { $0 } }

    func permits(_ key: PublicKey) -> Bool { entries.withLock { list in list.contains { $0.publicKey == key } } }

    /// Adds URLs (Besu refuses the whole call if any is invalid, repeated or already listed) and saves.
    func add(_ urls: [String]) throws(ConfigError) {
        let parsed = try Self.parse(urls)
        try entries.withLock { list throws(ConfigError) in
            for enode in parsed where list.contains(where: { $0.publicKey == enode.publicKey }) {
                throw ConfigError("Node is already on the allowlist: \(enode)")
            }
            let updated = list + parsed
            try PermissionsFile.writeList(path: path, key: Self.key, updated.map(\.description))
            list = updated
        }
    }

    /// Removes URLs by node id (refusing ones not listed) and saves.
    func remove(_ urls: [String]) throws(ConfigError) {
        let parsed = try Self.parse(urls)
        try entries.withLock { list throws(ConfigError) in
            for enode in parsed where !list.contains(where: { $0.publicKey == enode.publicKey }) {
                throw ConfigError("Node is not on the allowlist: \(enode)")
            }
            let gone = Set(parsed.map(\.publicKey))
            let updated = list.filter { !gone.contains($0.publicKey) }
            try PermissionsFile.writeList(path: path, key: Self.key, updated.map(\.description))
            list = updated
        }
    }

    /// Re-reads the file (`perm_reloadPermissionsFromFile`).
    func reload() throws(ConfigError) {
        let fresh = try Self.read(path: path)
        entries.withLock { $0 = fresh }
    }

    static func read(path: String) throws(ConfigError) -> [Enode] {
        var out: [Enode] = []
        for text in try PermissionsFile.readList(path: path, key: key) {
            do { out.append(try Enode(text)) } catch {
                throw ConfigError("permissions file \(path): \(text.prefix(40))…: \(error.description)")
            }
        }
        return out
    }

    private static func parse(_ urls: [String]) throws(ConfigError) -> [Enode] {
        var out: [Enode] = []
        for text in urls {
            let enode: Enode
            do { enode = try Enode(text) } catch { throw ConfigError("Request contains an invalid node: \(error.description)") }
            guard !out.contains(where: { $0.publicKey == enode.publicKey }) else {
                throw ConfigError("Request contains duplicate nodes")
            }
            out.append(enode)
        }
        return out
    }
}
