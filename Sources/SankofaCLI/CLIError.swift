/// A failure reported to the operator as one line on stderr with a non-zero exit, never a stack trace.
struct CLIError: Error, CustomStringConvertible {
    let description: String

    init(_ description: String) { self.description = description }
}
