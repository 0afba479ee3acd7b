import Foundation

/// Two clones of one bare remote, for anything that syncs (comments, notes): `alice` and `bob`
/// both have `origin` pointing at `remote`, and share one first commit on `main`.
public struct SyncedClones: Sendable {
    public let remote: TestRepository
    public let alice: TestRepository
    public let bob: TestRepository

    public init() throws {
        remote = try TestRepository(bare: true)
        let sandbox = remote.sandbox
        let seed = try TestRepository(sandbox: sandbox, path: sandbox.child("seed"))
        try seed.git(["clone", "-q", remote.path, seed.path], in: sandbox.path)
        try seed.commit("Initial commit", files: ["README.md": "hello\n"])
        try seed.git(["push", "-q", "origin", "HEAD:main"])
        alice = try TestRepository(sandbox: sandbox, path: sandbox.child("alice"))
        try alice.git(["clone", "-q", remote.path, alice.path], in: sandbox.path)
        bob = try TestRepository(sandbox: sandbox, path: sandbox.child("bob"))
        try bob.git(["clone", "-q", remote.path, bob.path], in: sandbox.path)
    }
}
