import SankofaPrimitives
import Testing
@testable import SankofaP2P

/// EIP-2124's mainnet vectors (transcribed in the EIP and in go-ethereum's core/forkid/forkid_test.go).
@Suite("EIP-2124 fork id")
struct ForkIDTests {
    static let mainnetGenesis = try! Hash32(hex: "d4e56740f876aef8c010b86a40d5f56745a118d0906a34e69aec8c0db1cb8fa3")
    /// Homestead, DAO, Tangerine Whistle, Spurious Dragon, Byzantium, Constantinople, Petersburg (same block),
    /// Istanbul, Muir Glacier, Berlin, London, Arrow Glacier.
    static let mainnet = ForkSchedule(genesisHash: mainnetGenesis, blockForks: [
        1_150_000, 1_920_000, 2_463_000, 2_675_000, 4_370_000, 7_280_000, 7_280_000, 9_069_000, 9_200_000,
        12_244_000, 12_965_000, 13_773_000,
    ])

    struct Creation: Sendable, CustomTestStringConvertible {
        let head: UInt64, hash: UInt32, next: UInt64
        var testDescription: String { "head \(head)" }
    }

    static let creation: [Creation] = [
        .init(head: 0, hash: 0xfc64ec04, next: 1_150_000), .init(head: 1_149_999, hash: 0xfc64ec04, next: 1_150_000),
        .init(head: 1_150_000, hash: 0x97c2c34c, next: 1_920_000),
        .init(head: 1_919_999, hash: 0x97c2c34c, next: 1_920_000),
        .init(head: 1_920_000, hash: 0x91d1f948, next: 2_463_000),
        .init(head: 2_462_999, hash: 0x91d1f948, next: 2_463_000),
        .init(head: 2_463_000, hash: 0x7a64da13, next: 2_675_000),
        .init(head: 2_674_999, hash: 0x7a64da13, next: 2_675_000),
        .init(head: 2_675_000, hash: 0x3edd5b10, next: 4_370_000),
        .init(head: 4_369_999, hash: 0x3edd5b10, next: 4_370_000),
        .init(head: 4_370_000, hash: 0xa00bc324, next: 7_280_000),
        .init(head: 7_279_999, hash: 0xa00bc324, next: 7_280_000),
        .init(head: 7_280_000, hash: 0x668db0af, next: 9_069_000),
        .init(head: 9_068_999, hash: 0x668db0af, next: 9_069_000),
        .init(head: 9_069_000, hash: 0x879d6e30, next: 9_200_000),
        .init(head: 9_199_999, hash: 0x879d6e30, next: 9_200_000),
        .init(head: 9_200_000, hash: 0xe029e991, next: 12_244_000),
        .init(head: 12_243_999, hash: 0xe029e991, next: 12_244_000),
        .init(head: 12_244_000, hash: 0x0eb440f6, next: 12_965_000),
        .init(head: 12_964_999, hash: 0x0eb440f6, next: 12_965_000),
        .init(head: 12_965_000, hash: 0xb715077d, next: 13_773_000),
        .init(head: 13_772_999, hash: 0xb715077d, next: 13_773_000),
        .init(head: 13_773_000, hash: 0x20c327fc, next: 0), .init(head: 20_000_000, hash: 0x20c327fc, next: 0),
    ]

    @Test(arguments: creation)
    func mainnetForkID(_ c: Creation) {
        #expect(Self.mainnet.forkID(headNumber: c.head) == ForkID(hash: c.hash, next: c.next))
    }

    enum Outcome: Sendable { case accept, remoteStale, localIncompatible }

    struct Validation: Sendable, CustomTestStringConvertible {
        let head: UInt64, hash: UInt32, next: UInt64, outcome: Outcome
        var testDescription: String { "head \(head) remote 0x\(String(hash, radix: 16))/\(next)" }
    }

    static let validation: [Validation] = [
        // Same fork, no or an uncertain next fork announced.
        .init(head: 7_987_396, hash: 0x668db0af, next: 0, outcome: .accept),
        .init(head: 7_987_396, hash: 0x668db0af, next: .max, outcome: .accept),
        // Both on Byzantium; the remote may or may not know Petersburg.
        .init(head: 7_279_999, hash: 0xa00bc324, next: 0, outcome: .accept),
        .init(head: 7_279_999, hash: 0xa00bc324, next: 7_280_000, outcome: .accept),
        .init(head: 7_279_999, hash: 0xa00bc324, next: .max, outcome: .accept),
        // The remote is behind but knows the fork we passed.
        .init(head: 7_280_000, hash: 0xa00bc324, next: 7_280_000, outcome: .accept),
        .init(head: 7_987_396, hash: 0xa00bc324, next: 7_280_000, outcome: .accept),
        .init(head: 7_987_396, hash: 0x3edd5b10, next: 4_370_000, outcome: .accept),
        // We are behind.
        .init(head: 7_279_999, hash: 0x668db0af, next: 0, outcome: .accept),
        .init(head: 4_369_999, hash: 0xa00bc324, next: 0, outcome: .accept),
        // The remote missed Petersburg: it needs an update.
        .init(head: 7_987_396, hash: 0xa00bc324, next: 0, outcome: .remoteStale),
        // Unknown fork hashes (Petersburg + an unknown fork, or another chain's Petersburg).
        .init(head: 7_987_396, hash: 0x5cddc0e1, next: 0, outcome: .localIncompatible),
        .init(head: 7_279_999, hash: 0x5cddc0e1, next: 0, outcome: .localIncompatible),
        .init(head: 7_987_396, hash: 0xafec6b27, next: 0, outcome: .localIncompatible),
        // The remote announces a fork we have already passed without it.
        .init(head: 88_888_888, hash: 0x20c327fc, next: 88_888_888, outcome: .localIncompatible),
        .init(head: 7_279_999, hash: 0xa00bc324, next: 7_279_999, outcome: .localIncompatible),
    ]

    @Test(arguments: validation)
    func mainnetValidation(_ v: Validation) {
        let remote = ForkID(hash: v.hash, next: v.next)
        let outcome: Outcome
        do {
            try Self.mainnet.validate(remote, headNumber: v.head)
            outcome = .accept
        } catch .remoteStale {
            outcome = .remoteStale
        } catch {
            outcome = .localIncompatible
        }
        #expect(outcome == v.outcome)
    }

    @Test func encoding() throws {
        let cases: [(ForkID, String)] = [
            (ForkID(hash: 0, next: 0), "c6840000000080"),
            (ForkID(hash: 0xdeadbeef, next: 0xbaddcafe), "ca84deadbeef84baddcafe"),
            (ForkID(hash: .max, next: .max), "ce84ffffffff88ffffffffffffffff"),
        ]
        for (id, hex) in cases {
            var writer = RLPWriter()
            id.encode(to: &writer)
            #expect(writer.bytes == (try Hex.decode(hex)))
            var reader = RLPReader(writer.bytes)
            #expect(try ForkID(from: &reader) == id)
        }
    }

    @Test func timeForksFollowBlockForks() {
        // A PoA chain with one block fork and two timestamp forks; one time fork is at genesis and does not count.
        let genesis = Hash32.zero
        let schedule = ForkSchedule(genesisHash: genesis, blockForks: [0, 5], timeForks: [100, 1_000, 2_000],
                                    genesisTime: 100)
        #expect(schedule.timeForks == [1_000, 2_000])
        let g = CRC32.checksum(genesis.bytes)
        let f5 = CRC32.checksum(ForkSchedule.bigEndian(5), continuing: g)
        let t1 = CRC32.checksum(ForkSchedule.bigEndian(1_000), continuing: f5)
        #expect(schedule.forkID(headNumber: 0, headTime: 100) == ForkID(hash: g, next: 5))
        #expect(schedule.forkID(headNumber: 5, headTime: 999) == ForkID(hash: f5, next: 1_000))
        #expect(schedule.forkID(headNumber: 6, headTime: 1_000) == ForkID(hash: t1, next: 2_000))
    }

    @Test func crc32MatchesZlib() {
        #expect(CRC32.checksum(Array("123456789".utf8)) == 0xCBF4_3926)
        #expect(CRC32.checksum(Array("6789".utf8), continuing: CRC32.checksum(Array("12345".utf8))) == 0xCBF4_3926)
    }
}
