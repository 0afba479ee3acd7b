import Foundation
import LsmCore

#if canImport(Glibc)
    import Glibc
#endif

/// The interactive dashboard: draws frames (only the lines that changed, each frame in one write with
/// synchronized output), reads keys, follows resizes, and restores the terminal however it ends.
struct DashboardLoop {
    let source: DashboardSource
    let style: Style
    let interval: Double

    /// Set by signal handlers, read by the loop; a byte written to `wake` ends the loop's wait at once.
    private final class Flags: @unchecked Sendable {
        private let lock = NSLock()
        private var resizedValue = false
        private var stopValue = false
        let wake: (read: Int32, write: Int32)

        init() {
            var ends: [Int32] = [-1, -1]
            if pipe(&ends) != 0 { ends = [-1, -1] }
            wake = (ends[0], ends[1])
        }

        deinit {
            if wake.read >= 0 { close(wake.read) }
            if wake.write >= 0 { close(wake.write) }
        }

        var resized: Bool {
            get { lock.withLock { resizedValue } }
            set { lock.withLock { resizedValue = newValue } }
        }

        var stop: Bool {
            get { lock.withLock { stopValue } }
            set { lock.withLock { stopValue = newValue } }
        }

        func signal(stop: Bool) {
            if stop { self.stop = true } else { resized = true }
            var byte: UInt8 = 1
            if wake.write >= 0 { _ = Glibc.write(wake.write, &byte, 1) }
        }

        /// Empties the wake pipe after a wait it ended.
        func drain() {
            guard wake.read >= 0 else { return }
            var bytes = [UInt8](repeating: 0, count: 64)
            let flags = fcntl(wake.read, F_GETFL)
            _ = fcntl(wake.read, F_SETFL, flags | O_NONBLOCK)
            while bytes.withUnsafeMutableBytes({ read(wake.read, $0.baseAddress, 64) }) > 0 {}
        }
    }

    func run() throws {
        let terminal = TerminalSession()
        do {
            try terminal.begin()
        } catch {
            throw LsmError(.user, "the dashboard needs a terminal", hint: "use git lsm monitor --once for a single frame")
        }
        defer { terminal.restore() }
        let flags = Flags()
        var signalSources: [DispatchSourceSignal] = []
        for number in [SIGWINCH, SIGTERM, SIGINT, SIGHUP] {
            signal(number, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: number, queue: .global())
            source.setEventHandler { flags.signal(stop: number != SIGWINCH) }
            source.resume()
            signalSources.append(source)
        }
        defer {
            for source in signalSources { source.cancel() }
        }

        var selection = DashboardView.Selection()
        var previous: [String] = []
        var snapshot = try source.snapshot(changes: .unknown)
        var lastFullRefresh = Date()
        while !flags.stop {
            let size = terminal.size
            if flags.resized {
                flags.resized = false
                previous = []
                terminal.write("\u{1B}[2J")
            }
            let lines = DashboardView(snapshot: snapshot, selection: selection, style: style, size: size, title: source.title).lines()
            terminal.write(Self.frame(lines, previous: previous))
            previous = lines
            Self.wait(seconds: interval, orUntilReadable: flags.wake.read)
            flags.drain()
            if flags.stop { break }
            let quit = Self.handle(
                terminal.readKeys(), selection: &selection, rows: DashboardView.visibleRows(snapshot, filter: selection.filter).count)
            if quit { break }
            // The watcher says which files grew; a full look every minute catches what it cannot see.
            var changes = source.watcher.changes()
            if Date().timeIntervalSince(lastFullRefresh) > 60 {
                changes = .unknown
                lastFullRefresh = Date()
            }
            snapshot = try source.snapshot(changes: changes)
        }
    }

    /// The escape sequences that turn the `previous` screen into `lines`, in one synchronized update.
    static func frame(_ lines: [String], previous: [String]) -> String {
        var out = "\u{1B}[?2026h"
        for (row, line) in lines.enumerated() where row >= previous.count || previous[row] != line {
            out += "\u{1B}[\(row + 1);1H" + line + "\u{1B}[K"
        }
        return out + "\u{1B}[?2026l"
    }

    /// Waits until a key is pressed, a signal arrives (a byte on `wake`), or `seconds` pass.
    static func wait(seconds: Double, orUntilReadable wake: Int32) {
        var descriptors = [
            pollfd(fd: STDIN_FILENO, events: Int16(POLLIN), revents: 0), pollfd(fd: wake, events: Int16(POLLIN), revents: 0),
        ]
        _ = poll(&descriptors, nfds_t(wake >= 0 ? 2 : 1), Int32(seconds * 1000))
    }

    /// Applies typed keys to the selection; returns true to quit.
    static func handle(_ keys: [UInt8], selection: inout DashboardView.Selection, rows: Int) -> Bool {
        var index = 0
        while index < keys.count {
            let key = keys[index]
            index += 1
            if selection.editingFilter {
                switch key {
                case 13, 10: selection.editingFilter = false
                case 27:
                    selection.editingFilter = false
                    selection.filter = ""
                    if index + 1 < keys.count, keys[index] == 91 { index += 2 }
                case 127, 8: if !selection.filter.isEmpty { selection.filter.removeLast() }
                case 3: return true
                case 32...126: selection.filter.append(Character(Unicode.Scalar(key)))
                default: break
                }
                selection.index = 0
                continue
            }
            switch key {
            case UInt8(ascii: "q"), 3: return true
            case UInt8(ascii: "/"):
                selection.editingFilter = true
            case 13, 10:
                selection.showingDetail.toggle()
            case 27 where index + 1 < keys.count && keys[index] == 91:
                let arrow = keys[index + 1]
                index += 2
                if arrow == 65 { selection.index = max(0, selection.index - 1) }
                if arrow == 66 { selection.index = min(max(0, rows - 1), selection.index + 1) }
            case UInt8(ascii: "k"): selection.index = max(0, selection.index - 1)
            case UInt8(ascii: "j"): selection.index = min(max(0, rows - 1), selection.index + 1)
            default: break
            }
        }
        return false
    }
}
