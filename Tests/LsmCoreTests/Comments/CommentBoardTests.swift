import Foundation
import LsmCore
import LsmGit
import LsmTestSupport
import Testing

@Suite struct CommentBoardTests {
    static let source = (1...20).map { "line \($0)" }.joined(separator: "\n") + "\n"

    func repository(_ files: [String: String] = ["src/auth.py": source]) throws -> (TestRepository, Workspace) {
        let repo = try TestRepository()
        try repo.git(["config", "user.name", "Ada"])
        try repo.git(["config", "user.email", "ada@example.com"])
        try repo.commit("Initial", files: files)
        return (repo, Workspace(directory: repo.path, environment: repo.environment))
    }

    func board(_ workspace: Workspace) -> CommentBoard { CommentBoard(workspace: workspace) }

    @Test func threadFollowsLinesInsertedAboveIt() throws {
        let (repo, workspace) = try repository()
        let opened = try workspace.openRepository()
        let created = try board(workspace).comment(on: "src/auth.py:12-13", body: "Validate the exp claim", revision: nil, in: opened)
        #expect(created.line == 12 && created.endLine == 13 && created.state == .current)

        try repo.write("src/auth.py", "new 1\nnew 2\nnew 3\n" + Self.source)
        let threads = try board(workspace).threads(path: nil, all: false, revision: nil, in: opened)

        let thread = try #require(threads.first)
        #expect(threads.count == 1)
        #expect(thread.id == created.id)
        #expect(thread.line == 15 && thread.endLine == 16 && thread.state == .current)
        #expect(thread.code == ["line 12", "line 13"])
        #expect(thread.anchor.line == 12)
        // The second listing reuses what the first found (kept per thread and file blob in the index).
        #expect(try board(workspace).threads(path: nil, all: false, revision: nil, in: opened) == threads)
        try repo.write("src/auth.py", "new 0\nnew 1\nnew 2\nnew 3\n" + Self.source)
        #expect(try board(workspace).threads(path: nil, all: false, revision: nil, in: opened).first?.line == 16)
        #expect(try board(workspace).threads(path: nil, all: false, revision: "HEAD", in: opened).first?.line == 12)
    }

    @Test func repliesReactionsEditsAndResolutionFoldInOrder() throws {
        let (repo, workspace) = try repository()
        defer { withExtendedLifetime(repo) {} }
        let opened = try workspace.openRepository()
        let thread = try board(workspace).comment(on: "src/auth.py:3", body: "first", revision: nil, in: opened)
        let prefix = String(thread.id.prefix(8))

        let reply = try board(workspace).reply(to: prefix, body: "  a reply  ", in: opened)
        _ = try board(workspace).react("👍", to: prefix, remove: false, in: opened)
        _ = try board(workspace).react("👍", to: prefix, remove: false, in: opened)
        _ = try board(workspace).react("🎉", to: String(reply.comment.prefix(10)), remove: false, in: opened)
        _ = try board(workspace).react("🎉", to: String(reply.comment.prefix(10)), remove: true, in: opened)
        _ = try board(workspace).edit(prefix, body: "first, edited", in: opened)
        _ = try board(workspace).setResolved(true, threadPrefix: prefix, in: opened)

        #expect(try board(workspace).threads(path: nil, all: false, revision: nil, in: opened).isEmpty, "resolved threads are hidden")
        var all = try board(workspace).threads(path: nil, all: true, revision: nil, in: opened)
        var view = try #require(all.first)
        #expect(view.resolved)
        #expect(view.body == "first, edited")
        #expect(view.comments.map(\.body) == ["first, edited", "a reply"])
        #expect(view.comments[1].id == reply.comment)
        #expect(view.comments[0].reactions == ["👍": [try #require(workspace.environment["GIT_AUTHOR_EMAIL"])]])
        #expect(view.comments[1].reactions.isEmpty)
        #expect(view.comments[0].editedAt != nil)

        _ = try board(workspace).setResolved(false, threadPrefix: prefix, in: opened)
        _ = try board(workspace).delete(String(reply.comment.prefix(12)), in: opened)
        all = try board(workspace).threads(path: nil, all: false, revision: nil, in: opened)
        view = try #require(all.first)
        #expect(!view.resolved)
        #expect(view.comments[1].deleted && view.comments[1].body.isEmpty)
    }

    @Test func onlyTheAuthorMayEditOrDelete() throws {
        let (repo, workspace) = try repository()
        let opened = try workspace.openRepository()
        let thread = try board(workspace).comment(on: "src/auth.py:3", body: "mine", revision: nil, in: opened)
        var bob = workspace
        bob.environment["GIT_AUTHOR_NAME"] = "Bob"
        bob.environment["GIT_AUTHOR_EMAIL"] = "bob@example.com"

        #expect(throws: LsmError(.user, "comment \(thread.id.prefix(8)) is Ada Tester's", hint: "you can only edit your own comments")) {
            try board(bob).edit(thread.id, body: "hijacked", in: opened)
        }
        #expect(throws: LsmError(.user, "comment \(thread.id.prefix(8)) is Ada Tester's", hint: "you can only delete your own comments")) {
            try board(bob).delete(thread.id, in: opened)
        }
        _ = try board(bob).react("+1", to: thread.id, remove: false, in: opened)
        let view = try #require(try board(workspace).threads(path: nil, all: true, revision: nil, in: opened).first)
        #expect(view.body == "mine")
        #expect(view.comments[0].reactions == ["+1": ["bob@example.com"]])
    }

    @Test func badInputIsOneUserErrorAndWritesNothing() throws {
        let (repo, workspace) = try repository(["src/auth.py": Self.source, "logo.png": "PNG\u{0}\u{1}binary"])
        let opened = try workspace.openRepository()
        let before = try repo.git(["for-each-ref"])
        let cases: [(String, String, String?, LsmError)] = [
            (
                "src/auth.py:21", "x", nil,
                LsmError(.user, "line 21 is past the end of src/auth.py (20 lines)", hint: "pick a line between 1 and 20")
            ),
            (
                "src/auth.py:0", "x", nil,
                LsmError(.user, "'src/auth.py:0' is not <path>:<line>[-<end>]", hint: "e.g. src/auth.py:125 or src/auth.py:125-130")
            ),
            (
                "src/auth.py", "x", nil,
                LsmError(.user, "'src/auth.py' is not <path>:<line>[-<end>]", hint: "e.g. src/auth.py:125 or src/auth.py:125-130")
            ),
            ("src/auth.py:5-2", "x", nil, LsmError(.user, "the range 5-2 ends before it starts", hint: "write the lower line first")),
            (
                "src/auth.py:1", "   ", nil,
                LsmError(.user, "empty comment", hint: "give the text as an argument, with -m, or in the editor")
            ),
            ("logo.png:1", "x", nil, LsmError(.user, "logo.png is a binary file", hint: "comment on a text file")),
            (
                "missing.py:1", "x", nil,
                LsmError(.user, "no file missing.py in the working tree", hint: "comment on a file that exists, or pass --rev")
            ),
            (
                "../outside.py:1", "x", nil,
                LsmError(.user, "../outside.py is outside the repository (\(repo.path))", hint: "comment on a file inside the repository")
            ),
            ("src/auth.py:1", "x", "nope", LsmError(.user, "unknown revision 'nope'", hint: "use a commit, branch or tag, e.g. HEAD~1")),
        ]
        for (location, body, revision, expected) in cases {
            #expect(throws: expected) { try board(workspace).comment(on: location, body: body, revision: revision, in: opened) }
        }
        #expect(throws: LsmError(.user, "no comment thread matches 'abc'", hint: "git lsm comments --all lists every thread")) {
            try board(workspace).reply(to: "abc", body: "x", in: opened)
        }
        #expect(throws: LsmError(.user, "'zz' is not a thread id", hint: "git lsm comments lists the threads and their ids")) {
            try board(workspace).setResolved(true, threadPrefix: "zz", in: opened)
        }
        #expect(try repo.git(["for-each-ref"]) == before)
    }

    @Test func ambiguousPrefixIsRefused() throws {
        let (repo, workspace) = try repository()
        defer { withExtendedLifetime(repo) {} }
        let opened = try workspace.openRepository()
        var ids: [String] = []
        for line in 1...20 {
            ids.append(try board(workspace).comment(on: "src/auth.py:\(line)", body: "c\(line)", revision: nil, in: opened).id)
        }
        // With 20 threads, two of them share a first hex digit.
        let shared = try #require(Dictionary(grouping: ids) { $0.prefix(1) }.first { $0.value.count > 1 })
        #expect {
            try board(workspace).reply(to: String(shared.key), body: "x", in: opened)
        } throws: { error in
            (error as? LsmError)?.message.hasPrefix("'\(shared.key)' matches \(shared.value.count) threads") == true
        }
    }

    @Test func commentsAtARevisionAnchorToThatBlob() throws {
        let (repo, workspace) = try repository()
        let opened = try workspace.openRepository()
        try repo.commit("Change", files: ["src/auth.py": "changed\n"])

        let thread = try board(workspace).comment(on: "src/auth.py:7", body: "old code", revision: "HEAD~1", in: opened)

        #expect(thread.code == ["line 7"])
        #expect(thread.anchor.commit == (try repo.revParse("HEAD~1")))
        let atOld = try board(workspace).threads(path: "src", all: false, revision: "HEAD~1", in: opened)
        #expect(atOld.map(\.line) == [7])
        #expect(try board(workspace).threads(path: "other", all: true, revision: "HEAD~1", in: opened).isEmpty)
    }

    @Test func eightWritersAddingAHundredRepliesEachLeaveEightHundred() async throws {
        let (repo, workspace) = try repository()
        let thread = try board(workspace).comment(on: "src/auth.py:1", body: "root", revision: nil, in: try workspace.openRepository())
        try await withThrowingTaskGroup(of: Void.self) { group in
            for writer in 0..<8 {
                group.addTask {
                    let opened = try Repository.discover(containing: repo.path)
                    for index in 0..<100 {
                        _ = try CommentBoard(workspace: workspace).reply(to: thread.id, body: "w\(writer) #\(index)", in: opened)
                    }
                }
            }
            try await group.waitForAll()
        }
        let view = try #require(try board(workspace).threads(path: nil, all: true, revision: nil, in: try workspace.openRepository()).first)
        #expect(view.comments.count == 801)
        #expect(Set(view.comments.dropFirst().map(\.body)).count == 800)
    }
}
