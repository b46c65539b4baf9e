// swift-tools-version: 6.1
//
// Sankofa: a permissioned Proof-of-Authority node. One target per layer; a lower layer never imports a higher
// one (C shims → primitives and JSON → crypto → chain → storage, trie, state → contracts, execution → consensus →
// blockchain and pool → RPC → node → CLI → the `sankofa` executable).
import PackageDescription

/// Release-only optimisation flags for our own hot-path targets (never for code that parses untrusted input
/// with unchecked arithmetic — see ../shared/SWIFT-NOTES.md).
let releaseSpeed: [SwiftSetting] = [
    .unsafeFlags(["-cross-module-optimization"], .when(configuration: .release)),
]

let package = Package(
    name: "Sankofa",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "sankofa", targets: ["sankofa"]),
        .library(name: "SankofaPrimitives", targets: ["SankofaPrimitives"]),
        .library(name: "SankofaJSON", targets: ["SankofaJSON"]),
        .library(name: "SankofaCrypto", targets: ["SankofaCrypto"]),
        .library(name: "SankofaChain", targets: ["SankofaChain"]),
        .library(name: "SankofaStorage", targets: ["SankofaStorage"]),
        .library(name: "SankofaTrie", targets: ["SankofaTrie"]),
        .library(name: "SankofaState", targets: ["SankofaState"]),
        .library(name: "SankofaContracts", targets: ["SankofaContracts"]),
        .library(name: "SankofaExecution", targets: ["SankofaExecution"]),
        .library(name: "SankofaConsensus", targets: ["SankofaConsensus"]),
        .library(name: "SankofaClique", targets: ["SankofaClique"]),
        .library(name: "SankofaQBFT", targets: ["SankofaQBFT"]),
        .library(name: "SankofaBlockchain", targets: ["SankofaBlockchain"]),
        .library(name: "SankofaNode", targets: ["SankofaNode"]),
        .library(name: "SankofaRPC", targets: ["SankofaRPC"]),
        .library(name: "SankofaP2P", targets: ["SankofaP2P"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.80.0"),
        .package(url: "https://github.com/apple/swift-log", from: "1.6.0"),
        .package(url: "https://github.com/apple/swift-metrics", from: "2.5.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus", from: "2.1.0"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.6.0"),
        .package(url: "https://github.com/LebJe/TOMLKit", from: "0.6.0"),
    ],
    targets: [
        // C libraries, found with pkg-config.
        .systemLibrary(name: "CSecp256k1", pkgConfig: "libsecp256k1", providers: [.apt(["libsecp256k1-dev"])]),
        .systemLibrary(name: "CRocksDB", pkgConfig: "rocksdb", providers: [.apt(["librocksdb-dev"])]),
        .systemLibrary(name: "COpenSSL", pkgConfig: "libcrypto", providers: [.apt(["libssl-dev"])]),
        .systemLibrary(name: "CSnappy", pkgConfig: "snappy", providers: [.apt(["libsnappy-dev"])]),

        // Layers.
        .target(name: "SankofaPrimitives", swiftSettings: releaseSpeed),
        .target(name: "SankofaJSON", dependencies: ["SankofaPrimitives"], swiftSettings: releaseSpeed),
        .target(name: "SankofaCrypto", dependencies: ["SankofaPrimitives", "CSecp256k1", "COpenSSL"],
                swiftSettings: releaseSpeed),
        .target(name: "SankofaChain", dependencies: ["SankofaPrimitives", "SankofaCrypto", "SankofaJSON"],
                swiftSettings: releaseSpeed),
        .target(name: "SankofaStorage", dependencies: ["SankofaPrimitives", "CRocksDB"], swiftSettings: releaseSpeed),
        .target(name: "SankofaTrie", dependencies: ["SankofaPrimitives"], swiftSettings: releaseSpeed),
        .target(name: "SankofaState", dependencies: ["SankofaPrimitives", "SankofaChain", "SankofaStorage", "SankofaTrie"],
                swiftSettings: releaseSpeed),
        .target(name: "SankofaContracts", dependencies: ["SankofaPrimitives", "SankofaChain", "SankofaJSON"],
                swiftSettings: releaseSpeed),
        .target(name: "SankofaExecution", dependencies: [
            "SankofaPrimitives", "SankofaChain", "SankofaStorage", "SankofaTrie", "SankofaState", "SankofaContracts",
        ], swiftSettings: releaseSpeed),
        .target(name: "SankofaTxPool", dependencies: ["SankofaPrimitives", "SankofaChain"], swiftSettings: releaseSpeed),
        .target(name: "SankofaConsensus", dependencies: ["SankofaPrimitives", "SankofaCrypto", "SankofaChain"],
                swiftSettings: releaseSpeed),
        .target(name: "SankofaClique", dependencies: ["SankofaPrimitives", "SankofaCrypto", "SankofaChain", "SankofaConsensus"],
                swiftSettings: releaseSpeed),
        .target(name: "SankofaQBFT", dependencies: ["SankofaPrimitives", "SankofaCrypto", "SankofaChain", "SankofaConsensus"],
                swiftSettings: releaseSpeed),
        .target(name: "SankofaBlockchain", dependencies: [
            "SankofaPrimitives", "SankofaCrypto", "SankofaChain", "SankofaStorage", "SankofaTrie", "SankofaState",
            "SankofaExecution", "SankofaConsensus",
        ], swiftSettings: releaseSpeed),
        .target(name: "SankofaP2P", dependencies: [
            "SankofaPrimitives", "SankofaCrypto", "SankofaChain", "CSnappy",
            .product(name: "NIOCore", package: "swift-nio"),
            .product(name: "NIOPosix", package: "swift-nio"),
            .product(name: "Logging", package: "swift-log"),
            .product(name: "Metrics", package: "swift-metrics"),
        ], swiftSettings: releaseSpeed),
        .target(name: "SankofaRPC", dependencies: [
            "SankofaPrimitives", "SankofaJSON", "SankofaChain", "SankofaState", "SankofaContracts", "COpenSSL",
            .product(name: "TOMLKit", package: "TOMLKit"),
            .product(name: "NIOCore", package: "swift-nio"),
            .product(name: "NIOPosix", package: "swift-nio"),
            .product(name: "NIOHTTP1", package: "swift-nio"),
            .product(name: "NIOWebSocket", package: "swift-nio"),
            .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
            .product(name: "Logging", package: "swift-log"),
            .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
        ], swiftSettings: releaseSpeed),
        .target(name: "SankofaLBWatch", dependencies: [
            "SankofaPrimitives", "SankofaJSON", "SankofaContracts", "SankofaRPC",
            .product(name: "NIOCore", package: "swift-nio"),
            .product(name: "NIOPosix", package: "swift-nio"),
            .product(name: "NIOHTTP1", package: "swift-nio"),
            .product(name: "NIOWebSocket", package: "swift-nio"),
            .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
            .product(name: "Logging", package: "swift-log"),
        ]),
        .target(name: "SankofaNode", dependencies: [
            "SankofaRPC",
            "SankofaPrimitives", "SankofaJSON", "SankofaCrypto", "SankofaChain", "SankofaStorage", "SankofaTrie", "SankofaState",
            "SankofaContracts",
            "SankofaExecution", "SankofaConsensus", "SankofaClique", "SankofaQBFT", "SankofaBlockchain", "SankofaTxPool",
            "SankofaP2P",
            .product(name: "NIOCore", package: "swift-nio"),
            .product(name: "NIOPosix", package: "swift-nio"),
            .product(name: "NIOHTTP1", package: "swift-nio"),
            .product(name: "Logging", package: "swift-log"),
            .product(name: "Metrics", package: "swift-metrics"),
            .product(name: "Prometheus", package: "swift-prometheus"),
            .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            .product(name: "TOMLKit", package: "TOMLKit"),
        ]),
        .target(name: "SankofaCLI", dependencies: [
            "SankofaPrimitives", "SankofaJSON", "SankofaCrypto", "SankofaChain", "SankofaContracts", "SankofaExecution",
            "SankofaQBFT", "SankofaNode", "SankofaRPC", "SankofaLBWatch",
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
            .product(name: "NIOCore", package: "swift-nio"),
            .product(name: "NIOPosix", package: "swift-nio"),
            .product(name: "NIOHTTP1", package: "swift-nio"),
            .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
            .product(name: "Logging", package: "swift-log"),
            .product(name: "Metrics", package: "swift-metrics"),
            .product(name: "Prometheus", package: "swift-prometheus"),
        ]),
        .executableTarget(name: "sankofa", dependencies: [
            "SankofaCLI", .product(name: "ArgumentParser", package: "swift-argument-parser"),
        ]),

        // Benchmarks: a plain executable that is always built, so it cannot rot.
        .executableTarget(name: "SankofaBenchmarks",
                          dependencies: ["SankofaPrimitives", "SankofaCrypto", "SankofaChain", "SankofaStorage",
                                         "SankofaTrie", "SankofaState", "SankofaContracts", "SankofaExecution",
                                         "CSecp256k1", "CRocksDB", "SankofaJSON", "SankofaClique", "SankofaRPC", "SankofaNode",
                                         "SankofaP2P", "SankofaConsensus", "SankofaQBFT",
                                         .product(name: "NIOCore", package: "swift-nio"),
                                         .product(name: "NIOPosix", package: "swift-nio")],
                          path: "Benchmarks/SankofaBenchmarks", swiftSettings: releaseSpeed),

        // Tests mirror Sources; vector loading is shared through a small test-only library.
        .target(name: "SankofaTestSupport",
                dependencies: ["SankofaChain", "SankofaJSON", "SankofaState", "SankofaStorage", "SankofaTrie"],
                path: "Tests/SankofaTestSupport"),
        .executableTarget(name: "sankofa-crash-writer", dependencies: ["SankofaStorage", "SankofaTestSupport"],
                          path: "Tests/CrashWriter"),
        .testTarget(name: "SankofaPrimitivesTests", dependencies: ["SankofaPrimitives", "SankofaTestSupport"]),
        .testTarget(name: "SankofaJSONTests", dependencies: ["SankofaJSON", "SankofaTestSupport"]),
        .testTarget(name: "SankofaCryptoTests", dependencies: ["SankofaCrypto", "SankofaTestSupport"]),
        .testTarget(name: "SankofaChainTests", dependencies: ["SankofaChain", "SankofaTestSupport"]),
        .testTarget(name: "SankofaStorageTests", dependencies: ["SankofaStorage", "SankofaTestSupport"]),
        .testTarget(name: "SankofaTrieTests", dependencies: ["SankofaTrie", "SankofaTestSupport"]),
        .testTarget(name: "SankofaStateTests", dependencies: ["SankofaState", "SankofaTestSupport"]),
        .testTarget(name: "SankofaContractsTests", dependencies: ["SankofaContracts", "SankofaTestSupport"]),
        .testTarget(name: "SankofaCliqueTests", dependencies: ["SankofaClique", "SankofaTestSupport"]),
        .testTarget(name: "SankofaQBFTTests", dependencies: ["SankofaQBFT", "SankofaTestSupport"]),
        .testTarget(name: "SankofaBlockchainTests", dependencies: ["SankofaBlockchain", "SankofaClique", "SankofaTestSupport"]),
        .testTarget(name: "SankofaP2PTests", dependencies: [
            "SankofaP2P", "SankofaCrypto", "SankofaChain", "SankofaTestSupport",
            .product(name: "NIOCore", package: "swift-nio"),
            .product(name: "NIOPosix", package: "swift-nio"),
            .product(name: "NIOEmbedded", package: "swift-nio"),
        ]),
        .testTarget(name: "SankofaRPCTests", dependencies: ["SankofaRPC", "SankofaJSON", "SankofaTestSupport"]),
        .testTarget(name: "SankofaLBWatchTests", dependencies: [
            "SankofaLBWatch", "SankofaRPC", "SankofaJSON", "SankofaContracts", "SankofaChain", "SankofaCrypto",
            "SankofaPrimitives", "SankofaTestSupport",
        ]),
        .testTarget(name: "SankofaNodeTests", dependencies: [
            "SankofaNode", "SankofaChain", "SankofaJSON", "SankofaTestSupport", "SankofaP2P", "SankofaCrypto", "SankofaQBFT",
        ]),
        .testTarget(name: "SankofaTxPoolTests", dependencies: ["SankofaTxPool", "SankofaTestSupport"]),
        .testTarget(name: "SankofaExecutionTests", dependencies: ["SankofaExecution", "SankofaTestSupport"]),
        .testTarget(name: "SankofaCLITests", dependencies: [
            "SankofaCLI", "SankofaTestSupport", "SankofaChain", "SankofaCrypto", "SankofaContracts", "SankofaState", "SankofaTrie",
            "SankofaRPC", "SankofaJSON",
        ]),
    ]
)
