/// The capabilities both peers run, with the message-id range each got (devp2p rlpx.md, "Message ID-based
/// Multiplexing"): of each name both sides list, the highest version both support is used; the winners,
/// sorted by name, take consecutive id ranges starting at 0x10.
public struct SharedCapabilities: Sendable, Equatable {
    /// One negotiated capability and its id range.
    public struct Entry: Sendable, Equatable {
        public var capability: Capability
        /// The wire id of its relative message 0.
        public var offset: UInt64
        public var messageCount: UInt64

        /// Wire ids `offset ..< offset + messageCount`.
        public var ids: Range<UInt64> { offset..<(offset + messageCount) }
    }

    /// In id order.
    public let entries: [Entry]

    /// Negotiates between what we run and what the peer's Hello listed.
    public init(local: [any SubProtocol], remote: [Capability]) {
        let remoteSet = Set(remote)
        var best: [String: any SubProtocol] = [:]
        for candidate in local where remoteSet.contains(candidate.capability) {
            if let current = best[candidate.capability.name], current.capability.version >= candidate.capability.version {
                continue
            }
            best[candidate.capability.name] = candidate
        }
        var offset = P2PMessage.reservedIDs
        var entries: [Entry] = []
        for chosen in best.values.sorted(by: { $0.capability < $1.capability }) {
            entries.append(Entry(capability: chosen.capability, offset: offset, messageCount: chosen.messageCount))
            offset += chosen.messageCount
        }
        self.entries = entries
    }

    public var isEmpty: Bool { entries.isEmpty }

    /// The capability a wire id belongs to, and the id relative to it; nil for base-protocol or unknown ids.
    public func route(_ id: UInt64) -> (capability: Capability, relativeID: UInt64)? {
        for entry in entries where entry.ids.contains(id) {
            return (entry.capability, id - entry.offset)
        }
        return nil
    }

    /// The wire id of `relativeID` in the negotiated capability called `name`.
    public func wireID(name: String, relativeID: UInt64) -> UInt64? {
        guard let entry = entries.first(where: { $0.capability.name == name }), relativeID < entry.messageCount else {
            return nil
        }
        return entry.offset + relativeID
    }
}
