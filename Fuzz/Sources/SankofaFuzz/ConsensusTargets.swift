import SankofaQBFT

/// QBFT messages as they arrive on istanbul/100 (Besu `QbftMessageDecoder`): byte 0 picks PROPOSAL, PREPARE,
/// COMMIT or ROUND-CHANGE, the rest is the message data. Decoding recovers the author from the signature; a
/// decoded message re-encodes to the same bytes and decodes to the same value.
let qbftMessageTarget = FuzzTarget(name: "qbft", summary: "QBFTMessage(code:data:) + re-encode round trip") { bytes in
    guard let selector = bytes.first else { return }
    let codes = QBFTMessageCode.allCases
    let code = Int(codes[Int(selector) % codes.count].rawValue)
    let data = Array(bytes.dropFirst())
    guard let message = try? QBFTMessage(code: code, data: data) else { return }
    _ = message.author
    let encoded = message.encoded
    if encoded != data { fuzzFail("QBFT message \(code) re-encodes differently") }
    guard let again = try? QBFTMessage(code: code, data: encoded) else { fuzzFail("re-encoded QBFT message does not decode") }
    if again != message { fuzzFail("QBFT message \(code) round trip changed the value") }
}
