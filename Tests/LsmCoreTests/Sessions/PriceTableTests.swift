import Foundation
import LsmCore
import LsmTestSupport
import Testing

@Suite struct PriceTableTests {
    let table = PriceTable.embedded

    @Test(arguments: [
        ("claude-sonnet-4-5-20250929", 3.0),
        ("us.anthropic.claude-sonnet-4-5-20250929-v1:0", 3.0),
        ("claude-opus-4-5@20251101", 5.0),
        ("anthropic/claude-haiku-4-5", 1.0),
        ("gpt-5.2-codex", 1.75),
        ("GPT-5-CODEX", 1.25),
        ("claude-opus-4-6-fast", 5.0),
    ])
    func matchesModelNamesAsAgentsWriteThem(model: String, input: Double) {
        #expect(table.price(for: model)?.input == input)
    }

    @Test func doesNotMistakeANewerVersionForAnOlderOne() {
        #expect(table.price(for: "claude-opus-4-9") == nil)
        #expect(table.price(for: "gpt-5.9") == nil)
    }

    @Test func longContextRequestsUseTheHigherTier() throws {
        let sonnet = try #require(table.price(for: "claude-sonnet-4-5"))
        let usage = TokenUsage(input: 250_000, output: 1_000)
        let long: Double = (250_000 * 6.0 + 1_000 * 22.5) / 1_000_000
        let standard: Double = (250_000 * 3.0 + 1_000 * 15.0) / 1_000_000
        #expect(abs(sonnet.cost(of: usage, longContext: true) - long) < 1e-12)
        #expect(abs(sonnet.cost(of: usage, longContext: false) - standard) < 1e-12)
    }

    @Test func userFileOverridesAndExtendsTheTable() throws {
        let folder = try TemporaryDirectory()
        let file = URL(fileURLWithPath: folder.child("pricing.json"))
        try Data(#"{"models":{"claude-mystery-9":{"input":1,"output":2},"gpt-5":{"input":9,"output":9}}}"#.utf8).write(to: file)

        let loaded = try PriceTable.loading(overridesFrom: file)

        #expect(loaded.price(for: "claude-mystery-9")?.output == 2)
        #expect(loaded.price(for: "gpt-5")?.input == 9)
        #expect(loaded.price(for: "claude-haiku-4-5")?.input == 1)
    }

    @Test func brokenUserFileIsAUserError() throws {
        let folder = try TemporaryDirectory()
        let file = URL(fileURLWithPath: folder.child("pricing.json"))
        try Data("{ not json".utf8).write(to: file)

        #expect {
            try PriceTable.loading(overridesFrom: file)
        } throws: { error in
            (error as? LsmError)?.message == "cannot read the price table \(file.path)"
        }
    }
}
