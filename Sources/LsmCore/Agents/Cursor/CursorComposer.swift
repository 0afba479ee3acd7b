import Foundation

/// One Cursor conversation's header (`cursorDiskKV['composerData:<id>']`): what lsm takes from it.
struct CursorComposer {
    var id: String
    var name: String?
    var createdAt: Date?
    var lastUpdatedAt: Date?
    /// `modelConfig.modelName`: the model chosen for the conversation (`default` is Cursor's Auto).
    var model: String?
    /// `contextTokensUsed` and `contextTokenLimit`.
    var contextTokens: Int?
    var contextWindow: Int?
    var subComposerIDs: [String]
    /// Whether the conversation has messages (`fullConversationHeadersOnly`, or the inline
    /// `conversation` of conversations from before April 2025).
    var hasMessages: Bool
    /// The inline `conversation` of an old conversation; newer ones keep their messages in
    /// `bubbleId:` rows.
    var inlineBubbles: [[String: Any]]

    /// Decodes a composer; `nil` when `object` has no `composerId`.
    init?(_ object: [String: Any]) {
        guard let id = object["composerId"] as? String, !id.isEmpty else { return nil }
        self.id = id
        name = (object["name"] as? String).flatMap { $0.isEmpty ? nil : $0 }
        createdAt = CursorJSON.date(object["createdAt"])
        lastUpdatedAt = CursorJSON.date(object["lastUpdatedAt"])
        if let config = object["modelConfig"] as? [String: Any], let name = config["modelName"] as? String, !name.isEmpty {
            model = name
        }
        contextTokens = CursorJSON.int(object["contextTokensUsed"])
        contextWindow = CursorJSON.int(object["contextTokenLimit"])
        subComposerIDs = (object["subComposerIds"] as? [Any] ?? []).compactMap { $0 as? String }
        inlineBubbles = (object["conversation"] as? [Any] ?? []).compactMap { $0 as? [String: Any] }
        let headers = object["fullConversationHeadersOnly"] as? [Any] ?? []
        hasMessages = !headers.isEmpty || !inlineBubbles.isEmpty
    }
}
