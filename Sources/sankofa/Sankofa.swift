import ArgumentParser
import SankofaCLI

/// The program's entry point is the root command itself (swift-argument-parser's async `@main` convention).
@main
extension SankofaCommand {}
