import LsmCore
import LsmGit

/// What the tools share for the life of the server: the workspace it was started in and a session
/// catalog kept current by watching the transcript folders. Used by one call at a time (the
/// `LsmMCPService` actor), so the repository handles it opens never cross threads.
final class ServerState {
    let workspace: Workspace
    /// Comment threads folded by earlier calls, folded again only when their refs move.
    let threadCache = CommentThreadCache()
    private var live: LiveCatalog?

    init(workspace: Workspace) {
        self.workspace = workspace
    }

    /// The session catalog, with what changed since the last call read in.
    func catalog() throws(LsmError) -> SessionCatalog {
        if let live { return try live.catalog() }
        let opened = try LiveCatalog(workspace: workspace)
        live = opened
        return try opened.catalog()
    }

    /// The repository the server runs in.
    func repository() throws(LsmError) -> Repository {
        guard let repository = try workspace.openRepositoryIfPresent() else {
            throw LsmError(
                .user, "the lsm MCP server runs outside a git repository (\(workspace.directory))",
                hint: "start it inside a repository: git lsm -C <repository> mcp, or register it per project (git lsm mcp install)")
        }
        return repository
    }

    /// The workspace at `repository`'s root, where tools resolve the paths they are given.
    func workspace(atRootOf repository: Repository) -> Workspace {
        var workspace = self.workspace
        workspace.directory = repository.workDirectory ?? workspace.directory
        return workspace
    }

    func repositoryIfPresent() throws(LsmError) -> Repository? {
        try workspace.openRepositoryIfPresent()
    }
}
