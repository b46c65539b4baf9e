import SankofaChain
import SankofaPrimitives

/// Generic RLP: whatever decodes must re-encode to the same bytes (decoding is strict and canonical).
let rlpTarget = FuzzTarget(name: "rlp", summary: "RLPItem.decode + re-encode round trip") { bytes in
    guard let item = try? RLPItem.decode(bytes) else { return }
    if item.encoded != bytes { fuzzFail("RLP round trip changed the bytes") }
}

/// Opaque transactions (`eth_sendRawTransaction`): a decoded transaction rebuilt from its fields encodes to
/// the input, and the block-body form decodes back to the same transaction.
let transactionTarget = FuzzTarget(name: "transaction", summary: "Transaction(raw:) + rebuild round trip") { bytes in
    guard let tx = try? Transaction(raw: bytes) else { return }
    let rebuilt = Transaction(payload: tx.payload, signature: tx.signature)
    if rebuilt.encoded != bytes { fuzzFail("transaction rebuilt from its fields encodes differently") }
    var writer = RLPWriter()
    tx.encode(to: &writer)
    var reader = RLPReader(writer.bytes)
    guard let again = try? Transaction(from: &reader), reader.isAtEnd else {
        fuzzFail("block-body form does not decode")
    }
    if again != tx { fuzzFail("block-body form decodes to another transaction") }
}

let headerTarget = FuzzTarget(name: "header", summary: "BlockHeader(rlp:) + re-encode + hash") { bytes in
    guard let header = try? BlockHeader(rlp: bytes) else { return }
    if header.rlpEncoded != bytes { fuzzFail("header round trip changed the bytes") }
    _ = header.hash
}

let blockTarget = FuzzTarget(name: "block", summary: "Block(rlp:) + re-encode round trip") { bytes in
    guard let block = try? Block(rlp: bytes) else { return }
    if block.rlpEncoded != bytes { fuzzFail("block round trip changed the bytes") }
}
