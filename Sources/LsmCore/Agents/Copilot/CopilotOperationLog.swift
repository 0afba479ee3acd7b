import Foundation

/// Replays a VS Code chat session operation log (`chatSessions/*.jsonl`) into the session's final
/// state, the same document a v3 `.json` session holds.
///
/// Each line is `{"kind": 0, "v": state}` (the whole state: the first line, or a compaction that
/// replaces everything), `{"kind": 1, "k": path, "v": value}` (set), `{"kind": 2, "k": path, "v":
/// [items], "i": n}` (cut the array at `i` when given, then append the items) or `{"kind": 3, "k":
/// path}` (delete). A path is a list of object keys and array indexes.
struct CopilotOperationLog {
    /// The state so far; `nil` until the first `kind: 0`.
    private(set) var state: Any?

    /// Applies one line; a line that is not a well-formed operation is counted as malformed.
    mutating func apply(line: UnsafeBufferPointer<UInt8>, into batch: inout TranscriptBatch) {
        batch.lines += 1
        guard !line.allSatisfy({ $0 == 0x20 || $0 == 0x09 }) else { return }
        guard let object = try? JSONSerialization.jsonObject(with: Data(buffer: line)) as? [String: Any],
            let kind = object["kind"] as? Int
        else {
            batch.malformedLines += 1
            return
        }
        let path = object["k"] as? [Any] ?? []
        switch kind {
        case 0:
            guard let value = object["v"] else { return malformed(&batch) }
            state = value
        case 1:
            guard let root = state, !path.isEmpty, let value = object["v"] else { return malformed(&batch) }
            state = Self.updating(root, at: path[...]) { _ in value }
        case 2:
            guard let root = state, !path.isEmpty else { return malformed(&batch) }
            let items = object["v"] as? [Any] ?? []
            let cut = object["i"] as? Int
            state = Self.updating(root, at: path[...]) { current in
                var array = current as? [Any] ?? []
                if let cut, cut >= 0, cut < array.count { array.removeSubrange(cut...) }
                return array + items
            }
        case 3:
            guard let root = state, !path.isEmpty else { return malformed(&batch) }
            state = Self.updating(root, at: path[...]) { _ in nil }
        default:
            malformed(&batch)
        }
    }

    private func malformed(_ batch: inout TranscriptBatch) { batch.malformedLines += 1 }

    /// `root` with the value at `path` replaced by `change(current)`; `nil` from `change` removes it
    /// (from an array: the element, so later ones move up). A path through a missing or mistyped
    /// container changes nothing.
    static func updating(_ root: Any, at path: ArraySlice<Any>, _ change: (Any?) -> Any?) -> Any {
        guard let step = path.first else { return change(root) ?? root }
        let rest = path.dropFirst()
        if var object = root as? [String: Any], let key = step as? String {
            if rest.isEmpty {
                object[key] = change(object[key])
            } else if let child = object[key] {
                object[key] = updating(child, at: rest, change)
            }
            return object
        }
        if var array = root as? [Any], let index = step as? Int, index >= 0 {
            if rest.isEmpty {
                if index < array.count {
                    if let value = change(array[index]) { array[index] = value } else { array.remove(at: index) }
                } else if index == array.count, let value = change(nil) {
                    array.append(value)
                }
            } else if index < array.count {
                array[index] = updating(array[index], at: rest, change)
            }
            return array
        }
        return root
    }
}
