import SankofaPrimitives

/// One EIP-2930 access-list entry: an address and the storage slots the transaction declares it will touch.
public struct AccessListEntry: Hashable, Sendable {
    public var address: Address
    public var storageKeys: [Hash32]

    public init(address: Address, storageKeys: [Hash32]) {
        self.address = address
        self.storageKeys = storageKeys
    }
}

/// An EIP-2930 access list, encoded as `[[address, [key, …]], …]`.
public typealias AccessList = [AccessListEntry]

enum AccessListCodec {
    static func encode(_ list: AccessList, to writer: inout RLPWriter) {
        writer.writeList { w in
            for entry in list {
                w.writeList { e in
                    e.write(entry.address)
                    e.writeList { keys in for key in entry.storageKeys { keys.write(key) } }
                }
            }
        }
    }

    static func decode(from reader: inout RLPReader) throws(RLPError) -> AccessList {
        var entries = try reader.readList()
        var list: AccessList = []
        while !entries.isAtEnd {
            var entry = try entries.readList()
            let address = try entry.readAddress()
            var keysReader = try entry.readList()
            var keys: [Hash32] = []
            while !keysReader.isAtEnd { keys.append(try keysReader.readHash()) }
            try entry.finish()
            list.append(AccessListEntry(address: address, storageKeys: keys))
        }
        return list
    }
}
