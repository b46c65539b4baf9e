/// Why a JSON-RPC caller was not let in, or why the auth set-up could not load. Each message is one actionable line.
public enum AuthError: Error, Equatable, CustomStringConvertible, Sendable {
    /// The token is not three base64url parts with JSON header and payload.
    case malformedToken
    /// The header names an algorithm no configured key uses (`none` is always refused).
    case unsupportedAlgorithm(String)
    /// No configured key produced this signature.
    case badSignature
    /// `exp` has passed (or is missing: tokens must expire).
    case expired
    /// `nbf` is in the future.
    case notYetValid
    /// No `Authorization: Bearer` token was sent.
    case missingToken
    /// Wrong username or password at `/login`.
    case invalidCredentials
    /// Too many logins are being checked at once; the caller should retry later.
    case loginBusy
    /// A key or credentials file could not be used.
    case setup(String)

    public var description: String {
        switch self {
        case .malformedToken: "token is not a JWT (header.payload.signature in base64url)"
        case .unsupportedAlgorithm(let alg): "token algorithm \(alg) is not accepted here"
        case .badSignature: "token signature does not verify with any configured key"
        case .expired: "token has expired (or has no exp claim); log in again"
        case .notYetValid: "token is not valid yet (nbf is in the future)"
        case .missingToken: "send Authorization: Bearer <token> (get one from POST /login)"
        case .invalidCredentials: "wrong username or password"
        case .loginBusy: "too many logins in progress; retry shortly"
        case .setup(let detail): detail
        }
    }
}
