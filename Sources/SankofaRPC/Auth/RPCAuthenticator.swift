#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import NIOConcurrencyHelpers
import NIOPosix

/// The JSON-RPC auth policy shared by the HTTP and WebSocket transports (Besu's
/// `--rpc-http-authentication-*` flags): tokens signed by the configured identity provider's key (RS256/ES256), or
/// issued by this node at `POST /login` from a credentials file and signed with an ES256 key generated at start
/// (so tokens do not survive a restart).
///
/// Password checks are deliberately slow, so they run on one dedicated thread with at most `maxPendingLogins`
/// waiting: a flood of wrong logins is answered "busy" and never takes the event loops from other callers.
public final class RPCAuthenticator: Sendable {
    /// Keys that may have signed a token: the configured public key and the node's own login key.
    let keys: [JWTKey]
    let loginKey: JWTKey?
    let credentials: RPCCredentials?
    /// How long a `/login` token lives (Besu: 5 minutes).
    public let tokenLifetimeSeconds: Int64
    public let maxPendingLogins: Int
    let clock: @Sendable () -> Int64
    let hashing: NIOThreadPool
    let pending = NIOLockedValueBox(0)
    /// Checked for unknown users, so a wrong username costs the same time as a wrong password.
    let decoy: PasswordHash?

    public init(publicKey: JWTKey?, credentials: RPCCredentials?, tokenLifetimeSeconds: Int64 = 300,
                maxPendingLogins: Int = 8, clock: @escaping @Sendable () -> Int64 = RPCAuthenticator.unixNow) throws(AuthError) {
        guard publicKey != nil || credentials != nil else {
            throw .setup("authentication is enabled but neither a JWT public key file nor a credentials file is set")
        }
        let loginKey = credentials == nil ? nil : try JWTKey.generate(.es256)
        self.loginKey = loginKey
        self.keys = [publicKey, loginKey].compactMap { $0 }
        self.credentials = credentials
        self.tokenLifetimeSeconds = tokenLifetimeSeconds
        self.maxPendingLogins = maxPendingLogins
        self.clock = clock
        self.decoy = credentials?.users.values.first.map {
            PasswordHash(encoded: "pbkdf2-sha256$\($0.password.iterations)$00000000000000000000000000000000$" + String(repeating: "00", count: 32))
        } ?? nil
        hashing = NIOThreadPool(numberOfThreads: 1)
        hashing.start()
    }

    deinit { hashing.shutdownGracefully { _ in } }

    /// Seconds since 1970 from the system clock.
    @Sendable public static func unixNow() -> Int64 { Int64(time(nil)) }

    /// Whether `POST /login` is served (a credentials file is configured).
    public var canLogin: Bool { credentials != nil }

    /// The claims of a bearer token, or why it is refused.
    public func authenticate(token: String?) throws(AuthError) -> JWTClaims {
        guard let token, !token.isEmpty else { throw .missingToken }
        return try JWT.verify(token, keys: keys, now: clock())
    }

    /// The token from an `Authorization: Bearer …` header value.
    public static func bearerToken(_ header: String?) -> String? {
        guard let header else { return nil }
        let parts = header.split(separator: " ", maxSplits: 1)
        guard parts.count == 2, parts[0].lowercased() == "bearer" else { return nil }
        return String(parts[1]).trimmingSpaces()
    }

    /// Checks a username and password off the event loops and issues a token.
    public func login(username: String, password: String) async throws(AuthError) -> String {
        guard let credentials, let loginKey else { throw .invalidCredentials }
        let admitted = pending.withLockedValue { count -> Bool in
            guard count < maxPendingLogins else { return false }
            count += 1
            return true
        }
        guard admitted else { throw .loginBusy }
        defer { pending.withLockedValue { $0 -= 1 } }
        let user = credentials.users[username]
        let hash = user?.password ?? decoy
        let ok: Bool
        do {
            ok = try await hashing.runIfActive { hash?.matches(password) ?? false }
        } catch {
            throw .loginBusy
        }
        guard ok, let user else { throw .invalidCredentials }
        let now = clock()
        return try JWT.sign(JWTClaims(username: user.name, permissions: user.permissions, expiresAt: now + tokenLifetimeSeconds),
                            issuedAt: now, key: loginKey)
    }
}

extension String {
    func trimmingSpaces() -> String {
        String(self.drop { $0 == " " || $0 == "\t" }.reversed().drop { $0 == " " || $0 == "\t" }.reversed())
    }
}
