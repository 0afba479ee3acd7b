import Foundation
import Logging
import MCP

#if canImport(Glibc)
    import Glibc
#endif

/// MCP over standard input and output: one JSON-RPC message per line, nothing else on the output.
/// The SDK's `StdioTransport` polls a non-blocking descriptor and sleeps 10 ms when nothing is there,
/// which puts a 10 ms floor under every call and wakes the process 100 times a second while idle;
/// this one blocks a dedicated thread in `read(2)` instead, so a request is read as soon as it arrives.
actor LineStdioTransport: Transport {
    nonisolated let logger = Logger(label: "lsm.mcp.stdio", factory: { _ in SwiftLogNoOpLogHandler() })
    private let input: Int32
    private let output: Int32
    private let messages: AsyncThrowingStream<Data, any Error>
    private let continuation: AsyncThrowingStream<Data, any Error>.Continuation
    private var reading = false

    init(input: Int32 = STDIN_FILENO, output: Int32 = STDOUT_FILENO) {
        self.input = input
        self.output = output
        (messages, continuation) = AsyncThrowingStream.makeStream()
    }

    func connect() async throws {
        guard !reading else { return }
        reading = true
        let input = self.input
        let continuation = self.continuation
        Thread { Self.readLines(from: input, into: continuation) }.start()
    }

    func disconnect() async {
        continuation.finish()
    }

    func send(_ data: Data) async throws {
        var message = data
        message.append(0x0A)
        let output = self.output
        let failure: Int32? = message.withUnsafeBytes { buffer in
            guard let base = buffer.baseAddress else { return nil }
            var offset = 0
            while offset < buffer.count {
                let written = write(output, base + offset, buffer.count - offset)
                if written < 0 {
                    if errno == EINTR { continue }
                    return errno
                }
                offset += written
            }
            return nil
        }
        if let failure {
            throw MCPError.transportError(POSIXError(POSIXErrorCode(rawValue: failure) ?? .EIO))
        }
    }

    func receive() -> AsyncThrowingStream<Data, any Error> {
        messages
    }

    /// Reads `descriptor` to its end, yielding each non-empty line.
    private static func readLines(from descriptor: Int32, into continuation: AsyncThrowingStream<Data, any Error>.Continuation) {
        var pending = Data()
        var buffer = [UInt8](repeating: 0, count: 64 * 1024)
        while true {
            let count = buffer.withUnsafeMutableBytes { read(descriptor, $0.baseAddress, $0.count) }
            if count < 0 && errno == EINTR { continue }
            if count <= 0 { break }
            pending.append(contentsOf: buffer[0..<count])
            while let newline = pending.firstIndex(of: 0x0A) {
                let line = Data(pending[pending.startIndex..<newline])
                pending = Data(pending[pending.index(after: newline)...])
                if !line.isEmpty { continuation.yield(line) }
            }
        }
        if !pending.isEmpty { continuation.yield(pending) }
        continuation.finish()
    }
}
