import Foundation
import Logging
import NIOCore
import SankofaP2P
import ServiceLifecycle

/// Why P2P could not start: one line naming the flag to change.
struct P2PServiceError: Error, CustomStringConvertible {
    let description: String
}

/// Runs the node's P2P side under swift-service-lifecycle: listens, dials the bootnodes and static peers until
/// graceful shutdown, then sends every peer Disconnect(client quitting) and closes.
struct P2PService: Service {
    let network: NodeNetwork
    let logger: Logger

    func run() async throws {
        let configuration = network.host.configuration
        do {
            try await network.host.start()
        } catch let error as IOError where error.errnoCode == EADDRINUSE {
            throw P2PServiceError(description: "cannot listen for P2P on \(configuration.host):\(configuration.port): "
                + "the port is already in use (choose another port with --p2p-port)")
        } catch {
            throw P2PServiceError(description: "cannot listen for P2P on \(configuration.host):\(configuration.port): \(error)")
        }
        for enode in network.bootnodes { network.manager.add(enode, kind: .bootnode) }
        await cancelWhenGracefulShutdown { await network.manager.run() }
        await network.host.stop()
        logger.info("P2P stopped")
    }
}
