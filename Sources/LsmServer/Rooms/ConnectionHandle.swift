import Foundation
import HummingbirdWebSocket
import NIOWebSocket

/// The server's end of one WebSocket: who is on it and a bounded queue of frames to send. The room
/// enqueues without waiting; one writer task per socket drains the queue, so a slow client never
/// holds up a broadcast, and one that falls `maxQueuedMessages` behind is disconnected.
final class ConnectionHandle: @unchecked Sendable {
    let id: Int
    let claims: AccessClaims
    private let continuation: AsyncStream<String>.Continuation
    private let lock = NSLock()
    private var closeRequest: (code: WebSocketErrorCode, reason: String)?

    init(id: Int, claims: AccessClaims, continuation: AsyncStream<String>.Continuation) {
        self.id = id
        self.claims = claims
        self.continuation = continuation
    }

    /// Queues a text frame; a full queue closes the connection (1008).
    func send(_ text: String) {
        if case .dropped = continuation.yield(text) {
            close(.policyViolation, reason: "too slow: message queue full")
        }
    }

    /// Asks the writer to close the socket with `code` once the queued frames are out.
    func close(_ code: WebSocketErrorCode, reason: String) {
        lock.lock()
        if closeRequest == nil { closeRequest = (code, reason) }
        lock.unlock()
        continuation.finish()
    }

    /// Ends the queue without a close frame (the client went away).
    func finish() {
        continuation.finish()
    }

    /// The close the room asked for, if any.
    var requestedClose: (code: WebSocketErrorCode, reason: String)? {
        lock.lock()
        defer { lock.unlock() }
        return closeRequest
    }
}
