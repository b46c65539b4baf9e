import SankofaChain
import SankofaJSON
import SankofaPrimitives

/// `qbft_`: validators per block and the local validator's votes, as Besu's QBFT API.
public struct QBFTNamespace: Sendable {
    let backend: RPCBackend
    /// `qbft_getSignerMetrics` looks at most this many blocks back.
    public static let signerMetricsWindow: UInt64 = 100

    public init(backend: RPCBackend) { self.backend = backend }

    public var methods: [(String, RPCHandler)] {
        [
            ("qbft_getValidatorsByBlockNumber", { params, _ in
                guard let header = try await backend.chain.header(try params.block(0)) else { throw RPCError.server("unknown block") }
                return .array(try await backend.consensus.signers(at: header).map { .address($0) })
            }),
            ("qbft_getValidatorsByBlockHash", { params, _ in
                guard let header = try await backend.chain.header(hash: try params.hash(0)) else { throw RPCError.server("unknown block") }
                return .array(try await backend.consensus.signers(at: header).map { .address($0) })
            }),
            ("qbft_proposeValidatorVote", { params, _ in
                guard let add = params.optional(1)?.boolValue else { throw RPCError.invalidParams("argument 1 must be true (add) or false (remove)") }
                if let refusal = backend.consensus.validatorVotesRefusal { throw RPCError.server(refusal) }
                await backend.consensus.propose(try params.address(0), authorize: add)
                return .bool(true)
            }),
            ("qbft_discardValidatorVote", { params, _ in
                await backend.consensus.discard(try params.address(0))
                return .bool(true)
            }),
            ("qbft_getPendingVotes", { _, _ in
                .object(JSONObject(await backend.consensus.proposals().sorted { $0.key < $1.key }.map { ($0.key.hex, .bool($0.value)) }))
            }),
            ("qbft_getSignerMetrics", { params, _ in try await signerMetrics(params) }),
        ]
    }

    /// Blocks proposed per validator over a range (default: the last 100 blocks), as Besu reports them.
    func signerMetrics(_ params: RPCParams) async throws -> JSON {
        let head = try backend.chain.headHeader()
        let last = try await number(params.block(1, default: .latest), head: head)
        let defaultFirst = last >= Self.signerMetricsWindow ? last - Self.signerMetricsWindow + 1 : 0
        let first = params.optional(0) == nil ? defaultFirst : try await number(params.block(0), head: head)
        guard first <= last, last - first < 10 * Self.signerMetricsWindow else {
            throw RPCError.invalidParams("block range must be ascending and at most \(10 * Self.signerMetricsWindow) blocks")
        }
        var proposed: [Address: (count: UInt64, last: UInt64)] = [:]
        for number in first...last {
            guard let header = try await backend.chain.header(.number(number)) else { continue }
            let author = try await backend.consensus.author(of: header)
            let seen = proposed[author]?.count ?? 0
            proposed[author] = (seen + 1, number)
        }
        return .array(proposed.sorted { $0.key < $1.key }.map { address, entry in
            ["address": .address(address), "proposedBlockCount": .quantity(entry.count),
             "lastProposedBlockNumber": .quantity(entry.last)]
        })
    }

    private func number(_ tag: BlockTag, head: BlockHeader) async throws -> UInt64 {
        guard let header = try await backend.chain.header(tag) else { throw RPCError.server("unknown block") }
        return min(header.number, head.number)
    }
}
