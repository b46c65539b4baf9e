import SankofaPrimitives

extension GenesisFile {
    /// The `config` settings a database is bound to, named as in the genesis file. Most of them (`chainId` above
    /// all) do not enter the genesis block hash, so the node stores them with the database and refuses a genesis
    /// file that changes any of them on existing data, as geth refuses an incompatible chain config.
    public var configFields: [(name: String, value: String)] {
        var fields: [(name: String, value: String)] = [("config.chainId", String(chainId))]
        switch consensus {
        case .clique(let period, let epoch):
            fields += [("config.clique.blockperiodseconds", String(period)), ("config.clique.epochlength", String(epoch))]
        case .qbft(let qbft):
            fields += [
                ("config.qbft.blockperiodseconds", String(qbft.blockPeriodSeconds)),
                ("config.qbft.emptyblockperiodseconds", String(qbft.emptyBlockPeriodSeconds)),
                ("config.qbft.epochlength", String(qbft.epochLength)),
                ("config.qbft.requesttimeoutseconds", String(qbft.requestTimeoutSeconds)),
                ("config.qbft.maxrequesttimeoutseconds", qbft.maxRequestTimeoutSeconds.map { String($0) } ?? "absent"),
                ("config.qbft.validatorcontractaddress", qbft.validatorContractAddress?.hex ?? "absent"),
            ]
        }
        return fields
    }

    /// `configFields` as stored: one `name=value` line each.
    public var storedConfig: [UInt8] {
        Array(configFields.map { "\($0.name)=\($0.value)\n" }.joined().utf8)
    }

    /// The first field whose value differs between a stored config and this file's, as (field, stored, file); a
    /// field present on one side only (another consensus engine) counts as differing, with "absent" for the other.
    public func configDifference(from stored: [UInt8]) -> (field: String, stored: String, file: String)? {
        var previous: [String: String] = [:]
        var order: [String] = []
        for line in String(decoding: stored, as: UTF8.self).split(separator: "\n") {
            guard let equals = line.firstIndex(of: "=") else { continue }
            let name = String(line[..<equals])
            previous[name] = String(line[line.index(after: equals)...])
            order.append(name)
        }
        let current = configFields
        for (name, value) in current where previous[name] != value {
            return (name, previous[name] ?? "absent", value)
        }
        let names = Set(current.map(\.name))
        if let extra = order.first(where: { !names.contains($0) }) {
            return (extra, previous[extra] ?? "absent", "absent")
        }
        return nil
    }
}
