import SankofaPrimitives

/// The stored form of a snapshot, so a node restarts without replaying the chain from genesis:
/// `[number, hash, [signer…], [[block, signer]…], [[signer, block, address, authorize]…],
/// [[address, authorize, votes]…]]`, with recents ordered by block and tallies by address so that equal
/// snapshots encode to equal bytes. (geth stores JSON; any encoding works because it is node-local.)
extension Snapshot: RLPEncodable, RLPDecodable {
    public func encode(to writer: inout RLPWriter) {
        writer.writeList { w in
            w.write(number)
            w.write(hash)
            w.writeList { list in for signer in signers { list.write(signer) } }
            w.writeList { list in
                for block in recents.keys.sorted() {
                    guard let signer = recents[block] else { continue }
                    list.writeList { entry in
                        entry.write(block)
                        entry.write(signer)
                    }
                }
            }
            w.writeList { list in
                for vote in votes {
                    list.writeList { entry in
                        entry.write(vote.signer)
                        entry.write(vote.block)
                        entry.write(vote.address)
                        entry.write(vote.authorize)
                    }
                }
            }
            w.writeList { list in
                for address in tally.keys.sorted() {
                    guard let count = tally[address] else { continue }
                    list.writeList { entry in
                        entry.write(address)
                        entry.write(count.authorize)
                        entry.write(UInt64(count.votes))
                    }
                }
            }
        }
    }

    public init(from reader: inout RLPReader) throws(RLPError) {
        var r = try reader.readList()
        let number = try r.readUInt64()
        let hash = try r.readHash()
        var signers: [Address] = []
        var signerList = try r.readList()
        while !signerList.isAtEnd { signers.append(try signerList.readAddress()) }
        var recents: [UInt64: Address] = [:]
        var recentList = try r.readList()
        while !recentList.isAtEnd {
            var entry = try recentList.readList()
            recents[try entry.readUInt64()] = try entry.readAddress()
            try entry.finish()
        }
        var votes: [Vote] = []
        var voteList = try r.readList()
        while !voteList.isAtEnd {
            var entry = try voteList.readList()
            votes.append(Vote(signer: try entry.readAddress(), block: try entry.readUInt64(),
                              address: try entry.readAddress(), authorize: try entry.readBool()))
            try entry.finish()
        }
        var tally: [Address: Tally] = [:]
        var tallyList = try r.readList()
        while !tallyList.isAtEnd {
            var entry = try tallyList.readList()
            let address = try entry.readAddress()
            let authorize = try entry.readBool()
            let count = try entry.readUInt64()
            guard let votes = Int(exactly: count) else { throw .integerTooLarge(maxBytes: 8, got: 8) }
            tally[address] = Tally(authorize: authorize, votes: votes)
            try entry.finish()
        }
        try r.finish()
        self.init(number: number, hash: hash, signers: signers, recents: recents, votes: votes, tally: tally)
    }
}
