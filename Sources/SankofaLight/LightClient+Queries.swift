import SankofaChain
import SankofaExecution
import SankofaP2P
import SankofaPrimitives
import SankofaState
import SankofaSync

extension LightClient {
    /// The block whose verified header has `hash`, its body fetched and checked against `transactionsRoot`; nil
    /// when no verified header has that hash.
    public func block(_ hash: Hash32) async throws -> Block? {
        guard let header = try chain.header(hash) else { return nil }
        if let body = caches.withLock({ $0.bodies[hash] }) {
            return Block(header: header, transactions: body.transactions, ommers: body.ommers)
        }
        let body: BlockBody
        if header.transactionsRoot == BlockExecutor.transactionsRoot([]) {
            body = BlockBody(transactions: [])
        } else {
            body = try await ask("the body of block #\(header.number)", atLeast: header.number) { server in
                let response = try await request(server) { .eth(.getBlockBodies(requestId: $0, [hash])) }
                guard case .eth(.blockBodies(_, let bodies)) = response else { throw LightError.unexpectedResponse("not BlockBodies") }
                guard bodies.count <= 1 else { throw LightError.unexpectedResponse("\(bodies.count) bodies for one block") }
                guard let body = bodies.first else { throw LightError.notServed("the body of block #\(header.number)") }
                guard body.matches(header) else { throw LightError.bodyMismatch(number: header.number) }
                return body
            }
        }
        caches.withLock { _ = $0.bodies.insert(body, for: hash) }
        return Block(header: header, transactions: body.transactions, ommers: body.ommers)
    }

    /// The receipts of the block whose verified header has `hash`, checked against its `receiptsRoot`.
    public func receipts(_ hash: Hash32) async throws -> [Receipt]? {
        guard let header = try chain.header(hash) else { return nil }
        if let receipts = caches.withLock({ $0.receipts[hash] }) { return receipts }
        let receipts: [Receipt]
        if header.receiptsRoot == BlockExecutor.receiptsRoot([]) {
            receipts = []
        } else {
            receipts = try await ask("the receipts of block #\(header.number)", atLeast: header.number) { server in
                let response = try await request(server) { .eth(.getReceipts(requestId: $0, [hash])) }
                guard case .eth(.receipts(_, let lists)) = response else { throw LightError.unexpectedResponse("not Receipts") }
                guard lists.count <= 1 else { throw LightError.unexpectedResponse("\(lists.count) receipt lists for one block") }
                guard let receipts = lists.first else { throw LightError.notServed("the receipts of block #\(header.number)") }
                guard BlockExecutor.receiptsRoot(receipts) == header.receiptsRoot else {
                    throw LightError.receiptsMismatch(number: header.number)
                }
                return receipts
            }
        }
        caches.withLock { _ = $0.receipts.insert(receipts, for: hash) }
        return receipts
    }

    /// `address` and the given storage `slots` in the state of `header` (a verified header), proven against its
    /// `stateRoot` (EIP-1186 paths). Proofs already verified are reused.
    public func proof(_ address: Address, slots: [Hash32], at header: BlockHeader) async throws -> AccountProof {
        let accountKey = LightCaches.AccountKey(stateRoot: header.stateRoot, address: address)
        if let cached = caches.withLock({ $0.accounts[accountKey] }) {
            let known = caches.withLock { caches in
                slots.compactMap { caches.slots[LightCaches.SlotKey(storageRoot: cached.account.storageRoot, slot: $0)] }
            }
            if known.count == slots.count {
                return AccountProof(address: address, accountProof: cached.accountProof, account: cached.account, storageProofs: known)
            }
        }
        let proof = try await ask("a proof of \(address) at block #\(header.number)", atLeast: header.number) { server in
            let response = try await request(server) {
                .getProofs(requestId: $0, block: header.hash, [ProofQuery(address: address, slots: slots)])
            }
            guard case .proofs(_, let entries) = response else { throw LightError.unexpectedResponse("not Proofs") }
            guard entries.count <= 1 else { throw LightError.unexpectedResponse("\(entries.count) proofs for one query") }
            guard let nodes = entries.first else { throw LightError.notServed("the state of block #\(header.number)") }
            do {
                return try AccountProof(proving: address, accountPath: nodes.account, slots: slots, slotPaths: nodes.slots,
                                        stateRoot: header.stateRoot)
            } catch {
                throw LightError.invalidProof("\(address) at block #\(header.number): \(error)")
            }
        }
        caches.withLock { caches in
            _ = caches.accounts.insert(AccountProof(address: address, accountProof: proof.accountProof, account: proof.account,
                                                    storageProofs: []), for: accountKey)
            for slot in proof.storageProofs {
                _ = caches.slots.insert(slot, for: LightCaches.SlotKey(storageRoot: proof.account.storageRoot, slot: slot.key))
            }
        }
        return proof
    }

    /// Where transaction `hash` was included on the verified chain: the server's word, checked against the body of
    /// the canonical block it names. Nil when no server knows it (absence cannot be proven; every server tried
    /// said so).
    public func transactionLocation(_ hash: Hash32) async throws -> TransactionLocation? {
        try await ask("the location of transaction \(hash)") { server in
            let response = try await request(server) { .getTransactionLocations(requestId: $0, [hash]) }
            guard case .transactionLocations(_, let positions) = response, positions.count == 1 else {
                throw LightError.unexpectedResponse("not one TransactionLocation")
            }
            guard let position = positions[0] else { return nil }
            guard let header = try chain.header(position.blockHash), try chain.canonicalHash(header.number) == header.hash else {
                // A block we have not verified (yet): not a lie, perhaps only newer than our head.
                throw LightError.notServed("a block this light node has verified for \(hash)")
            }
            guard let block = try await block(header.hash), let index = Int(exactly: position.index),
                  block.transactions.indices.contains(index), block.transactions[index].hash == hash else {
                throw LightError.wrongLocation(hash)
            }
            return TransactionLocation(blockHash: header.hash, blockNumber: header.number, index: index)
        }
    }

    /// Hands a signed transaction to a full node's pool; returns the pool's refusal, if any, as the server gave it.
    /// One sender's transactions go to the same server (see `ask`), so they arrive in nonce order.
    public func send(_ transaction: Transaction, from sender: Address) async throws -> String? {
        try await ask("transaction \(transaction.hash)", affinity: sender) { server in
            let response = try await request(server) { .sendTransaction(requestId: $0, transaction) }
            guard case .transactionStatus(_, let error) = response else { throw LightError.unexpectedResponse("not TransactionStatus") }
            return error.isEmpty ? nil : error
        }
    }
}

extension LightClient {
    /// The senders of a verified block's transactions, recovered once per block and kept with its body.
    public func senders(of block: Block) throws -> [Address] {
        if let known = caches.withLock({ $0.senders[block.hash] }) { return known }
        let senders = try block.transactions.map { try $0.recoverSender() }
        caches.withLock { _ = $0.senders.insert(senders, for: block.hash) }
        return senders
    }
}
