import Foundation

/// Parses the ISO 8601 timestamps agents write (`2025-12-16T00:35:45.073Z`, with or without
/// fractional seconds, `Z` or a `±hh:mm` offset) straight from bytes, far faster than a formatter.
enum ISOTimestamp {
    static func parse(_ text: UnsafeBufferPointer<UInt8>) -> Date? {
        guard text.count >= 19, let base = text.baseAddress else { return nil }
        func digits(_ start: Int, _ count: Int) -> Int? {
            var value = 0
            for index in start..<(start + count) {
                let byte = base[index]
                guard byte >= 0x30, byte <= 0x39 else { return nil }
                value = value * 10 + Int(byte - 0x30)
            }
            return value
        }
        guard let year = digits(0, 4), (2000...2100).contains(year), base[4] == UInt8(ascii: "-"), let month = digits(5, 2),
            base[7] == UInt8(ascii: "-"),
            let day = digits(8, 2), base[10] == UInt8(ascii: "T") || base[10] == UInt8(ascii: " "), let hour = digits(11, 2),
            base[13] == UInt8(ascii: ":"), let minute = digits(14, 2), base[16] == UInt8(ascii: ":"), let second = digits(17, 2),
            (1...12).contains(month), (1...31).contains(day), hour < 24, minute < 60, second <= 60
        else { return nil }
        var index = 19
        var fraction = 0.0
        if index < text.count, base[index] == UInt8(ascii: ".") {
            index += 1
            var scale = 0.1
            while index < text.count, base[index] >= 0x30, base[index] <= 0x39 {
                fraction += Double(base[index] - 0x30) * scale
                scale /= 10
                index += 1
            }
        }
        var offsetSeconds = 0
        if index < text.count {
            switch base[index] {
            case UInt8(ascii: "Z"), UInt8(ascii: "z"):
                break
            case UInt8(ascii: "+"), UInt8(ascii: "-"):
                guard index + 6 <= text.count, let hours = digits(index + 1, 2), let minutes = digits(index + 4, 2) else { return nil }
                offsetSeconds = (hours * 3600 + minutes * 60) * (base[index] == UInt8(ascii: "-") ? -1 : 1)
            default:
                return nil
            }
        }
        let days = daysFromCivil(year: year, month: month, day: day)
        let seconds = days * 86_400 + hour * 3600 + minute * 60 + second - offsetSeconds
        return Date(timeIntervalSince1970: Double(seconds) + fraction)
    }

    /// A numeric time, in seconds or milliseconds since 1970. Transcripts are from this century;
    /// anything else is corrupt (and would overflow durations), so it reads as no time.
    static func date(secondsOrMilliseconds number: Double) -> Date? {
        guard number.isFinite else { return nil }
        let seconds = number > 100_000_000_000 ? number / 1000 : number
        guard (946_684_800...4_102_444_800).contains(seconds) else { return nil }
        return Date(timeIntervalSince1970: seconds)
    }

    static func parse(_ string: String) -> Date? {
        var copy = string
        return copy.withUTF8 { parse($0) }
    }

    /// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's algorithm).
    private static func daysFromCivil(year: Int, month: Int, day: Int) -> Int {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yearOfEra = y - era * 400
        let dayOfYear = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146_097 + dayOfEra - 719_468
    }
}

extension JSONCursor {
    /// Reads a timestamp: an ISO 8601 string, or a number of seconds (or milliseconds) since 1970.
    mutating func readTimestamp() -> Date? {
        if peek() == UInt8(ascii: "\"") {
            guard let range = readStringRange() else { return nil }
            return ISOTimestamp.parse(UnsafeBufferPointer(start: base + range.lowerBound, count: range.count))
        }
        guard let number = readDouble() else { return nil }
        return ISOTimestamp.date(secondsOrMilliseconds: number)
    }
}

extension ISOTimestamp {
    /// A JSON decoder that reads dates as the ISO 8601 text lsm writes (with or without fractions),
    /// for the JSON lsm keeps in git (notes, comment operations).
    static func jsonDecoder() -> JSONDecoder {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .custom { decoder in
            let text = try decoder.singleValueContainer().decode(String.self)
            guard let date = ISOTimestamp.parse(text) else {
                throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: "not a date: \(text)"))
            }
            return date
        }
        return decoder
    }
}
