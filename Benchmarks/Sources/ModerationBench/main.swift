import Foundation
import Moderation

// `scripts/bench moderation [--json] [--rounds N]`: the moderation pipeline on the labelled
// corpus (Tests/ModerationTests/Fixtures/moderation-corpus.jsonl) — precision, recall on plain
// and obfuscated forms, per-class recall and the time one message takes — with a regex-list
// baseline measured in the same run.

struct Row: Decodable {
    let text: String
    let label: Bool
    let `class`: String
    let context: [String]
    let order_exists: Bool
}

struct Tally {
    var truePositives = 0
    var falsePositives = 0
    var negatives = 0
    var found: [String: Int] = [:]
    var total: [String: Int] = [:]

    mutating func count(_ row: Row, flagged: Bool) {
        if row.label {
            self.total[row.class, default: 0] += 1
            if flagged { self.found[row.class, default: 0] += 1; self.truePositives += 1 }
        } else {
            self.negatives += 1
            if flagged { self.falsePositives += 1 }
        }
    }

    var precision: Double { Double(self.truePositives) / Double(max(1, self.truePositives + self.falsePositives)) }
    func recall(_ classes: [String]) -> Double {
        let found = classes.reduce(0) { $0 + self.found[$1, default: 0] }
        let total = classes.reduce(0) { $0 + self.total[$1, default: 0] }
        return Double(found) / Double(max(1, total))
    }
}

func fail(_ message: String) -> Never {
    FileHandle.standardError.write(Data("Error: \(message)\n".utf8))
    exit(1)
}

var arguments = CommandLine.arguments.dropFirst()
var json = false, rounds = 5, corpus: String?
while let argument = arguments.popFirst() {
    switch argument {
    case "--json": json = true
    case "--rounds": rounds = Int(arguments.popFirst() ?? "") ?? 0
    case "--corpus": corpus = arguments.popFirst()
    default: fail("unknown argument \(argument); use --json, --rounds N, --corpus FILE")
    }
}
guard rounds >= 1 else { fail("--rounds must be a positive integer") }
guard let corpus, let text = try? String(contentsOfFile: corpus, encoding: .utf8) else { fail("cannot read --corpus") }
let rows: [Row]
do {
    rows = try text.split(separator: "\n").map { try JSONDecoder().decode(Row.self, from: Data($0.utf8)) }
} catch {
    fail("the corpus is not JSON lines of {text, label, class, context, order_exists}: \(error)")
}

let moderator = Moderator(policy: ModerationPolicy(allowedDomains: ["parley.market"]))
var tally = Tally()
var micros: [Double] = []
micros.reserveCapacity(rows.count * rounds)
for round in 0..<rounds {
    for row in rows {
        let window = ConversationWindow(previousMessages: row.context)
        let start = DispatchTime.now().uptimeNanoseconds
        let decision = moderator.examine(row.text, window: window, orderExists: row.order_exists)
        micros.append(Double(DispatchTime.now().uptimeNanoseconds - start) / 1_000)
        if round == 0 { tally.count(row, flagged: decision.flagged) }
    }
}
micros.sort()
/// The nearest-rank percentile `p` of `sorted`.
func percentile(_ p: Double, of sorted: [Double]) -> Double {
    sorted[min(sorted.count - 1, max(0, Int((p / 100 * Double(sorted.count)).rounded(.up)) - 1))]
}

let baseline = try RegexBaseline()
var baselineTally = Tally()
for row in rows {
    // The regex list has no window: it sees the pieces of a split number one message at a time.
    baselineTally.count(row, flagged: baseline.flags(row.text))
}

let classes = tally.total.keys.sorted()
let obfuscated = classes.filter { $0 != "plain" }
var figures: [(String, Double)] = [
    ("messages", Double(rows.count)),
    ("positives", Double(tally.total.values.reduce(0, +))),
    ("negatives", Double(tally.negatives)),
    ("precision", tally.precision),
    ("recall_plain", tally.recall(["plain"])),
    ("recall_obfuscated", tally.recall(obfuscated)),
    ("recall_obfuscated_min", obfuscated.map { tally.recall([$0]) }.min() ?? 0),
    ("false_positives", Double(tally.falsePositives)),
    ("samples", Double(micros.count)),
    ("p50_us", percentile(50, of: micros)),
    ("p99_us", percentile(99, of: micros)),
    ("max_us", micros.last ?? 0),
    ("baseline_precision", baselineTally.precision),
    ("baseline_recall_plain", baselineTally.recall(["plain"])),
    ("baseline_recall_obfuscated", baselineTally.recall(obfuscated)),
    ("baseline_false_positives", Double(baselineTally.falsePositives)),
]
for name in obfuscated { figures.append(("recall_\(name)", tally.recall([name]))) }
for name in obfuscated { figures.append(("baseline_recall_\(name)", baselineTally.recall([name]))) }

if json {
    let object = Dictionary(uniqueKeysWithValues: figures)
    print(String(decoding: try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys]), as: UTF8.self))
} else {
    print("moderation on \(rows.count) corpus messages (\(rounds) rounds of timing); baseline: a regex list")
    let width = figures.map(\.0.count).max() ?? 0
    for (key, value) in figures {
        let shown = value >= 100 || value == value.rounded() ? String(format: "%.0f", value) : String(format: "%.3f", value)
        print(key.padding(toLength: width, withPad: " ", startingAt: 0) + "  " + shown)
    }
}
