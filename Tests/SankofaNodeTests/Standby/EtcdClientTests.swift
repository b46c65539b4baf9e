import Foundation
#if canImport(Glibc)
import Glibc
#endif
import SankofaJSON
import SankofaRPC
import Testing
@testable import SankofaNode

/// The etcd client's own behaviour, without etcd (the real gateway is exercised end to end by
/// `ValidatorStandbyTests`): a silent endpoint costs at most the timeout, and the error names every endpoint tried.
@Suite("etcd client")
struct EtcdClientTests {
    /// A TCP socket that listens and never accepts: the kernel completes connections, nobody answers.
    static func silentPort() throws -> (descriptor: Int32, port: Int) {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, length) } }
        #expect(bound == 0)
        #expect(listen(fd, 16) == 0)
        _ = withUnsafeMutablePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) } }
        return (fd, Int(UInt16(bigEndian: address.sin_port)))
    }

    @Test func aSilentEtcdFailsWithinTheTimeoutAndEveryEndpointIsNamed() async throws {
        let silent = try Self.silentPort()
        defer { close(silent.descriptor) }
        let refused = try Self.silentPort()
        close(refused.descriptor)   // nothing listens there any more: connection refused
        let client = EtcdClient(endpoints: [HTTPEndpoint(host: "127.0.0.1", port: silent.port),
                                            HTTPEndpoint(host: "127.0.0.1", port: refused.port)],
                                timeout: .milliseconds(300))
        let started = ContinuousClock.now
        do {
            _ = try await client.keepAlive(42)
            Issue.record("a silent etcd answered")
        } catch {
            #expect(error.description.contains("127.0.0.1:\(silent.port)/v3/lease/keepalive: no answer within"), "\(error)")
            #expect(error.description.contains("127.0.0.1:\(refused.port)"), "\(error)")
        }
        #expect(ContinuousClock.now - started < .seconds(2))
    }

    @Test func gatewayEncoding() {
        #expect(EtcdClient.base64("/sankofa/net/v") == "L3NhbmtvZmEvbmV0L3Y=")
        #expect(EtcdClient.unbase64("bWU=") == "me")
        #expect(EtcdClient.int64(.string("2324035791814543111")) == 2_324_035_791_814_543_111)
        let range: JSON = ["kvs": [["key": "eA==", "value": "bWU=", "lease": "7"]], "count": "1"]
        #expect(EtcdClient.value(range) == LeasedValue(value: "me", lease: 7))
        #expect(EtcdClient.value(["header": ["revision": "3"]]) == nil)
    }
}
