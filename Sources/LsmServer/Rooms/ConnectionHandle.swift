import Foundation
import HummingbirdWebSocket
import NIOWebSocket

/// The server's end of one WebSocket: who is on it, and its socket writer. The room sends without
/// waiting: frames go to the socket's event-loop outbox, in the order the room sent them; a client
/// that lets `maxQueuedMessages` frames pile up behind a full socket buffer is dropped.
final class ConnectionHandle: @unchecked Sendable {
    let id: Int
    let claims: AccessClaims
    let socket: SocketWriter
    /// The highest sequence number this connection has received, so no event reaches it twice.
    /// Only its room reads and writes it.
    var sentSeq: Int64 = 0
    private let closeSignal: AsyncStream<Void>.Continuation
    private let lock = NSLock()
    private var closeRequest: (code: WebSocketErrorCode, reason: String)?

    /// `closeSignal` ends once the socket writes no more: after a close request, or when the client
    /// went away.
    init(id: Int, claims: AccessClaims, socket: SocketWriter, closeSignal: AsyncStream<Void>.Continuation) {
        self.id = id
        self.claims = claims
        self.socket = socket
        self.closeSignal = closeSignal
    }

    /// Queues a text frame.
    func send(_ text: String) {
        socket.outbox.enqueue(.single(ServerFrame(text: text).bytes, socket))
    }

    /// Asks for the socket to be closed with `code` once the frames queued before are out.
    func close(_ code: WebSocketErrorCode, reason: String) {
        lock.lock()
        if closeRequest == nil { closeRequest = (code, reason) }
        lock.unlock()
        let signal = closeSignal
        socket.outbox.enqueue(.stop(socket) { signal.finish() })
    }

    /// Writes nothing more, without a close frame (the client went away).
    func finish() {
        let signal = closeSignal
        socket.outbox.enqueue(.stop(socket) { signal.finish() })
    }

    /// The close the room asked for, if any.
    var requestedClose: (code: WebSocketErrorCode, reason: String)? {
        lock.lock()
        defer { lock.unlock() }
        return closeRequest
    }
}
