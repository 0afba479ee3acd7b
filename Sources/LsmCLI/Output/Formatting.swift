import Foundation

/// How numbers, money, times and fill levels read in lsm's tables.
enum Formatting {
    /// `950`, `12.3k`, `4.56M`.
    static func tokens(_ count: Int) -> String {
        switch count {
        case ..<1_000: "\(count)"
        case ..<1_000_000: String(format: "%.1fk", Double(count) / 1_000)
        default: String(format: "%.2fM", Double(count) / 1_000_000)
        }
    }

    /// `$0.42`, `$12.30`; `n/a` when the cost is unknown.
    static func cost(_ value: Double?) -> String {
        guard let value else { return "n/a" }
        return String(format: "$%.2f", value)
    }

    /// `42%`; `-` when unknown.
    static func percent(_ fraction: Double?) -> String {
        guard let fraction, fraction.isFinite else { return "-" }
        return "\(Int((fraction * 100).rounded()))%"
    }

    /// `just now`, `5m ago`, `3h ago`, `2d ago`.
    static func age(_ date: Date?, now: Date) -> String {
        guard let date else { return "-" }
        let seconds = max(0, now.timeIntervalSince(date))
        guard seconds.isFinite, seconds < 1e12 else { return "-" }
        switch seconds {
        case ..<60: return "just now"
        case ..<3600: return "\(Int(seconds / 60))m ago"
        case ..<86_400: return "\(Int(seconds / 3600))h ago"
        default: return "\(Int(seconds / 86_400))d ago"
        }
    }

    /// An ISO 8601 time in UTC, to the second.
    static func timestamp(_ date: Date?) -> String {
        guard let date else { return "-" }
        return date.formatted(.iso8601)
    }

    /// The first characters of an id, enough to tell sessions apart.
    static func shortID(_ id: String) -> String { String(id.prefix(8)) }

    /// A link's confidence, two decimals (`0.85`); `-` when unknown.
    static func confidence(_ value: Double?) -> String { value.map { String(format: "%.2f", $0) } ?? "-" }
}

/// Left-aligned columns separated by two spaces, widths from the widest cell.
struct TextTable {
    var header: [String]
    var rows: [[String]] = []
    /// Columns to right-align (numbers).
    var rightAligned: Set<Int> = []

    func render(style: Style) -> [String] {
        let columns = ([header] + rows).map(\.count).max() ?? 0
        let widths = (0..<columns).map { column in
            ([header] + rows).map { $0.indices.contains(column) ? visibleWidth($0[column]) : 0 }.max() ?? 0
        }
        func line(_ cells: [String]) -> String {
            var text = cells.enumerated().map { column, cell in
                let padding = String(repeating: " ", count: max(0, widths[column] - visibleWidth(cell)))
                return rightAligned.contains(column) ? padding + cell : cell + padding
            }.joined(separator: "  ")
            while text.last == " " { text.removeLast() }
            return text
        }
        return [style.dim(line(header))] + rows.map(line)
    }

    /// Width in characters, not counting colour escapes (`ESC [ … m`).
    private func visibleWidth(_ text: String) -> Int {
        guard text.utf8.contains(0x1B) else { return text.count }
        var width = 0
        var inEscape = false
        for character in text {
            if inEscape {
                if character == "m" { inEscape = false }
            } else if character == "\u{1B}" {
                inEscape = true
            } else {
                width += 1
            }
        }
        return width
    }
}
