import Foundation

/// Reads `--since` values: a date (`2026-11-01`), a time (`2026-11-01T09:00:00Z`), or a span back
/// from now (`90m`, `24h`, `7d`, `2w`).
public enum TimeFilter {
    public static func parse(_ text: String, now: Date) throws(LsmError) -> Date {
        let trimmed = text.trimmingCharacters(in: .whitespaces).lowercased()
        if let unit = trimmed.last, let amount = Double(trimmed.dropLast()), amount >= 0 {
            let seconds: Double? =
                switch unit {
                case "m": 60
                case "h": 3600
                case "d": 86_400
                case "w": 604_800
                default: nil
                }
            if let seconds { return now.addingTimeInterval(-amount * seconds) }
        }
        if trimmed.count == 10, let date = ISOTimestamp.parse(trimmed + "T00:00:00Z") { return date }
        if let date = ISOTimestamp.parse(text.trimmingCharacters(in: .whitespaces)) { return date }
        throw LsmError(.user, "cannot read '\(text)' as a date", hint: "use a date like 2026-11-01, or a span like 24h, 7d or 2w")
    }
}
