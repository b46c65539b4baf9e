import SankofaJSON
import SankofaPrimitives

/// `perm_`: Besu's local permissioning methods. Off unless `PERM` is listed in `--rpc-http-api`, as in Besu.
/// Changes answer `"Success"` and are persisted to the permissions file; a removed node is disconnected at once.
public struct PermNamespace: Sendable {
    let backend: RPCBackend

    public init(backend: RPCBackend) { self.backend = backend }

    public var methods: [(String, RPCHandler)] {
        [
            ("perm_getNodesAllowlist", { _, _ in .array(try await backend.permissions.nodesAllowlist().map { .string($0) }) }),
            ("perm_addNodesToAllowlist", { params, _ in
                try await backend.permissions.addNodes(try Self.strings(params))
                return .string("Success")
            }),
            ("perm_removeNodesFromAllowlist", { params, _ in
                try await backend.permissions.removeNodes(try Self.strings(params))
                return .string("Success")
            }),
            ("perm_getAccountsAllowlist", { _, _ in
                .array(try await backend.permissions.accountsAllowlist().map { .string($0.hex) })
            }),
            ("perm_addAccountsToAllowlist", { params, _ in
                try await backend.permissions.addAccounts(try Self.addresses(params))
                return .string("Success")
            }),
            ("perm_removeAccountsFromAllowlist", { params, _ in
                try await backend.permissions.removeAccounts(try Self.addresses(params))
                return .string("Success")
            }),
            ("perm_reloadPermissionsFromFile", { _, _ in
                try await backend.permissions.reload()
                return .string("Success")
            }),
        ]
    }

    /// The first argument: a non-empty array of strings.
    static func strings(_ params: RPCParams) throws(RPCError) -> [String] {
        guard let items = params.optional(0)?.arrayValue else { throw .invalidParams("argument 0 must be an array of strings") }
        var out: [String] = []
        for item in items {
            guard let text = item.stringValue else { throw .invalidParams("argument 0 must be an array of strings") }
            out.append(text)
        }
        guard !out.isEmpty else { throw .invalidParams("argument 0 must not be empty") }
        return out
    }

    static func addresses(_ params: RPCParams) throws(RPCError) -> [Address] {
        var out: [Address] = []
        for text in try strings(params) {
            guard let address = try? Address(hex: text) else { throw .invalidParams("\(text) is not a 20-byte hex address") }
            out.append(address)
        }
        return out
    }
}
