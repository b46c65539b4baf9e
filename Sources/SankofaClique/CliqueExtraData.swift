import SankofaConsensus
import SankofaPrimitives

/// The Clique layout of a header's extraData (EIP-225 `EXTRA_VANITY`, signer list, `EXTRA_SEAL`):
/// 32 bytes of signer vanity ‖ the sorted signer addresses (checkpoint blocks only) ‖ a 65-byte seal `r ‖ s ‖ v`.
public struct CliqueExtraData: Hashable, Sendable {
    /// EIP-225 `EXTRA_VANITY`: bytes reserved for signer vanity.
    public static let vanityLength = 32
    /// EIP-225 `EXTRA_SEAL`: bytes reserved for the secp256k1 seal.
    public static let sealLength = 65
    /// Bytes of one signer address in the checkpoint list.
    public static let addressLength = 20

    /// The first 32 bytes (free-form).
    public var vanity: [UInt8]
    /// The signers listed at a checkpoint, in the order written; empty elsewhere.
    public var signers: [Address]
    /// The 65-byte seal (all zeroes before sealing).
    public var seal: [UInt8]

    /// A layout from its parts; `vanity` is cut or zero-padded to 32 bytes and `seal` defaults to zeroes.
    public init(vanity: some Collection<UInt8> = [], signers: [Address] = [],
                seal: [UInt8] = [UInt8](repeating: 0, count: CliqueExtraData.sealLength)) {
        var padded = Array(vanity.prefix(Self.vanityLength))
        padded += [UInt8](repeating: 0, count: Self.vanityLength - padded.count)
        self.vanity = padded
        self.signers = signers
        self.seal = seal
    }

    /// Parses extraData strictly: a checkpoint must carry a whole number of addresses, any other block none.
    /// Every length problem is a thrown `.invalidExtraData`, never a trap.
    public init(parsing extraData: [UInt8], checkpoint: Bool) throws(ConsensusError) {
        guard extraData.count >= Self.vanityLength else {
            throw .invalidExtraData("\(extraData.count) bytes is shorter than the 32-byte vanity")
        }
        guard extraData.count >= Self.vanityLength + Self.sealLength else {
            throw .invalidExtraData("\(extraData.count) bytes has no room for the 65-byte seal after the vanity")
        }
        let signerBytes = extraData.count - Self.vanityLength - Self.sealLength
        if !checkpoint && signerBytes != 0 {
            throw .invalidExtraData("a non-checkpoint block must not list signers (\(signerBytes) extra bytes)")
        }
        guard signerBytes % Self.addressLength == 0 else {
            throw .invalidExtraData("checkpoint signer list of \(signerBytes) bytes is not a multiple of 20")
        }
        vanity = Array(extraData[0..<Self.vanityLength])
        var signers: [Address] = []
        signers.reserveCapacity(signerBytes / Self.addressLength)
        var offset = Self.vanityLength
        while offset < Self.vanityLength + signerBytes {
            if let address = Address(bytes: extraData[offset..<offset + Self.addressLength]) { signers.append(address) }
            offset += Self.addressLength
        }
        self.signers = signers
        seal = Array(extraData[(extraData.count - Self.sealLength)...])
    }

    /// vanity ‖ signers ‖ seal.
    public var bytes: [UInt8] {
        var out = vanity
        out.reserveCapacity(Self.vanityLength + signers.count * Self.addressLength + Self.sealLength)
        for signer in signers { out += signer.bytes }
        return out + seal
    }

    /// The seal bytes of `extraData` (its last 65), or `.invalidExtraData` if it is too short to hold one.
    public static func seal(of extraData: [UInt8]) throws(ConsensusError) -> ArraySlice<UInt8> {
        guard extraData.count >= vanityLength + sealLength else {
            throw .invalidExtraData("\(extraData.count) bytes cannot hold the 32-byte vanity and the 65-byte seal")
        }
        return extraData[(extraData.count - sealLength)...]
    }
}
