import Foundation
import Logging
import SankofaCrypto
import SankofaRPC
import SankofaStorage
import ServiceLifecycle

extension Node {
    /// The hot-standby lease the `--validator-lease-*` flags ask for, or nil without them. Refuses settings that
    /// cannot work, each with the flag to fix.
    static func makeValidatorLease(config: NodeConfig, nodeKey: PrivateKey?, store: any KeyValueStore,
                                   logger: Logger, metrics: NodeMetrics) throws(NodeError) -> ValidatorLease? {
        guard !config.validatorLeaseEndpoints.isEmpty || config.validatorLeaseKey != nil else { return nil }
        guard let key = config.validatorLeaseKey else {
            throw .invalidValidatorSettings("--validator-lease-endpoints needs --validator-lease-key (e.g. /sankofa/<network>/<validator>)")
        }
        guard !config.validatorLeaseEndpoints.isEmpty else {
            throw .invalidValidatorSettings("--validator-lease-key needs --validator-lease-endpoints (etcd client URLs, e.g. http://127.0.0.1:2379)")
        }
        guard config.mode == .validator else {
            throw .invalidValidatorSettings("--validator-lease-* is for validators; a \(config.mode.rawValue) never signs")
        }
        var endpoints: [HTTPEndpoint] = []
        for text in config.validatorLeaseEndpoints {
            guard let endpoint = HTTPEndpoint(url: text) else {
                throw .invalidValidatorSettings("--validator-lease-endpoints: \(text) is not http://HOST:PORT (etcd's client URL, e.g. http://127.0.0.1:2379)")
            }
            endpoints.append(endpoint)
        }
        let identity = (nodeKey?.address.checksummed ?? "node") + "@\(config.p2pHost):\(config.p2pPort)"
        do {
            return try ValidatorLease(
                backend: EtcdClient(endpoints: endpoints), key: key, ttl: Int64(config.validatorLeaseTTL), identity: identity,
                log: StoredSignatureLog(store: store), logger: logger,
                now: { Double(DispatchTime.now().uptimeNanoseconds) / 1e9 },
                published: { metrics.lease($0, key: key, roleChanged: $1) })
        } catch {
            throw .invalidValidatorSettings("cannot read the last signature from the database: \(error)")
        }
    }
}

/// Runs the lease's renew/claim loop until shutdown, then gives the lease back.
struct ValidatorLeaseService: Service, CustomStringConvertible {
    let lease: ValidatorLease
    var description: String { "ValidatorLease" }

    func run() async throws {
        let lease = self.lease
        await cancelWhenGracefulShutdown { await lease.run() }
    }
}
