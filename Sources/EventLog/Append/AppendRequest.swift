/// Events to append to one or more streams in one atomic step: all of them are written, or none.
public struct AppendRequest: Sendable, Hashable {
    /// The events for one stream, with what the stream's version must be.
    public struct StreamEvents: Sendable, Hashable {
        /// The stream to append to.
        public var stream: StreamName
        /// What the stream's version must be for the append to go ahead.
        public var expectedVersion: ExpectedVersion
        /// The events, in order.
        public var events: [EventData]

        /// Creates the part of a request for one stream.
        public init(stream: StreamName, expectedVersion: ExpectedVersion = .any, events: [EventData]) {
            self.stream = stream
            self.expectedVersion = expectedVersion
            self.events = events
        }
    }

    /// The streams and their events, in the order their events take in the log. A stream may
    /// appear in more than one part (its events interleaved with other streams') when every part
    /// of it expects `.any` version.
    public var streams: [StreamEvents]

    /// Creates a request over several streams.
    public init(_ streams: [StreamEvents]) { self.streams = streams }

    /// Creates a request for one stream.
    public init(stream: StreamName, expectedVersion: ExpectedVersion = .any, events: [EventData]) {
        self.streams = [StreamEvents(stream: stream, expectedVersion: expectedVersion, events: events)]
    }

    /// How many events the request holds.
    public var eventCount: Int { self.streams.reduce(0) { $0 + $1.events.count } }
}

/// Where an append's events landed.
public struct AppendResult: Sendable, Hashable {
    /// One appended event's place.
    public struct Appended: Sendable, Hashable {
        /// Global position.
        public var position: Int64
        /// The stream.
        public var stream: StreamName
        /// Version within the stream.
        public var streamVersion: Int
    }

    /// The events' places, in request order.
    public var events: [Appended]
    /// True when every event was already in the log (a retry): the places are the originals' and nothing was written.
    public var deduplicated: Bool

    /// The position of the last event.
    public var lastPosition: Int64 { self.events.last?.position ?? 0 }
}
