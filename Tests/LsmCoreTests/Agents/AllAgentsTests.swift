import Foundation
import LsmCore
import LsmStore
import LsmTestSupport
import Testing

/// Every agent's real fixture in one tree, as a user with all five installed has them.
@Suite struct AllAgentsTests {
    @Test func listsSessionsOfAllFiveAgentsWithHonestNulls() throws {
        let tree = try TranscriptTree()
        try tree.fixture("claude/gitai_claude-code-with-thinking.jsonl", asClaude: "p/dac34307-159f-4fcd-9c21-35210246ad38.jsonl")
        try tree.fixture(
            "codex/ccusage_token_count_session-alpha.jsonl", asCodex: "sessions/2026/05/13/rollout-2026-05-13T09-00-00-alpha.jsonl")
        try tree.cursorFixtureDatabase()
        try tree.copilotChat(
            workspace: "ws1", "copilot-session.json", try tree.fixtureText("copilot/gitai_chatSessions_legacy_v3.TRIMMED.json"))
        try tree.copilotCLI(
            "cli-session", try tree.fixtureText("copilot/gitai_copilot_cli_session_events.jsonl").split(separator: "\n").map(String.init))
        try tree.gemini(
            project: "project1", "session-2025-12-06T18-25-38b36361.jsonl",
            try tree.fixtureText("gemini/gitai_gemini-session-simple.jsonl").split(separator: "\n").map(String.init))

        let sessions = try tree.index().1
        let byAgent = Dictionary(grouping: sessions, by: \.agent)

        #expect(Set(byAgent.keys) == ["claude-code", "codex", "cursor", "copilot", "gemini"])
        // Agents that record billed usage give numbers; Cursor and Copilot give null, never zero.
        #expect(byAgent["claude-code"]?.first?.usage?.total == 40_575)
        #expect(byAgent["codex"]?.first?.usage?.total == 3_925)
        #expect(byAgent["cursor"]?.allSatisfy { $0.usage == nil && $0.costUSD == nil } == true)
        #expect(byAgent["copilot"]?.allSatisfy { $0.calls > 0 || ($0.usage == nil && $0.costUSD == nil) } == true)
        #expect(sessions.allSatisfy { (0...100).contains($0.health.score) })
    }
}
