/// Domains the marketplace allows in messages: its own, and any partner it names.
struct DomainAllowList: Sendable {
    private let domains: Set<String>

    init(_ domains: [String]) {
        self.domains = Set(domains.map { $0.lowercased().trimmingPrefix("www.") }.map(String.init))
    }

    /// Whether `domain` is an allowed domain or a subdomain of one.
    func allows(_ domain: String) -> Bool {
        var rest = Substring(domain.lowercased())
        while true {
            if domains.contains(String(rest)) { return true }
            guard let dot = rest.firstIndex(of: ".") else { return false }
            rest = rest[rest.index(after: dot)...]
        }
    }
}
