import Foundation
import LsmStore

/// What `git lsm share` publishes about a session into a review room (the `session` object of a
/// `session` event, docs/protocol.md): usage, context fill, health with its worst component, files
/// touched and prompt titles; the timeline's text only when asked, and always redacted. Its JSON is
/// what the browser's sessions panel reads.
public struct SharedSession: Sendable, Equatable, Encodable {
    /// Health without the per-second measurements' noise: the score, its verdict and the components.
    public struct Health: Sendable, Equatable, Encodable {
        public var score: Int
        public var status: String
        public var recommendation: String
        /// The component that cost the most points, or `nil` when none cost any.
        public var worst: String?
        public var components: [SessionHealth.Component]
    }

    public struct File: Sendable, Equatable, Encodable {
        public var path: String
        public var tool: String
        public var count: Int
    }

    public struct TranscriptEvent: Sendable, Equatable, Encodable {
        public var kind: String
        public var at: Date?
        public var text: String
    }

    /// At most this many files and prompt titles are sent, the most used files and newest prompts.
    public static let maxFiles = 50
    public static let maxPrompts = 20
    public static let titleCharacters = 120
    /// The transcript's text is cut to this many UTF-8 bytes, newest events kept, so an update stays
    /// well under the server's 64 KiB frame limit.
    public static let transcriptBudget = 32 << 10

    public var id: String
    public var agent: String
    public var model: String?
    public var title: String?
    /// The room's branch the session is shared into, and the branch the session ran on.
    public var branch: String?
    public var sessionBranch: String?
    public var live: Bool
    /// True in the last update, sent when the session ended or sharing stopped.
    public var ended: Bool
    public var startedAt: Date?
    public var lastActivityAt: Date?
    public var usage: SessionSummary.Usage?
    public var costUSD: Double?
    public var calls: Int
    public var contextFill: Double?
    public var contextTokens: Int?
    public var contextWindow: Int?
    public var health: Health
    public var files: [File]
    public var prompts: [String]
    /// The timeline's text (prompts, compactions, errors), redacted; `nil` without `--transcript`.
    public var transcript: [TranscriptEvent]?
    /// Whether `transcript` lost older events to the size budget.
    public var transcriptTruncated: Bool?

    /// The shared form of `summary`: paths relative to `repositoryRoot`, prompt titles and (with
    /// `transcript`) the timeline's text passed through `SecretRedactor`.
    public init(summary: SessionSummary, detail: SessionDetail, room: String?, repositoryRoot: String?, transcript: Bool) {
        let redactor = SecretRedactor(repositoryRoot: repositoryRoot)
        id = summary.id
        agent = summary.agent
        model = summary.model
        title = summary.title.map { Self.line(redactor.redact($0)) }
        branch = room
        sessionBranch = summary.branch
        live = summary.live
        ended = false
        startedAt = summary.startedAt
        lastActivityAt = summary.lastActivityAt
        usage = summary.usage
        costUSD = summary.costUSD
        calls = summary.calls
        contextFill = summary.contextFill
        contextTokens = summary.contextTokens
        contextWindow = summary.contextWindow
        health = Health(
            score: summary.health.score, status: summary.health.status.rawValue, recommendation: summary.health.recommendation,
            worst: summary.health.worst?.name, components: summary.health.components)
        files = detail.toolUses.filter { !$0.path.isEmpty }.prefix(Self.maxFiles).map {
            File(path: redactor.redact($0.path), tool: $0.tool, count: $0.count)
        }
        prompts = detail.events.filter { $0.kind == "prompt" }.suffix(Self.maxPrompts).map { Self.line(redactor.redact($0.text)) }
        if transcript {
            var kept: [TranscriptEvent] = []
            var bytes = 0
            for event in detail.events.reversed() {
                let text = redactor.redact(event.text)
                bytes += text.utf8.count + 64
                if bytes > Self.transcriptBudget { break }
                kept.append(TranscriptEvent(kind: event.kind, at: event.timestamp.map(Date.init(timeIntervalSince1970:)), text: text))
            }
            self.transcript = kept.reversed()
            transcriptTruncated = kept.count < detail.events.count
        }
    }

    /// The first line of `text`, at most `titleCharacters` long.
    static func line(_ text: String) -> String {
        let first = text.split(whereSeparator: \.isNewline).first { !$0.trimmingCharacters(in: .whitespaces).isEmpty } ?? ""
        let trimmed = first.trimmingCharacters(in: .whitespaces)
        return trimmed.count <= titleCharacters ? trimmed : String(trimmed.prefix(titleCharacters - 1)) + "…"
    }

    /// What decides whether an update is worth sending: everything but the health components'
    /// measurements, which move every second (idle time) without anything happening.
    public var fingerprint: String {
        var copy = self
        copy.health.components = copy.health.components.map {
            var component = $0
            component.value = 0
            return component
        }
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        encoder.dateEncodingStrategy = .iso8601
        return (try? encoder.encode(copy)).map { String(decoding: $0, as: UTF8.self) } ?? ""
    }
}
