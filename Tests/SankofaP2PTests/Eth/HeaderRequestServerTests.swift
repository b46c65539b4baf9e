import SankofaChain
import SankofaPrimitives
import Testing
@testable import SankofaP2P

/// A canonical chain 0…99 and a side chain forking after block 50 (side blocks 51…55).
struct FakeHeaderChain: HeaderSource {
    var byHash: [Hash32: BlockHeader] = [:]
    var canonical: [BlockHeader] = []
    var side: [BlockHeader] = []

    init(length: Int = 100, extra: [UInt8] = []) {
        var parent = Hash32.zero
        for n in 0..<UInt64(length) {
            let header = EthFixtures.header(number: n, parent: parent, extra: extra)
            canonical.append(header)
            byHash[header.hash] = header
            parent = header.hash
        }
        parent = canonical[50].hash
        for n in UInt64(51)...55 {
            let header = EthFixtures.header(number: n, parent: parent, extra: [0x51])
            side.append(header)
            byHash[header.hash] = header
            parent = header.hash
        }
    }

    func header(_ hash: Hash32) -> BlockHeader? { byHash[hash] }
    func canonicalHeader(_ number: UInt64) -> BlockHeader? {
        number < UInt64(canonical.count) ? canonical[Int(number)] : nil
    }
}

@Suite("GetBlockHeaders server")
struct HeaderRequestServerTests {
    static let chain = FakeHeaderChain()

    static func numbers(_ query: HeaderQuery, limits: EthLimits = .default) throws -> [UInt64] {
        try HeaderRequestServer.answer(query, from: chain, limits: limits).map(\.number)
    }

    @Test func byNumber() throws {
        #expect(try Self.numbers(HeaderQuery(origin: .number(10), amount: 3)) == [10, 11, 12])
        #expect(try Self.numbers(HeaderQuery(origin: .number(10), amount: 3, skip: 4)) == [10, 15, 20])
        #expect(try Self.numbers(HeaderQuery(origin: .number(10), amount: 3, skip: 4, reverse: true)) == [10, 5, 0])
        #expect(try Self.numbers(HeaderQuery(origin: .number(10), amount: 5, skip: 4, reverse: true)) == [10, 5, 0])
        #expect(try Self.numbers(HeaderQuery(origin: .number(97), amount: 10)) == [97, 98, 99])
        #expect(try Self.numbers(HeaderQuery(origin: .number(100), amount: 1)) == [])
        #expect(try Self.numbers(HeaderQuery(origin: .number(5), amount: 0)) == [])
        #expect(try Self.numbers(HeaderQuery(origin: .number(5), amount: 3, skip: .max)) == [5])
        #expect(try Self.numbers(HeaderQuery(origin: .number(.max), amount: 3)) == [])
    }

    @Test func byHash() throws {
        let origin = Self.chain.canonical[20].hash
        #expect(try Self.numbers(HeaderQuery(origin: .hash(origin), amount: 3, skip: 1)) == [20, 22, 24])
        #expect(try Self.numbers(HeaderQuery(origin: .hash(origin), amount: 3, skip: 1, reverse: true)) == [20, 18, 16])
        #expect(try Self.numbers(HeaderQuery(origin: .hash(.zero), amount: 3)) == [])
    }

    @Test func sideChainOrigin() throws {
        let tip = Self.chain.side[4]  // block 55 on the side chain
        let back = try HeaderRequestServer.answer(HeaderQuery(origin: .hash(tip.hash), amount: 4, skip: 2, reverse: true),
                                                  from: Self.chain)
        // 55, 52 on the side chain, then 49 and 46 on the canonical chain below the fork point.
        #expect(back.map(\.hash) == [Self.chain.side[4].hash, Self.chain.side[1].hash, Self.chain.canonical[49].hash,
                                     Self.chain.canonical[46].hash])
        // Forwards from a side block: only the origin.
        #expect(try Self.numbers(HeaderQuery(origin: .hash(Self.chain.side[0].hash), amount: 4)) == [51])
    }

    @Test func limits() throws {
        let long = FakeHeaderChain(length: 1_100)
        let all = try HeaderRequestServer.answer(HeaderQuery(origin: .number(0), amount: .max), from: long)
        #expect(all.count == 1_024)
        // The soft size limit: the header that crosses it is the last one.
        let size = long.canonical[0].rlpEncoded.count
        var limits = EthLimits.default
        limits.softResponseSize = size * 3 + 1
        let capped = try HeaderRequestServer.answer(HeaderQuery(origin: .number(0), amount: 100), from: long,
                                                    limits: limits)
        #expect(capped.count == 4)
    }
}
