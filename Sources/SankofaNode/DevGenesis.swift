import SankofaCrypto
import SankofaPrimitives

/// The one-node development chain that `sankofa dev` runs, embedded so the binary needs no files. It is identical
/// to `Genesis/dev.json` (a test checks): Clique with one signer (dev key 1), chain id 1337, free gas, the three
/// Besu dev accounts funded, dev key 1 holding every role and forming the governance board alone.
public enum DevGenesis {
    /// The well-known Besu/Truffle development keys, funded at genesis. Never use them on a real network.
    public static let keys: [(name: String, privateKey: String)] = [
        ("dev signer, admin", "0xc87509a1c067bbde78beb793e6fa76530b6382a4c0241e5e4a9ec0a0f44dc0d3"),
        ("dev account 2", "0xae6ae8e5ccbfb04590405997ee2d52d2b330726137b875053c36d94e974d162f"),
        ("dev account 3", "0x8f2a55949038a9610f50fb23b5883af3b4ecb3c3bb792cbcefbd1542c692be63"),
    ]

    /// The signer key `sankofa dev` seals with.
    public static var signerKey: String { keys[0].privateKey }

    public static let json = #"""
{
  "config": {
    "chainId": 1337,
    "londonBlock": 0,
    "clique": { "blockperiodseconds": 0, "epochlength": 30000 }
  },
  "nonce": "0x0",
  "timestamp": "0x0",
  "extraData": "0x0000000000000000000000000000000000000000000000000000000000000000627306090abab3a6e1400e9345bc60c78a8bef570000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000",
  "gasLimit": "0x1fffffffffffff",
  "difficulty": "0x1",
  "mixHash": "0x0000000000000000000000000000000000000000000000000000000000000000",
  "coinbase": "0x0000000000000000000000000000000000000000",
  "baseFeePerGas": "0x0",
  "alloc": {
    "627306090abab3a6e1400e9345bc60c78a8bef57": { "balance": "0xad78ebc5ac6200000" },
    "f17f52151ebef6c7334fad080c5704d77216b732": { "balance": "0xad78ebc5ac6200000" },
    "fe3b557e8fb62b89f4916b721be55ceb828dbd73": { "balance": "0xad78ebc5ac6200000" }
  },
  "sankofa": {
    "roles": {
      "ADMIN": ["0x627306090abab3a6e1400e9345bc60c78a8bef57"],
      "OPERATOR": ["0x627306090abab3a6e1400e9345bc60c78a8bef57"],
      "VERIFIER": ["0x627306090abab3a6e1400e9345bc60c78a8bef57"],
      "AUDITOR": ["0x627306090abab3a6e1400e9345bc60c78a8bef57"],
      "BILLING_ADMIN": ["0x627306090abab3a6e1400e9345bc60c78a8bef57"],
      "BILLING_VERIFIER": ["0x627306090abab3a6e1400e9345bc60c78a8bef57"],
      "SUPPLIER": ["0x627306090abab3a6e1400e9345bc60c78a8bef57"],
      "MONITOR": ["0x627306090abab3a6e1400e9345bc60c78a8bef57"]
    },
    "board": ["0x627306090abab3a6e1400e9345bc60c78a8bef57"],
    "threshold": 1,
    "parameters": { "BILLING_APPROVALS": 2 }
  }
}
"""#
}
