import SankofaJSON
import Testing
@testable import SankofaLBWatch

/// The parts of lb-watch that need no network: zones, endpoint validation, events to state, rendering.
@Suite("lb-watch units")
struct EndpointAndRenderTests {
    @Test(arguments: ["127.0.0.1:8080", "api.example.com:443", "a:1", "[::1]:9000", "node-1.eu.internal:65535"])
    func acceptsStrictHostPort(_ text: String) throws {
        #expect(try Endpoint(validating: text).description == text)
    }

    @Test(arguments: [
        "10.0.0.1:80\n  server evil 6.6.6.6:80", "10.0.0.1 :80", "host name:80", "127.0.0.1:0", "127.0.0.1:65536",
        "127.0.0.1:080", "127.0.0.1", ":80", "http://a:80", "a:80/x", "256.1.1.1:80", "-a:80", "a..b:80", "a:8 0",
        "a:80 check", "[::1:80", "a:+80", "", "a;b:80", "1.2.3:80",
    ])
    func refusesAnythingElse(_ text: String) {
        #expect(throws: Endpoint.Refusal.self) { try Endpoint(validating: text) }
    }

    @Test func zonesParseAsPaddedASCIIOrHex() throws {
        let eu = try #require(Zone("eu"))
        #expect(eu.bytes.count == 32 && eu.bytes[0] == 0x65 && eu.bytes[2] == 0)
        #expect(Zone("0x" + String(repeating: "00", count: 31) + "01")?.label == String(repeating: "00", count: 31) + "01")
        #expect(Zone("") == nil)
        #expect(Zone(String(repeating: "a", count: 33)) == nil)
        #expect(Zone("0x1234") == nil)
    }

    @Test func injectedEndpointsNeverReachTheFile() {
        let eu = Zone("eu")!
        var state = RegistryState(zones: [eu], lastApplied: 0)
        var outcome = RegistryState.Outcome()
        let good = ServiceNode(id: [UInt8](repeating: 1, count: 32), zone: eu, rawEndpoint: "127.0.0.1:9001", nodeProtocol: 1, status: 1)
        let evil = ServiceNode(id: [UInt8](repeating: 2, count: 32), zone: eu, rawEndpoint: "10.0.0.1:80\n  server evil 6.6.6.6:80",
                               nodeProtocol: 1, status: 1)
        state.load(good, into: &outcome)
        state.load(evil, into: &outcome)
        #expect(outcome.refused.count == 1)
        let config = HAProxyConfigRenderer().render(zones: [eu], nodes: state.nodes + [evil], block: 7)
        #expect(config.contains("server \(good.serverName) 127.0.0.1:9001 check"))
        #expect(!config.contains("6.6.6.6"))
        #expect(!config.contains("10.0.0.1"))
    }

    @Test func statusesRenderAsStates() {
        let eu = Zone("eu")!
        var renderer = HAProxyConfigRenderer()
        renderer.balance = .leastconn
        let nodes = (1...3).map { ServiceNode(id: [UInt8](repeating: UInt8($0), count: 32), zone: eu, rawEndpoint: "127.0.0.1:900\($0)",
                                               nodeProtocol: UInt8($0), status: UInt8($0)) }
        let config = renderer.render(zones: [eu], nodes: nodes, block: 1)
        #expect(config.contains("balance leastconn"))
        #expect(config.contains("127.0.0.1:9001 check\n"))
        #expect(config.contains("127.0.0.1:9002 check proto h2 check-proto h2 weight 0"))
        #expect(config.contains("127.0.0.1:9003 check proto h2 check-proto h2 disabled"))
    }

    @Test func eventsApplyInOrderOnce() {
        let eu = Zone("eu")!
        let id = [UInt8](repeating: 9, count: 32)
        var state = RegistryState(zones: [eu], lastApplied: 0)
        var outcome = RegistryState.Outcome()
        state.load(ServiceNode(id: id, zone: eu, rawEndpoint: "127.0.0.1:1", nodeProtocol: 1, status: 1), into: &outcome)
        var second = RegistryState.Outcome()
        state.apply(RegistryEvent(nodeId: id, change: .statusChanged(2), blockNumber: 1, logIndex: 0), into: &second)
        #expect(second.statusChanges == [.init(backend: "zone_eu", server: state.nodes[0].serverName, state: "drain")])
        #expect(!second.membershipChanged)
        var third = RegistryState.Outcome()
        state.apply(RegistryEvent(nodeId: id, change: .deregistered, blockNumber: 2, logIndex: 0), into: &third)
        #expect(third.membershipChanged && state.nodes.isEmpty)
    }

    @Test func aRefusedNodeIsAdmittedOnceItsEndpointIsFixed() {
        let eu = Zone("eu")!
        let id = [UInt8](repeating: 7, count: 32)
        var state = RegistryState(zones: [eu], lastApplied: 0)
        var outcome = RegistryState.Outcome()
        state.apply(RegistryEvent(nodeId: id, change: .registered(zone: eu, endpoint: "a b:1", nodeProtocol: 1), blockNumber: 1, logIndex: 0),
                    into: &outcome)
        state.apply(RegistryEvent(nodeId: id, change: .statusChanged(3), blockNumber: 2, logIndex: 0), into: &outcome)
        #expect(state.nodes.isEmpty && outcome.refused.count == 1 && !outcome.membershipChanged)
        var fixed = RegistryState.Outcome()
        state.apply(RegistryEvent(nodeId: id, change: .endpointUpdated(endpoint: "127.0.0.1:9", nodeProtocol: 2), blockNumber: 3, logIndex: 0),
                    into: &fixed)
        #expect(fixed.membershipChanged && state.nodes.count == 1 && state.nodes[0].status == 3 && state.nodes[0].nodeProtocol == 2)
    }
}
