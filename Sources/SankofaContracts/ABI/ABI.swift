import SankofaPrimitives

/// The Solidity Contract ABI (docs.soliditylang.org, "Contract ABI Specification"): how system contracts
/// receive calldata, return results, revert with reasons and emit events, so that ethers, web3.py, web3j and
/// Caliper talk to them exactly as to a deployed Solidity contract.
public enum ABI {
    /// Encodes `values` as the tuple `types` (head/tail encoding): a call's arguments after the selector, a
    /// function's return data, or the non-indexed fields of an event.
    ///
    /// Every value is checked against its type first (`uint8` ≤ 255, `intN` range, `bytesN` length, `T[k]`
    /// element count, tuple arity), so a contract bug cannot emit data a Solidity client would reject.
    public static func encode(_ values: [ABIValue], as types: [ABIType]) throws(ABIError) -> [UInt8] {
        try ABIEncoder.encode(values, as: types, prefix: [])
    }

    /// `selector ‖ encode(values as types)`, built in one allocation: calldata for a call, or revert data for a
    /// custom error.
    public static func encode(selector: [UInt8], _ values: [ABIValue], as types: [ABIType]) throws(ABIError) -> [UInt8] {
        try ABIEncoder.encode(values, as: types, prefix: selector)
    }

    /// Decodes the tuple `types` from `data` (calldata without its selector, or return data), strictly: offsets
    /// and lengths must lie inside the data, array lengths must be plausible before anything is allocated, and
    /// words must be canonical (`ABIError.dirtyBits`), as Solidity's decoder requires. Bytes after the encoding
    /// are ignored, as in Solidity. Never traps, whatever the input.
    public static func decode(_ data: some Collection<UInt8>, as types: [ABIType]) throws(ABIError) -> [ABIValue] {
        try ABIDecoder.decode(data, as: types)
    }

    /// The 4-byte function selector: the first bytes of keccak256 of the canonical signature, such as
    /// `"transfer(address,uint256)"` (no spaces, no parameter names, `uint256` not `uint`; see `signature`).
    public static func selector(_ signature: String) -> [UInt8] {
        Array(Keccak256.digest(signature.utf8).prefix(4))
    }

    /// The first topic of an event log: keccak256 of the canonical event signature, such as
    /// `"Transfer(address,address,uint256)"`.
    public static func eventTopic(_ signature: String) -> Hash32 {
        Keccak256.hash(Array(signature.utf8))
    }

    /// The canonical signature `name(T1,T2,...)` of a function, error or event, from which selectors and topics
    /// are hashed; writing it from the declared types avoids spelling mistakes such as `uint` for `uint256`.
    public static func signature(_ name: String, _ types: [ABIType]) -> String {
        name + ABIType.tuple(types).canonicalName
    }

    /// The selector of Solidity's built-in `Error(string)`, `0x08c379a0`, which `require(cond, "reason")` and
    /// `revert("reason")` produce and which every client decodes into a readable message.
    public static let errorSelector: [UInt8] = [0x08, 0xC3, 0x79, 0xA0]

    /// Revert data for `revert(reason)`: `0x08c379a0 ‖ encode([reason])`, as geth returns from `eth_call` and
    /// stores with failed transactions.
    public static func encodeRevert(_ reason: String) -> [UInt8] {
        // A string always fits `string`, so this cannot fail.
        (try? ABIEncoder.encode([.string(reason)], as: [.string], prefix: errorSelector)) ?? errorSelector
    }

    /// The reason in `Error(string)` revert data, or nil when the data is anything else (empty, a custom error,
    /// a panic, or malformed).
    public static func decodeRevert(_ data: [UInt8]) -> String? {
        guard data.count >= 4, data[0..<4].elementsEqual(errorSelector),
              let values = try? ABIDecoder.decode(data[4...], as: [.string]) else { return nil }
        return values.first?.string
    }

    /// Solidity's packed encoding (`abi.encodePacked`), for hashes such as `keccak256(abi.encodePacked(a, b))`.
    /// Not decodable and not for calldata. Tuples are refused with `invalidType`.
    public static func encodePacked(_ values: [ABIValue], as types: [ABIType]) throws(ABIError) -> [UInt8] {
        try ABIPacked.encode(values, as: types)
    }
}
