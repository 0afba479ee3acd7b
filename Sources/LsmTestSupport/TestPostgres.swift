import Foundation

/// A real PostgreSQL server for tests: started once per test process on a temporary data directory
/// and a free loopback port (as the `postgres` user when running as root, which `initdb` refuses to
/// be), stopped and removed when the process exits. Each test takes a database of its own.
public final class TestPostgres: Sendable {
    /// The directory of `initdb`, `pg_ctl` and `createdb`, when PostgreSQL is installed.
    public static let binaries: String? = {
        let versions = (try? FileManager.default.contentsOfDirectory(atPath: "/usr/lib/postgresql")) ?? []
        for version in versions.sorted(by: { (Int($0) ?? 0) > (Int($1) ?? 0) }) {
            let bin = "/usr/lib/postgresql/\(version)/bin"
            if FileManager.default.isExecutableFile(atPath: bin + "/initdb") { return bin }
        }
        return nil
    }()

    /// Whether the tests can start PostgreSQL; they are skipped, saying so, when they cannot.
    public static var isInstalled: Bool { binaries != nil }

    /// The message of skipped PostgreSQL tests.
    public static let notInstalled = "PostgreSQL is not installed (make test-deps installs the postgresql package)"

    /// The server of this test process, started on first use.
    public static func shared() throws -> TestPostgres {
        try started.get()
    }

    private static let started: Result<TestPostgres, TestFailure> = {
        do { return .success(try TestPostgres()) } catch let error as TestFailure { return .failure(error) } catch {
            return .failure(TestFailure("\(error)"))
        }
    }()

    /// Set once the server runs, for the exit handler.
    nonisolated(unsafe) private static var running: TestPostgres?

    public let port: Int
    let bin: String
    let folder: String
    private let counter = Counter()

    private init() throws {
        guard let bin = Self.binaries else { throw TestFailure(Self.notInstalled) }
        self.bin = bin
        folder = NSTemporaryDirectory() + "lsm-postgres-\(getpid())-\(UUID().uuidString.prefix(8))"
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        if getuid() == 0 {
            try FileManager.default.setAttributes([.ownerAccountName: "postgres"], ofItemAtPath: folder)
        }
        try Self.runAsOwner(
            bin + "/initdb", ["-D", folder + "/data", "-A", "trust", "-U", "postgres", "-E", "UTF8", "--no-sync"], folder: folder)
        var lastError = ""
        for _ in 0..<3 {
            let port = try Self.freePort()
            let options = "-p \(port) -k \(folder) -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=200"
            do {
                try Self.runAsOwner(
                    bin + "/pg_ctl", ["-D", folder + "/data", "-l", folder + "/log", "-w", "-o", options, "start"], folder: folder)
                self.port = port
                Self.running = self
                atexit { TestPostgres.running?.stop() }
                return
            } catch {
                lastError = "\(error)"
            }
        }
        throw TestFailure("PostgreSQL did not start: \(lastError)")
    }

    /// A new empty database; returns its `postgres://` URL.
    public func newDatabase() throws -> String {
        let name = "lsm_test_\(counter.next())"
        let result = try ProcessRunner.run(
            bin + "/createdb", ["-h", "127.0.0.1", "-p", "\(port)", "-U", "postgres", name], in: "/",
            environment: ProcessInfo.processInfo.environment)
        guard result.status == 0 else { throw TestFailure("createdb failed: \(result.stderr)") }
        return "postgres://postgres@127.0.0.1:\(port)/\(name)"
    }

    /// Stops the server at once and removes its files.
    func stop() {
        _ = try? Self.runAsOwner(bin + "/pg_ctl", ["-D", folder + "/data", "-m", "immediate", "-w", "stop"], folder: folder)
        try? FileManager.default.removeItem(atPath: folder)
    }

    /// Runs a PostgreSQL program as the data directory's owner: `postgres` when we are root. It is
    /// launched, not run with pipes, since `pg_ctl start` leaves the server behind (its output goes
    /// to the server's log, quoted on failure).
    private static func runAsOwner(_ program: String, _ arguments: [String], folder: String) throws {
        let (executable, all) = getuid() == 0 ? ("/usr/sbin/runuser", ["-u", "postgres", "--", program] + arguments) : (program, arguments)
        let status = try ProcessRunner.launch(executable, all, in: "/", environment: ProcessInfo.processInfo.environment)
        guard status == 0 else {
            let log = (try? String(contentsOfFile: folder + "/log", encoding: .utf8)) ?? ""
            throw TestFailure("\((program as NSString).lastPathComponent) failed (\(status)); server log:\n\(log.suffix(2000))")
        }
    }

    /// A loopback port nothing listens on right now.
    private static func freePort() throws -> Int {
        let socket = Foundation.socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard socket >= 0 else { throw TestFailure("socket failed") }
        defer { close(socket) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                bind(socket, $0, length) == 0 && getsockname(socket, $0, &length) == 0
            }
        }
        guard bound else { throw TestFailure("bind failed") }
        return Int(UInt16(bigEndian: address.sin_port))
    }

    private final class Counter: @unchecked Sendable {
        private let lock = NSLock()
        private var value = 0
        func next() -> Int {
            lock.lock()
            defer { lock.unlock() }
            value += 1
            return value
        }
    }
}
