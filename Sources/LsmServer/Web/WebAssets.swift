import Foundation

/// The browser UI: static HTML, CSS and JavaScript modules from `Web/Static`, embedded in the
/// binary (Package.swift lists each file) so the server needs nothing beside itself and works
/// offline. No build step: the files are served as written.
enum WebAssets {
    struct Asset {
        let bytes: [UInt8]
        let contentType: String
    }

    /// The page every browser route serves; the scripts decide between join and room.
    static var page: Asset { Asset(bytes: PackageResources.index_html, contentType: "text/html; charset=utf-8") }

    /// Served under `/ui/<name>`.
    static let files: [String: Asset] = [
        "style.css": css(PackageResources.style_css),
        "app.js": js(PackageResources.app_js),
        "api.js": js(PackageResources.api_js),
        "connection.js": js(PackageResources.connection_js),
        "dom.js": js(PackageResources.dom_js),
        "join.js": js(PackageResources.join_js),
        "room.js": js(PackageResources.room_js),
        "files.js": js(PackageResources.files_js),
        "threads.js": js(PackageResources.threads_js),
        "chat.js": js(PackageResources.chat_js),
        "presence.js": js(PackageResources.presence_js),
        "sessions.js": js(PackageResources.sessions_js),
        "favicon.svg": Asset(bytes: PackageResources.favicon_svg, contentType: "image/svg+xml"),
    ]

    private static func js(_ bytes: [UInt8]) -> Asset { Asset(bytes: bytes, contentType: "text/javascript; charset=utf-8") }
    private static func css(_ bytes: [UInt8]) -> Asset { Asset(bytes: bytes, contentType: "text/css; charset=utf-8") }
}
