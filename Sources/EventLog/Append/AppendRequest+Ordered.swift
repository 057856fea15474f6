extension AppendRequest {
    /// Groups events into append requests without changing their order in the log: consecutive
    /// events of one stream share a part (a stream may come back in a later part), and a request
    /// ends at `maxEvents`. Appending the requests one after another reproduces the order; each
    /// request is one round trip and one transaction, so bulk loads (an import) use large ones.
    public static func preservingOrder(_ events: [(stream: StreamName, event: EventData)], maxEvents: Int = 500) -> [AppendRequest] {
        var requests: [AppendRequest] = []
        var parts: [StreamEvents] = []
        var count = 0
        for (stream, event) in events {
            if count >= max(1, maxEvents) {
                requests.append(AppendRequest(parts))
                parts = []
                count = 0
            }
            if parts.last?.stream == stream {
                parts[parts.count - 1].events.append(event)
            } else {
                parts.append(StreamEvents(stream: stream, events: [event]))
            }
            count += 1
        }
        if !parts.isEmpty { requests.append(AppendRequest(parts)) }
        return requests
    }
}
