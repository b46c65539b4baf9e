/// A benchmark whose fixture or run went wrong; the message says which and why.
struct BenchmarkError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
