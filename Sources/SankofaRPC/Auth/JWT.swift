import SankofaJSON

/// What a verified token says about its holder: Besu's claims (`permissions`, `username`), plus `exp`.
public struct JWTClaims: Sendable, Equatable {
    public var username: String
    public var permissions: RPCPermissions
    /// Unix seconds after which the token is refused.
    public var expiresAt: Int64

    public init(username: String, permissions: RPCPermissions, expiresAt: Int64) {
        self.username = username
        self.permissions = permissions
        self.expiresAt = expiresAt
    }
}

/// Compact JWS tokens (RFC 7519/7515): signing for `/login`, verification for every call.
public enum JWT {
    /// Tokens longer than this are refused before any decoding.
    public static let maxTokenBytes = 16 * 1024

    /// `header.payload.signature` for `claims`, signed with `key`.
    public static func sign(_ claims: JWTClaims, issuedAt: Int64, key: JWTKey) throws(AuthError) -> String {
        let header: JSON = ["alg": .string(key.algorithm.rawValue), "typ": "JWT"]
        let payload: JSON = [
            "username": .string(claims.username),
            "permissions": .array(claims.permissions.entries.map { .string($0) }),
            "iat": .number(JSONNumber(Int(issuedAt))),
            "exp": .number(JSONNumber(Int(claims.expiresAt))),
        ]
        let input = Base64URL.encode(JSONWriter.encode(header)) + "." + Base64URL.encode(JSONWriter.encode(payload))
        return input + "." + Base64URL.encode(try key.sign(Array(input.utf8)))
    }

    /// The claims of `token` when one of `keys` (each bound to its algorithm) signed it and it is within its
    /// validity at `now`. A token naming `none`, an HMAC or any algorithm no key uses is refused before its
    /// signature is looked at.
    public static func verify(_ token: String, keys: [JWTKey], now: Int64) throws(AuthError) -> JWTClaims {
        guard token.utf8.count <= maxTokenBytes else { throw .malformedToken }
        let parts = token.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 3,
              let headerBytes = Base64URL.decode(parts[0]), let payloadBytes = Base64URL.decode(parts[1]),
              let signature = Base64URL.decode(parts[2]),
              let header = try? JSONParser.parse(headerBytes), let payload = try? JSONParser.parse(payloadBytes),
              payload.objectValue != nil
        else { throw .malformedToken }
        // RFC 7515 §4.1.11: extensions named in `crit` must be understood; none are, so such tokens are refused.
        guard let alg = header["alg"]?.stringValue, header["crit"] == nil else { throw .malformedToken }
        let candidates = keys.filter { $0.algorithm.rawValue == alg }
        guard !candidates.isEmpty else { throw .unsupportedAlgorithm(alg) }
        let signed = Array(parts[0].utf8) + [UInt8(ascii: ".")] + Array(parts[1].utf8)
        guard candidates.contains(where: { $0.verify(signature: signature, message: signed) }) else { throw .badSignature }

        guard let exp = payload["exp"]?.numberValue.flatMap({ Int64(exactly: $0.doubleValue.rounded(.down)) }), now < exp else {
            throw .expired
        }
        if let nbf = payload["nbf"]?.numberValue?.doubleValue, Double(now) < nbf { throw .notYetValid }
        var permissions: [String] = []
        for entry in payload["permissions"]?.arrayValue ?? [] {
            if let text = entry.stringValue { permissions.append(text) }
        }
        let username = payload["username"]?.stringValue ?? payload["sub"]?.stringValue ?? ""
        return JWTClaims(username: username, permissions: RPCPermissions(permissions), expiresAt: exp)
    }
}
