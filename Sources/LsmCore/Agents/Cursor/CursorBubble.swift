import Foundation

/// One message of a Cursor conversation (`cursorDiskKV['bubbleId:<composer>:<bubble>']`, or an
/// element of an old composer's inline `conversation`): what lsm takes from it.
struct CursorBubble {
    /// Argument names whose values are the paths a tool touched.
    static let pathKeys: Set<String> = [
        "target_file", "targetFile", "file_path", "filePath", "path", "relative_workspace_path", "relativeWorkspacePath",
    ]

    var id: String?
    /// 1 is the user, 2 the assistant.
    var type: Int
    var text: String?
    var createdAt: Date?
    var model: String?
    /// `contextWindowStatusAtCreation`: tokens in context and the window when the bubble was made.
    var contextTokens: Int?
    var contextWindow: Int?
    var tool: Tool?

    /// A tool call the assistant made (`toolFormerData`).
    struct Tool {
        var name: String
        var failed: Bool
        var paths: [String]
    }

    /// Decodes a bubble; `nil` when `object` is not one (no numeric `type`).
    init?(_ object: [String: Any]) {
        guard let type = CursorJSON.int(object["type"]) else { return nil }
        self.type = type
        id = object["bubbleId"] as? String
        text = object["text"] as? String
        createdAt = CursorJSON.date(object["createdAt"])
        if let info = object["modelInfo"] as? [String: Any], let name = info["modelName"] as? String, !name.isEmpty {
            model = name
        }
        if let status = object["contextWindowStatusAtCreation"] as? [String: Any] {
            contextTokens = CursorJSON.int(status["tokensUsed"])
            contextWindow = CursorJSON.int(status["tokenLimit"])
        }
        if let former = object["toolFormerData"] as? [String: Any], let name = former["name"] as? String, !name.isEmpty {
            let status = former["status"] as? String
            tool = Tool(name: name, failed: status == "error" || status == "failed", paths: Self.paths(former))
        }
    }

    /// The files a tool's arguments name: `rawArgs` (a JSON string) or else `params`; path-named
    /// arguments, and the files of a patch. Arguments that are not JSON give no paths.
    static func paths(_ former: [String: Any]) -> [String] {
        for field in ["rawArgs", "params"] {
            let arguments: Any?
            if let text = former[field] as? String {
                arguments = try? JSONSerialization.jsonObject(with: Data(text.utf8))
            } else {
                arguments = former[field]
            }
            guard let arguments = arguments as? [String: Any] else { continue }
            var paths: [String] = []
            for (key, value) in arguments.sorted(by: { $0.key < $1.key }) {
                guard let text = value as? String, !text.isEmpty else { continue }
                if pathKeys.contains(key) {
                    paths.append(text)
                } else if text.contains("*** ") {
                    paths += CodexPatch.paths(text)
                }
            }
            return paths.reduce(into: []) { unique, path in if !unique.contains(path) { unique.append(path) } }
        }
        return []
    }
}
