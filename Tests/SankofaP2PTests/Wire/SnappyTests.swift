import SankofaTestSupport
import Testing
@testable import SankofaP2P

@Suite("Snappy block compression")
struct SnappyTests {
    @Test(arguments: [0, 1, 100, 65_536, 300_000])
    func roundTrip(size: Int) throws {
        var random = SplitMix64(seed: UInt64(size))
        // Half random, half repetitive, so both literal and copy elements appear.
        let input = random.bytes(size / 2) + [UInt8](repeating: 0x61, count: size - size / 2)
        let block = Snappy.compress(input)
        #expect(try Snappy.uncompressedLength(block) == size)
        #expect(try Snappy.decompress(block, maxLength: size) == input)
    }

    @Test func announcedSizeIsCheckedBeforeAllocating() throws {
        let block = Snappy.compress([UInt8](repeating: 0, count: 1000))
        #expect(throws: SnappyError.tooLarge(announced: 1000, limit: 999)) {
            _ = try Snappy.decompress(block, maxLength: 999)
        }
        // A header announcing 2 GiB with no body: refused by size, never allocated.
        let hostile: [UInt8] = [0x80, 0x80, 0x80, 0x80, 0x08]
        #expect(throws: SnappyError.tooLarge(announced: 1 << 31, limit: 16 << 20)) {
            _ = try Snappy.decompress(hostile, maxLength: 16 << 20)
        }
    }

    @Test func garbageIsRefused() {
        #expect(throws: SnappyError.invalidInput) { _ = try Snappy.decompress([0xff, 0xff, 0xff, 0xff, 0xff, 0xff], maxLength: 100) }
        #expect(throws: SnappyError.invalidInput) { _ = try Snappy.decompress([0x05, 0x00], maxLength: 100) }
        #expect(throws: SnappyError.invalidInput) { _ = try Snappy.decompress([], maxLength: 100) }
    }
}
