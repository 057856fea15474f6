import Foundation
import ParleyTestSupport
import Projections
import Testing

@Suite("JSON Schemas in schemas/events")
struct SchemaTests {
    private static let folder = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("schemas/events")

    /// The top-level `properties` and `required` of one schema file.
    private struct Schema {
        let properties: Set<String>
        let required: Set<String>

        init(type: String, version: Int) throws {
            let url = SchemaTests.folder.appendingPathComponent("\(type).v\(version).json")
            let json = try JSONSerialization.jsonObject(with: Data(contentsOf: url)) as? [String: Any]
            #expect(json?["$schema"] as? String == "https://json-schema.org/draft/2020-12/schema")
            #expect(json?["type"] as? String == "object")
            self.properties = Set((json?["properties"] as? [String: Any] ?? [:]).keys)
            self.required = Set(json?["required"] as? [String] ?? [])
        }
    }

    @Test("every type and version of the catalogue has a schema, and every schema a type")
    func filesMatchCatalogue() throws {
        let expected = Set(DomainEvent.types.flatMap { type in (1...type.schemaVersion).map { "\(type.name).v\($0).json" } })
        let files = Set(try FileManager.default.contentsOfDirectory(atPath: Self.folder.path).filter { $0.hasSuffix(".json") })
        #expect(files == expected)
    }

    @Test("encoded events hold exactly the schema's properties, required ones always", arguments: DomainEvent.types.map(\.name))
    func encodingMatchesSchema(type: String) throws {
        var rng = SeededRandom(seed: 11)
        let full = SampleEvents.make(type, .all, using: &rng)
        let schema = try Schema(type: type, version: full.schemaVersion)
        #expect(schema.required.isSubset(of: schema.properties))
        #expect(try Self.topLevelKeys(full.encode()) == schema.properties)
        let minimal = try Self.topLevelKeys(SampleEvents.make(type, .none, using: &rng).encode())
        #expect(schema.required.isSubset(of: minimal))
        #expect(minimal.isSubset(of: schema.properties))
    }

    @Test("MessageSent v1's schema is v2's without the automated flag")
    func messageSentV1() throws {
        let v1 = try Schema(type: "MessageSent", version: 1)
        let v2 = try Schema(type: "MessageSent", version: 2)
        #expect(v2.properties.subtracting(v1.properties) == ["automated"])
        #expect(v2.required.subtracting(v1.required) == ["automated"])
    }

    @Test("MessageSent v2's schema is v3's without the withheld mark, and FlagReviewed v1's is v2's")
    func messageSentV2AndFlagReviewedV1() throws {
        let (v2, v3) = (try Schema(type: "MessageSent", version: 2), try Schema(type: "MessageSent", version: 3))
        #expect(v3.properties.subtracting(v2.properties) == ["withheld"])
        #expect(v3.required == v2.required)
        let (reviewV1, reviewV2) = (try Schema(type: "FlagReviewed", version: 1), try Schema(type: "FlagReviewed", version: 2))
        #expect(reviewV1.properties == reviewV2.properties && reviewV1.required == reviewV2.required)
    }

    private static func topLevelKeys(_ payload: [UInt8]) throws -> Set<String> {
        Set((try JSONSerialization.jsonObject(with: Data(payload)) as? [String: Any] ?? [:]).keys)
    }
}
