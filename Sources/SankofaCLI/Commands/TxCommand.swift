import ArgumentParser
import SankofaChain
import SankofaJSON
import SankofaPrimitives

/// `sankofa tx …`: transaction tools.
struct TxCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tx", abstract: "Inspect transactions.", subcommands: [Decode.self])

    struct Decode: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "decode",
            abstract: "Decode a raw signed transaction (as sent to eth_sendRawTransaction) and print it as JSON.")

        @Argument(help: "The raw transaction as hex, 0x optional.")
        var raw: String

        func run() throws {
            let bytes = try cli { try Hex.decode(raw.trimmingCharacters(in: " \n\r\t")) }
            let tx = try cli { try Transaction(raw: bytes) }
            let sender = try cli { try tx.recoverSender() }
            print(JSONWriter.pretty(TransactionJSON.render(tx, from: sender)))
        }
    }
}

/// The JSON shape of a transaction as geth's `eth_getTransactionByHash` returns it (without block fields):
/// quantities as minimal hex, data as even-length hex.
enum TransactionJSON {
    static func render(_ tx: Transaction, from sender: Address) -> JSON {
        var fields: [(String, JSON)] = [
            ("hash", .string(tx.hash.hex)),
            ("type", .string(quantity(UInt64(tx.type.rawValue)))),
        ]
        if let chainId = tx.chainId { fields.append(("chainId", .string(quantity(chainId)))) }
        fields += [
            ("from", .string(sender.checksummed)),
            ("to", tx.to.map { .string($0.checksummed) } ?? .null),
            ("nonce", .string(quantity(tx.nonce))),
            ("gas", .string(quantity(tx.gasLimit))),
        ]
        if let gasPrice = tx.gasPrice {
            fields.append(("gasPrice", .string(gasPrice.hexString)))
        } else {
            fields.append(("maxFeePerGas", .string(tx.maxFeePerGas.hexString)))
            fields.append(("maxPriorityFeePerGas", .string(tx.maxPriorityFeePerGas.hexString)))
        }
        fields += [
            ("value", .string(tx.value.hexString)),
            ("input", .string(Hex.encode(tx.data))),
        ]
        if tx.type != .legacy {
            fields.append(("accessList", .array(tx.accessList.map { entry in
                ["address": .string(entry.address.checksummed), "storageKeys": .array(entry.storageKeys.map { .string($0.hex) })]
            })))
        }
        fields.append(("v", .string(tx.v.hexString)))
        fields.append(("r", .string(tx.signature.r.hexString)))
        fields.append(("s", .string(tx.signature.s.hexString)))
        if tx.type != .legacy { fields.append(("yParity", .string(quantity(UInt64(tx.signature.recoveryId))))) }
        return .object(JSONObject(fields))
    }

    static func quantity(_ value: UInt64) -> String { "0x" + String(value, radix: 16) }
}

extension String {
    func trimmingCharacters(in set: String) -> Substring {
        let drop: (Character) -> Bool = { set.contains($0) }
        guard let first = firstIndex(where: { !drop($0) }), let last = lastIndex(where: { !drop($0) }) else { return "" }
        return self[first...last]
    }
}
