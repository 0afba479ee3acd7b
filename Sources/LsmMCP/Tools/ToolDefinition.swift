import LsmCore
import MCP

/// One MCP tool: its name, what a model reads about it, its arguments, and what it does. Adding a tool
/// is one `ToolDefinition` in `ToolRegistry.standard`.
struct ToolDefinition: Sendable {
    /// What running a tool needs: its arguments, checked against the tool's parameters, and the server's state.
    typealias Run = @Sendable (ToolArguments, ServerState) throws(LsmError) -> ToolOutput

    var name: String
    var title: String
    /// One sentence for a model: what the tool answers and when to call it.
    var description: String
    var parameters: [ToolParameter]
    /// The tool changes nothing (sessions, comments, the index are only read).
    var readOnly: Bool
    var run: Run

    /// The same tool under another name (the predecessor's), described as such.
    func alias(_ name: String) -> ToolDefinition {
        var copy = self
        copy.name = name
        copy.title = "\(title) (alias of \(self.name))"
        copy.description = "\(description) Same as \(self.name)."
        return copy
    }

    /// The tool as `tools/list` shows it.
    var tool: Tool {
        var properties: [String: Value] = [:]
        for parameter in parameters { properties[parameter.name] = parameter.schema }
        let required = parameters.filter(\.required).map { Value.string($0.name) }
        var schema: [String: Value] = ["type": "object", "properties": .object(properties), "additionalProperties": false]
        if !required.isEmpty { schema["required"] = .array(required) }
        return Tool(
            name: name, title: title, description: description, inputSchema: .object(schema),
            annotations: .init(
                title: title, readOnlyHint: readOnly, destructiveHint: readOnly ? nil : false, idempotentHint: readOnly ? nil : false,
                openWorldHint: false))
    }
}

/// One argument a tool takes.
struct ToolParameter: Sendable {
    enum Kind: String, Sendable {
        case string
        case integer
        case boolean
    }

    var name: String
    var kind: Kind
    var description: String
    var required = false
    /// The only values a string may take.
    var choices: [String]? = nil
    var minimum: Int? = nil

    var schema: Value {
        var schema: [String: Value] = ["type": .string(kind.rawValue), "description": .string(description)]
        if let choices { schema["enum"] = .array(choices.map(Value.string)) }
        if let minimum { schema["minimum"] = .int(minimum) }
        return .object(schema)
    }
}

/// What a tool returns: structured content (a JSON object, in the `--json` shapes of docs/json.md) and
/// a short text rendering of it.
struct ToolOutput: Sendable {
    var structured: Value
    var text: String

    init(structured: Value, text: String) {
        self.structured = structured
        self.text = text
    }

    /// `value` encoded as lsm encodes JSON everywhere; `key` wraps arrays, since structured content is an object.
    init<T: Encodable>(_ value: T, key: String? = nil, extra: [String: Value] = [:], text: String) throws(LsmError) {
        var encoded = try ValueEncoding.value(value)
        if let key { encoded = .object([key: encoded]) }
        if case .object(var object) = encoded, !extra.isEmpty {
            object.merge(extra) { _, new in new }
            encoded = .object(object)
        }
        self.init(structured: encoded, text: text)
    }
}
