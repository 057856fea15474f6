import Projections

/// The frames the server sends besides updates (see ``WireFormat/frame(_:)``), as JSON bytes.
enum ServerFrames {
    /// `live`: the catch-up is complete; updates after `offset` follow as they happen.
    static func live(offset: Int64, epoch: String) -> [UInt8] {
        self.object("live") { writer in
            writer.key("offset")
            writer.int(offset)
            writer.key("epoch")
            writer.string(epoch)
        }
    }

    /// One page of a `snapshot`: the user's inbox as of `offset`, which live updates continue from.
    static func snapshot(
        reason: LiveFeed.SnapshotReason, offset: Int64, epoch: String, rows: ArraySlice<InboxRow>, versions: [String: Int], last: Bool
    ) -> [UInt8] {
        self.object("snapshot") { writer in
            writer.key("reason")
            writer.string(reason.rawValue)
            writer.key("offset")
            writer.int(offset)
            writer.key("epoch")
            writer.string(epoch)
            writer.key("inbox")
            writer.beginArray()
            for row in rows { WireFormat.write(row, version: versions[row.conversationId], into: &writer) }
            writer.endArray()
            writer.key("last")
            writer.bool(last)
        }
    }

    /// `ack` of a message: where it landed; `duplicate` when it was a retry of one already sent.
    static func ack(ref: String?, _ ack: Commands.MessageAck) -> [UInt8] {
        self.object("ack") { writer in
            self.ref(ref, into: &writer)
            ack.writeMembers(into: &writer)
        }
    }

    /// `ack` of a watermark.
    static func ack(ref: String?, _ appended: Commands.Appended) -> [UInt8] {
        self.object("ack") { writer in
            self.ref(ref, into: &writer)
            writer.key("offset")
            writer.int(appended.offset)
            writer.key("version")
            writer.int(Int64(appended.version))
        }
    }

    /// `error`: the HTTP API's code and message; `ref` names the client frame it answers.
    static func error(ref: String?, _ error: APIError) -> [UInt8] {
        self.object("error") { writer in
            self.ref(ref, into: &writer)
            error.writeMembers(into: &writer)
        }
    }

    /// `close`: the server ends the stream for `reason`, with the WebSocket close code it would
    /// use; how Server-Sent Events say what a WebSocket's close frame says.
    static func close(_ reason: CloseReason) -> [UInt8] {
        self.object("close") { writer in
            writer.key("code")
            writer.int(Int64(reason.code))
            writer.key("reason")
            writer.string(reason.text)
        }
    }

    /// `pong`, answering a `ping`.
    static func pong(ref: String?) -> [UInt8] {
        self.object("pong") { writer in self.ref(ref, into: &writer) }
    }

    private static func ref(_ ref: String?, into writer: inout JSONWriter) {
        guard let ref else { return }
        writer.key("ref")
        writer.string(ref)
    }

    private static func object(_ type: String, _ members: (inout JSONWriter) -> Void) -> [UInt8] {
        var writer = JSONWriter(capacity: 192)
        writer.beginObject()
        writer.key("type")
        writer.string(type)
        members(&writer)
        writer.endObject()
        return writer.bytes
    }
}
