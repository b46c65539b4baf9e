import Foundation

/// Locates the public test vectors in `../shared/vectors` beside the repository (or `$SANKOFA_VECTORS`) and
/// reads them in place. Suites gate themselves on `VectorFiles.available` so a machine without the folder
/// reports them as skipped instead of failing.
public enum VectorFiles {
    public static let root: URL = {
        if let override = ProcessInfo.processInfo.environment["SANKOFA_VECTORS"], !override.isEmpty {
            return URL(fileURLWithPath: override, isDirectory: true)
        }
        // Tests/SankofaTestSupport/VectorFiles.swift → repository root → ../shared/vectors
        return URL(fileURLWithPath: #filePath)
            .deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("shared/vectors", isDirectory: true)
    }()

    public static var available: Bool { FileManager.default.fileExists(atPath: root.path) }

    public static func url(_ relativePath: String) -> URL { root.appendingPathComponent(relativePath) }

    public static func data(_ relativePath: String) throws -> Data { try Data(contentsOf: url(relativePath)) }

    /// The parsed JSON of a vector file (objects, arrays, strings, numbers as Foundation gives them).
    public static func json(_ relativePath: String) throws -> Any {
        try JSONSerialization.jsonObject(with: data(relativePath), options: [.fragmentsAllowed])
    }

    /// Every `.json` file under a vector folder, sorted, as paths relative to the vector root.
    public static func jsonFiles(under folder: String) -> [String] {
        let base = url(folder)
        guard let walker = FileManager.default.enumerator(at: base, includingPropertiesForKeys: nil) else { return [] }
        var found: [String] = []
        for case let file as URL in walker where file.pathExtension == "json" {
            found.append(folder + "/" + file.path.dropFirst(base.path.count + 1))
        }
        return found.sorted()
    }
}

/// Hex parsing for test fixtures: accepts an optional 0x prefix and an odd digit count (a leading 0 is implied).
public func fixtureBytes(_ hex: String) -> [UInt8] {
    var digits = Substring(hex)
    if digits.hasPrefix("0x") || digits.hasPrefix("0X") { digits = digits.dropFirst(2) }
    if digits.count % 2 == 1 { digits = "0" + digits }
    var out: [UInt8] = []
    out.reserveCapacity(digits.count / 2)
    var index = digits.startIndex
    while index < digits.endIndex {
        let next = digits.index(index, offsetBy: 2)
        guard let byte = UInt8(digits[index..<next], radix: 16) else {
            preconditionFailure("bad hex in fixture: \(hex)")
        }
        out.append(byte)
        index = next
    }
    return out
}

public func fixtureHex(_ bytes: some Sequence<UInt8>) -> String {
    let digits: [Character] = Array("0123456789abcdef")
    var s = "0x"
    for b in bytes { s.append(digits[Int(b >> 4)]); s.append(digits[Int(b & 0xf)]) }
    return s
}
