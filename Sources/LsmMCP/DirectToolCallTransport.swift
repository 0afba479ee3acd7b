import Foundation
import Logging
import MCP

/// A transport that answers `tools/call` itself and hands every other message to the SDK's server.
/// The SDK's request path re-encodes each request, then encodes each result and decodes it back into
/// a `Value` (trying every type in turn and compiling a data-URL regex for every string) before
/// encoding it once more: most of a call's time on results the size of `repo_status`. Here the
/// request is decoded once and the result encoded once, as the SDK's `Server.send` encodes it.
actor DirectToolCallTransport: Transport {
    /// Answers one `tools/call`: a result, or a protocol error such as an unknown tool.
    typealias Handler = @Sendable (CallTool.Parameters) async throws(MCPError) -> CallTool.Result

    nonisolated let logger = Logger(label: "lsm.mcp.direct", factory: { _ in SwiftLogNoOpLogHandler() })
    private let inner: any Transport
    private let handler: Handler
    private var forwarding: Task<Void, Never>?
    private let messages: AsyncThrowingStream<Data, any Error>
    private let continuation: AsyncThrowingStream<Data, any Error>.Continuation

    init(_ inner: any Transport, handler: @escaping Handler) {
        self.inner = inner
        self.handler = handler
        (messages, continuation) = AsyncThrowingStream.makeStream()
    }

    func connect() async throws {
        try await inner.connect()
        guard forwarding == nil else { return }
        let incoming = await inner.receive()
        forwarding = Task { await self.forward(incoming) }
    }

    func disconnect() async {
        forwarding?.cancel()
        await inner.disconnect()
        continuation.finish()
    }

    func send(_ data: Data) async throws {
        try await inner.send(data)
    }

    func receive() -> AsyncThrowingStream<Data, any Error> {
        messages
    }

    private func forward(_ incoming: AsyncThrowingStream<Data, any Error>) async {
        do {
            for try await data in incoming {
                if let request = Self.toolCall(in: data) {
                    // Like the SDK, each request runs in its own task so a slow call does not hold up reading.
                    Task { await self.answer(request) }
                } else {
                    continuation.yield(data)
                }
            }
            continuation.finish()
        } catch {
            continuation.finish(throwing: error)
        }
    }

    private func answer(_ request: Request<CallTool>) async {
        let response: Response<CallTool>
        do {
            response = Response(id: request.id, result: try await handler(request.params))
        } catch {
            response = Response(id: request.id, error: error)
        }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        do {
            try await inner.send(try encoder.encode(response))
        } catch {
            // The client went away; the SDK's read loop ends the server.
        }
    }

    /// Only the method is read first: anything that is not a well-formed `tools/call` request (a batch,
    /// a notification, a response, a malformed call) goes to the SDK, which answers it as it always does.
    static func toolCall(in data: Data) -> Request<CallTool>? {
        struct Envelope: Decodable { var method: String? }
        let decoder = JSONDecoder()
        guard data.first(where: { ![0x20, 0x09, 0x0A, 0x0D].contains($0) }) == UInt8(ascii: "{"),
            (try? decoder.decode(Envelope.self, from: data))?.method == CallTool.name
        else { return nil }
        return try? decoder.decode(Request<CallTool>.self, from: data)
    }
}
