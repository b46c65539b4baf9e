import Foundation
import SankofaChain
import SankofaJSON
import SankofaPrimitives
import SankofaRPC
import TOMLKit

/// Our JSON parser against itself (parse → write → parse is the identity) and against Foundation's
/// `JSONSerialization` on accept/reject and on the shape of the value, for inputs that are valid UTF-8 and
/// within our limits.
let jsonTarget = FuzzTarget(name: "json", summary: "JSONParser + write round trip + Foundation differential") { bytes in
    let ours: Result<JSON, JSONParseError> = Result { () throws(JSONParseError) -> JSON in try JSONParser.parse(bytes) }
    if case .success(let value) = ours {
        let written = JSONWriter.encode(value)
        guard let reparsed = try? JSONParser.parse(written) else { fuzzFail("our own output does not parse") }
        if reparsed != value { fuzzFail("parse → write → parse changed the value") }
    }
    compareWithFoundation(bytes, ours)
}

private func compareWithFoundation(_ bytes: [UInt8], _ ours: Result<JSON, JSONParseError>) {
    // Foundation guesses UTF-16/32 from NUL bytes and a BOM; compare only input that can only be UTF-8.
    guard String(validatingUTF8Bytes: bytes) != nil, !bytes.contains(0), !bytes.starts(with: [0xEF, 0xBB, 0xBF])
    else { return }
    if case .failure(let error) = ours {
        switch error {
        case .tooDeep, .tooLarge: return  // our limits are deliberately tighter than Foundation's
        default: break
        }
    }
    let theirs = try? JSONSerialization.jsonObject(with: Data(bytes), options: [.fragmentsAllowed])
    switch (ours, theirs) {
    case (.success(let value), .some(let object)):
        if !sameShape(value, object) { fuzzFail("our value and Foundation's differ") }
    case (.success(let value), .none):
        if !foundationRejectsWhatWeAccept(value) { fuzzFail("we accept what Foundation rejects") }
    case (.failure(let error), .some):
        if !foundationIsLenient(bytes, error) { fuzzFail("we reject what Foundation accepts: \(error)") }
    case (.failure, .none):
        break
    }
}

/// Documented differences where Foundation is the stricter one and we are right by RFC 8259: a number too large
/// for a Double (found by this target: `1e000…0333…3`). RFC 8259's grammar allows it and we keep its literal text.
private func foundationRejectsWhatWeAccept(_ value: JSON) -> Bool {
    switch value {
    case .number(let number): return !number.doubleValue.isFinite
    case .array(let items): return items.contains(where: foundationRejectsWhatWeAccept)
    case .object(let members): return members.contains { foundationRejectsWhatWeAccept($0.value) }
    case .null, .bool, .string: return false
    }
}

/// Documented differences where Foundation accepts what RFC 8259 forbids and we rightly refuse: a trailing comma
/// before `]` or `}` (found by this target: `[1,]`, `{"a":1,}`).
private func foundationIsLenient(_ bytes: [UInt8], _ error: JSONParseError) -> Bool {
    guard case .unexpectedCharacter(let offset, let found) = error, found == UInt8(ascii: "]") || found == UInt8(ascii: "}")
    else { return false }
    let whitespace: Set<UInt8> = [0x20, 0x09, 0x0A, 0x0D]
    return bytes[..<offset].last(where: { !whitespace.contains($0) }) == UInt8(ascii: ",")
}

/// Strings, array lengths and object keys must agree; numbers and booleans only in kind (Foundation bridges both
/// to `NSNumber`, so their exact type is not comparable).
private func sameShape(_ value: JSON, _ object: Any) -> Bool {
    switch value {
    case .null: return object is NSNull
    case .bool, .number: return object is NSNumber || object is Bool || object is Int || object is Double
    case .string(let text): return (object as? String) == text
    case .array(let items):
        guard let others = object as? [Any], others.count == items.count else { return false }
        return zip(items, others).allSatisfy { sameShape($0, $1) }
    case .object(let members):
        guard let others = object as? [String: Any] else { return false }
        // Foundation keeps one value per duplicated key; compare only when keys are unique.
        guard Set(members.keys).count == members.count else { return true }
        guard others.count == members.count else { return false }
        return members.allSatisfy { member in others[member.key].map { sameShape(member.value, $0) } ?? false }
    }
}

extension String {
    init?(validatingUTF8Bytes bytes: [UInt8]) {
        var iterator = bytes.makeIterator()
        var decoder = UTF8()
        loop: while true {
            switch decoder.decode(&iterator) {
            case .scalarValue: continue
            case .emptyInput: break loop
            case .error: return nil
            }
        }
        self = String(decoding: bytes, as: UTF8.self)
    }
}

/// JSON-RPC 2.0 framing through the real `RPCDispatcher`: parse errors, request validation, batches, notifications
/// and method-not-found. The node's table needs an `RPCBackend`, and the only fake one lives in the test target, so
/// the table holds three immediate methods of its own. Every response must itself be valid JSON, and whatever the
/// transports would answer at once (`immediateAnswer`) must be byte for byte what `handle` answers.
let jsonRPCTarget = FuzzTarget(name: "jsonrpc", summary: "RPCDispatcher.handle + immediateAnswer differential",
                               prepare: { _ = rpcDispatcher }) { bytes in
    let response = inline.run { await rpcDispatcher.handle(bytes) }
    if let response, (try? JSONParser.parse(response)) == nil {
        fuzzFail("dispatcher answered with invalid JSON")
    }
    if let immediate = rpcDispatcher.immediateAnswer(rpcDispatcher.read(bytes), context: RPCCallContext(notifier: nil)), immediate != response {
        fuzzFail("the immediate answer differs from the task path's")
    }
}

private let inline = InlineExecutor()

private let rpcDispatcher: RPCDispatcher = {
    var limits = RPCLimits()
    limits.maxBatchSize = 64
    var table = RPCMethodTable()
    table.register(immediate: [
        ("eth_chainId", { _, _ in .quantity(UInt64(2024)) }),
        ("web3_sha3", { params, _ in .hash(Keccak256.hash(try params.data(0))) }),
        ("net_version", { _, _ in .string("2024") }),   // NET is not enabled: the disabled-namespace answer
    ])
    return RPCDispatcher(table: table, enabledNamespaces: ["ETH", "WEB3"], requestLimits: limits)
}()

let genesisTarget = FuzzTarget(name: "genesis", summary: "GenesisFile(json:)") { bytes in
    _ = try? GenesisFile(json: bytes)
}

/// TOML files (node config, RPC credentials, permissions) go through `TOMLText.parse`, which guards TOMLKit;
/// a parsed table is then walked the way `NodeConfig.apply(toml:)` maps its keys.
let tomlTarget = FuzzTarget(name: "toml", summary: "TOMLText.parse (TOMLKit behind our guard) + key walk") { bytes in
    guard let text = String(validatingUTF8Bytes: bytes), let table = try? TOMLText.parse(text) else { return }
    for (_, value) in table {
        _ = value.bool
        _ = value.int
        _ = value.double
        _ = value.string
        _ = value.array.map { $0.map(\.string) }
    }
}
