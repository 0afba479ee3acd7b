import Hummingbird
import HummingbirdWebSocket
import NIOCore

/// The request context of the WebSocket route: hummingbird-websocket's basic one plus the
/// connection's NIO channel, on which the room's `SocketWriter` is installed after the upgrade.
struct RoomSocketRequestContext: RequestContext, WebSocketRequestContext {
    var coreContext: CoreRequestContextStorage
    let webSocket: WebSocketHandlerReference<Self>
    let channel: any Channel

    init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
        webSocket = .init()
        channel = source.channel
    }
}
