// swift-tools-version: 6.1
import PackageDescription

// Layers, highest first; each target depends only on the ones below it (docs/architecture.md).
let package = Package(
    name: "lsm",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "lsm", targets: ["lsm"])
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
        .package(url: "https://github.com/modelcontextprotocol/swift-sdk", from: "0.12.1"),
        // The SDK's logging API (its `Transport` protocol names `Logger`); the version the SDK resolves.
        .package(url: "https://github.com/apple/swift-log.git", from: "1.5.0"),
    ],
    targets: [
        .systemLibrary(
            name: "Clibgit2",
            pkgConfig: "libgit2",
            providers: [.apt(["libgit2-dev"]), .brew(["libgit2"])]
        ),
        .target(name: "LsmGit", dependencies: ["Clibgit2"]),
        .target(
            name: "LsmStore",
            dependencies: [.product(name: "GRDB", package: "GRDB.swift"), .product(name: "GRDBSQLite", package: "GRDB.swift")]
        ),
        .target(
            name: "LsmCore",
            dependencies: ["LsmGit", "LsmStore"],
            resources: [
                .embedInCode("Usage/pricing.json"),
                // The git hook scripts live in the top-level hooks/ folder (a symbolic link here).
                .embedInCode("Hooks/Scripts/post-commit"),
                .embedInCode("Hooks/Scripts/post-rewrite"),
                .embedInCode("Hooks/Scripts/prepare-commit-msg"),
            ]
        ),
        .target(
            name: "LsmMCP",
            dependencies: ["LsmCore", .product(name: "MCP", package: "swift-sdk"), .product(name: "Logging", package: "swift-log")]
        ),
        .target(
            name: "LsmCLI",
            dependencies: ["LsmCore", "LsmMCP", .product(name: "ArgumentParser", package: "swift-argument-parser")]
        ),
        .executableTarget(name: "lsm", dependencies: ["LsmCLI"]),
        .target(name: "LsmTestSupport", dependencies: ["LsmGit", "LsmStore", "LsmCore"]),
        .testTarget(name: "LsmGitTests", dependencies: ["LsmGit", "LsmTestSupport"]),
        .testTarget(name: "LsmStoreTests", dependencies: ["LsmStore", "LsmTestSupport"]),
        .testTarget(name: "LsmCoreTests", dependencies: ["LsmCore", "LsmTestSupport"]),
        .testTarget(name: "LsmCLITests", dependencies: ["LsmCLI", "LsmTestSupport"]),
        .testTarget(
            name: "LsmMCPTests",
            dependencies: ["LsmMCP", "LsmTestSupport", .product(name: "MCP", package: "swift-sdk")]
        ),
    ],
    swiftLanguageModes: [.v6]
)
