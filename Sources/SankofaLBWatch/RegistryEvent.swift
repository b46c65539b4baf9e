import SankofaContracts
import SankofaJSON
import SankofaPrimitives

/// One NodeRegistry log, decoded, with where it sits in the chain (so it is applied once, in order).
public struct RegistryEvent: Sendable, Equatable {
    /// What the event says happened to the node.
    public enum Change: Sendable, Equatable {
        case registered(zone: Zone, endpoint: String, nodeProtocol: UInt8)
        case statusChanged(UInt8)
        case endpointUpdated(endpoint: String, nodeProtocol: UInt8)
        case deregistered
    }

    /// The node (topic 1).
    public let nodeId: [UInt8]
    public let change: Change
    /// Where the log sits: events apply in (block, log index) order.
    public let blockNumber: UInt64
    public let logIndex: UInt64

    /// An event built directly (tests, replays).
    public init(nodeId: [UInt8], change: Change, blockNumber: UInt64, logIndex: UInt64) {
        self.nodeId = nodeId
        self.change = change
        self.blockNumber = blockNumber
        self.logIndex = logIndex
    }

    /// Decodes an `eth_getLogs` entry; nil for removed logs, other contracts' logs and anything malformed (a log
    /// from the node is still input: nothing in it may trap).
    public init?(log: JSON) {
        guard log["removed"]?.boolValue != true,
              let topics = log["topics"]?.arrayValue?.compactMap({ $0.stringValue.flatMap { try? Hex.decode($0) } }),
              topics.count >= 2, topics.allSatisfy({ $0.count == 32 }),
              let data = log["data"]?.stringValue.flatMap({ try? Hex.decode($0) }),
              let block = log["blockNumber"]?.stringValue.flatMap(Self.quantity),
              let index = log["logIndex"]?.stringValue.flatMap(Self.quantity)
        else { return nil }
        let topic = topics[0]
        nodeId = topics[1]
        blockNumber = block
        logIndex = index
        if topic == NodeRegistry.nodeRegistered.topic.bytes {
            guard topics.count == 3, let zone = Zone(bytes: topics[2]),
                  let values = try? ABI.decode(data, as: [.string, .uint(8)]),
                  case .string(let endpoint) = values[0], case .uint(let proto) = values[1] else { return nil }
            change = .registered(zone: zone, endpoint: endpoint, nodeProtocol: UInt8(truncatingIfNeeded: proto.w0))
        } else if topic == NodeRegistry.nodeStatusChanged.topic.bytes {
            guard let values = try? ABI.decode(data, as: [.uint(8)]), case .uint(let status) = values[0] else { return nil }
            change = .statusChanged(UInt8(truncatingIfNeeded: status.w0))
        } else if topic == NodeRegistry.nodeEndpointUpdated.topic.bytes {
            guard let values = try? ABI.decode(data, as: [.string, .uint(8)]),
                  case .string(let endpoint) = values[0], case .uint(let proto) = values[1] else { return nil }
            change = .endpointUpdated(endpoint: endpoint, nodeProtocol: UInt8(truncatingIfNeeded: proto.w0))
        } else if topic == NodeRegistry.nodeDeregistered.topic.bytes {
            change = .deregistered
        } else {
            return nil
        }
    }

    /// A `0x…` JSON-RPC quantity.
    static func quantity(_ text: String) -> UInt64? {
        guard text.hasPrefix("0x"), text.utf8.count > 2, text.utf8.count <= 18 else { return nil }
        return UInt64(text.dropFirst(2), radix: 16)
    }
}
