import SankofaContracts
import SankofaJSON
import SankofaPrimitives

/// NodeRegistry reads over JSON-RPC: `eth_call` of `nodesInZone` and `getNode` at a chosen block, and its logs by
/// `eth_getLogs`, all through the ABI codec and the contract's own declarations.
struct RegistryReader {
    let client: WebSocketRPCClient
    static let address = SystemAddresses.nodeRegistry
    static let contract = NodeRegistry()
    /// Blocks per `eth_getLogs` query (below the node's 10,000-block limit).
    static let logChunk: UInt64 = 5_000

    func blockNumber() async throws -> UInt64 {
        guard let text = try await client.call("eth_blockNumber", []).stringValue, let number = RegistryEvent.quantity(text) else {
            throw RPCClientError("eth_blockNumber returned no quantity")
        }
        return number
    }

    /// Every node of `zone` as of `block`.
    func nodes(in zone: Zone, at block: UInt64) async throws -> [ServiceNode] {
        guard case .array(let ids)? = try await call("nodesInZone", [.fixedBytes(zone.bytes)], at: block).first else {
            throw RPCClientError("nodesInZone returned no array")
        }
        var nodes: [ServiceNode] = []
        for case .fixedBytes(let id) in ids {
            let values = try await call("getNode", [.fixedBytes(id)], at: block)
            guard values.count == 5, case .fixedBytes(let zoneBytes) = values[0], let nodeZone = Zone(bytes: zoneBytes),
                  case .string(let endpoint) = values[1], case .uint(let proto) = values[2], case .uint(let status) = values[3]
            else { throw RPCClientError("getNode returned an unexpected shape") }
            nodes.append(ServiceNode(id: id, zone: nodeZone, rawEndpoint: endpoint, nodeProtocol: UInt8(truncatingIfNeeded: proto.w0),
                                     status: UInt8(truncatingIfNeeded: status.w0)))
        }
        return nodes
    }

    /// Registry events in `(from, to]`, in chain order.
    func events(after from: UInt64, through to: UInt64) async throws -> [RegistryEvent] {
        var events: [RegistryEvent] = []
        var start = from + 1
        while start <= to {
            let end = min(to, start + Self.logChunk - 1)
            let filter = JSON.object(JSONObject([("address", .string(Self.address.hex)), ("fromBlock", .string(Self.hex(start))),
                                                 ("toBlock", .string(Self.hex(end)))]))
            guard let logs = try await client.call("eth_getLogs", [filter]).arrayValue else {
                throw RPCClientError("eth_getLogs returned no array")
            }
            events += logs.compactMap(RegistryEvent.init(log:))
            start = end + 1
        }
        return events.sorted { ($0.blockNumber, $0.logIndex) < ($1.blockNumber, $1.logIndex) }
    }

    func call(_ name: String, _ arguments: [ABIValue], at block: UInt64) async throws -> [ABIValue] {
        guard let function = Self.contract.functions.first(where: { $0.name == name }) else {
            throw RPCClientError("NodeRegistry has no \(name)")
        }
        let data = try ABI.encode(selector: function.selector, arguments, as: function.inputs.map(\.type))
        let request = JSON.object(JSONObject([("to", .string(Self.address.hex)), ("data", .string(Hex.encode(data)))]))
        guard let text = try await client.call("eth_call", [request, .string(Self.hex(block))]).stringValue else {
            throw RPCClientError("eth_call \(name) returned no data")
        }
        return try ABI.decode(try Hex.decode(text), as: function.outputs.map(\.type))
    }

    static func hex(_ number: UInt64) -> String { "0x" + String(number, radix: 16) }
}
