import Foundation
import SankofaTestSupport
import Testing
@testable import SankofaPrimitives

/// Helpers shared by the Keccak-256 suites.
enum Keccak256Fixtures {
    static let emptyDigest = "0xc5d2460186f7233c927e7db2dcc703c0e500b653ca82273b7bfad8045d85a470"
    static let abcDigest = "0x4e03657aea45a94fc7d47ba826c8d667c0d1e6e33a64a036ec44f58fa12d6c45"

    /// `Keccak256.hash(_:into:)` into a fresh 32-byte array.
    static func oneShot(_ input: [UInt8]) -> [UInt8] {
        var out = [UInt8](repeating: 0, count: 32)
        input.withUnsafeBytes { inp in
            out.withUnsafeMutableBytes { Keccak256.hash(inp, into: $0) }
        }
        return out
    }

    /// Feeds `input` through `update` in pieces of `chunk` bytes, then finalizes.
    static func chunked(_ input: [UInt8], chunk: Int) -> [UInt8] {
        var hasher = Keccak256()
        input.withUnsafeBytes { buf in
            var start = 0
            while start < buf.count {
                let end = min(start + chunk, buf.count)
                hasher.update(UnsafeRawBufferPointer(rebasing: buf[start..<end]))
                start = end
            }
        }
        var out = [UInt8](repeating: 0, count: 32)
        out.withUnsafeMutableBytes { hasher.finalize(into: $0) }
        return out
    }

    static var vectorsPresent: Bool {
        FileManager.default.fileExists(atPath: VectorFiles.url("keccak").path)
    }
}

@Suite("Keccak-256")
struct Keccak256Tests {
    typealias F = Keccak256Fixtures

    @Test func emptyInput() {
        #expect(fixtureHex(Keccak256.digest([UInt8]())) == F.emptyDigest)
        #expect(fixtureHex(F.oneShot([])) == F.emptyDigest)
        var hasher = Keccak256()
        hasher.update(UnsafeRawBufferPointer(start: nil, count: 0))
        var out = [UInt8](repeating: 0, count: 32)
        out.withUnsafeMutableBytes { hasher.finalize(into: $0) }
        #expect(fixtureHex(out) == F.emptyDigest)
    }

    @Test func abc() {
        #expect(fixtureHex(Keccak256.digest(Array("abc".utf8))) == F.abcDigest)
        #expect(fixtureHex(Keccak256.digest("abc".utf8)) == F.abcDigest)
        #expect(fixtureHex(Keccak256.digest(Data("abc".utf8))) == F.abcDigest)
        #expect(fixtureHex(F.oneShot(Array("abc".utf8))) == F.abcDigest)
    }

    /// SHA3-256("") — what 0x06 padding would give. Guards against the common mix-up.
    @Test func isNotSHA3() {
        #expect(fixtureHex(Keccak256.digest([UInt8]()))
            != "0xa7ffc6f8bf1ed76651c14756a061d662f580ff4de43b49fa82d80a4b80f8434a")
    }

    @Test func writesExactly32Bytes() {
        var out = [UInt8](repeating: 0xEE, count: 40)
        Array("abc".utf8).withUnsafeBytes { inp in
            out.withUnsafeMutableBytes { Keccak256.hash(inp, into: $0) }
        }
        #expect(fixtureHex(out[..<32]) == F.abcDigest)
        #expect(out[32...].allSatisfy { $0 == 0xEE })
    }

    /// Every entry point and chunking agrees with the one-shot hash around the
    /// lane (8) and block (136) boundaries, up to four blocks.
    @Test(arguments: [0, 1, 7, 8, 9, 31, 32, 33, 64, 127, 128, 129, 135, 136, 137, 271, 272, 273, 408, 599])
    func entryPointsAgree(length: Int) {
        let input = (0..<length).map { UInt8(truncatingIfNeeded: $0 &* 167 &+ 13) }
        let expected = F.oneShot(input)
        #expect(Keccak256.digest(input) == expected)
        #expect(Keccak256.digest(AnySequence(input)) == expected, "byte-by-byte path")
        for chunk in [1, 3, 7, 8, 135, 136, 137, 200] {
            #expect(F.chunked(input, chunk: chunk) == expected, "chunk \(chunk)")
        }
    }

    @Test func copiesContinueIndependently() {
        var hasher = Keccak256()
        hasher.update(Array("ab".utf8))
        var copy = hasher
        hasher.update(Array("c".utf8))
        copy.update(Array("c".utf8))
        var out = [UInt8](repeating: 0, count: 32)
        out.withUnsafeMutableBytes { hasher.finalize(into: $0) }
        #expect(fixtureHex(out) == F.abcDigest)
        out.withUnsafeMutableBytes { copy.finalize(into: $0) }
        #expect(fixtureHex(out) == F.abcDigest)
    }
}

/// ethers' hash vectors, multi-block Keccak-256 vectors and XKCP's Keccak-f[1600]
/// intermediate values, read in place from ../shared/vectors/keccak.
@Suite("Keccak-256 vectors", .enabled(if: Keccak256Fixtures.vectorsPresent, "../shared/vectors/keccak is absent"))
struct Keccak256VectorTests {
    typealias F = Keccak256Fixtures

    struct EthersVector: Decodable {
        let name: String
        let data: String
        let keccak256: String
    }

    struct MultiblockFile: Decodable {
        struct Vector: Decodable {
            let name: String
            let input: String
            let keccak256: String
            let length: Int
        }
        let vectors: [Vector]
    }

    @Test func ethersHashes() throws {
        let vectors = try JSONDecoder().decode(
            [EthersVector].self, from: VectorFiles.data("keccak/ethers-hashes.json"))
        #expect(vectors.count == 257)
        for v in vectors {
            let input = fixtureBytes(v.data)
            let expected = fixtureBytes(v.keccak256)
            #expect(F.oneShot(input) == expected, "\(v.name)")
            #expect(Keccak256.digest(input) == expected, "\(v.name)")
        }
    }

    @Test func multiblockOneShotAndChunked() throws {
        let file = try JSONDecoder().decode(
            MultiblockFile.self, from: VectorFiles.data("keccak/keccak256-multiblock-vectors.json"))
        #expect(file.vectors.count > 50)
        for v in file.vectors {
            let input = fixtureBytes(v.input)
            let expected = fixtureBytes(v.keccak256)
            #expect(input.count == v.length, "\(v.name): length")
            #expect(F.oneShot(input) == expected, "\(v.name): one-shot")
            for chunk in [1, 7, 135, 136, 137] {
                #expect(F.chunked(input, chunk: chunk) == expected, "\(v.name): \(chunk)-byte chunks")
            }
        }
    }

    /// Keccak-f[1600] applied once and then again to the all-zero state must
    /// match the two "State after permutation" blocks of the XKCP file.
    @Test func permutationIntermediateValues() throws {
        let name = "keccak/XKCP-KeccakF-1600-IntermediateValues.txt"
        let text = String(decoding: try VectorFiles.data(name), as: UTF8.self)
        let lines = text.split(whereSeparator: \.isNewline)
        var expected: [[UInt8]] = []
        for (i, line) in lines.enumerated() where line.hasPrefix("State after permutation:") {
            expected.append(fixtureBytes(lines[i + 1].filter { !$0.isWhitespace }))
        }
        try #require(expected.count == 2)

        var state = Keccak256().state
        for block in expected {
            keccakF1600(&state)
            let bytes = withUnsafeBytes(of: state) { raw in
                (0..<25).flatMap { i in
                    let lane = raw.load(fromByteOffset: i * 8, as: UInt64.self)
                    return (0..<8).map { UInt8(truncatingIfNeeded: lane >> (8 * UInt64($0))) }
                }
            }
            #expect(bytes.count == 200)
            #expect(bytes == block)
        }
    }
}
