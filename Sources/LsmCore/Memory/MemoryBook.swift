import Foundation
import LsmStore

/// The use case behind `git lsm memory`: durable notes, scoped to a repository (by its common dir,
/// so every worktree shares them) or global, optionally made from a session's message.
public struct MemoryBook: Sendable {
    /// A memory as commands show it (the `--json` shape; docs/json.md).
    public struct Memory: Sendable, Equatable, Encodable {
        public var id: Int64
        /// The repository's common dir, or `null` for a global memory.
        public var repository: String?
        public var text: String
        public var tags: [String]
        public var createdAt: Date
        /// The session (`agent:id`) and message the memory was made from.
        public var session: String?
        public var message: Int64?
        public var quote: String?
        public var snippet: Snippet?

        private enum Key: String, CodingKey { case id, repository, text, tags, createdAt, session, message, quote, snippet }

        /// Every key is present; unknown values are `null` (`snippet` is `null` outside searches).
        public func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: Key.self)
            try container.encode(id, forKey: .id)
            try container.encode(repository, forKey: .repository)
            try container.encode(text, forKey: .text)
            try container.encode(tags, forKey: .tags)
            try container.encode(createdAt, forKey: .createdAt)
            try container.encode(session, forKey: .session)
            try container.encode(message, forKey: .message)
            try container.encode(quote, forKey: .quote)
            try container.encode(snippet, forKey: .snippet)
        }

        init(_ record: MemoryRecord, terms: [String]? = nil) {
            id = record.id
            repository = record.scope.isEmpty ? nil : record.scope
            text = record.text
            tags = record.tags.split(separator: " ").map(String.init)
            createdAt = Date(timeIntervalSince1970: record.createdAt)
            session = record.sessionKey
            message = record.messageID
            quote = record.quote
            snippet = terms.map { Snippet(of: record.text, terms: $0) }
        }
    }

    public let index: IndexDatabase
    /// The current repository's common dir, or `nil` outside a repository.
    public let repoCommonDir: String?
    public let now: Date

    public init(index: IndexDatabase, repoCommonDir: String?, now: Date) {
        self.index = index
        self.repoCommonDir = repoCommonDir
        self.now = now
    }

    /// The scopes a command sees: this repository's memories and the global ones.
    public var visibleScopes: [String] { (repoCommonDir.map { [$0] } ?? []) + [""] }

    /// Adds a memory; `from` is `<session>[:<message>]` as search hits show it.
    public func add(text: String, tags: [String], global: Bool, from reference: String?) throws(LsmError) -> Memory {
        let scope: String
        if global {
            scope = ""
        } else if let repoCommonDir {
            scope = repoCommonDir
        } else {
            throw LsmError(
                .user, "not in a git repository, so the memory has no repository", hint: "run it in a repository, or pass --global")
        }
        var record = MemoryRecord(
            scope: scope, text: text.trimmingCharacters(in: .whitespacesAndNewlines), tags: tags.joined(separator: " "), sessionKey: nil,
            messageID: nil, quote: nil, createdAt: now.timeIntervalSince1970)
        do {
            if let reference { try link(&record, to: reference) }
            guard !record.text.isEmpty else {
                throw LsmError(.user, "empty memory", hint: "give the text to remember, or --from <session>:<message> to keep a message")
            }
            return Memory(try index.addMemory(record))
        } catch {
            throw LsmError.wrapping(error)
        }
    }

    /// This repository's and the global memories (every scope with `all`), newest first.
    public func list(all: Bool) throws(LsmError) -> [Memory] {
        do {
            let scopes = all ? nil : visibleScopes
            return try index.memories(scopes: scopes ?? (try allScopes())).map { Memory($0) }
        } catch {
            throw LsmError.wrapping(error)
        }
    }

    /// Memories matching `query` (search syntax; filters other than words are ignored), best first.
    public func search(_ query: String, limit: Int = 20) throws(LsmError) -> [Memory] {
        let parsed = try SearchQuery.parse(query)
        guard let expression = Self.expression(for: parsed) else {
            throw LsmError(.user, "memory search needs words to look for", hint: "path:, tool: and role: apply to transcripts only")
        }
        do {
            return try index.searchMemories(match: expression, scopes: visibleScopes, limit: limit).map {
                Memory($0, terms: parsed.highlightTerms)
            }
        } catch {
            throw LsmError.wrapping(error)
        }
    }

    /// Deletes memory `id` if this repository (or the global scope) has it.
    public func forget(id: Int64) throws(LsmError) -> Memory {
        do {
            guard let removed = try index.forgetMemory(id: id, scopes: visibleScopes) else {
                throw LsmError(.user, "no memory \(id) here", hint: "git lsm memory list shows this repository's and global memories")
            }
            return Memory(removed)
        } catch {
            throw LsmError.wrapping(error)
        }
    }

    /// The memory index expression of a parsed query: its words and phrases (substrings as phrases).
    static func expression(for query: SearchQuery) -> String? {
        guard !query.groups.isEmpty else { return nil }
        var expression = query.groups.map { group in
            let terms = group.map { term in
                if case .word(let word, let prefix) = term { return SearchQuery.quoted(word) + (prefix ? "*" : "") }
                return SearchQuery.quoted(term.text)
            }
            return terms.count == 1 ? terms[0] : "(" + terms.joined(separator: " OR ") + ")"
        }.joined(separator: " AND ")
        for term in query.excluded { expression += " NOT " + SearchQuery.quoted(term.text) }
        return expression
    }

    private func allScopes() throws -> [String] {
        let everything = try index.memoryScopes()
        return everything.isEmpty ? [""] : everything
    }

    private func link(_ record: inout MemoryRecord, to reference: String) throws {
        let parts = reference.split(separator: ":", omittingEmptySubsequences: false)
        let messageID = parts.count > 1 ? Int64(parts[parts.count - 1]) : nil
        let sessionPart = messageID == nil ? reference : parts.dropLast().joined(separator: ":")
        guard !sessionPart.isEmpty else {
            throw LsmError(.user, "--from needs a session: <session>:<message>", hint: "git lsm search shows each hit's reference")
        }
        if let messageID {
            guard let hit = try index.searchDocument(id: messageID),
                hit.sessionID.hasPrefix(sessionPart) || hit.document.sessionKey.hasPrefix(sessionPart)
            else {
                throw LsmError(
                    .user, "no message \(reference) in the search index",
                    hint: "use a reference git lsm search printed (<session>:<message>)")
            }
            record.sessionKey = hit.document.sessionKey
            record.messageID = messageID
            record.quote = String(hit.document.text.prefix(1000))
            if record.text.isEmpty { record.text = String(hit.document.text.prefix(4000)) }
            return
        }
        var matches = try index.sessions(matching: SessionFilter(idPrefix: sessionPart))
        if matches.isEmpty { matches = try index.sessions(matching: SessionFilter(keyPrefix: sessionPart)) }
        guard matches.count == 1, let session = matches.first else {
            throw LsmError(
                .user, matches.isEmpty ? "no session matches '\(sessionPart)'" : "'\(sessionPart)' matches \(matches.count) sessions",
                hint: matches.isEmpty ? "git lsm list --all shows every session" : "type more of the id")
        }
        record.sessionKey = session.key
    }
}
