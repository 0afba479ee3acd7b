import Foundation
import LsmCore
import LsmTestSupport
import Testing

@Suite struct LiveProcessesTests {
    /// A fake `/proc` with one process per (command line, cwd).
    static func procTree(_ processes: [(commandLine: [String], cwd: String)]) throws -> TemporaryDirectory {
        let root = try TemporaryDirectory("lsm-proc")
        for (index, process) in processes.enumerated() {
            let folder = root.child("\(100 + index)")
            try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
            let bytes: [UInt8] = process.commandLine.flatMap { Array($0.utf8) + [0] }
            try Data(bytes).write(to: URL(fileURLWithPath: folder + "/cmdline"))
            try FileManager.default.createSymbolicLink(atPath: folder + "/cwd", withDestinationPath: process.cwd)
        }
        try FileManager.default.createDirectory(atPath: root.child("self"), withIntermediateDirectories: true)
        return root
    }

    @Test func findsAgentsByTheirCommandLine() throws {
        let proc = try Self.procTree([
            (["node", "/usr/local/bin/claude", "--resume"], "/work/app"),
            (["/home/ada/.local/bin/codex"], "/work/api"),
            (["vim", "claude.md"], "/work/app"),
            (["bash"], "/work/app"),
        ])

        let live = LiveProcesses.scan(root: proc.path)

        #expect(live.running == [.init(agent: "claude-code", cwd: "/work/app"), .init(agent: "codex", cwd: "/work/api")])
        #expect(live.isRunning(agent: "claude-code", in: "/work/app"))
        #expect(!live.isRunning(agent: "claude-code", in: "/work/api"))
    }

    @Test func missingProcFolderMeansNothingRuns() {
        #expect(LiveProcesses.scan(root: "/nonexistent/proc").running.isEmpty)
    }
}
