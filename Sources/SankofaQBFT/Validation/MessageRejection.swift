/// Why a message validator refused a well-formed message from a validator. Counted, never thrown past the
/// controller.
public struct MessageRejection: Error, Hashable, Sendable, CustomStringConvertible {
    public let reason: String

    public init(_ reason: String) { self.reason = reason }

    public var description: String { reason }
}
