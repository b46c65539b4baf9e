import SankofaCrypto
import SankofaPrimitives

/// The first message on every connection, both ways (devp2p rlpx.md, "Hello (0x00)"):
/// `[protocolVersion, clientId, [[cap-name, cap-version], …], listenPort, nodeId, …]`.
/// Never compressed; extra list elements are ignored (EIP-8).
public struct Hello: Equatable, Sendable {
    /// The devp2p base protocol version we speak: 5 (Snappy).
    public static let currentVersion: UInt64 = 5
    /// Hello bodies larger than this are refused (geth uses the same 2 KiB bound for its first read).
    public static let maxSize = 2 * 1024

    public var protocolVersion: UInt64
    /// Free text such as `sankofa/v0.1.0/linux-x86_64/swift6`.
    public var clientId: String
    public var capabilities: [Capability]
    /// The TCP port the sender listens on, 0 if none (informational only).
    public var listenPort: UInt64
    /// The sender's secp256k1 public key, 64 bytes `x ‖ y`.
    public var nodeId: [UInt8]

    public init(protocolVersion: UInt64 = Hello.currentVersion, clientId: String, capabilities: [Capability],
                listenPort: UInt64, nodeId: [UInt8]) {
        self.protocolVersion = protocolVersion
        self.clientId = clientId
        self.capabilities = capabilities
        self.listenPort = listenPort
        self.nodeId = nodeId
    }

    /// The message body (RLP list).
    public var rlp: [UInt8] {
        var writer = RLPWriter(capacity: 160)
        writer.writeList { w in
            w.write(protocolVersion)
            w.write(bytes: Array(clientId.utf8))
            w.writeList { caps in for capability in capabilities { capability.encode(to: &caps) } }
            w.write(listenPort)
            w.write(bytes: nodeId)
        }
        return writer.bytes
    }

    /// Decodes a Hello body, refusing oversized ones and a nodeId that is not 64 bytes.
    public init(rlp body: [UInt8]) throws(WireError) {
        guard body.count <= Self.maxSize else { throw .helloTooLarge(size: body.count, limit: Self.maxSize) }
        do {
            var outer = RLPReader(body)
            var list = try outer.readList()
            try outer.finish()
            protocolVersion = try list.readUInt64()
            clientId = String(decoding: try list.readBytes(), as: UTF8.self)
            var capabilityList = try list.readList()
            var capabilities: [Capability] = []
            while !capabilityList.isAtEnd { capabilities.append(try Capability(from: &capabilityList)) }
            self.capabilities = capabilities
            listenPort = try list.readUInt64()
            let id = try list.readBytes()
            guard id.count == 64 else { throw WireError.invalidHello("nodeId is \(id.count) bytes, not 64") }
            nodeId = Array(id)
        } catch let error as RLPError {
            throw .malformed(message: "Hello", error)
        } catch let error as WireError {
            throw error
        } catch {
            throw .invalidHello("undecodable")
        }
    }
}
