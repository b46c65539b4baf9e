import SankofaPrimitives

/// An EIP-2124 fork identifier: `[FORK_HASH, FORK_NEXT]`, carried in the eth Status message.
///
/// `hash` is the IEEE CRC32 of the genesis hash followed by every passed fork's activation block number (or,
/// after the block forks, its timestamp) as a big-endian uint64; `next` is the next scheduled fork, 0 if none.
public struct ForkID: Hashable, Sendable, CustomStringConvertible {
    /// FORK_HASH, sent as 4 big-endian bytes.
    public var hash: UInt32
    /// FORK_NEXT: the next fork's block number or timestamp, 0 when none is known.
    public var next: UInt64

    public init(hash: UInt32, next: UInt64) {
        self.hash = hash
        self.next = next
    }

    public var description: String { "0x\(String(hash, radix: 16))/\(next)" }

    /// Writes `[hash4, next]`.
    public func encode(to writer: inout RLPWriter) {
        writer.writeList { w in
            w.write(bytes: [UInt8(truncatingIfNeeded: hash >> 24), UInt8(truncatingIfNeeded: hash >> 16),
                            UInt8(truncatingIfNeeded: hash >> 8), UInt8(truncatingIfNeeded: hash)])
            w.write(next)
        }
    }

    /// Reads `[hash4, next]` strictly.
    public init(from reader: inout RLPReader) throws(RLPError) {
        var list = try reader.readList()
        let bytes = try list.readFixed(4)
        hash = bytes.reduce(0) { $0 << 8 | UInt32($1) }
        next = try list.readUInt64()
        try list.finish()
    }
}

/// Why a remote fork id was rejected (EIP-2124, "Validation rules").
public enum ForkIDError: Error, Equatable, Sendable, CustomStringConvertible {
    /// Rule 2 fails: the remote is on one of our past forks but does not know the fork that followed it.
    case remoteStale(remote: ForkID)
    /// Rule 1a or 4: the remote announced a fork we have passed without applying it, or its fork hash matches
    /// nothing in our schedule (another chain, or our software is outdated).
    case localIncompatibleOrStale(remote: ForkID, local: ForkID)

    public var description: String {
        switch self {
        case .remoteStale(let remote): "remote fork id \(remote) is stale: it needs a software update"
        case .localIncompatibleOrStale(let remote, let local):
            "remote fork id \(remote) is incompatible with ours \(local), or we are stale"
        }
    }
}

/// A chain's fork schedule as EIP-2124 sees it: the genesis hash, then block-number forks, then timestamp forks.
///
/// Forks at block 0 and timestamp forks at or before genesis time are active from genesis and do not count;
/// duplicates (two forks at one block) count once, exactly as go-ethereum's `gatherForks`.
public struct ForkSchedule: Hashable, Sendable {
    public let genesisHash: Hash32
    /// Sorted, distinct, non-zero activation block numbers.
    public let blockForks: [UInt64]
    /// Sorted, distinct activation timestamps after genesis time.
    public let timeForks: [UInt64]
    /// checksums[i] covers the genesis hash and the first i forks (blocks, then times).
    let checksums: [UInt32]

    public init(genesisHash: Hash32, blockForks: [UInt64], timeForks: [UInt64] = [], genesisTime: UInt64 = 0) {
        self.genesisHash = genesisHash
        self.blockForks = Array(Set(blockForks.filter { $0 != 0 })).sorted()
        self.timeForks = Array(Set(timeForks.filter { $0 > genesisTime })).sorted()
        var sums = [CRC32.checksum(genesisHash.bytes)]
        for fork in self.blockForks + self.timeForks {
            sums.append(CRC32.checksum(Self.bigEndian(fork), continuing: sums[sums.count - 1]))
        }
        checksums = sums
    }

    /// Every fork, block forks first.
    var forks: [UInt64] { blockForks + timeForks }

    /// The index of the first fork not yet passed at this head (`forks.count` when all have passed).
    func firstUnpassed(headNumber: UInt64, headTime: UInt64) -> Int {
        for (i, fork) in blockForks.enumerated() where headNumber < fork { return i }
        for (i, fork) in timeForks.enumerated() where headTime < fork { return blockForks.count + i }
        return blockForks.count + timeForks.count
    }

    /// This chain's fork id at the given head.
    public func forkID(headNumber: UInt64, headTime: UInt64 = 0) -> ForkID {
        let i = firstUnpassed(headNumber: headNumber, headTime: headTime)
        let all = forks
        return ForkID(hash: checksums[i], next: i < all.count ? all[i] : 0)
    }

    /// Timestamps and block numbers share FORK_NEXT; values above this are timestamps (geth's
    /// `timestampThreshold`, the mainnet genesis time).
    static let timestampThreshold: UInt64 = 1_438_269_973

    /// Accepts or rejects a remote fork id at our current head (EIP-2124, "Validation rules").
    public func validate(_ remote: ForkID, headNumber: UInt64, headTime: UInt64 = 0) throws(ForkIDError) {
        let i = firstUnpassed(headNumber: headNumber, headTime: headTime)
        let all = forks
        let local = ForkID(hash: checksums[i], next: i < all.count ? all[i] : 0)
        // Rule 1: same fork state. Reject only if the remote's next fork has already passed locally (1a).
        if checksums[i] == remote.hash {
            if remote.next > 0 {
                let passed = headNumber >= remote.next
                    || (remote.next > Self.timestampThreshold && headTime >= remote.next)
                if passed { throw .localIncompatibleOrStale(remote: remote, local: local) }
            }
            return
        }
        // Rule 2: the remote is on one of our past forks; it must know the fork that came next.
        for j in 0..<i where checksums[j] == remote.hash {
            if all[j] != remote.next { throw .remoteStale(remote: remote) }
            return
        }
        // Rule 3: the remote is ahead on forks we know about: we are syncing.
        for j in (i + 1)..<checksums.count where checksums[j] == remote.hash { return }
        // Rule 4.
        throw .localIncompatibleOrStale(remote: remote, local: local)
    }

    static func bigEndian(_ value: UInt64) -> [UInt8] {
        (0..<8).map { UInt8(truncatingIfNeeded: value >> (56 - 8 * $0)) }
    }
}

/// The IEEE 802.3 CRC32 (reflected polynomial 0xEDB88320) that EIP-2124 uses, as zlib's `crc32`.
public enum CRC32 {
    static let table: [UInt32] = (0..<256).map { n in
        var c = UInt32(n)
        for _ in 0..<8 { c = c & 1 == 1 ? 0xEDB8_8320 ^ (c >> 1) : c >> 1 }
        return c
    }

    /// The checksum of `bytes`, or of the bytes behind `previous` followed by `bytes`.
    public static func checksum(_ bytes: some Sequence<UInt8>, continuing previous: UInt32 = 0) -> UInt32 {
        var c = ~previous
        for byte in bytes { c = table[Int((c ^ UInt32(byte)) & 0xff)] ^ (c >> 8) }
        return ~c
    }
}
