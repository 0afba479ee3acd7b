import Foundation
import LsmTestSupport
import Testing

/// `kill -9` of the indexer at random points, then a re-run, gives exactly the totals of a clean run.
@Suite struct CrashSafetyTests {
    /// A few hundred transcripts with streamed duplicates, resumed replays and side chains.
    static func makeTree(in folder: TemporaryDirectory) throws -> String {
        let root = folder.child("claude/projects/p")
        try FileManager.default.createDirectory(atPath: root, withIntermediateDirectories: true)
        var generator = SystemRandomNumberGenerator()
        let padding = String(repeating: "x", count: 2_000)
        for file in 0..<240 {
            var lines: [String] = []
            for call in 0..<60 {
                let message = "msg_\(file % 200)_\(call)"  // files 200+ replay earlier files' calls
                for (block, output) in [(0, 5), (1, 50 + call)] {
                    let sidechain = call % 17 == 0 && block == 1
                    lines.append(
                        """
                        {"type":"assistant","sessionId":"s\(file)","cwd":"/w","timestamp":"2026-01-01T10:\(String(format: "%02d", call % 60)):00Z",\
                        "requestId":"req_\(file % 200)_\(call)\(sidechain ? "_side" : "")","isSidechain":\(sidechain),\
                        "message":{"id":"\(message)","model":"claude-sonnet-4-5","role":"assistant","content":[{"type":"text","text":"\(padding)"}],\
                        "usage":{"input_tokens":\(Int.random(in: 1...9, using: &generator)),"output_tokens":\(output),\
                        "cache_read_input_tokens":1000,"cache_creation_input_tokens":20}}}
                        """)
                }
            }
            try Data((lines.joined(separator: "\n") + "\n").utf8).write(to: URL(fileURLWithPath: "\(root)/s\(file).jsonl"))
        }
        return folder.child("claude")
    }

    static func run(_ arguments: [String], home: String, claude: String, in folder: TemporaryDirectory) throws -> ProcessResult {
        try ProcessRunner.run(
            try BuiltLsm.path(), arguments, in: folder.path,
            environment: ["LSM_HOME": home, "CLAUDE_CONFIG_DIR": claude, "CODEX_HOME": folder.child("codex"), "HOME": folder.path])
    }

    @Test func killedIndexerThenRerunGivesTheTotalsOfACleanRun() throws {
        let folder = try TemporaryDirectory("lsm-crash")
        let claude = try Self.makeTree(in: folder)
        let crashed = folder.child("crashed-home")

        var killedMidway = 0
        for attempt in 0..<8 {
            let process = Process()
            process.executableURL = URL(fileURLWithPath: try BuiltLsm.path())
            process.arguments = ["index"]
            process.environment = [
                "LSM_HOME": crashed, "CLAUDE_CONFIG_DIR": claude, "CODEX_HOME": folder.child("codex"), "HOME": folder.path,
            ]
            process.standardOutput = FileHandle.nullDevice
            process.standardError = FileHandle.nullDevice
            try process.run()
            usleep(UInt32(5_000 + attempt * 15_000 + Int.random(in: 0..<10_000)))
            if process.isRunning {
                kill(process.processIdentifier, SIGKILL)
                killedMidway += 1
            }
            process.waitUntilExit()
        }
        let finished = try Self.run(["list", "--all", "--json"], home: crashed, claude: claude, in: folder)
        let clean = try Self.run(["list", "--all", "--json"], home: folder.child("clean-home"), claude: claude, in: folder)

        #expect(killedMidway > 0, "the indexer always finished before it could be killed; the tree is too small")
        #expect(finished.status == 0 && clean.status == 0)
        #expect(Self.totals(finished.stdout) == Self.totals(clean.stdout))
        #expect(Self.totals(clean.stdout).count == 240)
    }

    /// Per session: usage and calls, the numbers a crash must not change.
    static func totals(_ json: String) -> [String: String] {
        guard let sessions = try? JSONSerialization.jsonObject(with: Data(json.utf8)) as? [[String: Any]] else { return [:] }
        var result: [String: String] = [:]
        for session in sessions {
            guard let id = session["id"] as? String, let usage = session["usage"] as? [String: Int] else { continue }
            result[id] = "\(usage.sorted { $0.key < $1.key }) calls \(session["calls"] as? Int ?? -1)"
        }
        return result
    }
}
