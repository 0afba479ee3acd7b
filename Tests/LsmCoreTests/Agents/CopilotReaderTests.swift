import Foundation
import LsmCore
import LsmTestSupport
import Testing

@Suite struct CopilotReaderTests {
    static func request(_ id: String, _ text: String, usage: String? = nil) -> String {
        let usageField = usage.map { ",\"usage\":\($0)" } ?? ""
        return """
            {"requestId":"\(id)","timestamp":1770580257491,"modelId":"copilot/gpt-4o","message":{"text":"\(text)","parts":[]},\
            "response":[],"agent":{"extensionVersion":"0.37.1"}\(usageField)}
            """
    }

    @Test func theLegacyDocumentFixtureGivesItsSessionWithoutUsage() throws {
        let tree = try TranscriptTree()
        try tree.copilotChat(
            workspace: "ws1", folder: "/Users/svarlamov/projects/testing-git", "331fed7f-cfd6-409c-8502-06a56322b636.json",
            try tree.fixtureText("copilot/gitai_chatSessions_legacy_v3.TRIMMED.json"))

        let (session, detail) = try tree.summaryAndTimeline("331fed7f-cfd6-409c-8502-06a56322b636")

        #expect(session.agent == "copilot")
        #expect(session.model == "claude-sonnet-4")
        #expect(session.cwd == "/Users/svarlamov/projects/testing-git")
        #expect(session.title == "Assistance with TypeScript project tasks")
        #expect(session.agentVersion == "0.31.5")
        #expect(detail.texts("prompt") == ["What can you help me with?"])
        // Copilot recorded no usage here: unknown, not zero.
        #expect(session.usage == nil)
        #expect(session.costUSD == nil)
    }

    @Test func theOperationLogFixturesReplayToTheirSessions() throws {
        let tree = try TranscriptTree()
        try tree.copilotChat(
            workspace: "ws1", "7de89a80-6d93-43e7-be0a-0a9afe980198.jsonl",
            try tree.fixtureText("copilot/gitai_chatSessions_oplog_multiline.jsonl"))
        try tree.copilotChat(
            workspace: "ws2", folder: nil, "fixture-chat-session-auto.jsonl",
            try tree.fixtureText("copilot/gitai_chatSessions_oplog_auto.jsonl"))

        let (session, detail) = try tree.summaryAndTimeline("7de89a80-6d93-43e7-be0a-0a9afe980198")
        let auto = try tree.session("fixture-chat-session-auto")

        #expect(detail.texts("prompt") == ["Add a joke about 7sadfh32u23gdaWF to jokes.csv", "follow up message"])
        #expect(session.title == "Adding a joke to jokes.csv file")
        #expect(session.model == "gpt-4o")
        #expect(session.cwd == "/work/app")
        #expect(session.usage == nil)
        #expect(detail.toolUses.contains { $0.tool == "insert_edit_into_file" })
        #expect(auto.model == "auto")
        #expect(auto.cwd == nil)
    }

    @Test func anOperationLogWithSplicesAndDeletesGivesTheFinalRequests() throws {
        let tree = try TranscriptTree()
        try tree.copilotChat(
            workspace: "ws1", "c1.jsonl",
            [
                #"{"kind":0,"v":{"version":3,"sessionId":"c1","creationDate":1770580242421,"requests":["#
                    + [Self.request("r1", "one"), Self.request("r2", "two"), Self.request("r3", "three")].joined(separator: ",") + "]}}",
                // Cut the list after the first request, then append the fourth: r1, r4.
                #"{"kind":2,"k":["requests"],"i":1,"v":["# + Self.request("r4", "four") + "]}",
                // Delete the first: r4.
                #"{"kind":3,"k":["requests",0]}"#,
                #"{"kind":1,"k":["requests",0,"usage"],"v":{"promptTokens":500,"completionTokens":50,"totalTokens":550}}"#,
                #"{"kind":1,"k":["customTitle"],"v":"Renamed"}"#,
                "not json",
                #"{"kind":1,"k":["missing","deep"],"v":1}"#,
            ].joined(separator: "\n") + "\n")

        let (report, _) = try tree.index()
        let (session, detail) = try tree.summaryAndTimeline("c1")

        #expect(detail.texts("prompt") == ["four"])
        #expect(session.title == "Renamed")
        #expect(session.calls == 1)
        #expect(session.usage?.input == 500)
        #expect(session.usage?.output == 50)
        #expect(report.malformed == 1)
    }

    @Test func aRewrittenOperationLogReplacesWhatItGaveBefore() throws {
        let tree = try TranscriptTree()
        let path = try tree.copilotChat(
            workspace: "ws1", "c2.jsonl",
            #"{"kind":0,"v":{"sessionId":"c2","requests":["#
                + Self.request("r1", "one", usage: #"{"promptTokens":10,"completionTokens":1}"#)
                + "]}}\n")
        #expect(try tree.session("c2").usage?.input == 10)

        try tree.write(path, #"{"kind":0,"v":{"sessionId":"c2","requests":["# + Self.request("r2", "two") + "]}}\n")
        let (session, detail) = try tree.summaryAndTimeline("c2")

        #expect(detail.texts("prompt") == ["two"])
        #expect(session.calls == 0)
        #expect(session.usage == nil)
    }

    @Test func theCLIFixtureGivesFolderBranchAndModel() throws {
        let tree = try TranscriptTree()
        let lines = try tree.fixtureText("copilot/gitai_copilot_cli_session_events.jsonl").split(separator: "\n").map(String.init)
        try tree.copilotCLI("301561f1-558a-43e9-a144-82d3ca12ab62", lines)

        let (session, detail) = try tree.summaryAndTimeline("301561f1-558a-43e9-a144-82d3ca12ab62")

        #expect(session.cwd == "/Users/test/project")
        #expect(session.branch == "master")
        #expect(session.model == "gpt-4.1")
        #expect(session.agentVersion == "1.0.45")
        #expect(detail.texts("prompt") == ["create a hello world file"])
        #expect(detail.toolUses.contains { $0.tool == "create" && $0.path == "/Users/test/project/hello.py" })
        #expect(session.usage == nil)
    }

    @Test func cliLogsSkipMalformedLinesAndReportFailedTools() throws {
        let tree = try TranscriptTree()
        let path = try tree.copilotCLI(
            "s9",
            [
                #"{"type":"session.start","data":{"sessionId":"s9","copilotVersion":"1.0.45","context":{"cwd":"/work/app","branch":"main"}},"id":"e1","timestamp":"2026-05-12T00:21:05.254Z"}"#,
                "{\"type\":",
                #"{"type":"tool.execution_start","data":{"toolCallId":"t1","toolName":"bash","arguments":{"command":"false"}},"id":"e2","timestamp":"2026-05-12T00:21:06Z"}"#,
                #"{"type":"tool.execution_complete","data":{"toolCallId":"t1","success":false,"error":{"message":"exit 1"}},"id":"e3","timestamp":"2026-05-12T00:21:07Z"}"#,
            ])
        let (report, _) = try tree.index()

        // Appended lines are read from where the last run stopped.
        try tree.append(
            path, #"{"type":"user.message","data":{"content":"try again"},"id":"e4","timestamp":"2026-05-12T00:22:00Z"}"# + "\n")
        let (session, detail) = try tree.summaryAndTimeline("s9")

        #expect(report.malformed == 1)
        #expect(detail.texts("tool-error") == ["exit 1"])
        #expect(detail.texts("prompt") == ["try again"])
        #expect(session.branch == "main")
        #expect(session.usage == nil)
    }

    @Test func environmentVariablesMoveTheRoots() throws {
        let tree = try TranscriptTree()
        try FileManager.default.createDirectory(atPath: tree.folder.child("vscode/User"), withIntermediateDirectories: true)
        let locator = TranscriptLocator(environment: [
            "HOME": tree.folder.path, "VSCODE_USER_DIR": tree.folder.child("vscode/User"), "COPILOT_HOME": "/elsewhere/.copilot",
        ])

        #expect(locator.vscodeUserRoots == [resolved(tree.folder.child("vscode/User"))])
        #expect(locator.copilotHome == "/elsewhere/.copilot")
        #expect(TranscriptLocator(environment: ["HOME": "/home/me"]).copilotHome == "/home/me/.copilot")
    }
}

/// The path with links resolved, as the locator reports folders.
private func resolved(_ path: String) -> String {
    URL(fileURLWithPath: path).resolvingSymlinksInPath().path
}
