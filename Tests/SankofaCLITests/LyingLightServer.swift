import Foundation
import NIOCore
import SankofaChain
import SankofaCrypto
import SankofaP2P
import SankofaPrimitives

/// A hostile full node for light-client tests: it speaks `sfl/1` to a light node on one side and, as a light
/// client itself, to an honest full node on the other, forwarding every request and announcement — and falsifying
/// the answers `tamper` picks. Its light-side session ending is how a test sees that the light node dropped it.
final class LyingLightServer: @unchecked Sendable {
    enum Lie: String, CaseIterable, Sendable {
        case balance, storage, receipt, headerSeal
    }

    let lie: Lie
    private let front: P2PHost
    private let back: P2PHost
    private let state = Locked(State())
    private struct State {
        var honest: Peer?
        var victim: Peer?
        var honestStatus: [UInt8]?
        var lies = 0
        var dropped = false
    }

    /// Lies told so far, and whether the light node ended the session.
    var lies: Int { state.withLock { $0.lies } }
    var dropped: Bool { state.withLock { $0.dropped } }

    init(lie: Lie) throws {
        self.lie = lie
        let liar = state
        var backHost: P2PHost!
        var frontHost: P2PHost!
        let tamperedLie = lie
        backHost = P2PHost(configuration: .init(nodeKey: try PrivateKey.generate(), protocols: [LightProtocol()]),
            onMessage: { _, message in
                guard let decoded = try? LightMessage.decode(code: message.id, data: message.data) else { return }
                if case .eth(.status) = decoded {
                    liar.withLock { $0.honestStatus = message.data }
                    // Answer the honest node with its own Status: same network, genesis and fork id.
                    if let honest = liar.withLock({ $0.honest }) { honest.channel.writeAndFlush(message, promise: nil) }
                    return
                }
                let (forwarded, lied) = Self.tamper(decoded, tamperedLie)
                if lied { liar.withLock { $0.lies += 1 } }
                guard let victim = liar.withLock({ $0.victim }) else { return }
                victim.channel.writeAndFlush(SubProtocolMessage(protocolName: LightProtocol.capability.name, id: forwarded.code,
                                                                data: forwarded.encoded), promise: nil)
            },
            onPeer: { change in
                if case .connected(let peer) = change { liar.withLock { $0.honest = peer } }
            })
        frontHost = P2PHost(configuration: .init(nodeKey: try PrivateKey.generate(), protocols: [LightProtocol()]),
            onMessage: { _, message in
                // The victim's Status stays here; its requests go to the honest node unchanged.
                if LightMessage.sharedEthCodes.contains(EthMessageCode(rawValue: message.id) ?? .newBlock),
                   EthMessageCode(rawValue: message.id) == .status { return }
                liar.withLock { $0.honest }?.channel.writeAndFlush(message, promise: nil)
            },
            onPeer: { change in
                switch change {
                case .connected(let peer):
                    liar.withLock { $0.victim = peer }
                    if let status = liar.withLock({ $0.honestStatus }) {
                        peer.channel.writeAndFlush(SubProtocolMessage(protocolName: LightProtocol.capability.name, id: 0, data: status),
                                                   promise: nil)
                    }
                case .disconnected:
                    liar.withLock { $0.dropped = true }
                }
            })
        front = frontHost
        back = backHost
    }

    /// Connects to the honest node and listens for the light node; returns the enode it listens on.
    func start(honest: String) async throws -> String {
        _ = try await back.start()
        _ = try await back.connect(to: try Enode(honest))
        for _ in 0..<100 where state.withLock({ $0.honestStatus }) == nil { try await Task.sleep(for: .milliseconds(50)) }
        return try await front.start().description
    }

    func stop() async {
        await front.stop()
        await back.stop()
    }

    /// The message with the lie told, when it is one this liar tells.
    static func tamper(_ message: LightMessage, _ lie: Lie) -> (LightMessage, Bool) {
        switch (lie, message) {
        case (.balance, .proofs(let id, var entries)) where !entries.isEmpty && !entries[0].account.isEmpty:
            entries[0].account[entries[0].account.count - 1] = flipped(entries[0].account.last!)
            return (.proofs(requestId: id, entries), true)
        case (.storage, .proofs(let id, var entries)) where !entries.isEmpty && entries[0].slots.contains(where: { !$0.isEmpty }):
            let index = entries[0].slots.firstIndex { !$0.isEmpty }!
            entries[0].slots[index][entries[0].slots[index].count - 1] = flipped(entries[0].slots[index].last!)
            return (.proofs(requestId: id, entries), true)
        case (.receipt, .eth(.receipts(let id, var lists))) where lists.first.map({ !$0.isEmpty }) ?? false:
            let receipt = lists[0][0]
            lists[0][0] = Receipt(type: receipt.type, succeeded: !receipt.succeeded, cumulativeGasUsed: receipt.cumulativeGasUsed,
                                  logs: receipt.logs)
            return (.eth(.receipts(requestId: id, lists)), true)
        case (.headerSeal, .eth(.blockHeaders(let id, var headers))) where headers.count > 1:
            // A header sync's batch (a single header asked by hash would betray itself by its hash alone).
            let last = headers.count - 1
            headers[last].extraData = flipped(headers[last].extraData)
            return (.eth(.blockHeaders(requestId: id, headers)), true)
        case (.headerSeal, .eth(.newBlockHashes(let announcements))):
            // Claims to be one block ahead, so the light node syncs from it first.
            return (.eth(.newBlockHashes(announcements.map { BlockHashAnnouncement(hash: $0.hash, number: $0.number + 1) })), false)
        default:
            return (message, false)
        }
    }

    /// `bytes` with one bit of its last byte flipped.
    static func flipped(_ bytes: [UInt8]) -> [UInt8] {
        var copy = bytes
        if !copy.isEmpty { copy[copy.count - 1] ^= 0x01 }
        return copy
    }
}
