import SankofaChain
import SankofaPrimitives
import SankofaTestSupport
import Testing
@testable import SankofaP2P

@Suite("eth/68 hostile input")
struct EthHostileInputTests {
    static func list(_ body: (inout RLPWriter) -> Void) -> [UInt8] {
        var writer = RLPWriter()
        writer.writeList(body)
        return writer.bytes
    }

    static func code(_ code: EthMessageCode) -> UInt64 { code.rawValue }

    @Test func unknownCodesAreRefused() {
        for code: UInt64 in [0x0b, 0x0c, 0x0d, 0x0e, 0x11, .max] {
            #expect(throws: EthError.unknownMessageCode(code)) { _ = try EthMessage.decode(code: code, data: [0xc0]) }
        }
        #expect(EthError.unknownMessageCode(0x0d).disconnectReason == .breachOfProtocol)
    }

    @Test func truncatedAndTrailingBytesAreRefused() {
        for message in EthFixtures.everyMessage {
            let bytes = message.encoded
            let code = message.code.rawValue
            #expect(throws: EthError.self) { _ = try EthMessage.decode(code: code, data: Array(bytes.dropLast())) }
            #expect(throws: EthError.self) { _ = try EthMessage.decode(code: code, data: bytes + [0x80]) }
            #expect(throws: EthError.self) { _ = try EthMessage.decode(code: code, data: []) }
        }
    }

    @Test func wrongShapesAreRefused() {
        // Status with the fork id missing.
        let status = Self.list { w in
            w.write(UInt64(68)); w.write(UInt64(1)); w.write(UInt64(1)); w.write(Hash32.zero); w.write(Hash32.zero)
        }
        #expect(throws: EthError.malformed(message: "Status", .unexpectedEnd)) {
            _ = try EthMessage.decode(code: 0, data: status)
        }
        // A fork hash of 5 bytes.
        let badFork = Self.list { w in
            w.write(UInt64(68)); w.write(UInt64(1)); w.write(UInt64(1)); w.write(Hash32.zero); w.write(Hash32.zero)
            w.writeList { f in f.write(bytes: [1, 2, 3, 4, 5]); f.write(UInt64(0)) }
        }
        #expect(throws: EthError.malformed(message: "Status", .wrongLength(expected: 4, got: 5))) {
            _ = try EthMessage.decode(code: 0, data: badFork)
        }
        // GetBlockHeaders whose origin is 9 bytes (neither a hash nor a uint64), or whose reverse is 2.
        let origin9 = Self.list { w in
            w.write(UInt64(1)); w.writeList { q in q.write(bytes: [UInt8](repeating: 1, count: 9)); q.write(UInt64(1)); q.write(UInt64(0)); q.write(false) }
        }
        #expect(throws: EthError.malformed(message: "GetBlockHeaders", .integerTooLarge(maxBytes: 8, got: 9))) {
            _ = try EthMessage.decode(code: Self.code(.getBlockHeaders), data: origin9)
        }
        let reverse2 = Self.list { w in
            w.write(UInt64(1)); w.writeList { q in q.write(UInt64(5)); q.write(UInt64(1)); q.write(UInt64(0)); q.write(UInt64(2)) }
        }
        #expect(throws: EthError.self) { _ = try EthMessage.decode(code: Self.code(.getBlockHeaders), data: reverse2) }
        // A request id of 9 bytes.
        let bigId = Self.list { w in w.write(bytes: [UInt8](repeating: 1, count: 9)); w.writeEmptyList() }
        #expect(throws: EthError.malformed(message: "GetBlockBodies", .integerTooLarge(maxBytes: 8, got: 9))) {
            _ = try EthMessage.decode(code: Self.code(.getBlockBodies), data: bigId)
        }
        // A typed transaction written as a list is no transaction; a string that is not a typed envelope neither.
        let txAsString = Self.list { w in w.write(bytes: [0xc1, 0x80]) }
        #expect(throws: EthError.invalidTransaction(message: "Transactions", .malformed(.expectedList))) {
            _ = try EthMessage.decode(code: Self.code(.transactions), data: txAsString)
        }
        let unknownType = Self.list { w in w.write(bytes: [0x05, 0xc0]) }
        #expect(throws: EthError.invalidTransaction(message: "Transactions", .unsupportedType(5))) {
            _ = try EthMessage.decode(code: Self.code(.transactions), data: unknownType)
        }
        // A block body with a withdrawals list.
        let threeLists = Self.list { w in
            w.write(UInt64(1)); w.writeList { b in b.writeList { x in x.writeEmptyList(); x.writeEmptyList(); x.writeEmptyList() } }
        }
        #expect(throws: EthError.malformed(message: "BlockBodies", .trailingBytes(count: 1))) {
            _ = try EthMessage.decode(code: Self.code(.blockBodies), data: threeLists)
        }
    }

    @Test func announcementListsMustAgree() {
        let mismatched = Self.list { w in
            w.write(bytes: [0, 2])
            w.writeList { s in s.write(UInt64(100)); s.write(UInt64(120)) }
            w.writeList { h in h.write(Hash32.zero) }
        }
        #expect(throws: EthError.self) { _ = try EthMessage.decode(code: Self.code(.newPooledTransactionHashes), data: mismatched) }
        let hugeSize = Self.list { w in
            w.write(bytes: [0]); w.writeList { s in s.write(UInt64(1) << 32) }; w.writeList { h in h.write(Hash32.zero) }
        }
        #expect(throws: EthError.self) { _ = try EthMessage.decode(code: Self.code(.newPooledTransactionHashes), data: hugeSize) }
    }

    static func hashes(_ count: Int) -> [Hash32] { (0..<count).map { EthFixtures.hash(UInt32($0)) } }

    @Test func overLimitRequestsAndResponsesAreRefused() throws {
        let limits = EthLimits.default
        // At the limit: accepted.
        let ok = EthMessage.getBlockBodies(requestId: 1, Self.hashes(limits.maxBodies)).encoded
        _ = try EthMessage.decode(code: Self.code(.getBlockBodies), data: ok)
        let cases: [(EthMessage, String, Int)] = [
            (.getBlockBodies(requestId: 1, Self.hashes(1025)), "GetBlockBodies", 1024),
            (.getReceipts(requestId: 1, Self.hashes(1025)), "GetReceipts", 1024),
            (.getPooledTransactions(requestId: 1, Self.hashes(4097)), "GetPooledTransactions", 4096),
            (.blockHeaders(requestId: 1, Array(repeating: EthFixtures.header(number: 1, extra: []), count: 1025)),
             "BlockHeaders", 1024),
            (.blockBodies(requestId: 1, Array(repeating: BlockBody(transactions: []), count: 1025)), "BlockBodies", 1024),
            (.receipts(requestId: 1, Array(repeating: [], count: 1025)), "Receipts", 1024),
            (.newPooledTransactionHashes(PooledTransactionAnnouncement(
                types: Array(repeating: 2, count: 4097), sizes: Array(repeating: 100, count: 4097),
                hashes: Self.hashes(4097))), "NewPooledTransactionHashes", 4096),
        ]
        for (message, name, limit) in cases {
            #expect(throws: EthError.tooManyItems(message: name, limit: limit)) {
                _ = try EthMessage.decode(code: message.code.rawValue, data: message.encoded)
            }
        }
        #expect(EthError.tooManyItems(message: "x", limit: 1).disconnectReason == .breachOfProtocol)
        // A message above 10 MiB is refused before it is parsed.
        let huge = [UInt8](repeating: 0, count: limits.maxMessageSize + 1)
        #expect(throws: EthError.messageTooLarge(size: huge.count, limit: limits.maxMessageSize)) {
            _ = try EthMessage.decode(code: 2, data: huge)
        }
    }

    @Test func lengthPrefixesCannotSizeAllocations() {
        // A list header claiming 2^55 bytes with nothing behind it.
        let lie: [UInt8] = [0xff, 0x7f, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff]
        for code in EthMessageCode.allCases {
            #expect(throws: EthError.self) { _ = try EthMessage.decode(code: code.rawValue, data: lie) }
        }
    }

    /// Flips, inserts and deletes bytes in valid messages; every outcome must be a value or an `EthError`.
    @Test func seededMutationsNeverTrap() {
        var rng = SplitMix64(seed: 0xE7468)
        let samples = EthFixtures.everyMessage.map { ($0.code.rawValue, $0.encoded) }
        var refused = 0
        for round in 0..<3_000 {
            var (code, bytes) = samples[round % samples.count]
            for _ in 0..<(1 + Int(rng.next() % 4)) where !bytes.isEmpty {
                let at = Int(rng.next() % UInt64(bytes.count))
                switch rng.next() % 4 {
                case 0: bytes[at] ^= UInt8(truncatingIfNeeded: rng.next() | 1)
                case 1: bytes.insert(UInt8(truncatingIfNeeded: rng.next()), at: at)
                case 2: bytes.remove(at: at)
                default: bytes[at] = [0x00, 0x7f, 0x80, 0xb8, 0xbf, 0xc0, 0xf8, 0xff][Int(rng.next() % 8)]
                }
            }
            if rng.next() % 16 == 0 { code = rng.next() % 18 }
            do {
                let decoded = try EthMessage.decode(code: code, data: bytes)
                #expect(try EthMessage.decode(code: code, data: decoded.encoded) == decoded)
            } catch {
                refused += 1
            }
        }
        #expect(refused > 2_000)
    }
}
