import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// The terminal while the dashboard runs: raw keyboard input, the alternate screen and a hidden
/// cursor, all put back exactly as they were on `restore()` — also when the process is told to stop.
final class TerminalSession: @unchecked Sendable {
    private var original = termios()
    private var active = false
    private let output: Int32 = STDOUT_FILENO
    private let input: Int32 = STDIN_FILENO

    /// Enters raw mode and the alternate screen. Fails when standard input is not a terminal.
    func begin() throws(LsmTerminalError) {
        guard isatty(input) == 1, tcgetattr(input, &original) == 0 else { throw LsmTerminalError() }
        var raw = original
        raw.c_lflag &= ~tcflag_t(ECHO | ICANON | ISIG | IEXTEN)
        raw.c_iflag &= ~tcflag_t(IXON | ICRNL)
        // Reads return at once, with or without a key.
        withUnsafeMutableBytes(of: &raw.c_cc) { cc in
            cc[Int(VMIN)] = 0
            cc[Int(VTIME)] = 0
        }
        tcsetattr(input, TCSAFLUSH, &raw)
        active = true
        write("\u{1B}[?1049h\u{1B}[?25l\u{1B}[2J")
    }

    /// Leaves the alternate screen and restores the terminal's settings; safe to call twice.
    func restore() {
        guard active else { return }
        active = false
        write("\u{1B}[?2026l\u{1B}[0m\u{1B}[?25h\u{1B}[?1049l")
        tcsetattr(input, TCSAFLUSH, &original)
    }

    /// Rows and columns, or 24×80 when the terminal does not say.
    var size: (rows: Int, columns: Int) {
        var window = winsize()
        guard ioctl(output, UInt(TIOCGWINSZ), &window) == 0, window.ws_row > 0, window.ws_col > 0 else { return (24, 80) }
        return (Int(window.ws_row), Int(window.ws_col))
    }

    /// The bytes typed since the last call.
    func readKeys() -> [UInt8] {
        var bytes = [UInt8](repeating: 0, count: 64)
        let count = bytes.withUnsafeMutableBytes { read(input, $0.baseAddress, 64) }
        return count > 0 ? Array(bytes.prefix(count)) : []
    }

    /// Writes everything in one call, so a frame never shows half drawn.
    func write(_ text: String) {
        let data = Array(text.utf8)
        let total = data.count
        data.withUnsafeBytes { bytes in
            var offset = 0
            while offset < total, let base = bytes.baseAddress {
                let written = Glibc.write(output, base + offset, total - offset)
                if written <= 0 { break }
                offset += written
            }
        }
    }
}

/// Standard input is not a terminal, so the dashboard cannot run interactively.
struct LsmTerminalError: Error {}
