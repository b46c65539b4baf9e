import Foundation
import SankofaRPC

extension Node {
    /// The authenticator both JSON-RPC transports share, or nil when neither asks for authentication. Reads the
    /// JWT public key and the credentials file once at start, so a bad file stops the node with one clear line.
    static func makeRPCAuthenticator(_ config: NodeConfig) throws -> RPCAuthenticator? {
        guard config.rpcHTTPAuthenticationEnabled || config.rpcWSAuthenticationEnabled else { return nil }
        func read(_ path: String, _ flag: String) throws -> String {
            do { return try String(contentsOfFile: path, encoding: .utf8) } catch {
                throw ConfigError("--\(flag) \(path): cannot read the file (\(error.localizedDescription))")
            }
        }
        do {
            let key = try config.rpcHTTPAuthenticationJWTPublicKeyFile.map {
                try JWTKey.publicKey(pem: try read($0, "rpc-http-authentication-jwt-public-key-file"))
            }
            let credentials = try config.rpcHTTPAuthenticationCredentialsFile.map {
                try RPCCredentials(toml: try read($0, "rpc-http-authentication-credentials-file"))
            }
            return try RPCAuthenticator(publicKey: key, credentials: credentials)
        } catch let error as AuthError {
            throw ConfigError("RPC authentication: \(error.description)")
        }
    }
}
