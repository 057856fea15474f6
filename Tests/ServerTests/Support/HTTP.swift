import Foundation

#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// Who a test request is from.
enum Caller: Sendable {
    case none
    case bearer(String)
    case platform(String)
}

/// A JSON answer: the status and the parsed body.
struct Answer: @unchecked Sendable, CustomStringConvertible {
    let status: Int
    let body: [String: Any]
    let text: String

    subscript(key: String) -> Any? { self.body[key] }
    var errorCode: String? { (self.body["error"] as? [String: Any])?["code"] as? String }
    var description: String { "\(self.status) \(self.text)" }
}

/// A tiny HTTP client of a server on loopback.
struct HTTP: Sendable {
    let port: Int

    func call(_ method: String, _ path: String, as caller: Caller = .none, body: String? = nil) async throws -> Answer {
        var request = URLRequest(url: URL(string: "http://127.0.0.1:\(self.port)\(path)")!)
        request.httpMethod = method
        // An answer that never comes fails the call instead of hanging the test.
        request.timeoutInterval = 30
        switch caller {
        case .none: break
        case .bearer(let token): request.setValue("Bearer \(token)", forHTTPHeaderField: "Authorization")
        case .platform(let key): request.setValue(key, forHTTPHeaderField: "X-Parley-Platform-Key")
        }
        if let body {
            request.httpBody = Data(body.utf8)
            request.setValue("application/json", forHTTPHeaderField: "Content-Type")
        }
        let (data, response) = try await URLSession.shared.data(for: request)
        let status = (response as? HTTPURLResponse)?.statusCode ?? 0
        let parsed = (try? JSONSerialization.jsonObject(with: data)) as? [String: Any] ?? [:]
        return Answer(status: status, body: parsed, text: String(decoding: data, as: UTF8.self))
    }
}
