import Hummingbird
import NIOCore
import Prometheus

/// `GET /metrics`: every metric in Prometheus text format.
struct MetricsRoutes {
    let registry: PrometheusCollectorRegistry

    func add(to router: Router<ParleyContext>) {
        router.get("metrics") { _, _ in
            var buffer: [UInt8] = []
            buffer.reserveCapacity(16_384)
            self.registry.emit(into: &buffer)
            return Response(
                status: .ok, headers: [.contentType: "text/plain; version=0.0.4; charset=utf-8"],
                body: ResponseBody(byteBuffer: ByteBuffer(bytes: buffer)))
        }
    }
}
