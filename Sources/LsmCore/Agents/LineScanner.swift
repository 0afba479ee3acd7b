import Foundation

/// Streams the complete lines of a file from a byte offset, with bounded memory.
///
/// Lines are handed out as views into a reusable buffer, so a 700 MB transcript costs one buffer,
/// not 700 MB. A last line without its newline is left for the next run (the agent is still writing
/// it). A single line longer than `maximumLineLength` is skipped and reported, never loaded whole.
struct LineScanner {
    /// The longest line handed out; longer ones are skipped (counted as malformed by readers). Lines
    /// with usage are small; only tool output grows this long, and two readers at this size stay
    /// within the memory bar.
    static let maximumLineLength = 32 << 20

    struct Outcome: Equatable {
        /// The offset just past the last complete line read: where the next run resumes.
        var endOffset: UInt64
        /// Lines longer than the maximum, skipped.
        var oversizedLines: Int
    }

    let path: String
    var chunkSize = 4 << 20

    /// A read buffer kept per thread: allocating (and so page-faulting) a fresh one for each of
    /// thousands of files costs more than reading them.
    private final class Buffer {
        var memory: UnsafeMutableRawBufferPointer

        init(size: Int) {
            memory = .allocate(byteCount: size, alignment: 64)
        }

        deinit {
            memory.deallocate()
        }
    }

    private static let bufferKey = "lsm.LineScanner.buffer"

    private func threadBuffer() -> Buffer {
        if let buffer = Thread.current.threadDictionary[Self.bufferKey] as? Buffer { return buffer }
        let buffer = Buffer(size: chunkSize)
        Thread.current.threadDictionary[Self.bufferKey] = buffer
        return buffer
    }

    /// Calls `body` with each complete line (without its newline) from `offset` on.
    func scan(from offset: UInt64, _ body: (UnsafeBufferPointer<UInt8>) -> Void) throws(TranscriptReadError) -> Outcome {
        try scanWithOffsets(from: offset) { line, _ in body(line) }
    }

    /// Calls `body` with each complete line (without its newline) and the file offset it starts at.
    func scanWithOffsets(from offset: UInt64, _ body: (UnsafeBufferPointer<UInt8>, UInt64) -> Void) throws(TranscriptReadError)
        -> Outcome
    {
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { throw TranscriptReadError(path: path, errno: errno) }
        defer { close(descriptor) }
        let owner = threadBuffer()
        var buffer = owner.memory
        // A buffer grown for a long line goes back to the thread's normal size afterwards.
        defer {
            if buffer.baseAddress != owner.memory.baseAddress { buffer.deallocate() }
        }
        var filled = 0  // bytes in the buffer
        var consumedOffset = offset  // file offset of buffer[0]
        var readOffset = offset
        var oversized = 0
        var skippingOversized = false
        // Where the line being skipped started: if the file ends inside it, the next run starts there.
        var oversizedStart: UInt64 = 0

        while true {
            if filled == buffer.count {
                if buffer.count >= Self.maximumLineLength {
                    // One line fills the largest buffer: drop it and skip to its end.
                    if !skippingOversized { oversizedStart = consumedOffset }
                    skippingOversized = true
                    consumedOffset += UInt64(filled)
                    filled = 0
                } else {
                    let larger = UnsafeMutableRawBufferPointer.allocate(
                        byteCount: min(buffer.count * 2, Self.maximumLineLength), alignment: 64)
                    larger.copyMemory(from: UnsafeRawBufferPointer(rebasing: buffer[0..<filled]))
                    // The thread's own buffer stays allocated for the next file; only grown ones go.
                    if buffer.baseAddress != owner.memory.baseAddress { buffer.deallocate() }
                    buffer = larger
                }
            }
            guard let bufferStart = buffer.baseAddress else { break }
            let count = pread(descriptor, bufferStart + filled, buffer.count - filled, off_t(readOffset))
            if count < 0 {
                if errno == EINTR { continue }
                throw TranscriptReadError(path: path, errno: errno)
            }
            if count == 0 { break }
            readOffset += UInt64(count)
            let base = bufferStart.assumingMemoryBound(to: UInt8.self)
            var lineStart = 0
            var searchFrom = filled
            filled += count
            while searchFrom < filled, let hit = memchr(base + searchFrom, 0x0A, filled - searchFrom) {
                let newline = base.distance(to: hit.assumingMemoryBound(to: UInt8.self))
                if skippingOversized {
                    skippingOversized = false
                    oversized += 1
                } else {
                    var end = newline
                    if end > lineStart, base[end - 1] == 0x0D { end -= 1 }
                    body(UnsafeBufferPointer(start: base + lineStart, count: end - lineStart), consumedOffset + UInt64(lineStart))
                }
                lineStart = newline + 1
                searchFrom = lineStart
            }
            // Keep the unfinished line at the front of the buffer.
            if lineStart > 0 {
                let remaining = filled - lineStart
                if remaining > 0 { memmove(bufferStart, bufferStart + lineStart, remaining) }
                filled = remaining
                consumedOffset += UInt64(lineStart)
            }
        }
        return Outcome(endOffset: skippingOversized ? oversizedStart : consumedOffset, oversizedLines: oversized)
    }
}

extension TranscriptBatch {
    /// Counts the lines a scan skipped for being too long: read, and malformed.
    mutating func countSkipped(_ outcome: LineScanner.Outcome) {
        lines += outcome.oversizedLines
        malformedLines += outcome.oversizedLines
    }
}
