import Foundation
import LsmTestSupport
import Testing

@Suite struct CommentCommandsTests {
    func repository() throws -> TestRepository {
        let repo = try TestRepository()
        try repo.commit(
            "Initial", files: ["src/auth.py": "import jwt\n\ndef check(token):\n    claims = jwt.decode(token)\n    return claims\n"])
        return repo
    }

    @Test func commentPrintsTheIdAndCommentsShowTheThreadAtItsCode() async throws {
        let repo = try repository()
        let created = await CommandRun.run(["comment", "src/auth.py:4", "Need", "to", "validate", "exp"], in: repo)
        #expect(created.status == 0)
        #expect(created.stderr.isEmpty)
        let id = created.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(id.count == 8 && id.allSatisfy(\.isHexDigit))

        try repo.write("src/auth.py", "# header\nimport jwt\n\ndef check(token):\n    claims = jwt.decode(token)\n    return claims\n")
        let listed = await CommandRun.run(["comments"], in: repo)
        #expect(listed.status == 0)
        #expect(listed.stdout.contains("src/auth.py\n  \(id)  line 5  current\n"))
        #expect(listed.stdout.contains("    claims = jwt.decode(token)"))
        #expect(listed.stdout.contains("Need to validate exp"))

        let replied = await CommandRun.run(["reply", id, "-m", "done in the next commit"], in: repo)
        #expect(replied.status == 0)
        let resolved = await CommandRun.run(["resolve", id], in: repo)
        #expect(resolved.stdout == "\(id) resolved\n")
        #expect(await CommandRun.run(["comments"], in: repo).stdout.hasPrefix("no open comment threads"))

        let json = await CommandRun.run(["comments", "--all", "--json"], in: repo)
        let threads = try #require(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [[String: Any]])
        #expect(threads.count == 1)
        #expect(threads[0]["line"] as? Int == 5)
        #expect(threads[0]["state"] as? String == "current")
        #expect(threads[0]["resolved"] as? Bool == true)
        #expect((threads[0]["comments"] as? [Any])?.count == 2)
        #expect((threads[0]["anchor"] as? [String: Any])?["line"] as? Int == 4)
    }

    @Test func badInputIsOneErrorLineAndExitOne() async throws {
        let repo = try repository()
        for (arguments, message) in [
            (["comment", "src/auth.py:99", "x"], "error: line 99 is past the end of src/auth.py (5 lines)"),
            (["comment", "nope.py:1", "x"], "error: no file nope.py in the working tree"),
            (["comment", "src/auth.py:1"], "error: empty comment"),
            (["reply", "abcdef", "x"], "error: no comment thread matches 'abcdef'"),
            (["react", "abcdef", "👍"], "error: no comment matches 'abcdef'"),
        ] {
            let run = await CommandRun.run(arguments, in: repo)
            #expect(run.status == 1, "\(arguments)")
            #expect(run.stderr.hasPrefix(message + "\n"), "\(arguments): \(run.stderr)")
            #expect(run.stdout.isEmpty)
        }
        #expect(try repo.git(["for-each-ref", "refs/lsm"]).isEmpty)
    }
}
