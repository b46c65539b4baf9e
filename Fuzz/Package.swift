// swift-tools-version: 6.1
//
// libFuzzer harnesses for Sankofa's untrusted-input decoders (issue 18). A separate package so the sanitizer
// flags (`-sanitize=fuzzer,address`) never reach the root package's normal build; it depends on the root by
// path and builds one executable holding every target, chosen with SANKOFA_FUZZ_TARGET. Build and run with
// `Fuzz/run.sh [SECONDS]`.
import PackageDescription

let package = Package(
    name: "SankofaFuzz",
    platforms: [.macOS(.v14)],
    dependencies: [
        .package(name: "Sankofa", path: ".."),
        .package(url: "https://github.com/apple/swift-nio", from: "2.80.0"),
        .package(url: "https://github.com/LebJe/TOMLKit", from: "0.6.0"),
    ],
    targets: [
        .target(name: "CLibFuzzer"),
        .executableTarget(name: "sankofa-fuzz", dependencies: [
            "CLibFuzzer",
            .product(name: "SankofaPrimitives", package: "Sankofa"),
            .product(name: "SankofaJSON", package: "Sankofa"),
            .product(name: "SankofaCrypto", package: "Sankofa"),
            .product(name: "SankofaChain", package: "Sankofa"),
            .product(name: "SankofaContracts", package: "Sankofa"),
            .product(name: "SankofaP2P", package: "Sankofa"),
            .product(name: "SankofaQBFT", package: "Sankofa"),
            .product(name: "SankofaRPC", package: "Sankofa"),
            .product(name: "TOMLKit", package: "TOMLKit"),
            .product(name: "NIOCore", package: "swift-nio"),
        ], path: "Sources/SankofaFuzz"),
    ]
)
