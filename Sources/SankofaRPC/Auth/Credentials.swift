import TOMLKit

/// One user of a credentials file.
public struct RPCUser: Sendable, Equatable {
    public let name: String
    public let password: PasswordHash
    public let permissions: RPCPermissions
}

/// Besu's `--rpc-http-authentication-credentials-file`: TOML with one `[Users.<name>]` table per user, holding a
/// salted `password` hash (see `PasswordHash`) and `permissions` such as `["net:*", "eth:blockNumber"]`.
///
/// ```toml
/// [Users.alice]
/// password = "pbkdf2-sha256$210000$5f3c…$9a1d…"
/// permissions = ["net:*", "eth:blockNumber"]
/// ```
public struct RPCCredentials: Sendable {
    public let users: [String: RPCUser]

    public init(users: [RPCUser]) {
        self.users = Dictionary(users.map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first })
    }

    /// Parses the file's text; the error names the user and field that is wrong.
    public init(toml text: String) throws(AuthError) {
        let table: TOMLTable
        do { table = try TOMLText.parse(text) } catch {
            throw .setup("credentials file is not valid TOML: \(error)")
        }
        guard let usersTable = table["Users"]?.table else {
            throw .setup("credentials file has no [Users.<name>] tables")
        }
        var users: [RPCUser] = []
        for (name, value) in usersTable {
            guard let user = value.table else { throw .setup("credentials: Users.\(name) must be a table") }
            guard let encoded = user["password"]?.string, let hash = PasswordHash(encoded: encoded) else {
                throw .setup("credentials: Users.\(name).password must be pbkdf2-sha256$<iterations>$<salt hex>$<hash hex> (sankofa password hash)")
            }
            var permissions: [String] = []
            for entry in user["permissions"]?.array ?? [] {
                guard let text = entry.string else { throw .setup("credentials: Users.\(name).permissions must be strings") }
                permissions.append(text)
            }
            users.append(RPCUser(name: name, password: hash, permissions: RPCPermissions(permissions)))
        }
        self.init(users: users)
    }
}
