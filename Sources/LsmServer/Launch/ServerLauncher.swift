import Foundation
import LsmCore

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Starts `git lsm serve` in the background, in its own session so it outlives the terminal, and
/// stops a running one.
public enum ServerLauncher {
    /// Starts `executable -C directory serve arguments…` detached (output to `paths.log`) and waits
    /// until it has written its record.
    public static func start(
        executable: String, directory: String, arguments: [String], environment: [String: String], paths: ServerPaths,
        timeout: TimeInterval = 60
    ) throws(LsmError) -> ServerRecord {
        try? FileManager.default.createDirectory(atPath: paths.folder, withIntermediateDirectories: true)
        closeInheritedDescriptorsOnExec()
        var actions: posix_spawn_file_actions_t = .init()
        var attributes: posix_spawnattr_t = .init()
        posix_spawn_file_actions_init(&actions)
        posix_spawnattr_init(&attributes)
        defer {
            posix_spawn_file_actions_destroy(&actions)
            posix_spawnattr_destroy(&attributes)
        }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, paths.log, O_WRONLY | O_CREAT | O_APPEND, 0o600)
        posix_spawn_file_actions_adddup2(&actions, 1, 2)
        // POSIX_SPAWN_SETSID: a new session, so closing the terminal does not hang the server up.
        posix_spawnattr_setflags(&attributes, Int16(0x80))
        let argv = [executable, "-C", directory, "serve"] + arguments
        let env = environment.map { "\($0.key)=\($0.value)" }
        var pid: pid_t = 0
        let status = withCStrings(argv) { argvPointers in
            withCStrings(env) { envPointers in posix_spawn(&pid, executable, &actions, &attributes, argvPointers, envPointers) }
        }
        guard status == 0 else {
            throw LsmError(.internal, "cannot start the server", cause: String(cString: strerror(status)))
        }
        let deadline = Date().addingTimeInterval(timeout)
        while Date() < deadline {
            if let record = ServerRecord.read(paths.record), record.pid == pid { return record }
            var exitStatus: Int32 = 0
            if waitpid(pid, &exitStatus, WNOHANG) == pid {
                throw LsmError(.user, "the server exited at once", hint: "see \(paths.log)", cause: lastLines(of: paths.log))
            }
            usleep(50_000)
        }
        throw LsmError(.user, "the server did not start within \(Int(timeout)) s", hint: "see \(paths.log)")
    }

    /// Stops the server of `record` (SIGTERM, then SIGKILL after `timeout`); removes its record.
    public static func stop(_ record: ServerRecord, paths: ServerPaths, timeout: TimeInterval = 10) {
        kill(record.pid, SIGTERM)
        let deadline = Date().addingTimeInterval(timeout)
        while record.isAlive && Date() < deadline {
            var status: Int32 = 0
            _ = waitpid(record.pid, &status, WNOHANG)
            usleep(50_000)
        }
        if record.isAlive { kill(record.pid, SIGKILL) }
        if ServerRecord.read(paths.record)?.pid == record.pid { try? FileManager.default.removeItem(atPath: paths.record) }
    }

    /// Marks every descriptor above standard error close-on-exec, so the server holds no pipe of
    /// whoever ran `git lsm review` (a caller reading its output to the end would wait forever).
    private static func closeInheritedDescriptorsOnExec() {
        guard let entries = try? FileManager.default.contentsOfDirectory(atPath: "/proc/self/fd") else { return }
        for entry in entries {
            guard let fd = Int32(entry), fd > 2 else { continue }
            let flags = fcntl(fd, F_GETFD)
            if flags >= 0 { _ = fcntl(fd, F_SETFD, flags | FD_CLOEXEC) }
        }
    }

    /// The executable of this process.
    public static func currentExecutable() -> String {
        (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? CommandLine.arguments[0]
    }

    private static func lastLines(of path: String) -> String? {
        guard let data = FileManager.default.contents(atPath: path) else { return nil }
        let lines = String(decoding: data, as: UTF8.self).split(separator: "\n").suffix(3)
        return lines.isEmpty ? nil : lines.joined(separator: "; ")
    }

    private static func withCStrings<R>(_ strings: [String], _ body: ([UnsafeMutablePointer<CChar>?]) -> R) -> R {
        var pointers = strings.map { strdup($0) }
        pointers.append(nil)
        defer { for pointer in pointers { free(pointer) } }
        return body(pointers)
    }
}
