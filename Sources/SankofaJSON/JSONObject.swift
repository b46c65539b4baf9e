/// A JSON object: members in the order they were parsed or added, looked up by key.
///
/// Why ordered: responses are built field by field and must serialize in that order, so they are stable and
/// readable (golden files, diffs, humans reading `curl` output), and a parsed document writes back as it came.
///
/// Why a linear scan and no hash index: JSON-RPC objects are small (a request has 4 members, a transaction
/// call object about 8, a block about 20). `jsonbench` (`object/*`): finding the last of 4 keys takes ~25 ns,
/// the same as a `Dictionary` lookup; the last of 20 ~60 ns against ~45 ns; but building the index would cost
/// ~1.3 µs per 20-member object on every parse, looked up or not, and lazily caching one in a `Sendable` value
/// would need a lock. A hostile object with many members makes each lookup O(n) (~3 µs at 1,000), but a server
/// looks up a fixed handful of keys, so the total stays linear in the request size; code that needs many
/// lookups in a big object should iterate it once instead.
///
/// Keys compare by their UTF-8 bytes (RFC 8259 §8.3), not by Swift's `String ==`, which treats canonically
/// equivalent strings (`"é"` and `"e\u{301}"`) as equal; the same rule makes `==` on `JSON` byte-exact.
///
/// Duplicate keys are kept (a parse never drops input) and lookup returns the first; see `JSONParseError`.
public struct JSONObject: Sendable, Sequence, CustomStringConvertible {
    /// One member; labelled so `for (key, value) in object` and `member.key` both read naturally.
    public typealias Element = (key: String, value: JSON)

    /// The members in order, duplicates included.
    public private(set) var members: [Element]

    /// An empty object.
    public init() {
        members = []
    }

    /// An object with these members in this order; duplicates are kept (lookup finds the first).
    public init(_ pairs: [(String, JSON)]) {
        members = pairs.map { (key: $0.0, value: $0.1) }
    }

    /// For the parser, which builds the labelled array directly.
    init(members: [Element]) {
        self.members = members
    }

    /// Number of members, duplicates included.
    public var count: Int { members.count }

    /// True when the object has no members.
    public var isEmpty: Bool { members.isEmpty }

    /// The keys in order, duplicates included.
    public var keys: [String] { members.map(\.key) }

    /// Iterates the members in order.
    public func makeIterator() -> IndexingIterator<[Element]> {
        members.makeIterator()
    }

    /// The exact member count, so `Array(object)` allocates once.
    public var underestimatedCount: Int { members.count }

    /// Position in `members` of the first member named `key`.
    public func index(forKey key: String) -> Int? {
        var key = key
        return key.withUTF8 { wanted -> Int? in
            for i in members.indices where JSONByte.utf8Equal(members[i].key, wanted) {
                return i
            }
            return nil
        }
    }

    /// The value of the first member named `key`; `nil` when there is none.
    ///
    /// Setting replaces the first such member's value in place (keeping its position) or appends a new member;
    /// setting `nil` removes every member with that key.
    public subscript(key: String) -> JSON? {
        get {
            guard let i = index(forKey: key) else { return nil }
            return members[i].value
        }
        set {
            if let newValue {
                if let i = index(forKey: key) {
                    members[i].value = newValue
                } else {
                    members.append((key: key, value: newValue))
                }
            } else {
                var key = key
                key.withUTF8 { wanted in members.removeAll { JSONByte.utf8Equal($0.key, wanted) } }
            }
        }
    }

    /// Appends a member without looking for an existing one: the cheap way to build a response whose keys the
    /// code already knows are distinct.
    public mutating func append(_ key: String, _ value: JSON) {
        members.append((key: key, value: value))
    }

    /// Reserves room for `n` members, for responses whose size is known up front.
    public mutating func reserveCapacity(_ n: Int) {
        members.reserveCapacity(n)
    }

    /// The compact JSON text.
    public var description: String { JSONWriter.string(.object(self)) }
}

extension JSONObject: Equatable {
    /// Same members in the same order, keys and string values compared byte for byte. Order matters because
    /// it is part of what this type promises to preserve; two objects differing only in order write differently.
    public static func == (lhs: JSONObject, rhs: JSONObject) -> Bool {
        guard lhs.members.count == rhs.members.count else { return false }
        for i in lhs.members.indices {
            let (l, r) = (lhs.members[i], rhs.members[i])
            guard JSONByte.utf8Equal(l.key, r.key), l.value == r.value else { return false }
        }
        return true
    }
}

extension JSONObject: ExpressibleByDictionaryLiteral {
    /// `["jsonrpc": "2.0", "id": 1]` keeps the written order (a Swift `Dictionary` would not).
    public init(dictionaryLiteral elements: (String, JSON)...) {
        self.init(elements)
    }
}

extension JSONByte {
    /// Byte equality of two strings' UTF-8 (RFC 8259 §8.3), without Unicode normalization.
    @inline(__always)
    static func utf8Equal(_ a: String, _ b: String) -> Bool {
        guard a.utf8.count == b.utf8.count else { return false }
        var b = b
        return b.withUTF8 { JSONByte.utf8Equal(a, $0) }
    }

    /// Byte equality of a string's UTF-8 with a buffer; the buffer form lets a lookup fetch its key's bytes once.
    /// (Comparing words instead of `elementsEqual` makes a key comparison ~2 ns instead of ~14: `jsonbench`.)
    @inline(__always)
    static func utf8Equal(_ a: String, _ b: UnsafeBufferPointer<UInt8>) -> Bool {
        let utf8 = a.utf8
        guard utf8.count == b.count else { return false }
        guard b.count > 0, let other = b.baseAddress else { return true }  // both empty
        return utf8.withContiguousStorageIfAvailable { mine in
            mine.baseAddress.map { JSONByte.bytesEqual($0, other, b.count) } ?? false
        } ?? utf8.elementsEqual(b)
    }

    /// `n` bytes at `p` and `q` are equal; eight at a time, then the tail.
    @inline(__always)
    static func bytesEqual(_ p: UnsafePointer<UInt8>, _ q: UnsafePointer<UInt8>, _ n: Int) -> Bool {
        var i = 0
        while i + 8 <= n {
            let x = UnsafeRawPointer(p + i).loadUnaligned(as: UInt64.self)
            guard x == UnsafeRawPointer(q + i).loadUnaligned(as: UInt64.self) else { return false }
            i += 8
        }
        while i < n {
            guard p[i] == q[i] else { return false }
            i += 1
        }
        return true
    }
}
