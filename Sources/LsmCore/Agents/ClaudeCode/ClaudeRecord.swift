import Foundation

/// The envelope fields of one Claude Code record, read in a single pass over its top-level keys.
struct Envelope {
    enum RecordType {
        case user
        case assistant
        case system
        case other
    }

    var type = RecordType.other
    /// Whether the record has no `type` at all (old transcripts).
    var typeMissing = true
    var sessionID: String?
    var cwd: String?
    var branch: String?
    var version: String?
    var timestamp: Date?
    /// Where `requestId` and `uuid` are in the line; decoded only when a record needs them.
    var requestID: Range<Int>?
    var uuid: Range<Int>?
    var subtype: String?
    var title: String?
    var isSidechain = false
    var isAPIError = false
    var isMeta = false
    var isCompactSummary = false
    var compactTrigger: String?
    var compactPreTokens: Int?
    /// Where the `message` object starts in the line, read once the record's type is known.
    var message: Int?

    mutating func read(key: JSONKey, value: inout JSONCursor, strings: inout StringCache) {
        switch key.range.count {
        case 3 where key.equals("cwd"): cwd = strings.read(&value, slot: .cwd)
        case 4 where key.equals("type"): readType(&value)
        case 4 where key.equals("uuid"): uuid = value.readStringRange()
        case 7 where key.equals("message"):
            message = value.position
            value.skipValue()
        case 7 where key.equals("subtype"): subtype = value.readString()
        case 7 where key.equals("version"): version = strings.read(&value, slot: .version)
        case 7 where key.equals("aiTitle"): title = value.readString()
        case 9 where key.equals("sessionId"): sessionID = strings.read(&value, slot: .session)
        case 9 where key.equals("gitBranch"): branch = strings.read(&value, slot: .branch)
        case 9 where key.equals("requestId"): requestID = value.readStringRange()
        case 9 where key.equals("timestamp"): timestamp = value.readTimestamp()
        case 6 where key.equals("isMeta"): isMeta = value.readBool() ?? false
        case 11 where key.equals("isSidechain"): isSidechain = value.readBool() ?? false
        case 11 where key.equals("customTitle"): title = value.readString()
        case 15 where key.equals("compactMetadata"):
            value.forEachField { key, value in
                if key.equals("trigger") {
                    compactTrigger = value.readString()
                } else if key.equals("preTokens") {
                    compactPreTokens = value.readInt()
                }
            }
        case 16 where key.equals("isCompactSummary"): isCompactSummary = value.readBool() ?? false
        case 17 where key.equals("isApiErrorMessage"): isAPIError = value.readBool() ?? false
        default: break
        }
    }

    /// Decodes one of the fields kept as a range.
    func text(_ range: Range<Int>?, in line: JSONCursor) -> String? {
        range.map { JSONCursor.decodeString(base: line.base, range: $0) }
    }

    private mutating func readType(_ value: inout JSONCursor) {
        typeMissing = false
        guard let range = value.readStringRange() else { return }
        let key = JSONKey(base: value.base, range: range)
        if key.equals("assistant") {
            type = .assistant
        } else if key.equals("user") {
            type = .user
        } else if key.equals("system") {
            type = .system
        } else {
            type = .other
        }
    }
}

/// The parts of an assistant `message` lsm uses.
struct AssistantMessage {
    struct Tool {
        var name: String
        var paths: [String]
    }

    var id: Range<Int>?
    var model: Range<Int>?
    var usage: TokenUsage?
    var tools: [Tool] = []
    /// Where the first text block is (an API error's message), decoded only when needed.
    var text: Range<Int>?
    var isAssistantRole = false

    mutating func read(key: JSONKey, value: inout JSONCursor) {
        if key.equals("id") {
            id = value.readStringRange()
        } else if key.equals("model") {
            model = value.readStringRange()
        } else if key.equals("role") {
            isAssistantRole = value.readString() == "assistant"
        } else if key.equals("usage") {
            usage = Self.readUsage(&value)
        } else if key.equals("content") {
            readContent(&value)
        }
    }

    /// `cacheWrite` is the 5-minute and 1-hour split when `cache_creation` is there, else
    /// `cache_creation_input_tokens` (all of it 5-minute).
    static func readUsage(_ value: inout JSONCursor) -> TokenUsage? {
        var input = 0
        var output = 0
        var creation = 0
        var read = 0
        var split: (fiveMinutes: Int, oneHour: Int)?
        let parsed = value.forEachField { key, value in
            if key.equals("input_tokens") {
                input = value.readTokenCount()
            } else if key.equals("output_tokens") {
                output = value.readTokenCount()
            } else if key.equals("cache_creation_input_tokens") {
                creation = value.readTokenCount()
            } else if key.equals("cache_read_input_tokens") {
                read = value.readTokenCount()
            } else if key.equals("cache_creation") {
                var fiveMinutes = 0
                var oneHour = 0
                // `null` or anything but an object: fall back to cache_creation_input_tokens.
                guard value.peek() == UInt8(ascii: "{") else { return }
                value.forEachField { key, value in
                    if key.equals("ephemeral_5m_input_tokens") {
                        fiveMinutes = value.readTokenCount()
                    } else if key.equals("ephemeral_1h_input_tokens") {
                        oneHour = value.readTokenCount()
                    }
                }
                split = (fiveMinutes, oneHour)
            }
        }
        guard parsed else { return nil }
        return TokenUsage(
            input: input, output: output, cacheWrite5m: split?.fiveMinutes ?? creation, cacheWrite1h: split?.oneHour ?? 0,
            cacheRead: read)
    }

    private mutating func readContent(_ value: inout JSONCursor) {
        value.forEachElement { block in
            var type: String?
            var name: String?
            var paths: [String] = []
            var blockText: Range<Int>?
            block.forEachField { key, value in
                if key.equals("type") {
                    type = value.readString()
                } else if key.equals("name") {
                    name = value.readString()
                } else if key.equals("text"), text == nil {
                    blockText = value.readStringRange()
                } else if key.equals("input") {
                    value.forEachField { key, value in
                        if key.equals("file_path") || key.equals("notebook_path") || key.equals("path") {
                            if let path = value.readString() { paths.append(path) }
                        }
                    }
                }
            }
            if type == "tool_use", let name { tools.append(Tool(name: name, paths: paths)) }
            if type == "text", text == nil { text = blockText }
        }
    }
}

/// Decodes the strings every record repeats (session id, cwd, branch, version) only when they
/// change, instead of allocating them again for each of a million lines.
struct StringCache {
    enum Slot: Int, CaseIterable {
        case session, cwd, branch, version, messageID, requestID, model
    }

    private var bytes: [[UInt8]] = Array(repeating: [], count: Slot.allCases.count)
    private var values: [String?] = Array(repeating: nil, count: Slot.allCases.count)
    /// Counts changes per slot, so a caller can tell that a value is the same as last time.
    private(set) var generations: [Int] = Array(repeating: 0, count: Slot.allCases.count)

    mutating func read(_ value: inout JSONCursor, slot: Slot) -> String? {
        guard let range = value.readStringRange() else { return nil }
        return read(range, base: value.base, slot: slot)
    }

    mutating func read(_ range: Range<Int>, base: UnsafePointer<UInt8>, slot: Slot) -> String {
        let raw = UnsafeBufferPointer(start: base + range.lowerBound, count: range.count)
        if let cached = values[slot.rawValue], bytes[slot.rawValue].count == raw.count,
            bytes[slot.rawValue].withUnsafeBufferPointer({ stored in
                stored.baseAddress.map { memcmp($0, base + range.lowerBound, raw.count) == 0 } ?? raw.isEmpty
            })
        {
            return cached
        }
        let decoded = JSONCursor.decodeString(base: base, range: range)
        bytes[slot.rawValue] = Array(raw)
        values[slot.rawValue] = decoded
        generations[slot.rawValue] += 1
        return decoded
    }
}

extension TranscriptBatch {
    /// Adds a call, keeping one copy per key: the one with the largest total (streamed copies of a
    /// message grow), and at a tie the main-chain copy.
    mutating func addCall(_ call: APICall) {
        if let index = callIndex[call.key] {
            let existing = calls[index]
            if call.usage.total > existing.usage.total
                || (call.usage.total == existing.usage.total && existing.isSidechain && !call.isSidechain)
            {
                calls[index] = call
            }
            return
        }
        callIndex[call.key] = calls.count
        calls.append(call)
    }
}
