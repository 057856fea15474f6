import Foundation
import Hummingbird
import NIOCore

/// `GET /openapi.yaml`: the API's OpenAPI 3.1 description (`schemas/openapi.yaml`, built into the binary).
struct OpenAPIRoutes {
    func add(to router: Router<ParleyContext>) {
        let document = Bundle.module.url(forResource: "openapi", withExtension: "yaml").flatMap { try? Data(contentsOf: $0) } ?? Data()
        router.get("openapi.yaml") { _, _ in
            Response(
                status: .ok, headers: [.contentType: "application/yaml; charset=utf-8"],
                body: ResponseBody(byteBuffer: ByteBuffer(bytes: document)))
        }
    }
}
