import NIOCore
import NIOHTTP1
import SankofaJSON

extension RPCHTTPServer {
    /// `POST /login` with `{"username": …, "password": …}` answers `{"token": …}` (Besu's login endpoint); wrong
    /// credentials get 401, a flood of logins 429 once `RPCAuthenticator.maxPendingLogins` are being checked.
    func login(_ request: HTTPRequest, cors: [(String, String)]) async -> Response {
        guard let auth = settings.authentication, auth.canLogin else {
            return Response(status: .notFound, body: Array(#"{"message":"login is not enabled (no credentials file)"}"#.utf8), headers: cors)
        }
        guard request.method == .POST else {
            return Response(status: .methodNotAllowed, body: Array(#"{"message":"login uses POST"}"#.utf8), headers: cors)
        }
        let bytes = request.body.getBytes(at: request.body.readerIndex, length: request.body.readableBytes) ?? []
        guard !request.tooLarge, let json = try? JSONParser.parse(bytes),
              let username = json["username"]?.stringValue, let password = json["password"]?.stringValue else {
            return Response(status: .badRequest, body: Array(#"{"message":"send {\"username\": …, \"password\": …}"}"#.utf8),
                            headers: cors)
        }
        do {
            let token = try await auth.login(username: username, password: password)
            return Response(status: .ok, body: JSONWriter.encode(["token": .string(token)]), headers: cors)
        } catch .loginBusy {
            return Response(status: .tooManyRequests, body: JSONWriter.encode(["message": .string(AuthError.loginBusy.description)]),
                            headers: cors + [("Retry-After", "1")])
        } catch {
            return Self.unauthorized(error, cors: cors)
        }
    }
}
