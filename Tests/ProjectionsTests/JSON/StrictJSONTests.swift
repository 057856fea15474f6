import Foundation
import Projections
import Testing

@Suite("StrictJSON: RFC 8259 and nothing more")
struct StrictJSONTests {
    @Test("accepts what RFC 8259 allows", arguments: [
        #"{}"#, #"[]"#, #" {"a":[1,-2,0.5,1e3,-0.0E-7,true,false,null,"\u00e9\n"]} "#, #""text""#, "0", "-12",
        #"{"a":{"a":{"a":1}},"b":[{"a":1},{"a":2}]}"#,
    ])
    func accepts(_ text: String) throws {
        try StrictJSON.validate(Array(text.utf8))
        // Foundation agrees that these are JSON.
        _ = try JSONSerialization.jsonObject(with: Data(text.utf8), options: [.fragmentsAllowed])
    }

    @Test("refuses what Foundation's decoder would take or guess at", arguments: [
        (#"{"a":1,}"#, "trailing comma"),
        (#"[1,2,]"#, "trailing comma"),
        ("\u{FEFF}{}", "expected a value"),
        (#"{"a":1,"a":2}"#, "duplicate key"),
        (#"{"a":1,"\u0061":2}"#, "duplicate key"),
        ("01", "not a JSON number"),
        ("1.", "not a JSON number"),
        ("-", "not a JSON number"),
        ("1e", "not a JSON number"),
        ("+1", "expected a value"),
        ("NaN", "expected a value"),
        (#"{"a":1} {"#, "unexpected bytes"),
        ("", "expected a value"),
    ])
    func refuses(_ text: String, mentioning: String) {
        #expect {
            try StrictJSON.validate(Array(text.utf8))
        } throws: { error in
            (error as? JSONError)?.message.contains(mentioning) == true
        }
    }

    @Test("nesting is bounded: 32 levels pass, 33 are refused")
    func depth() throws {
        let ok = String(repeating: "[", count: StrictJSON.maximumDepth) + String(repeating: "]", count: StrictJSON.maximumDepth)
        try StrictJSON.validate(Array(ok.utf8))
        let deep = "[" + ok + "]"
        #expect(throws: JSONError.self) { try StrictJSON.validate(Array(deep.utf8)) }
    }
}
