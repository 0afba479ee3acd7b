import Foundation
import LsmTestSupport
import Testing

/// The dashboard as a person uses it: in a real terminal (tmux), typing keys and reading the screen.
@Suite(.serialized) struct MonitorTests {
    static func line(_ number: Int, output: Int, cwd: String) -> String {
        """
        {"type":"assistant","sessionId":"sess-mon-1","cwd":"\(cwd)","gitBranch":"main","timestamp":"\(Date().formatted(.iso8601))",\
        "requestId":"r\(number)","message":{"id":"m\(number)","model":"claude-sonnet-4-5","role":"assistant","content":[],\
        "usage":{"input_tokens":10,"output_tokens":\(output),"cache_read_input_tokens":1000,"cache_creation_input_tokens":0}}}

        """
    }

    /// A tmux server of its own, so tests never touch a user's sessions.
    struct Tmux {
        let socket: String
        let environment: [String: String]

        func run(_ arguments: [String]) throws -> String {
            let result = try ProcessRunner.run("tmux", ["-S", socket] + arguments, in: "/", environment: environment)
            guard result.status == 0 else { throw TestFailure("tmux \(arguments.joined(separator: " ")): \(result.stderr)") }
            return result.stdout
        }

        func screen() throws -> String { try run(["capture-pane", "-p", "-t", "lsm"]) }

        /// Waits up to `seconds` for `condition` to hold on the screen.
        func waitFor(_ seconds: Double, _ condition: (String) -> Bool) throws -> String {
            let deadline = Date().addingTimeInterval(seconds)
            var text = try screen()
            while !condition(text) && Date() < deadline {
                usleep(100_000)
                text = try screen()
            }
            return text
        }
    }

    @Test func startsUpdatesFiltersAndQuitsRestoringTheTerminal() throws {
        guard (try? ProcessRunner.run("tmux", ["-V"], in: "/", environment: ProcessInfo.processInfo.environment))?.status == 0 else {
            throw TestFailure("tmux is not installed; make test installs it")
        }
        let repo = try TestRepository()
        try repo.commit("Initial")
        let transcript = repo.sandbox.child("claude/projects/p/sess-mon-1.jsonl")
        try FileManager.default.createDirectory(atPath: repo.sandbox.child("claude/projects/p"), withIntermediateDirectories: true)
        try Data(Self.line(1, output: 100, cwd: repo.path).utf8).write(to: URL(fileURLWithPath: transcript))
        var environment = repo.environment
        environment["TERM"] = "xterm-256color"
        let tmux = Tmux(socket: repo.sandbox.child("tmux.sock"), environment: environment)
        let command = """
            cd '\(repo.path)' && CLAUDE_CONFIG_DIR='\(repo.sandbox.child("claude"))' CODEX_HOME='\(repo.sandbox.child("codex"))' \
            LSM_HOME='\(repo.sandbox.child("home"))' '\(try BuiltLsm.path())' monitor --interval 0.5; echo "monitor exited $?"; sleep 30
            """
        // The tmux server outlives this call: its output must not go to a pipe anyone reads to the end.
        let status = try ProcessRunner.launch(
            "tmux", ["-S", tmux.socket, "new-session", "-d", "-s", "lsm", "-x", "140", "-y", "30", command], in: "/",
            environment: environment)
        guard status == 0 else { throw TestFailure("tmux new-session failed (\(status))") }
        defer { _ = try? tmux.run(["kill-server"]) }

        // It starts and shows the session.
        let started = try tmux.waitFor(10) { $0.contains("lsm monitor") && $0.contains("claude-sonnet-4-5") }
        #expect(started.contains("repo/main"))
        #expect(started.contains("1.1k tokens"))

        // A line the agent appends shows within 1.5 seconds.
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: transcript))
        try handle.seekToEnd()
        try handle.write(contentsOf: Data(Self.line(2, output: 5_000, cwd: repo.path).utf8))
        try handle.close()
        let appended = Date()
        let updated = try tmux.waitFor(5) { $0.contains("today 7.1k tokens") }
        #expect(updated.contains("today 7.1k tokens"))
        #expect(Date().timeIntervalSince(appended) < 1.5)

        // Enter shows the health breakdown.
        try tmux.run(["send-keys", "-t", "lsm", "Enter"])
        #expect(try tmux.waitFor(3) { $0.contains("cacheEfficiency") }.contains("contextFill"))

        // `/` filters.
        try tmux.run(["send-keys", "-t", "lsm", "/", "z", "z", "z"])
        #expect(try tmux.waitFor(3) { $0.contains("no session matches 'zzz'") }.contains("filter: zzz"))
        try tmux.run(["send-keys", "-t", "lsm", "Escape"])
        #expect(try tmux.waitFor(3) { !$0.contains("no session matches") }.contains("claude-sonnet-4-5"))

        // `q` quits and leaves the terminal as it was: the normal screen with the shell's output.
        try tmux.run(["send-keys", "-t", "lsm", "q"])
        let after = try tmux.waitFor(5) { $0.contains("monitor exited") }
        #expect(after.contains("monitor exited 0"))
        #expect(!after.contains("lsm monitor"))
        let cursor = try tmux.run(["display-message", "-p", "-t", "lsm", "#{cursor_flag} #{alternate_on}"])
        #expect(cursor.trimmingCharacters(in: .whitespacesAndNewlines) == "1 0")
    }

    @Test func oncePrintsOneFrameWithoutEscapes() async throws {
        let repo = try TestRepository()
        try repo.commit("Initial")
        try FileManager.default.createDirectory(atPath: repo.sandbox.child("claude/projects/p"), withIntermediateDirectories: true)
        try Data(Self.line(1, output: 100, cwd: repo.path).utf8).write(
            to: URL(fileURLWithPath: repo.sandbox.child("claude/projects/p/sess-mon-1.jsonl")))
        var environment = repo.environment
        environment["CLAUDE_CONFIG_DIR"] = repo.sandbox.child("claude")

        let run = await CommandRun.run(["monitor", "--once"], in: repo.path, environment: environment)

        #expect(run.status == 0, "\(run.stderr)")
        #expect(run.stdout.contains("claude-sonnet-4-5"))
        #expect(!run.stdout.contains("\u{1B}"))
    }

    @Test func rejectsAnIntervalOutOfRange() async throws {
        let repo = try TestRepository()

        let run = await CommandRun.run(["monitor", "--interval", "0"], in: repo)

        #expect(run.status == 64)
        #expect(run.stderr.contains("--interval must be between 0.2 and 60 seconds"))
    }
}
