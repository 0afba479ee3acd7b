import Foundation

/// The text of Codex's `apply_patch` calls: finding the patch in a call's arguments, and the lines
/// it adds to each file.
enum CodexPatchText {
    static let begin = "*** Begin Patch"

    /// The patch a tool call's `arguments` or `input` carries: the text itself (`custom_tool_call`),
    /// or a string inside its JSON (`{"patch": …}`, `{"input": …}`, `{"command": ["apply_patch", …]}`).
    static func patch(in text: String) -> String? {
        guard text.contains(begin) else { return nil }
        let trimmed = text.drop { $0 == " " || $0 == "\n" }
        guard trimmed.first == "{" || trimmed.first == "[" else { return text }
        var copy = text
        return copy.withUTF8 { buffer in
            guard var cursor = JSONCursor(buffer) else { return nil }
            return firstString(containing: begin, at: &cursor)
        }
    }

    private static func firstString(containing marker: String, at cursor: inout JSONCursor) -> String? {
        var found: String?
        switch cursor.peek() {
        case UInt8(ascii: "\""):
            if let text = cursor.readString(), text.contains(marker) { found = text }
        case UInt8(ascii: "{"):
            cursor.forEachField { _, value in
                if found == nil { found = firstString(containing: marker, at: &value) }
            }
        case UInt8(ascii: "["):
            cursor.forEachElement { value in
                if found == nil { found = firstString(containing: marker, at: &value) }
            }
        default:
            cursor.skipValue()
        }
        return found
    }

    /// The trimmed, non-blank lines each file section adds (`+` lines of `*** Add File:` and
    /// `*** Update File:`), by the paths the patch names, a moved file under both names.
    static func addedLines(_ patch: String) -> [(path: String, added: Set<String>)] {
        var sections: [(path: String, added: Set<String>)] = []
        var current: [Int] = []
        for line in patch.split(omittingEmptySubsequences: false, whereSeparator: { $0 == "\n" || $0 == "\r\n" }) {
            if line.hasPrefix("*** ") {
                current = []
                for marker in ["*** Add File: ", "*** Update File: "] where line.hasPrefix(marker) {
                    sections.append((line.dropFirst(marker.count).trimmingCharacters(in: .whitespaces), []))
                    current = [sections.count - 1]
                }
                if line.hasPrefix("*** Move to: "), let source = sections.indices.last {
                    sections.append((line.dropFirst("*** Move to: ".count).trimmingCharacters(in: .whitespaces), sections[source].added))
                    current = [source, sections.count - 1]
                }
                continue
            }
            guard line.hasPrefix("+"), !current.isEmpty else { continue }
            let text = line.dropFirst().trimmingCharacters(in: .whitespacesAndNewlines)
            guard !text.isEmpty else { continue }
            for index in current { sections[index].added.insert(text) }
        }
        return sections
    }
}
