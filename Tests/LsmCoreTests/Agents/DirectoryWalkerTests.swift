import Foundation
import LsmTestSupport
import Testing

@testable import LsmCore

@Suite struct DirectoryWalkerTests {
    @Test func findsEveryMatchingFileOfAWideDeepTreeOnceAndSorted() throws {
        // Given a tree wide and deep enough to be shared between cores, with files that do not match,
        // a linked folder and a dangling link
        let root = try TemporaryDirectory()
        var expected: [String] = []
        for project in 0..<23 {
            for session in 0..<(project % 4) {
                let folder = root.child("p\(project)/s\(session)/subagents")
                try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
                try Data("{}\n".utf8).write(to: URL(fileURLWithPath: folder + "/agent-\(session).jsonl"))
                try Data("x".utf8).write(to: URL(fileURLWithPath: folder + "/notes.txt"))
                expected.append(folder + "/agent-\(session).jsonl")
            }
            try FileManager.default.createDirectory(atPath: root.child("p\(project)"), withIntermediateDirectories: true)
            try Data("{}\n".utf8).write(to: URL(fileURLWithPath: root.child("p\(project)/main.jsonl")))
            expected.append(root.child("p\(project)/main.jsonl"))
        }
        let outside = try TemporaryDirectory()
        try Data("{}\n".utf8).write(to: URL(fileURLWithPath: outside.child("linked.jsonl")))
        try FileManager.default.createSymbolicLink(atPath: root.child("p1/link"), withDestinationPath: outside.path)
        try FileManager.default.createSymbolicLink(atPath: root.child("p2/gone.jsonl"), withDestinationPath: root.child("nowhere"))

        // When it is walked
        let found = DirectoryWalker.files(under: root.path) { $0.hasSuffix(".jsonl") }.map(\.path)

        // Then every matching regular file is there once, in path order; linked folders are not
        // followed, and a dangling link is no file
        #expect(found == expected.sorted())
        #expect(DirectoryWalker.files(under: root.child("missing")) { _ in true }.isEmpty)
    }
}
