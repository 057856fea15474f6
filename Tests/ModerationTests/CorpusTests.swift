import Foundation
import Moderation
import Testing

/// The labelled corpus (scripts/moderation-corpus.py) as a regression test with the targets of
/// issue 10 as assertions.
struct CorpusTests {
    struct Row: Decodable {
        let id: String
        let text: String
        let label: Bool
        let `class`: String
        let context: [String]
        let order_exists: Bool
    }

    static let obfuscatedClasses = [
        "spaced_digits", "number_words", "mixed_words_digits", "unicode_tricks", "obfuscated_email", "external_url",
        "social_handle", "messaging_app_intent", "offplatform_payment", "split_across_messages",
    ]

    static func rows() throws -> [Row] {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .appendingPathComponent("Fixtures/moderation-corpus.jsonl")
        let decoder = JSONDecoder()
        return try String(contentsOf: url, encoding: .utf8).split(separator: "\n").map {
            try decoder.decode(Row.self, from: Data($0.utf8))
        }
    }

    @Test("Precision ≥ 0.97, recall ≥ 0.95 on plain and ≥ 0.85 on every obfuscated class")
    func targets() throws {
        let rows = try Self.rows()
        #expect(rows.filter(\.label).count >= 1_000)
        #expect(rows.filter { !$0.label }.count >= 2_500)
        let moderator = Moderator(policy: ModerationPolicy(allowedDomains: ["parley.market"]))
        var truePositives = 0
        var falsePositives: [String] = []
        var detected: [String: (found: Int, total: Int)] = [:]
        for row in rows {
            let flagged = moderator.examine(
                row.text, window: ConversationWindow(previousMessages: row.context), orderExists: row.order_exists
            ).flagged
            if row.label {
                detected[row.class, default: (0, 0)].total += 1
                if flagged {
                    truePositives += 1
                    detected[row.class]!.found += 1
                }
            } else if flagged {
                falsePositives.append(row.id + ": " + row.text)
            }
        }
        let precision = Double(truePositives) / Double(truePositives + falsePositives.count)
        #expect(precision >= 0.97, "false positives: \(falsePositives.prefix(20))")
        func recall(_ name: String) -> Double {
            let counts = detected[name] ?? (0, 0)
            return counts.total == 0 ? 0 : Double(counts.found) / Double(counts.total)
        }
        #expect(recall("plain") >= 0.95)
        for name in Self.obfuscatedClasses {
            #expect(recall(name) >= 0.85, "\(name): \(recall(name))")
        }
    }
}
