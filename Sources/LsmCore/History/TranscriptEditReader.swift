import Foundation

/// Reads a session's transcript files for the edits it made to some files, and the prompts before
/// them. Files are streamed; a line is decoded only when a byte test says it can matter (a user
/// prompt, or a tool call naming one of the files), so a large transcript costs one pass of `memmem`.
struct TranscriptEditReader {
    let targets: EditTargets

    /// Whether lsm can read `agent`'s edits: Claude Code's and Codex's transcripts carry them.
    static func reads(_ agent: String) -> Bool {
        agent == AgentKind.claudeCode.rawValue || agent == AgentKind.codex.rawValue
    }

    /// A prompt and when it was given.
    private struct Prompt {
        var timestamp: Date?
        var text: String
    }

    /// The state of one file's pass: the working directory, the model and the latest prompt so far.
    private struct Pass {
        var cwd: String?
        var model: String?
        var prompt: Prompt?
        var prompts: [Prompt] = []
        var edits: [SessionEdit] = []
    }

    /// The edits of one session, whose transcripts are `paths`, written by `agent`. Unreadable files
    /// are skipped: blame shows what it can.
    func edits(agent: String, paths: [String]) -> SessionEdits {
        var prompts: [Prompt] = []
        var edits: [SessionEdit] = []
        for path in paths {
            var pass = Pass()
            let scanner = LineScanner(path: path)
            _ = try? scanner.scan(from: 0) { line in
                switch agent {
                case AgentKind.codex.rawValue: readCodex(line, into: &pass)
                default: readClaude(line, into: &pass)
                }
            }
            prompts += pass.prompts
            edits += pass.edits
        }
        // Subagents' files hold no user prompts: an edit's prompt is the session's last one before it.
        prompts.sort { ($0.timestamp ?? .distantPast) < ($1.timestamp ?? .distantPast) }
        var result = SessionEdits()
        for var edit in edits.sorted(by: { ($0.timestamp ?? .distantPast) < ($1.timestamp ?? .distantPast) }) {
            if let time = edit.timestamp, let latest = prompts.last(where: { ($0.timestamp ?? .distantPast) <= time }) {
                edit.prompt = latest.text
            }
            result.byPath[edit.path, default: []].append(edit)
        }
        return result
    }

    // MARK: Claude Code

    private func readClaude(_ line: UnsafeBufferPointer<UInt8>, into pass: inout Pass) {
        // Tool results (often whole files) are user records too; their `"tool_use_id"` key rules them out.
        let isUser = ByteSearch.contains("\"user\"", in: line) && !ByteSearch.contains("\"tool_use_id\"", in: line)
        let isEdit = ByteSearch.contains("\"tool_use\"", in: line) && targets.mayName(line)
        guard isUser || isEdit, var cursor = JSONCursor(line) else { return }
        var type: String?
        var timestamp: Date?
        var message: Int?
        var skipPrompt = false
        cursor.forEachField { key, value in
            if key.equals("type") {
                type = value.readString()
            } else if key.equals("timestamp") {
                timestamp = value.readTimestamp()
            } else if key.equals("cwd") {
                pass.cwd = value.readString() ?? pass.cwd
            } else if key.equals("message") {
                message = value.position
            } else if key.equals("isMeta") || key.equals("isCompactSummary") || key.equals("isSidechain") {
                skipPrompt = skipPrompt || value.readBool() == true
            }
        }
        guard let message else { return }
        var body = cursor.at(message)
        if type == "user", !skipPrompt, let text = Self.userPrompt(&body) {
            pass.prompt = Prompt(timestamp: timestamp, text: text)
            pass.prompts.append(pass.prompt ?? Prompt(text: text))
        } else if type == "assistant", isEdit {
            readClaudeTools(&body, timestamp: timestamp, into: &pass)
        }
    }

    /// The prompt a user record carries: its string content or text blocks; `nil` for tool results.
    private static func userPrompt(_ message: inout JSONCursor) -> String? {
        var prompt: String?
        var isToolResult = false
        message.forEachField { key, value in
            guard key.equals("content") else { return }
            if value.peek() == UInt8(ascii: "\"") {
                prompt = value.readString(maxBytes: ClaudeCodeReader.decodeLimit)
                return
            }
            value.forEachElement { block in
                var type: String?
                var text: String?
                block.forEachField { key, value in
                    if key.equals("type") {
                        type = value.readString()
                    } else if key.equals("text") {
                        text = value.readString(maxBytes: ClaudeCodeReader.decodeLimit)
                    }
                }
                if type == "tool_result" { isToolResult = true }
                if type == "text", let text { prompt = prompt.map { $0 + "\n" + text } ?? text }
            }
        }
        guard !isToolResult, let prompt else { return nil }
        let shortened = ClaudeCodeReader.shorten(prompt)
        return shortened.isEmpty || shortened.hasPrefix("[Request interrupted by user") ? nil : shortened
    }

    private func readClaudeTools(_ message: inout JSONCursor, timestamp: Date?, into pass: inout Pass) {
        var model: String?
        var found: [(path: String, added: Set<String>)] = []
        message.forEachField { key, value in
            if key.equals("model") {
                model = value.readString()
            } else if key.equals("content") {
                value.forEachElement { block in
                    var type: String?
                    var name: String?
                    var input: Int?
                    block.forEachField { key, value in
                        if key.equals("type") {
                            type = value.readString()
                        } else if key.equals("name") {
                            name = value.readString()
                        } else if key.equals("input") {
                            input = value.position
                        }
                    }
                    guard type == "tool_use", let name, let input else { return }
                    var cursor = block.at(input)
                    if let edit = Self.claudeEdit(tool: name, input: &cursor), let path = targets.target(edit.path, cwd: pass.cwd) {
                        found.append((path, edit.added))
                    }
                }
            }
        }
        if let model, model != "<synthetic>" { pass.model = model }
        for edit in found where !edit.added.isEmpty {
            pass.edits.append(
                SessionEdit(path: edit.path, timestamp: timestamp, addedLines: edit.added, model: pass.model, prompt: pass.prompt?.text))
        }
    }

    /// The file and added lines of an `Edit`, `MultiEdit`, `Write` or `NotebookEdit` call.
    private static func claudeEdit(tool: String, input: inout JSONCursor) -> (path: String, added: Set<String>)? {
        guard ["Edit", "MultiEdit", "Write", "NotebookEdit"].contains(tool) else { return nil }
        var path: String?
        var old = ""
        var new = ""
        var added = Set<String>()
        input.forEachField { key, value in
            if key.equals("file_path") || key.equals("notebook_path") {
                path = value.readString()
            } else if key.equals("old_string") {
                old = value.readString() ?? ""
            } else if key.equals("new_string") || key.equals("content") || key.equals("new_source") {
                new = value.readString() ?? ""
            } else if key.equals("edits") {
                value.forEachElement { item in
                    var itemOld = ""
                    var itemNew = ""
                    item.forEachField { key, value in
                        if key.equals("old_string") {
                            itemOld = value.readString() ?? ""
                        } else if key.equals("new_string") {
                            itemNew = value.readString() ?? ""
                        }
                    }
                    added.formUnion(SessionEdit.addedLines(old: itemOld, new: itemNew))
                }
            }
        }
        guard let path else { return nil }
        return (path, added.union(SessionEdit.addedLines(old: old, new: new)))
    }

    // MARK: Codex

    private func readCodex(_ line: UnsafeBufferPointer<UInt8>, into pass: inout Pass) {
        let isContext = ByteSearch.contains("\"session_meta\"", in: line) || ByteSearch.contains("\"turn_context\"", in: line)
        let isPrompt = ByteSearch.contains("\"user_message\"", in: line) || ByteSearch.contains("\"user\"", in: line)
        let isPatch = ByteSearch.contains("*** ", in: line) && targets.mayName(line)
        guard isContext || isPrompt || isPatch, var cursor = JSONCursor(line) else { return }
        var type: String?
        var timestamp: Date?
        var payload: Int?
        cursor.forEachField { key, value in
            if key.equals("type") {
                type = value.readString()
            } else if key.equals("timestamp") {
                timestamp = value.readTimestamp()
            } else if key.equals("payload") {
                payload = value.position
            }
        }
        guard let type, let payload else { return }
        var body = cursor.at(payload)
        var payloadType: String?
        var message: String?
        var patch: String?
        var role: String?
        var content: Int?
        body.forEachField { key, value in
            if key.equals("type") {
                payloadType = value.readString()
            } else if key.equals("role") {
                role = value.readString()
            } else if key.equals("content"), type == "response_item" {
                content = value.position
            } else if key.equals("cwd"), type != "response_item" {
                pass.cwd = value.readString() ?? pass.cwd
            } else if key.equals("model"), type == "turn_context" {
                pass.model = value.readString() ?? pass.model
            } else if key.equals("message"), type == "event_msg" {
                message = value.readString(maxBytes: ClaudeCodeReader.decodeLimit)
            } else if (key.equals("arguments") || key.equals("input")) && type == "response_item" {
                patch = value.readString().flatMap(CodexPatchText.patch(in:))
            }
        }
        if type == "event_msg", payloadType == "user_message", let message {
            let text = ClaudeCodeReader.shorten(message)
            guard !text.isEmpty else { return }
            pass.prompt = Prompt(timestamp: timestamp, text: text)
            pass.prompts.append(Prompt(timestamp: timestamp, text: text))
        } else if type == "response_item", payloadType == "message", role == "user", let content {
            // Older rollouts record prompts only as user messages; injected context starts with a tag.
            var blocks = body.at(content)
            guard let text = Self.inputText(&blocks), !text.hasPrefix("<") else { return }
            pass.prompt = Prompt(timestamp: timestamp, text: text)
            pass.prompts.append(Prompt(timestamp: timestamp, text: text))
        } else if type == "response_item", payloadType == "function_call" || payloadType == "custom_tool_call", let patch {
            for (path, added) in CodexPatchText.addedLines(patch) where !added.isEmpty {
                guard let target = targets.target(path, cwd: pass.cwd) else { continue }
                pass.edits.append(
                    SessionEdit(path: target, timestamp: timestamp, addedLines: added, model: pass.model, prompt: pass.prompt?.text))
            }
        }
    }

    /// The text of a Codex user message's `input_text` blocks, shortened.
    private static func inputText(_ content: inout JSONCursor) -> String? {
        var text: String?
        content.forEachElement { block in
            var type: String?
            var part: String?
            block.forEachField { key, value in
                if key.equals("type") {
                    type = value.readString()
                } else if key.equals("text") {
                    part = value.readString(maxBytes: ClaudeCodeReader.decodeLimit)
                }
            }
            if type == "input_text", let part { text = text.map { $0 + "\n" + part } ?? part }
        }
        let shortened = text.map(ClaudeCodeReader.shorten) ?? ""
        return shortened.isEmpty ? nil : shortened
    }
}
