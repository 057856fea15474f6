extension AppendRequest {
    /// Groups events into append requests without changing their order in the log: consecutive
    /// events of one stream share a part, and a request ends where a stream would appear in it a
    /// second time or at `maxEvents`. Appending the requests one after another reproduces the order.
    public static func preservingOrder(_ events: [(stream: StreamName, event: EventData)], maxEvents: Int = 500) -> [AppendRequest] {
        var requests: [AppendRequest] = []
        var parts: [StreamEvents] = []
        var streams = Set<StreamName>()
        var count = 0
        for (stream, event) in events {
            if parts.last?.stream == stream, count < maxEvents {
                parts[parts.count - 1].events.append(event)
            } else {
                if streams.contains(stream) || count >= maxEvents {
                    requests.append(AppendRequest(parts))
                    parts = []
                    streams = []
                    count = 0
                }
                parts.append(StreamEvents(stream: stream, events: [event]))
                streams.insert(stream)
            }
            count += 1
        }
        if !parts.isEmpty { requests.append(AppendRequest(parts)) }
        return requests
    }
}
