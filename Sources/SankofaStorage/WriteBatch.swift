/// A set of puts and deletes across columns that a store applies atomically: all or nothing, even if the
/// process dies mid-write. Every mutation of chain data goes through one of these (a block, its state and the
/// new head commit together).
public struct WriteBatch: Sendable {
    public enum Operation: Sendable, Equatable {
        case put(Column, key: [UInt8], value: [UInt8])
        case delete(Column, key: [UInt8])
    }

    /// The operations in the order they were added; a later one wins over an earlier one on the same key.
    public private(set) var operations: [Operation] = []

    public init() {}

    public mutating func put(_ column: Column, _ key: [UInt8], _ value: [UInt8]) {
        operations.append(.put(column, key: key, value: value))
    }

    public mutating func delete(_ column: Column, _ key: [UInt8]) {
        operations.append(.delete(column, key: key))
    }

    /// Appends another batch's operations after this one's.
    public mutating func append(contentsOf other: WriteBatch) {
        operations.append(contentsOf: other.operations)
    }

    public var count: Int { operations.count }
    public var isEmpty: Bool { operations.isEmpty }
}
