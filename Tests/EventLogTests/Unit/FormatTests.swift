import Foundation
import Testing

@testable import EventLog

@Suite("Names, times, URLs and the COPY format")
struct FormatTests {
    @Test("stream names parse into category and id and print back")
    func streamNames() throws {
        let name = try StreamName("conversation-c-0000042")
        #expect(name.category == "conversation")
        #expect(name.id == "c-0000042")
        #expect(name.description == "conversation-c-0000042")
        #expect(try StreamName(category: "order", id: "o-1") == StreamName("order-o-1"))
        let long = #expect(throws: EventLogError.self) { try StreamName(category: "user", id: String(repeating: "x", count: 201)) }
        #expect(long?.message.contains("201 bytes; the limit is 200") == true)
    }

    @Test("timestamps print as ISO-8601 with microseconds, before and after 1970")
    func timestamps() {
        #expect(Timestamp(microseconds: 1_772_323_200_123_456).description == "2026-03-01T00:00:00.123456Z")
        #expect(Timestamp(microseconds: 0).description == "1970-01-01T00:00:00.000000Z")
        #expect(Timestamp(microseconds: -1).description == "1969-12-31T23:59:59.999999Z")
        #expect(Timestamp(microseconds: 951_782_400_000_000).description == "2000-02-29T00:00:00.000000Z")
    }

    @Test("database URLs parse, and bad ones are refused")
    func urls() throws {
        let url = try DatabaseURL("postgres://parley:s3cr%27t@127.0.0.1:54321/events")
        #expect(url.host == "127.0.0.1")
        #expect(url.port == 54321)
        #expect(url.username == "parley")
        #expect(url.database == "events")
        #expect(url.description == "postgres://parley@127.0.0.1:54321/events")
        #expect(url.withDatabase("x").database == "x")
        #expect(throws: EventLogError.self) { try DatabaseURL("mysql://a@b/c") }
        #expect(throws: EventLogError.self) { try DatabaseURL("not a url") }
    }

    @Test("binary COPY rows parse: header, NULLs, values, trailer")
    func copyFormat() throws {
        var message: [UInt8] = Array("PGCOPY\n".utf8) + [0xFF, 0x0D, 0x0A, 0x00] + [0, 0, 0, 0] + [0, 0, 0, 0]
        message += [0, 3]  // three fields
        message += [0, 0, 0, 8] + [0, 0, 0, 0, 0, 0, 1, 0x2C]  // int8 300
        message += [0xFF, 0xFF, 0xFF, 0xFF]  // NULL
        message += [0, 0, 0, 2] + [0xFF, 0xFE]  // int2 -2
        var reader = CopyBinaryReader()
        var fields: CopyBinaryReader.Fields = []
        let more = try message.withUnsafeBytes { try reader.fields(of: $0, into: &fields) }
        #expect(more)
        #expect(fields.count == 3)
        #expect(fields[1] == nil)
        message.withUnsafeBytes { bytes in
            #expect(CopyBinaryReader.int64(bytes, at: fields[0]!.lowerBound) == 300)
            #expect(CopyBinaryReader.int16(bytes, at: fields[2]!.lowerBound) == -2)
        }
        let trailer: [UInt8] = [0xFF, 0xFF]
        #expect(try trailer.withUnsafeBytes { try reader.fields(of: $0, into: &fields) } == false)
        var fresh = CopyBinaryReader()
        let text: [UInt8] = Array("1\tx\n".utf8)
        #expect(throws: EventLogError.self) { try text.withUnsafeBytes { try fresh.fields(of: $0, into: &fields) } }
    }
}
