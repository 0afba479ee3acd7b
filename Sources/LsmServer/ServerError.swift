import Foundation
import HTTPTypes
import Hummingbird

/// A failure of the review server: an HTTP status and a message for the client, or a configuration
/// problem for the person starting it. Bodies never echo tokens.
public struct ServerError: Error, HTTPResponseError, Sendable, Equatable {
    public let status: HTTPResponse.Status
    public let message: String
    public let hint: String?

    public init(_ status: HTTPResponse.Status, _ message: String, hint: String? = nil) {
        self.status = status
        self.message = message
        self.hint = hint
    }

    static func configuration(_ message: String, hint: String? = nil) -> ServerError {
        ServerError(.internalServerError, message, hint: hint)
    }

    static let unauthorized = ServerError(.unauthorized, "invalid or expired access token")

    public func response(from request: Request, context: some RequestContext) throws -> Response {
        var body = ["error": message]
        if let hint { body["hint"] = hint }
        let data = (try? JSONSerialization.data(withJSONObject: body, options: [.sortedKeys])) ?? Data()
        var headers = HTTPFields()
        headers[.contentType] = "application/json"
        if status == .unauthorized { headers[.wwwAuthenticate] = "Bearer" }
        return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: data)))
    }
}
