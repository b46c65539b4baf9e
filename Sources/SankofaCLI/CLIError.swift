import Foundation
/// A failure reported to the operator as one line on stderr with a non-zero exit, never a stack trace. Each case
/// says what to do; `failed` carries a lower layer's own one-line error (a genesis field, a port in use).
enum CLIError: Error, CustomStringConvertible {
    /// A required flag is missing.
    case missingFlag(String)
    /// A flag's value is not one of the accepted forms.
    case invalidFlag(flag: String, expected: String)
    /// A file could not be read or written.
    case file(path: String, reason: String)
    /// `sankofa contracts export --check` found generated files out of date.
    case staleContracts(directory: String, files: [String])
    /// A lower layer's error, already one clear line.
    case failed(String)

    var description: String {
        switch self {
        case .missingFlag(let flag): "\(flag) is required"
        case .invalidFlag(let flag, let expected): "\(flag): expected \(expected)"
        case .file(let path, let reason): "\(path): \(reason)"
        case .staleContracts(let directory, let files):
            "out of date in \(directory): \(files.joined(separator: ", ")); run 'sankofa contracts export'"
        case .failed(let message): message
        }
    }
}

extension CLIError {
    /// Any error as one line: ours already are; Foundation's file errors become their short reason instead of an
    /// `NSCocoaErrorDomain` dump.
    init(describing error: any Error) {
        switch error {
        case let error as CLIError: self = error
        case let error as CocoaError: self = .failed(error.localizedDescription)
        default: self = .failed(String(describing: error))
        }
    }
}
