import Foundation
import LsmStore

/// Turns the conversations in Cursor's global `state.vscdb` into sessions and events.
///
/// Cursor stores no billed tokens locally, so no API calls are made up here: a session gets its
/// model and the context tokens Cursor reports, and its usage stays `null`.
struct CursorConversationReader {
    /// The folder of each conversation, by composer id (from the workspace databases).
    let folders: [String: String]

    private var composers: [String: CursorComposer] = [:]
    /// The newest bubble that named a model or a context size, per conversation.
    private var latest: [String: (at: Date?, model: String?, tokens: Int?, window: Int?)] = [:]
    private var sessionsWithBubbles = Set<String>()

    init(folders: [String: String]) {
        self.folders = folders
    }

    /// Reads every conversation of the database at `path` into `batch`; rows that are not JSON lsm
    /// can read are counted as malformed and skipped.
    mutating func read(database path: String, into batch: inout TranscriptBatch) throws(StoreError) {
        let database = try ForeignDatabase(path: path)
        guard try database.hasTable("cursorDiskKV") else { return }
        try database.forEachRow(in: "cursorDiskKV", keyPrefix: "composerData:") { _, value in
            batch.lines += 1
            guard let object = CursorJSON.object(value), let composer = CursorComposer(object) else {
                batch.malformedLines += 1
                return
            }
            composers[composer.id] = composer
        }
        for composer in composers.values {
            for object in composer.inlineBubbles { add(object, session: composer.id, into: &batch) }
        }
        try database.forEachRow(in: "cursorDiskKV", keyPrefix: "bubbleId:") { key, value in
            batch.lines += 1
            // `bubbleId:<composer>:<bubble>`; a bubble of a deleted conversation is left alone.
            let parts = key.split(separator: ":", maxSplits: 2)
            guard parts.count == 3, composers[String(parts[1])] != nil else { return }
            guard let object = CursorJSON.object(value) else {
                batch.malformedLines += 1
                return
            }
            add(object, session: String(parts[1]), into: &batch)
        }
        finish(into: &batch)
    }

    private mutating func add(_ object: [String: Any], session: String, into batch: inout TranscriptBatch) {
        guard let bubble = CursorBubble(object) else {
            batch.malformedLines += 1
            return
        }
        sessionsWithBubbles.insert(session)
        batch.update(session) { $0.saw(bubble.createdAt) }
        if bubble.model != nil || bubble.contextTokens != nil {
            let previous = latest[session]
            if previous == nil || (bubble.createdAt ?? .distantPast) >= (previous?.at ?? .distantPast) {
                latest[session] = (
                    bubble.createdAt, bubble.model ?? previous?.model, bubble.contextTokens ?? previous?.tokens,
                    bubble.contextWindow ?? previous?.window
                )
            }
        }
        if bubble.type == 1, let text = bubble.text, !text.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty {
            batch.events.append(
                .init(
                    key: bubble.id.map { "\(session):\($0)" }, sessionID: session, kind: .prompt, timestamp: bubble.createdAt,
                    text: ClaudeCodeReader.shorten(text)))
        }
        if let tool = bubble.tool {
            let folder = folder(of: session)
            let paths = tool.paths.map { path in
                guard let folder, !path.hasPrefix("/") else { return path }
                return (folder as NSString).appendingPathComponent(path)
            }
            batch.events.append(.init(sessionID: session, kind: .toolCall, timestamp: bubble.createdAt, text: tool.name, paths: paths))
            if tool.failed {
                batch.events.append(.init(sessionID: session, kind: .toolError, timestamp: bubble.createdAt, text: "\(tool.name) failed"))
            }
        }
    }

    /// The conversation's folder, or its parent conversation's for a subagent's.
    private func folder(of session: String) -> String? {
        if let folder = folders[session] { return folder }
        return composers.values.first { $0.subComposerIDs.contains(session) }.flatMap { folders[$0.id] }
    }

    /// Writes the facts of every conversation that has messages.
    private func finish(into batch: inout TranscriptBatch) {
        var parents: [String: String] = [:]
        for composer in composers.values {
            for child in composer.subComposerIDs { parents[child] = composer.id }
        }
        for composer in composers.values where composer.hasMessages || sessionsWithBubbles.contains(composer.id) {
            let newest = latest[composer.id]
            batch.update(composer.id) { facts in
                facts.title = composer.name
                facts.cwd = folder(of: composer.id)
                facts.parentID = parents[composer.id]
                facts.saw(composer.createdAt)
                facts.saw(composer.lastUpdatedAt)
                // Auto (`default`) names no model; the bubbles name the one that answered.
                let chosen = composer.model == "default" ? nil : composer.model
                facts.model = chosen ?? newest?.model ?? composer.model
                if composer.contextTokens != nil || composer.contextWindow != nil {
                    facts.contextTokens = composer.contextTokens
                    facts.contextWindow = composer.contextWindow
                } else {
                    facts.contextTokens = newest?.tokens
                    facts.contextWindow = newest?.window
                }
            }
        }
    }
}
