import Foundation
import LsmCore
import MCP

/// Answers the MCP requests one at a time (the SDK runs each request in its own task; lsm's
/// repository handles are not thread-safe). Failures a caller can fix come back as `isError` tool
/// results that say what to do; only requests no tool or resource can answer are protocol errors.
actor LsmMCPService {
    private let state: ServerState
    private let registry: ToolRegistry

    init(workspace: Workspace, registry: ToolRegistry = .standard) {
        state = ServerState(workspace: workspace)
        self.registry = registry
    }

    nonisolated var tools: [Tool] { registry.tools.map(\.tool) }

    /// Opens the index and reads what changed since the last run; a failure waits for the first call,
    /// which reports it.
    func prepare() {
        _ = try? state.catalog()
    }

    func callTool(_ name: String, arguments: [String: Value]?) throws(MCPError) -> CallTool.Result {
        guard let tool = registry.tool(named: name) else {
            // The spec makes an unknown tool a protocol error (-32602), not a tool result.
            throw MCPError.invalidParams(
                "Unknown tool: \(name); tools/list shows the tools (\(registry.tools.map(\.name).joined(separator: ", ")))")
        }
        do throws(LsmError) {
            let checked = try ToolArguments(tool: tool, values: arguments)
            let output = try tool.run(checked, state)
            return CallTool.Result(
                content: [.text(text: output.text, annotations: nil, _meta: nil)], structuredContent: output.structured as Value?)
        } catch {
            return Self.failure(error)
        }
    }

    func readResource(_ uri: String) throws(MCPError) -> ReadResource.Result {
        do {
            guard let text = try ResourceCatalog.read(uri, state: state) else {
                throw MCPError.serverError(
                    code: Self.resourceNotFound,
                    message: "Resource not found: \(uri); resources/list and resources/templates/list show the addresses")
            }
            return ReadResource.Result(contents: [.text(text, uri: uri, mimeType: "application/json")])
        } catch let error as MCPError {
            throw error
        } catch let error as LsmError {
            throw Self.protocolError(error, notFound: true)
        } catch {
            throw MCPError.internalError("\(error)")
        }
    }

    func prompt(_ name: String, arguments: [String: String]?) throws(MCPError) -> GetPrompt.Result {
        do {
            guard let result = try PromptCatalog.get(name, arguments: arguments ?? [:], state: state) else {
                throw MCPError.invalidParams("Unknown prompt: \(name); prompts/list shows the prompts")
            }
            return result
        } catch let error as MCPError {
            throw error
        } catch let error as LsmError {
            throw Self.protocolError(error, notFound: false)
        } catch {
            throw MCPError.internalError("\(error)")
        }
    }

    /// The code the spec gives a resource that does not exist.
    static let resourceNotFound = -32002

    /// An `isError` result: the message, then what to do.
    static func failure(_ error: LsmError) -> CallTool.Result {
        var text = "error: \(error.message)"
        var structured: [String: Value] = ["error": .string(error.message)]
        if let hint = error.hint {
            text += "\nhint: \(hint)"
            structured["hint"] = .string(hint)
        }
        if let cause = error.cause {
            text += "\ncaused by: \(cause)"
            structured["cause"] = .string(cause)
        }
        return CallTool.Result(
            content: [.text(text: text, annotations: nil, _meta: nil)], structuredContent: Value.object(structured) as Value?, isError: true
        )
    }

    private static func protocolError(_ error: LsmError, notFound: Bool) -> MCPError {
        let message = error.message + (error.hint.map { "; hint: \($0)" } ?? "")
        switch error.kind {
        case .user: return notFound ? .serverError(code: resourceNotFound, message: message) : .invalidParams(message)
        case .internal: return .internalError(message + (error.cause.map { "; caused by: \($0)" } ?? ""))
        }
    }
}
