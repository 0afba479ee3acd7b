import Foundation
import LsmCore
import LsmGit
import LsmTestSupport
import Testing

/// Issue 6's acceptance story: a thread on `src/auth.py:125` read after teammates insert lines above
/// it, move its function, rename the file and edit the line, on this clone and on a second one after
/// `git lsm sync`.
@Suite struct CommentScenarioTests {
    /// A 200-line module whose line 125 is `claims = jwt.decode(token)` inside `def verify`.
    static func module(prefix: [String] = [], verifyAtEnd: Bool = false, editedLine: String? = nil) -> String {
        var lines: [String] = []
        for index in 1...119 { lines.append("value_\(index) = compute(\(index))  # filler \(index)") }
        var verify = [
            "def verify(token):",
            "    \"\"\"Check the token's signature and claims.\"\"\"",
            "    if not token:",
            "        raise MissingToken()",
            "    header = jwt.get_unverified_header(token)",
            editedLine ?? "    claims = jwt.decode(token)",
            "    return claims",
        ]
        verify.append("")
        var rest: [String] = []
        for index in 127...200 { rest.append("other_\(index) = compute(\(index))  # more \(index)") }
        if verifyAtEnd {
            lines += rest + verify
        } else {
            lines += verify + rest
        }
        return (prefix + lines).joined(separator: "\n") + "\n"
    }

    func board(_ clone: TestRepository) throws -> (CommentBoard, Repository) {
        (
            CommentBoard(workspace: Workspace(directory: clone.path, environment: clone.environment)),
            try Repository.discover(containing: clone.path)
        )
    }

    func location(_ clone: TestRepository) throws -> CommentBoard.ThreadView {
        let (board, opened) = try board(clone)
        return try #require(try board.threads(path: nil, all: true, revision: nil, in: opened).first)
    }

    @Test func threadOnLine125ReadsRightAfterEditsOnBothClones() throws {
        let clones = try SyncedClones()
        let alice = clones.alice
        try alice.commit("Add auth", files: ["src/auth.py": Self.module()])
        let (aliceBoard, aliceRepo) = try board(alice)
        let thread = try aliceBoard.comment(on: "src/auth.py:125", body: "Need to validate the exp claim", revision: nil, in: aliceRepo)
        #expect(thread.code == ["    claims = jwt.decode(token)"])

        // Ten lines inserted above.
        try alice.commit("Imports", files: ["src/auth.py": Self.module(prefix: (1...10).map { "import module\($0)" })])
        var now = try location(alice)
        #expect((now.path, now.line, now.state) == ("src/auth.py", 135, .current))

        // The function moved to the end of the file.
        try alice.commit(
            "Move verify", files: ["src/auth.py": Self.module(prefix: (1...10).map { "import module\($0)" }, verifyAtEnd: true)])
        now = try location(alice)
        #expect((now.path, now.line, now.state) == ("src/auth.py", 209, .moved))
        #expect(now.code == ["    claims = jwt.decode(token)"])

        // The file renamed.
        try FileManager.default.createDirectory(atPath: alice.path + "/src/security", withIntermediateDirectories: true)
        try alice.git(["mv", "src/auth.py", "src/security/tokens.py"])
        try alice.git(["commit", "-q", "-m", "Rename"])
        now = try location(alice)
        #expect((now.path, now.line, now.state) == ("src/security/tokens.py", 209, .moved))

        // The line edited in place (uncommitted).
        try alice.write(
            "src/security/tokens.py",
            Self.module(
                prefix: (1...10).map { "import module\($0)" }, verifyAtEnd: true,
                editedLine: "    claims = jwt.decode(token, options={\"verify_exp\": True})"))
        now = try location(alice)
        #expect((now.path, now.line, now.state) == ("src/security/tokens.py", 209, .changed))
        try alice.git(["commit", "-q", "-am", "Verify exp"])

        // A second clone, after syncing, reads the same.
        try alice.git(["push", "-q", "origin", "HEAD:main"])
        _ = try RepositorySync(workspace: Workspace(directory: alice.path, environment: alice.environment)).sync(
            remote: nil, in: aliceRepo)
        try clones.bob.git(["pull", "-q", "origin", "main"])
        _ = try RepositorySync(workspace: Workspace(directory: clones.bob.path, environment: clones.bob.environment)).sync(
            remote: nil, in: try Repository.discover(containing: clones.bob.path))
        let onBob = try location(clones.bob)
        let onAlice = try location(alice)
        #expect(onBob == onAlice)
        #expect(onBob.body == "Need to validate the exp claim")

        // The code deleted: outdated, never shown as current, moved or changed elsewhere.
        try alice.commit(
            "Drop verify",
            files: [
                "src/security/tokens.py": Self.module(prefix: (1...10).map { "import module\($0)" }).replacingOccurrences(
                    of: "    claims = jwt.decode(token)\n", with: "")
            ])
        now = try location(alice)
        #expect(now.state == .outdated)
        #expect(now.id == thread.id)
    }
}
