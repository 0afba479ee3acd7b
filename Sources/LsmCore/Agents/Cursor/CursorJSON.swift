import Foundation

/// Reading JSONSerialization values the way Cursor writes them.
enum CursorJSON {
    /// An integer written as a JSON number (never a Boolean).
    static func int(_ value: Any?) -> Int? {
        // JSONSerialization gives `true` and `false` as NSNumbers of type `c` (char).
        guard let number = value as? NSNumber, number.objCType.pointee != CChar(UInt8(ascii: "c")) else { return nil }
        let double = number.doubleValue
        guard double.isFinite, abs(double) < 9e15 else { return nil }
        return Int(double)
    }

    /// A time written as an ISO 8601 string or as milliseconds since 1970.
    static func date(_ value: Any?) -> Date? {
        if let text = value as? String { return ISOTimestamp.parse(text) }
        guard let milliseconds = int(value) else { return nil }
        return ISOTimestamp.date(secondsOrMilliseconds: Double(milliseconds))
    }

    /// The JSON object in `data`, or `nil` when it is not one.
    static func object(_ data: Data) -> [String: Any]? {
        (try? JSONSerialization.jsonObject(with: data)) as? [String: Any]
    }
}
