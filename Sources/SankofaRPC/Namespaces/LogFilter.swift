import SankofaChain
import SankofaJSON
import SankofaPrimitives

/// An `eth_getLogs` / `eth_newFilter` criteria object: block range or block hash, addresses, and topics by position
/// (each position null = any, a hash, or a list of alternatives).
public struct LogFilter: Sendable, Equatable {
    public var fromBlock: BlockTag
    public var toBlock: BlockTag
    public var blockHash: Hash32?
    public var addresses: [Address]
    public var topics: [[Hash32]?]

    /// Addresses, and alternatives per topic position, one filter may list (each is probed against every bloom).
    public static let maxCriteria = 1_000

    /// Bloom bits of each address and topic alternative, computed once per filter rather than per block.
    var addressProbes: [Bloom] = []
    var topicProbes: [[Bloom]?] = []
    public init(_ object: JSONObject) throws(RPCError) {
        // null means absent, as in geth.
        let from: JSON? = object["fromBlock"].flatMap { $0.isNull ? Optional<JSON>.none : $0 }
        let to: JSON? = object["toBlock"].flatMap { $0.isNull ? Optional<JSON>.none : $0 }
        fromBlock = try from.map { tag throws(RPCError) in try BlockTag(tag, position: "fromBlock") } ?? .latest
        toBlock = try to.map { tag throws(RPCError) in try BlockTag(tag, position: "toBlock") } ?? .latest
        if let text = object["blockHash"]?.stringValue {
            guard let hash = try? Hash32(hex: text) else { throw RPCError.invalidParams("blockHash: \(text) is not a hash") }
            guard from == nil, to == nil else {
                throw RPCError.invalidParams("cannot specify both blockHash and fromBlock/toBlock")
            }
            blockHash = hash
        }
        switch object["address"] {
        case nil, .null?: addresses = []
        case .string(let text)?:
            guard let address = try? Address(hex: text) else { throw RPCError.invalidParams("address: \(text) is not an address") }
            addresses = [address]
        case .array(let list)?:
            addresses = try list.map { value throws(RPCError) in
                guard let text = value.stringValue, let address = try? Address(hex: text) else {
                    throw RPCError.invalidParams("address list must hold addresses")
                }
                return address
            }
        default: throw RPCError.invalidParams("address must be an address or a list of addresses")
        }
        guard addresses.count <= Self.maxCriteria else { throw RPCError.invalidParams("at most \(Self.maxCriteria) addresses per filter") }
        let positions = object["topics"]?.arrayValue ?? []
        guard positions.count <= 4 else { throw RPCError.invalidParams("at most 4 topic positions") }
        topics = try positions.map { position throws(RPCError) -> [Hash32]? in
            if position.isNull { return nil }
            let choices = position.arrayValue ?? [position]
            guard choices.count <= Self.maxCriteria else {
                throw RPCError.invalidParams("at most \(Self.maxCriteria) alternatives per topic position")
            }
            return try choices.map { value throws(RPCError) in
                guard let text = value.stringValue, let hash = try? Hash32(hex: text) else {
                    throw RPCError.invalidParams("topics must be 32-byte hashes")
                }
                return hash
            }
        }
        addressProbes = addresses.map { Self.probe($0.bytes) }
        topicProbes = topics.map { $0?.map { Self.probe($0.bytes) } }
    }

    /// Whether a block's bloom may contain matching logs (false means certainly not).
    public func mayMatch(_ bloom: Bloom) -> Bool {
        if !addressProbes.isEmpty, !addressProbes.contains(where: { bloom.contains($0) }) { return false }
        for case let probes? in topicProbes where !probes.isEmpty {
            if !probes.contains(where: { bloom.contains($0) }) { return false }
        }
        return true
    }

    static func probe(_ bytes: [UInt8]) -> Bloom {
        var bloom = Bloom()
        bloom.add(bytes)
        return bloom
    }

    public func matches(_ log: Log) -> Bool {
        if !addresses.isEmpty, !addresses.contains(log.address) { return false }
        for (position, choices) in topics.enumerated() {
            guard let choices, !choices.isEmpty else { continue }
            guard log.topics.indices.contains(position), choices.contains(log.topics[position]) else { return false }
        }
        return true
    }

    /// The matching logs of one block, as JSON.
    public func logs(in block: Block, receipts: [Receipt], removed: Bool = false) -> [JSON] {
        guard mayMatch(block.header.logsBloom) else { return [] }
        var out: [JSON] = []
        var logIndex = 0
        for (txIndex, receipt) in receipts.enumerated() where txIndex < block.transactions.count {
            for entry in receipt.logs {
                if matches(entry) {
                    out.append(RPCShapes.log(entry, block: block.header, transactionHash: block.transactions[txIndex].hash,
                                             transactionIndex: txIndex, logIndex: logIndex, removed: removed))
                }
                logIndex += 1
            }
        }
        return out
    }

    /// The block number a range bound names: numbers as given (they may lie beyond the head), tags through the chain.
    static func number(of tag: BlockTag, backend: RPCBackend) async throws -> UInt64? {
        if case .number(let number) = tag { return number }
        return try await backend.chain.header(tag)?.number
    }
}

extension EthNamespace {
    func logs(_ params: RPCParams) async throws -> JSON {
        .array(try await Self.collect(try LogFilter(try params.object(0)), backend: backend, maxRange: filters.maxLogsRange))
    }

    /// Every matching log in the filter's range (or block), scanning only blocks whose bloom may match.
    static func collect(_ filter: LogFilter, backend: RPCBackend, maxRange: UInt64, from: UInt64? = nil) async throws -> [JSON] {
        if let hash = filter.blockHash {
            guard let block = try await backend.chain.block(hash: hash) else { throw RPCError.server("unknown block") }
            return filter.logs(in: block, receipts: try await backend.chain.receipts(blockHash: hash) ?? [])
        }
        // A range reaching past the head stops at the head, as geth's does: blocks that do not exist yet have no
        // logs, so `toBlock` far ahead answers with everything up to the head rather than nothing.
        let head = try backend.chain.headHeader().number
        guard let first = try await number(of: filter.fromBlock, backend: backend),
              let requestedLast = try await number(of: filter.toBlock, backend: backend) else { return [] }
        let last = min(requestedLast, head)
        let start = max(from ?? first, first)
        guard start <= last else { return [] }
        guard last - start < maxRange else {
            throw RPCError.server("block range too large: at most \(maxRange) blocks per query (--rpc-max-logs-range)")
        }
        var out: [JSON] = []
        for number in start...last {
            guard let header = try await backend.chain.header(.number(number)), filter.mayMatch(header.logsBloom),
                  let block = try await backend.chain.block(hash: header.hash),
                  let receipts = try await backend.chain.receipts(blockHash: header.hash) else { continue }
            out += filter.logs(in: block, receipts: receipts)
        }
        return out
    }

    /// The block number a range bound names: numbers as given (they may lie beyond the head), tags through the chain.
    static func number(of tag: BlockTag, backend: RPCBackend) async throws -> UInt64? {
        if case .number(let number) = tag { return number }
        return try await backend.chain.header(tag)?.number
    }
}
