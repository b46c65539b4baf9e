import Foundation
import SankofaContracts
import SankofaPrimitives
import SankofaTestSupport

/// Builds `ABIValue`s from the JSON of the public vector files, guided by the declared type, so one converter
/// serves the Solidity spec examples, ethereum/tests and ethers' files.
///
/// Conventions seen in those files: integers are JSON numbers or strings (decimal, `0x` hex, either with a
/// leading `-`); addresses, `bytes` and `bytesN` are `0x` hex (ethereum/tests' `basic_abi_tests.json` writes
/// `bytes`/`bytesN` as plain text instead, hence `bytesAsText`); tuples and arrays are JSON arrays.
enum FixtureValue {
    static func make(_ json: Any, as type: ABIType, bytesAsText: Bool = false) throws -> ABIValue {
        switch type {
        case .uint:
            let (magnitude, negative) = try integer(json)
            guard !negative else { throw VectorError("negative value \(json) for \(type)") }
            return .uint(magnitude)
        case .int:
            let (magnitude, negative) = try integer(json)
            return .int(magnitude: magnitude, negative: negative)
        case .address:
            guard let text = json as? String else { throw VectorError("address \(json)") }
            return .address(try Address(hex: text))
        case .bool:
            guard let flag = json as? Bool else { throw VectorError("bool \(json)") }
            return .bool(flag)
        case .fixedBytes:
            return .fixedBytes(try byteString(json, bytesAsText: bytesAsText))
        case .bytes:
            return .bytes(try byteString(json, bytesAsText: bytesAsText))
        case .string:
            guard let text = json as? String else { throw VectorError("string \(json)") }
            return .string(text)
        case .array(let element), .fixedArray(let element, _):
            guard let items = json as? [Any] else { throw VectorError("array \(json)") }
            return .array(try items.map { try make($0, as: element, bytesAsText: bytesAsText) })
        case .tuple(let components):
            guard let items = json as? [Any], items.count == components.count else { throw VectorError("tuple \(json)") }
            return .tuple(try zip(items, components).map { try make($0, as: $1, bytesAsText: bytesAsText) })
        }
    }

    static func list(_ json: Any, as types: [ABIType], bytesAsText: Bool = false) throws -> [ABIValue] {
        guard let items = json as? [Any], items.count == types.count else { throw VectorError("values \(json)") }
        return try zip(items, types).map { try make($0, as: $1, bytesAsText: bytesAsText) }
    }

    /// (magnitude, isNegative) from a JSON number or a decimal / hex string with an optional sign.
    static func integer(_ json: Any) throws -> (UInt256, Bool) {
        if let text = json as? String {
            var digits = Substring(text)
            let negative = digits.hasPrefix("-")
            if negative { digits = digits.dropFirst() }
            let value = digits.hasPrefix("0x") || digits.hasPrefix("0X")
                ? UInt256(hex: String(digits)) : UInt256(decimal: String(digits))
            guard let value else { throw VectorError("integer \(text)") }
            return (value, negative)
        }
        if let number = json as? NSNumber {
            let signed = number.int64Value
            if signed < 0 { return (UInt256(signed.magnitude), true) }
            return (UInt256(number.uint64Value), false)
        }
        throw VectorError("integer \(json)")
    }

    static func byteString(_ json: Any, bytesAsText: Bool) throws -> [UInt8] {
        guard let text = json as? String else { throw VectorError("bytes \(json)") }
        return bytesAsText ? Array(text.utf8) : fixtureBytes(text)
    }
}
