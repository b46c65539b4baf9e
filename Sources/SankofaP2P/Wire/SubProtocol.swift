/// A capability this node can run over RLPx (`eth`, QBFT's `istanbul`, Sankofa's light protocol). It only
/// declares itself; message handling lives with the peer session.
public protocol SubProtocol: Sendable {
    /// The advertised capability, e.g. `eth/68`.
    var capability: Capability { get }
    /// How many message ids it uses, starting at its relative id 0 (`eth/68` uses 17).
    var messageCount: UInt64 { get }
}

/// A plain declaration of a sub-protocol, enough for negotiation and tests.
public struct SubProtocolDescriptor: SubProtocol, Hashable {
    public var capability: Capability
    public var messageCount: UInt64

    public init(name: String, version: UInt64, messageCount: UInt64) {
        capability = Capability(name: name, version: version)
        self.messageCount = messageCount
    }
}
