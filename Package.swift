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
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1"),
        .package(url: "https://github.com/hummingbird-project/hummingbird-websocket", from: "2.8.1"),
        .package(url: "https://github.com/vapor/jwt-kit", from: "5.7.1"),
        .package(url: "https://github.com/apple/swift-crypto", from: "4.5.2"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-http-types", from: "1.8.0"),
        .package(url: "https://github.com/vapor/postgres-nio", from: "1.33.2"),
    ],
    targets: [
        .systemLibrary(
            name: "Clibgit2",
            pkgConfig: "libgit2",
            providers: [.apt(["libgit2-dev"]), .brew(["libgit2"])]
        ),
        .target(name: "LsmGit", dependencies: ["Clibgit2"]),
        // sqlite3_config, which Swift cannot call (it is variadic); used by LsmStore only.
        .target(name: "CSQLiteSetup", linkerSettings: [.linkedLibrary("sqlite3")]),
        .target(
            name: "LsmStore",
            dependencies: [
                "CSQLiteSetup", .product(name: "GRDB", package: "GRDB.swift"), .product(name: "GRDBSQLite", package: "GRDB.swift"),
                .product(name: "PostgresNIO", package: "postgres-nio"),
            ]
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
            name: "LsmServer",
            dependencies: [
                "LsmCore", "LsmStore",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdCore", package: "hummingbird"),
                .product(name: "HummingbirdTLS", package: "hummingbird"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "HummingbirdWebSocket", package: "hummingbird-websocket"),
                .product(name: "HummingbirdWSClient", package: "hummingbird-websocket"),
                .product(name: "JWTKit", package: "jwt-kit"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOWebSocket", package: "swift-nio"),
            ],
            // The browser UI, embedded so the binary serves it with nothing installed beside it.
            resources: [
                "index.html", "style.css", "app.js", "api.js", "connection.js", "dom.js", "join.js", "room.js", "files.js", "threads.js",
                "chat.js", "presence.js", "sessions.js", "favicon.svg",
            ].map { .embedInCode("Web/Static/" + $0) }
        ),
        .target(
            name: "LsmCLI",
            dependencies: [
                "LsmCore", "LsmMCP", "LsmServer", .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
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
        .testTarget(
            name: "LsmServerTests",
            dependencies: [
                "LsmServer", "LsmTestSupport",
                .product(name: "HummingbirdWSClient", package: "hummingbird-websocket"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOWebSocket", package: "swift-nio"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
            ]
        ),
    ],
    swiftLanguageModes: [.v6]
)
