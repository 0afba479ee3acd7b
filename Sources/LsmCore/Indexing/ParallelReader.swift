import Foundation

/// Runs a read step on every core and a write step on the calling thread, in parallel: readers hand
/// finished results to the writer through a small queue, so memory stays bounded however many files
/// there are.
enum ParallelReader {
    /// How many results may wait for the writer.
    static let queueLimit = 256

    /// Runs `read` on every item on worker threads and `write` on this thread with every result that
    /// is ready (at least one), so the writer can commit many small results at once.
    static func run<Item: Sendable, Plan: Sendable, Result: Sendable>(
        _ items: [(Item, Plan)],
        read: @escaping @Sendable (Item, Plan) -> Result,
        write: ([(Item, Plan, Result)]) throws -> Void
    ) throws {
        guard !items.isEmpty else { return }
        let workers = max(1, min(ProcessInfo.processInfo.activeProcessorCount, items.count))
        let channel = Channel<(Item, Plan, Result)>(limit: queueLimit)
        let queue = WorkQueue(items)
        for _ in 0..<workers {
            Thread.detachNewThread {
                while let (item, plan) = queue.next() {
                    guard channel.put((item, plan, read(item, plan))) else { break }
                }
                channel.finishProducer()
            }
        }
        channel.expectProducers(workers)
        var failure: (any Error)?
        while let ready = channel.takeAll() {
            guard failure == nil else { continue }
            do {
                try write(ready)
            } catch {
                failure = error
                channel.cancel()
                queue.cancel()
            }
        }
        if let failure { throw failure }
    }
}

/// Hands out items to worker threads.
private final class WorkQueue<Element: Sendable>: @unchecked Sendable {
    private var items: [Element]
    private let lock = NSLock()

    init(_ items: [Element]) {
        self.items = items.reversed()
    }

    func next() -> Element? {
        lock.lock()
        defer { lock.unlock() }
        return items.popLast()
    }

    func cancel() {
        lock.lock()
        items.removeAll()
        lock.unlock()
    }
}

/// A bounded queue between producer threads and one consumer.
private final class Channel<Element>: @unchecked Sendable {
    private var buffer: [Element] = []
    private let limit: Int
    private var producers = 0
    private var finished = 0
    private var cancelled = false
    private let condition = NSCondition()

    init(limit: Int) {
        self.limit = limit
    }

    func expectProducers(_ count: Int) {
        condition.lock()
        producers = count
        condition.broadcast()
        condition.unlock()
    }

    /// Waits for room; false when the consumer gave up.
    func put(_ element: Element) -> Bool {
        condition.lock()
        defer { condition.unlock() }
        while buffer.count >= limit && !cancelled { condition.wait() }
        if cancelled { return false }
        buffer.append(element)
        condition.broadcast()
        return true
    }

    func finishProducer() {
        condition.lock()
        finished += 1
        condition.broadcast()
        condition.unlock()
    }

    /// Every element waiting (at least one), or `nil` once every producer is done and the queue is empty.
    func takeAll() -> [Element]? {
        condition.lock()
        defer { condition.unlock() }
        while buffer.isEmpty && (producers == 0 || finished < producers) { condition.wait() }
        guard !buffer.isEmpty else { return nil }
        let elements = buffer
        buffer.removeAll(keepingCapacity: true)
        condition.broadcast()
        return elements
    }

    func cancel() {
        condition.lock()
        cancelled = true
        buffer.removeAll()
        condition.broadcast()
        condition.unlock()
    }
}
