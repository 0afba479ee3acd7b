import Foundation

extension UnsafeBufferPointer where Element == UInt8 {
    /// Where `needle` first occurs at or after `offset`, found with `memchr` on its first byte: how
    /// readers test a line's bytes before paying for decoding it.
    func firstOffset(of needle: [UInt8], from offset: Int = 0) -> Int? {
        guard let base = baseAddress, let first = needle.first else { return nil }
        var position = offset
        while position + needle.count <= count {
            guard let hit = memchr(base + position, Int32(first), count - position - needle.count + 1) else { return nil }
            let index = base.distance(to: hit.assumingMemoryBound(to: UInt8.self))
            let matches = needle.withUnsafeBufferPointer { pattern in
                pattern.baseAddress.map { memcmp(base + index, $0, needle.count) == 0 } ?? false
            }
            if matches { return index }
            position = index + 1
        }
        return nil
    }

    /// Whether `needle` occurs anywhere.
    func contains(bytes needle: [UInt8]) -> Bool { firstOffset(of: needle) != nil }
}
