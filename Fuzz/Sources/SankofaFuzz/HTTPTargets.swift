import NIOCore
import SankofaRPC

/// The JSON-RPC endpoint's HTTP/1.1 framing against itself: the bytes parsed as one read and split into reads at
/// points drawn from the input must frame the same requests and end in the same error, since a client decides
/// nothing about how TCP segments its bytes. Every request also keeps the body limit.
let httpRequestTarget = FuzzTarget(name: "http", summary: "HTTPRequestParser: one read vs. many, body limit") { bytes in
    let whole = frame([bytes[...]])
    var pieces: [ArraySlice<UInt8>] = []
    var start = 0
    var state = bytes.reduce(UInt64(0x9E37_79B9_7F4A_7C15)) { ($0 ^ UInt64($1)) &* 0x100_0000_01B3 }
    while start < bytes.count {
        state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
        let length = 1 + Int(state >> 33) % 64
        pieces.append(bytes[start..<min(bytes.count, start + length)])
        start += length
    }
    let split = frame(pieces)
    if whole.requests != split.requests { fuzzFail("requests differ when the bytes arrive in pieces") }
    if whole.error != split.error { fuzzFail("errors differ when the bytes arrive in pieces: \(String(describing: whole.error)) vs \(String(describing: split.error))") }
}

private let fuzzMaxBody = 4_096
private let fuzzMaxHead = 2_048

/// What a request carries, comparable.
private struct Framed: Equatable {
    let method: String, target: String, minor: Int, host: String?, origin: String?, authorization: String?
    let keepAlive: Bool, expectsContinue: Bool, body: [UInt8], tooLarge: Bool
}

private func frame(_ pieces: [ArraySlice<UInt8>]) -> (requests: [Framed], error: HTTPRequestError?) {
    var parser = HTTPRequestParser(maxHeadBytes: fuzzMaxHead, maxBodyBytes: fuzzMaxBody)
    var buffer = ByteBuffer()
    var requests: [Framed] = []
    do {
        for piece in pieces {
            buffer.writeBytes(piece)
            while let r = try parser.next(from: &buffer) {
                let body = Array(r.body.readableBytesView)
                if body.count > fuzzMaxBody || (r.tooLarge && !body.isEmpty) { fuzzFail("a body over the limit was kept") }
                requests.append(Framed(method: r.method.rawValue, target: r.target, minor: r.version.minor, host: r.host,
                                       origin: r.origin, authorization: r.authorization, keepAlive: r.keepAlive,
                                       expectsContinue: r.expectsContinue, body: body, tooLarge: r.tooLarge))
            }
            // Waiting for more must not mean keeping more than one head or one body's bytes.
            if buffer.readableBytes > max(fuzzMaxHead + 3, fuzzMaxBody) { fuzzFail("\(buffer.readableBytes) bytes kept between reads") }
        }
    } catch {
        return (requests, error)
    }
    return (requests, nil)
}
