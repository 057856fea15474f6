import Hummingbird
import Logging

/// Turns every error a route throws into the API's JSON error shape: Hummingbird's own errors
/// (unknown route, body too large) keep their status; anything unexpected is logged and answered 500.
struct ErrorMiddleware: RouterMiddleware {
    typealias Context = ParleyContext

    func handle(_ request: Request, context: ParleyContext, next: (Request, ParleyContext) async throws -> Response) async throws -> Response {
        do {
            return try await next(request, context)
        } catch let error as APIError {
            return Response.json(error.json, status: error.status)
        } catch let error as HTTPError {
            let code =
                switch error.status {
                case .notFound: "not_found"
                case .methodNotAllowed: "method_not_allowed"
                case .contentTooLarge: "payload_too_large"
                case .unauthorized: "unauthorized"
                default: "bad_request"
                }
            let message = error.status == .notFound ? "no route \(request.method) \(request.uri.path)" : error.body ?? error.status.reasonPhrase
            return Response.json(APIError(error.status, code, message).json, status: error.status)
        } catch {
            context.logger.error("request failed", metadata: ["error": "\(error)", "path": "\(request.uri.path)"])
            return Response.json(APIError(.internalServerError, "internal", "the server failed; the request may be retried").json, status: .internalServerError)
        }
    }
}
