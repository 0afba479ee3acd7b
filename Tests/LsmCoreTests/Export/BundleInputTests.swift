import Foundation
import LsmCore
import LsmTestSupport
import Testing

/// Bundles `git lsm import` must refuse with a clear one-line error, writing nothing.
@Suite struct BundleInputTests {
    /// Imports `bytes` as a bundle into a fresh tree; returns the error and whether anything was written.
    func importing(_ bytes: Data) throws -> (LsmError?, wroteSomething: Bool) {
        let tree = try TranscriptTree()
        let path = tree.folder.child("bad.lsm.json")
        try bytes.write(to: URL(fileURLWithPath: path))
        var failure: LsmError?
        do {
            _ = try SessionImporter(workspace: tree.workspace).importBundle(at: path, asOfOrigin: false)
        } catch {
            failure = error
        }
        return (failure, FileManager.default.fileExists(atPath: tree.folder.child("home")))
    }

    func goodBundle() throws -> Data {
        let (path, origin) = try ExportImportTests.exportedClaudeSession()
        defer { withExtendedLifetime(origin) {} }
        return try Data(contentsOf: URL(fileURLWithPath: path))
    }

    @Test func aTruncatedBundleIsRefused() throws {
        let bundle = try goodBundle()

        let (error, wrote) = try importing(bundle.prefix(bundle.count / 2))

        #expect(error?.message.contains("truncated or damaged") == true)
        #expect(error?.message.contains("\n") == false)
        #expect(!wrote)
    }

    @Test func aTamperedBundleIsRefused() throws {
        var text = String(decoding: try goodBundle(), as: UTF8.self)
        text = text.replacingOccurrences(of: "hello world", with: "hello WORLD")

        let (error, wrote) = try importing(Data(text.utf8))

        #expect(error?.message.contains("does not match its checksum") == true)
        #expect(!wrote)
    }

    @Test func aBundleOfAFutureSchemaIsRefused() throws {
        var text = String(decoding: try goodBundle(), as: UTF8.self)
        text = text.replacingOccurrences(of: "lsm.bundle/1", with: "lsm.bundle/2")

        let (error, wrote) = try importing(Data(text.utf8))

        #expect(error?.message.contains("lsm.bundle/2 bundle; this lsm reads lsm.bundle/1") == true)
        #expect(error?.hint?.contains("upgrade lsm") == true)
        #expect(!wrote)
    }

    @Test func somethingElseIsNotABundle() throws {
        let (error, wrote) = try importing(Data(#"{"hello":"world"}"#.utf8))

        #expect(error?.message.contains("is not an lsm bundle") == true)
        #expect(!wrote)
    }

    @Test func aBundleNamingAPathOutsideItsFolderIsRefused() throws {
        // A bundle re-checksummed after its path was changed to climb out of the import folder.
        var text = String(decoding: try goodBundle(), as: UTF8.self)
        text = text.replacingOccurrences(of: "\"path\":\"projects/", with: "\"path\":\"../../projects/")
        guard let trailer = text.range(of: "\"sha256\":\"", options: .backwards) else { throw TestFailure("no checksum") }
        let body = String(text[..<trailer.lowerBound])
        let checksum = try Self.sha256(body)
        let resealed = body + "\"sha256\":\"" + checksum + "\"}\n"

        let (error, _) = try importing(Data(resealed.utf8))

        #expect(error?.message.contains("outside the transcript folders") == true)
    }

    /// The SHA-256 of `text`, from `sha256sum`.
    static func sha256(_ text: String) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["sha256sum"]
        let input = Pipe()
        let output = Pipe()
        process.standardInput = input
        process.standardOutput = output
        try process.run()
        input.fileHandleForWriting.write(Data(text.utf8))
        try input.fileHandleForWriting.close()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return String(String(decoding: data, as: UTF8.self).prefix(64))
    }
}
