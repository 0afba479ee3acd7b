import Foundation
import LsmStore

/// The one line Claude Code shows under its prompt when `statusLine` runs `git lsm statusline`.
public struct StatuslineReport: Sendable, Equatable {
    /// What Claude Code sends on standard input (the fields lsm uses).
    public struct Input: Sendable, Equatable, Decodable {
        public struct Model: Sendable, Equatable, Decodable {
            public var id: String?
            public var displayName: String?

            private enum CodingKeys: String, CodingKey {
                case id
                case displayName = "display_name"
            }
        }

        public struct Cost: Sendable, Equatable, Decodable {
            public var totalCostUSD: Double?

            private enum CodingKeys: String, CodingKey {
                case totalCostUSD = "total_cost_usd"
            }
        }

        public struct ContextWindow: Sendable, Equatable, Decodable {
            public var totalInputTokens: Int?
            public var contextWindowSize: Int?

            private enum CodingKeys: String, CodingKey {
                case totalInputTokens = "total_input_tokens"
                case contextWindowSize = "context_window_size"
            }
        }

        public var sessionID: String?
        public var transcriptPath: String?
        public var cwd: String?
        public var model: Model?
        public var cost: Cost?
        public var contextWindow: ContextWindow?

        private enum CodingKeys: String, CodingKey {
            case sessionID = "session_id"
            case transcriptPath = "transcript_path"
            case cwd, model, cost
            case contextWindow = "context_window"
        }
    }

    public var model: String?
    public var contextFill: Double?
    public var costUSD: Double?
    public var health: SessionHealth?

    /// Reads the session's transcript (only it, so the answer comes in milliseconds) and combines
    /// what lsm knows with what Claude Code reports. Claude Code's own numbers fill what lsm lacks.
    public static func make(from data: Data, in workspace: Workspace) throws(LsmError) -> StatuslineReport {
        let input: Input
        do {
            input = try JSONDecoder().decode(Input.self, from: data)
        } catch {
            throw LsmError(
                .user, "statusline input is not the JSON Claude Code sends", hint: "set it as Claude Code's statusLine command",
                cause: "\(error)")
        }
        var report = StatuslineReport(
            model: input.model?.displayName ?? input.model?.id, contextFill: Self.fill(input.contextWindow),
            costUSD: input.cost?.totalCostUSD,
            health: nil)
        guard let path = input.transcriptPath, let sessionID = input.sessionID,
            let file = TranscriptFile.current(path: path, agent: .claudeCode)
        else { return report }
        let index = try workspace.openIndex()
        _ = try SessionIndexer(index: index, locator: workspace.transcriptLocator).refresh(only: [file])
        let catalog = SessionCatalog(
            index: index, prices: try workspace.priceTable(), now: workspace.now(), processes: LiveProcesses(running: []))
        guard
            let session = try catalog.sessions(SessionFilter(keyPrefix: SessionKey.make(.claudeCode, sessionID))).first(where: {
                $0.id == sessionID
            })
        else { return report }
        report.model = report.model ?? session.model
        report.contextFill = session.contextFill ?? report.contextFill
        report.costUSD = session.costUSD ?? report.costUSD
        report.health = session.health
        return report
    }

    private static func fill(_ window: Input.ContextWindow?) -> Double? {
        guard let used = window?.totalInputTokens, let size = window?.contextWindowSize, size > 0 else { return nil }
        return Double(used) / Double(size)
    }
}
