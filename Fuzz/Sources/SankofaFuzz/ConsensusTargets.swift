import SankofaQBFT

/// QBFT messages as they arrive on istanbul/100 (Besu `QbftMessageDecoder`): byte 0 picks PROPOSAL, PREPARE,
/// COMMIT or ROUND-CHANGE, the rest is the message data. Decoding recovers the author from the signature; a
/// decoded message re-encodes to the same bytes and decodes to the same value.
let qbftMessageTarget = FuzzTarget(name: "qbft", summary: "QBFTMessage(code:data:) + re-encode round trip") { bytes in
    guard let selector = bytes.first else { return }
    let codes = QBFTMessageCode.allCases
    checkRoundTrip("QBFT", code: UInt64(codes[Int(selector) % codes.count].rawValue), data: Array(bytes.dropFirst()),
                   decode: { code, data in
                       let message = try QBFTMessage(code: Int(code), data: data)
                       _ = message.author
                       return message
                   }, encode: \.encoded)
}
