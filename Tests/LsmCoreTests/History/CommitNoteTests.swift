import Foundation
import LsmCore
import Testing

@Suite struct CommitNoteTests {
    static func session(_ agent: String, _ id: String, total: Int = 10, model: String? = "claude-sonnet-4-5") -> CommitNote.Session {
        CommitNote.Session(
            agent: agent, id: id, model: model, usage: .init(input: total, output: 0, cacheWrite: 0, cacheRead: 0), costUSD: 0.5,
            health: .init(score: 90, contextFill: 0.25), filesTouched: ["a.swift"])
    }

    let early = Date(timeIntervalSince1970: 1_790_000_000)
    let late = Date(timeIntervalSince1970: 1_790_000_600)

    @Test func roundTripsThroughItsText() throws {
        let note = CommitNote(sessions: [Self.session("claude-code", "s1")], recordedAt: early, rewrittenFrom: ["abc"])
        let text = note.encoded()
        #expect(text.hasPrefix("{\"recordedAt\":\"2026-09-21T"))
        #expect(text.contains("\"schema\":\"lsm.commit/1\""))
        #expect(!text.contains("\n"))
        #expect(CommitNote.parse(text) == note)
    }

    @Test func mergesNotesGitConcatenatedWhenSquashing() throws {
        let first = CommitNote(sessions: [Self.session("claude-code", "s1", total: 10)], recordedAt: early)
        let second = CommitNote(sessions: [Self.session("claude-code", "s1", total: 20), Self.session("codex", "c1")], recordedAt: late)
        let concatenated = first.encoded() + "\n\n" + second.encoded() + "\n"

        let parsed = try #require(CommitNote.parse(concatenated))

        #expect(parsed.sessions.map(\.reference) == ["claude-code/s1", "codex/c1"])
        #expect(parsed.sessions[0].usage?.total == 20, "the later record of a session wins")
        #expect(parsed.recordedAt == late)
    }

    @Test func unionOfSessionsIsTheSameEitherWay() {
        let ours = CommitNote(sessions: [Self.session("claude-code", "a")], recordedAt: early, rewrittenFrom: ["1"])
        let theirs = CommitNote(sessions: [Self.session("codex", "b")], recordedAt: late, rewrittenFrom: ["2"])
        #expect(ours.merging(theirs) == theirs.merging(ours))
        #expect(ours.merging(theirs).rewrittenFrom == ["1", "2"])
        #expect(ours.merging(ours) == ours)
    }

    @Test func skipsTextThatIsNotAnLsmNote() {
        #expect(CommitNote.parse("") == nil)
        #expect(CommitNote.parse("a human's note") == nil)
        #expect(CommitNote.parse("{\"schema\":\"other/1\",\"sessions\":[],\"recordedAt\":\"2026-01-01T00:00:00Z\"}") == nil)
        #expect(CommitNote.parse("{\"schema\":\"lsm.commit/1\",\"sessions\":[{\"agent\":1}]}") == nil)
        let note = CommitNote(sessions: [Self.session("codex", "x")], recordedAt: early)
        #expect(CommitNote.parse("prefix {not json} " + note.encoded() + " {\"a\":\"}{\"}") == note)
    }

    @Test func mergingTextsKeepsForeignTextOnlyWhenNothingElseIsThere() {
        let note = CommitNote(sessions: [Self.session("codex", "x")], recordedAt: early)
        #expect(CommitNote.mergeTexts(nil, note.encoded()) == note.encoded())
        #expect(CommitNote.mergeTexts("garbage", note.encoded()) == "garbage")
        #expect(CommitNote.mergeTexts(note.encoded(), "garbage") == note.encoded())
        #expect(CommitNote.mergeTexts("mine", "theirs") == "mine")
    }
}
