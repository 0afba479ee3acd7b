import Foundation
import LsmCore
import LsmTestSupport
import Testing

@Suite struct SettingsTests {
    private func workspace(_ repo: TestRepository, extra: [String: String] = [:]) -> Workspace {
        Workspace(directory: repo.path, environment: repo.environment.merging(extra) { _, new in new })
    }

    @Test func readsColorFromLsmKeyBeforeColorUI() throws {
        let repo = try TestRepository()
        try repo.git(["config", "color.ui", "false"])
        try repo.git(["config", "lsm.color", "always"])

        #expect(try Settings.load(in: workspace(repo), repository: workspace(repo).openRepository()).color == .always)
    }

    @Test func fallsBackToColorUIWithGitsSpelling() throws {
        let repo = try TestRepository()
        try repo.git(["config", "color.ui", "true"])

        #expect(try Settings.load(in: workspace(repo), repository: workspace(repo).openRepository()).color == .auto)
    }

    @Test func rejectsColorValueItCannotUse() throws {
        let repo = try TestRepository()
        try repo.git(["config", "lsm.color", "purple"])

        #expect {
            try Settings.load(in: workspace(repo), repository: workspace(repo).openRepository())
        } throws: { error in
            let error = error as? LsmError
            return error?.message == "bad value 'purple' for lsm.color" && error?.kind == .user && error?.hint != nil
        }
    }

    @Test func readsUserConfigOutsideRepositories() throws {
        let folder = try TemporaryDirectory()
        let global = folder.child("gitconfig")
        try Data("[lsm]\n\tcolor = never\n".utf8).write(to: URL(fileURLWithPath: global))
        let workspace = Workspace(directory: folder.path, environment: ["GIT_CONFIG_GLOBAL": global, "HOME": folder.path])

        #expect(try Settings.load(in: workspace, repository: nil).color == .never)
    }

    @Test func colorAutoFollowsTerminalNoColorAndDumbTerminals() {
        #expect(ColorMode.auto.isEnabled(environment: [:], outputIsTerminal: true))
        #expect(!ColorMode.auto.isEnabled(environment: [:], outputIsTerminal: false))
        #expect(!ColorMode.auto.isEnabled(environment: ["NO_COLOR": "1"], outputIsTerminal: true))
        #expect(ColorMode.auto.isEnabled(environment: ["NO_COLOR": ""], outputIsTerminal: true))
        #expect(!ColorMode.auto.isEnabled(environment: ["TERM": "dumb"], outputIsTerminal: true))
        #expect(ColorMode.auto.isEnabled(environment: ["GIT_PAGER_IN_USE": "true"], outputIsTerminal: false))
        #expect(ColorMode.always.isEnabled(environment: ["NO_COLOR": "1"], outputIsTerminal: false))
    }
}
