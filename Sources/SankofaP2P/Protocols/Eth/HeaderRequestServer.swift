import SankofaChain
import SankofaPrimitives

/// What answering GetBlockHeaders needs from the chain. Its two requirements have the names and shapes of
/// SankofaConsensus's `ChainHeaderReader`, so a reader conforms with an empty extension where both are visible
/// (SankofaP2P does not import SankofaConsensus).
public protocol HeaderSource {
    /// The header whose hash is `hash`, on any fork, or `nil`.
    func header(_ hash: Hash32) throws -> BlockHeader?
    /// The canonical header at `number`, or `nil` beyond the head.
    func canonicalHeader(_ number: UInt64) throws -> BlockHeader?
}

/// Answers GetBlockHeaders (devp2p caps/eth.md) the way go-ethereum's `answerGetBlockHeadersQuery` does: from
/// the origin, every `skip + 1`-th header forwards or (with `reverse`) towards genesis, stopping at the first
/// missing header, after `amount` headers, after `EthLimits.maxHeaders` headers, or once the encoded headers
/// reach `EthLimits.softResponseSize`. An origin given by hash may be on a side chain: walking towards genesis
/// follows its parents; walking forwards stops after it unless it is canonical.
public enum HeaderRequestServer {
    /// Parent-by-parent steps allowed off the canonical chain per request (geth's `maxNonCanonical`).
    public static let maxNonCanonicalSteps = 100

    public static func answer(_ query: HeaderQuery, from source: some HeaderSource,
                              limits: EthLimits = .default) throws -> [BlockHeader] {
        let wanted = min(query.amount, UInt64(max(limits.maxHeaders, 0)))
        // skip + 1 overflows only for skip = 2^64-1, which can never reach a second header.
        let (stride, strideOverflow) = query.skip.addingReportingOverflow(1)
        var headers: [BlockHeader] = []
        var bytes = 0
        var nonCanonicalBudget = maxNonCanonicalSteps
        var current: BlockHeader?
        switch query.origin {
        case .hash(let hash): current = try source.header(hash)
        case .number(let number): current = try source.canonicalHeader(number)
        }
        while let header = current, UInt64(headers.count) < wanted, bytes < limits.softResponseSize {
            headers.append(header)
            bytes += header.rlpEncoded.count
            guard UInt64(headers.count) < wanted, !strideOverflow else { break }
            let canonical = try isCanonical(header, in: source)
            if query.reverse {
                guard header.number >= stride else { break }
                if canonical {
                    current = try source.canonicalHeader(header.number - stride)
                } else {
                    // Off the canonical chain: follow parents, within the budget.
                    var walker: BlockHeader? = header
                    var steps: UInt64 = 0
                    while steps < stride, let at = walker {
                        guard nonCanonicalBudget > 0 else { walker = nil; break }
                        nonCanonicalBudget -= 1
                        walker = try source.header(at.parentHash)
                        steps += 1
                        if let next = walker, try isCanonical(next, in: source), steps < stride {
                            walker = try source.canonicalHeader(header.number - stride)
                            steps = stride
                        }
                    }
                    current = walker
                }
            } else {
                guard canonical else { break }
                let (next, overflow) = header.number.addingReportingOverflow(stride)
                guard !overflow else { break }
                current = try source.canonicalHeader(next)
            }
        }
        return headers
    }

    private static func isCanonical(_ header: BlockHeader, in source: some HeaderSource) throws -> Bool {
        try source.canonicalHeader(header.number)?.hash == header.hash
    }
}
