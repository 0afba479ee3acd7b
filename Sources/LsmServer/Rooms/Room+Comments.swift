import Foundation
import LsmCore
import LsmGit
import LsmStore

/// A room's comment threads: operations from the room written to the git refs with the CLI's code,
/// and threads changed outside the room (the CLI, `git lsm sync`) turned into `comment` events.
extension Room {
    func commentOperation(_ message: ClientMessage, from id: Int) {
        guard let state = writer(id, message, needs: .commenter), let clientID = message.clientId else { return }
        let member = state.claims.member
        // A retry of an operation already applied: acknowledge it again without touching git.
        if let earlier = try? context.store.event(in: name, author: member, clientID: clientID) {
            state.handle.send(WireJSON.encode(ServerMessage.Ack(clientId: clientID, seq: earlier.sequence, duplicate: true)))
            return
        }
        if let text = message.text, text.count > context.limits.maxCommentCharacters {
            return fail(state, "bad_text", "a comment has at most \(context.limits.maxCommentCharacters) characters", clientID: clientID)
        }
        let board = context.commentBoard(as: member, name: state.claims.name)
        let op: String
        let threadID: String
        do {
            let repository = try context.openRepository()
            switch message.type {
            case "comment":
                guard let path = message.path, let line = message.line else {
                    return fail(state, "bad_comment", "a comment needs path, line and text", clientID: clientID)
                }
                let location = "\(path):\(line)" + (message.endLine.map { "-\($0)" } ?? "")
                threadID = try board.comment(on: location, body: message.text ?? "", revision: name, in: repository).id
                op = "create"
            case "reply":
                threadID = try board.reply(to: message.thread ?? "", body: message.text ?? "", in: repository).thread
                op = "reply"
            case "resolve":
                let resolved = message.resolved ?? true
                threadID = try board.setResolved(resolved, threadPrefix: message.thread ?? "", in: repository)
                op = resolved ? "resolve" : "reopen"
            default:
                guard let emoji = validEmoji(message.emoji) else {
                    return fail(state, "bad_reaction", "a reaction is one emoji or short word", clientID: clientID)
                }
                let remove = message.remove ?? false
                _ = try board.react(emoji, to: message.comment ?? "", remove: remove, in: repository)
                threadID = try board.comment(matching: message.comment ?? "", allowThread: true, in: repository).thread
                op = remove ? "unreact" : "react"
            }
        } catch {
            return fail(state, "comment_failed", error.message + (error.hint.map { " (\($0))" } ?? ""), clientID: clientID)
        }
        markActive(id)
        refreshKnownTip(of: threadID)
        guard let view = threadView(threadID) else { return fail(state, "comment_failed", "thread vanished", clientID: clientID) }
        persistAndAck(
            kind: "comment", payload: EventPayload.Comment(name: state.claims.name, op: op, thread: view), state: state, clientID: clientID)
    }

    /// Threads changed in git by someone else (the CLI, `git lsm sync`) become `comment` events.
    func pollComments() {
        guard let repository = try? context.openRepository(),
            let tips = try? CommentStore(repository: repository).allThreadTips()
        else { return }
        guard let known = knownTips else {
            knownTips = tips
            return
        }
        let changed = Set(tips.keys.filter { known[$0] != tips[$0] })
        knownTips = tips
        guard !changed.isEmpty else { return }
        let board = context.commentBoard(as: "git", name: "git")
        guard let views = try? board.threads(path: nil, all: true, revision: name, in: repository) else { return }
        for view in views where changed.contains(view.id) {
            let author = view.comments.last?.author ?? "git"
            _ = persist(
                kind: "comment", payload: EventPayload.Comment(name: author, op: "update", thread: view), author: "git", clientID: nil,
                replyTo: nil)
        }
    }

    /// Takes the tip of the thread the room itself just wrote as known, and only it: another thread
    /// changed since the last poll (by the CLI or a sync) must still become an event.
    func refreshKnownTip(of threadID: String) {
        guard knownTips != nil, let repository = try? context.openRepository(),
            let tips = try? CommentStore(repository: repository).allThreadTips()
        else { return }
        knownTips?[threadID] = tips[threadID]
    }

    func threadView(_ id: String) -> CommentBoard.ThreadView? {
        guard let repository = try? context.openRepository() else { return nil }
        let views = try? context.commentBoard(as: "git", name: "git").threads(path: nil, all: true, revision: name, in: repository)
        return views?.first { $0.id == id }
    }

    func openThreads() -> [CommentBoard.ThreadView] {
        guard let repository = try? context.openRepository() else { return [] }
        return (try? context.commentBoard(as: "git", name: "git").threads(path: nil, all: false, revision: name, in: repository)) ?? []
    }

    func branchHead() -> String? {
        guard let repository = try? context.openRepository() else { return nil }
        return try? repository.resolveCommit(name).id.hex
    }
}
