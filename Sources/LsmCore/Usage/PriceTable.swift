import Foundation

/// Prices and context windows by model, matched the way agents name models in their logs.
///
/// The embedded table (`pricing.json`, shipped in the binary) can be overridden or extended per model
/// by `$LSM_HOME/pricing.json` of the same shape.
public struct PriceTable: Sendable {
    private struct File: Codable {
        var version: String?
        var models: [String: ModelPrice]
    }

    /// The table's version (the date of the embedded snapshot).
    public let version: String
    private let models: [String: ModelPrice]

    /// The table shipped with lsm.
    public static let embedded: PriceTable = {
        let data = Data(PackageResources.pricing_json)
        // The embedded file is checked by a test; an empty table would only make every cost null.
        let file = (try? JSONDecoder().decode(File.self, from: data)) ?? File(version: nil, models: [:])
        return PriceTable(version: file.version ?? "unknown", models: file.models)
    }()

    init(version: String, models: [String: ModelPrice]) {
        self.version = version
        var normalized: [String: ModelPrice] = [:]
        for (name, price) in models { normalized[Self.normalize(name)] = price }
        self.models = normalized
    }

    /// The embedded table with the user's overrides from `file` applied (when the file exists).
    public static func loading(overridesFrom file: URL) throws(LsmError) -> PriceTable {
        guard FileManager.default.fileExists(atPath: file.path) else { return embedded }
        do {
            let overrides = try JSONDecoder().decode(File.self, from: try Data(contentsOf: file))
            return embedded.merging(overrides.models, version: overrides.version)
        } catch {
            throw LsmError(
                .user, "cannot read the price table \(file.path)",
                hint: "fix it (same shape as docs/pricing.md shows) or remove it to use the built-in prices",
                cause: "\(error)")
        }
    }

    func merging(_ overrides: [String: ModelPrice], version: String?) -> PriceTable {
        var merged = models
        for (name, price) in overrides { merged[Self.normalize(name)] = price }
        return PriceTable(version: version.map { "\(self.version)+\($0)" } ?? "\(self.version)+user", normalizedModels: merged)
    }

    private init(version: String, normalizedModels: [String: ModelPrice]) {
        self.version = version
        self.models = normalizedModels
    }

    /// The price of `model`, or `nil` when lsm does not know it.
    ///
    /// Names are compared after normalizing (see `normalize`); failing an exact match, the longest
    /// known name that the model's name starts with wins, provided what follows is a variant word
    /// (`-fast`, `-thinking`), never a version number: `claude-opus-4-9` is not `claude-opus-4`.
    public func price(for model: String) -> ModelPrice? {
        let name = Self.normalize(model)
        if let exact = models[name] { return exact }
        var best: (key: String, price: ModelPrice)?
        for (key, price) in models where name.hasPrefix(key + "-") && key.count > (best?.key.count ?? 0) {
            let next = name.dropFirst(key.count + 1).first
            if let next, next.isLetter { best = (key, price) }
        }
        return best?.price
    }

    /// Lowercases, drops provider prefixes (`anthropic/`, `openai/`, `copilot/`, Bedrock's
    /// `us.anthropic.`), Bedrock's `-v1:0`, and date suffixes (`-20250929`, `@20251101`), and writes
    /// `.` as `-`, so `gpt-5.2-codex` and `us.anthropic.claude-sonnet-4-5-20250929-v1:0` find their rows.
    static func normalize(_ model: String) -> String {
        var name = model.lowercased().trimmingCharacters(in: .whitespaces)
        if let slash = name.lastIndex(of: "/") { name = String(name[name.index(after: slash)...]) }
        for region in ["us.", "eu.", "au.", "apac.", "global.", "jp."] where name.hasPrefix(region + "anthropic.") {
            name.removeFirst(region.count)
        }
        if name.hasPrefix("anthropic.") { name.removeFirst("anthropic.".count) }
        if let colon = name.firstIndex(of: ":") { name = String(name[..<colon]) }
        if name.hasSuffix("-v1") || name.hasSuffix("-v2") { name.removeLast(3) }
        name = name.replacingOccurrences(of: "@", with: "-").replacingOccurrences(of: ".", with: "-")
        // A trailing date: -YYYYMMDD.
        if name.count > 9 {
            let suffix = name.suffix(9)
            if suffix.first == "-", suffix.dropFirst().allSatisfy(\.isNumber) { name.removeLast(9) }
        }
        if name.hasSuffix("-latest") { name.removeLast("-latest".count) }
        return name
    }
}
