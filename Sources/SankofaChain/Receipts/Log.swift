import SankofaPrimitives

/// An event log as Ethereum defines it: `rlp([address, [topic, …], data])`. System contracts emit these
/// Solidity-style (topic 0 = keccak of the event signature, indexed parameters in the following topics).
public struct Log: Hashable, Sendable {
    public var address: Address
    public var topics: [Hash32]
    public var data: [UInt8]

    public init(address: Address, topics: [Hash32], data: [UInt8]) {
        self.address = address
        self.topics = topics
        self.data = data
    }
}

extension Log: RLPEncodable, RLPDecodable {
    public func encode(to writer: inout RLPWriter) {
        writer.writeList { w in
            w.write(address)
            w.writeList { list in for topic in topics { list.write(topic) } }
            w.write(bytes: data)
        }
    }

    public init(from reader: inout RLPReader) throws(RLPError) {
        var fields = try reader.readList()
        address = try fields.readAddress()
        var topicList = try fields.readList()
        var decoded: [Hash32] = []
        while !topicList.isAtEnd { decoded.append(try topicList.readHash()) }
        topics = decoded
        data = Array(try fields.readBytes())
        try fields.finish()
    }
}
