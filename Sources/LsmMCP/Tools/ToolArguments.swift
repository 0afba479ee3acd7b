import LsmCore
import MCP

/// A tool call's arguments, checked against the tool's parameters: unknown names, missing required
/// ones and wrong types become user errors that say what the tool takes.
struct ToolArguments: Sendable {
    let tool: String
    private let values: [String: Value]

    init(tool: ToolDefinition, values: [String: Value]?) throws(LsmError) {
        self.tool = tool.name
        let values = (values ?? [:]).filter { $0.value != .null }
        let names = tool.parameters.map(\.name)
        for name in values.keys.sorted() where !names.contains(name) {
            throw LsmError(
                .user, "\(tool.name) has no argument '\(name)'",
                hint: names.isEmpty ? "call it without arguments" : "it takes: \(names.joined(separator: ", "))")
        }
        for parameter in tool.parameters {
            guard let value = values[parameter.name] else {
                if parameter.required {
                    throw LsmError(.user, "\(tool.name) needs the argument '\(parameter.name)'", hint: parameter.description)
                }
                continue
            }
            try Self.check(value, against: parameter, tool: tool.name)
        }
        self.values = values
    }

    func string(_ name: String) -> String? {
        values[name]?.stringValue
    }

    func int(_ name: String) -> Int? {
        switch values[name] {
        case .int(let number): number
        case .double(let number): Int(number)
        default: nil
        }
    }

    func bool(_ name: String) -> Bool? {
        values[name]?.boolValue
    }

    private static func check(_ value: Value, against parameter: ToolParameter, tool: String) throws(LsmError) {
        let wrong = LsmError(
            .user,
            "\(tool): '\(parameter.name)' must be \(parameter.kind == .integer ? "an integer" : "a \(parameter.kind.rawValue)"), not \(describe(value))",
            hint: parameter.description)
        switch (parameter.kind, value) {
        case (.string, .string(let text)):
            if let choices = parameter.choices, !choices.contains(text) {
                throw LsmError(
                    .user, "\(tool): '\(parameter.name)' cannot be '\(text)'", hint: "use one of: \(choices.joined(separator: ", "))")
            }
        case (.integer, .int(let number)):
            try checkMinimum(number, parameter, tool)
        case (.integer, .double(let number)) where number.rounded() == number && abs(number) < 1e15:
            try checkMinimum(Int(number), parameter, tool)
        case (.boolean, .bool):
            break
        default:
            throw wrong
        }
    }

    private static func checkMinimum(_ number: Int, _ parameter: ToolParameter, _ tool: String) throws(LsmError) {
        if let minimum = parameter.minimum, number < minimum {
            throw LsmError(.user, "\(tool): '\(parameter.name)' must be \(minimum) or more, not \(number)", hint: parameter.description)
        }
    }

    private static func describe(_ value: Value) -> String {
        switch value {
        case .null: "null"
        case .bool(let flag): "the boolean \(flag)"
        case .int(let number): "the number \(number)"
        case .double(let number): "the number \(number)"
        case .string(let text): "the string \"\(text.prefix(40))\""
        case .data: "binary data"
        case .array: "an array"
        case .object: "an object"
        }
    }
}
