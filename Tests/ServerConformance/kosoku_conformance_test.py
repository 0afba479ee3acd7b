"""WebSocket conformance of a real `git lsm serve`: kosoku runs the Autobahn|Testsuite cases (every case
but the compression ones, 12.* and 13.*) against the room endpoint `/ws?room=main`.

The token is got the way a person gets one: `git lsm review --json` makes an invite, `POST /api/join`
redeems it. kosoku cannot set request headers, so it connects through a relay that adds
`Authorization: Bearer <token>` to the upgrade request and points `Host` at the server (what a reverse
proxy does), then copies every byte both ways unchanged: the frames kosoku judges are the server's.

Two runs:

1. `git lsm serve --conformance-echo`: the same endpoint, checks and socket settings, answering each
   message with itself (Autobahn's cases need an echoing peer). Every case passes (OK, NON-STRICT or
   INFORMATIONAL, and a clean close) except the documented exceptions below, each of which must end
   with the server closing 1009 and echoing nothing.
2. `git lsm serve` as users run it, speaking the room protocol: the cases whose passing outcome has no
   echoed message (failing the connection on bad frames, bad UTF-8 and bad close frames, answering
   pings, the close handshake) must pass on the room itself. The others need an echo, which a room
   does not do (it answers with JSON), and are counted as not applicable.

    python kosoku_conformance_test.py <path to lsm>        (run by `make test-conformance`)
"""

from __future__ import annotations

import asyncio
import base64
import fnmatch
import http.client
import json
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time

from kosoku import FailureError, run_fuzzingclient

COMPRESSION = ["12.*", "13.*"]
# Messages over the server's 64 KiB frame and message limit (ServerLimits.maxFrameBytes,
# docs/protocol.md): the server closes with 1009 instead of echoing. Each must end exactly so.
OVER_THE_SIZE_LIMIT = {
    "9.1.2": "256 KiB text", "9.1.3": "1 MiB text", "9.1.4": "4 MiB text", "9.1.5": "8 MiB text",
    "9.1.6": "16 MiB text", "9.2.2": "256 KiB binary", "9.2.3": "1 MiB binary", "9.2.4": "4 MiB binary",
    "9.2.5": "8 MiB binary", "9.2.6": "16 MiB binary", "9.3.*": "4 MiB text in fragments",
    "9.4.*": "4 MiB binary in fragments", "9.5.*": "1 MiB text in chops", "9.6.*": "1 MiB binary in chops",
}
PASSING = {"OK", "NON-STRICT", "INFORMATIONAL"}
CLEAN = {"OK", "INFORMATIONAL"}


class Relay:
    """A TCP relay on a free loopback port: adds the bearer token to the upgrade request and rewrites
    `Host` to the server's address, then copies bytes both ways unchanged, passing half-closes on so
    that who closed first stays visible to kosoku."""

    def __init__(self, upstream_port: int, token: str) -> None:
        self.upstream_port = upstream_port
        self.token = token
        self.listener = socket.socket()
        self.listener.bind(("127.0.0.1", 0))
        self.listener.listen(64)
        self.port = self.listener.getsockname()[1]
        threading.Thread(target=self.accept, daemon=True).start()

    def accept(self) -> None:
        while True:
            try:
                client, _ = self.listener.accept()
            except OSError:
                return
            threading.Thread(target=self.serve, args=(client,), daemon=True).start()

    def serve(self, client: socket.socket) -> None:
        server = socket.create_connection(("127.0.0.1", self.upstream_port))
        for end in (client, server):
            end.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        head = b""
        while b"\r\n\r\n" not in head:
            chunk = client.recv(65536)
            if not chunk:
                client.close()
                server.close()
                return
            head += chunk
        head, rest = head.split(b"\r\n\r\n", 1)
        lines = [line for line in head.split(b"\r\n") if not line.lower().startswith((b"host:", b"authorization:"))]
        lines[1:1] = [b"Host: 127.0.0.1:%d" % self.upstream_port, b"Authorization: Bearer " + self.token.encode()]
        server.sendall(b"\r\n".join(lines) + b"\r\n\r\n" + rest)
        pipes = [threading.Thread(target=self.pipe, args=(client, server)),
                 threading.Thread(target=self.pipe, args=(server, client))]
        for pipe in pipes:
            pipe.start()
        for pipe in pipes:
            pipe.join()
        client.close()
        server.close()

    @staticmethod
    def pipe(source: socket.socket, target: socket.socket) -> None:
        try:
            while chunk := source.recv(65536):
                target.sendall(chunk)
        except OSError:
            pass
        try:
            target.shutdown(socket.SHUT_WR)
        except OSError:
            pass

    def close(self) -> None:
        self.listener.close()


def upgrade_status(port: int, token: str | None) -> int:
    """The status of a real upgrade request straight to the server (101 when accepted)."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    headers = {"Connection": "Upgrade", "Upgrade": "websocket", "Sec-WebSocket-Version": "13",
               "Sec-WebSocket-Key": base64.b64encode(os.urandom(16)).decode()}
    if token is not None:
        headers["Authorization"] = "Bearer " + token
    connection.request("GET", "/ws?room=main", headers=headers)
    status = connection.getresponse().status
    connection.close()
    return status


def matches(case: str, patterns) -> bool:
    return any(fnmatch.fnmatchcase(case, pattern) for pattern in patterns)


def needs_an_echo(result) -> bool:
    """Whether a passing outcome of this case includes a message the server sent back. Cases without
    a table of expected events (the 9.* limits and performance cases) judge the echo themselves."""
    if not result.expected:
        return True
    return any(event[0] == "message" for sequences in result.expected.values()
               for sequence in sequences for event in (sequence if isinstance(sequence, list) else [sequence])
               if isinstance(event, (list, tuple)) and event)


def passed(result) -> bool:
    return result.behavior.value in PASSING and result.behavior_close.value in CLEAN


def describe(result) -> str:
    return "%s: behavior %s, close %s (server sent %s, %s); %s" % (
        result.case_id, result.behavior.value, result.behavior_close.value, result.remote_close_code,
        result.result_close, result.result)


async def fuzz(url: str, concurrency: int, cases: list[str]):
    started = time.monotonic()
    try:
        results = await run_fuzzingclient(url, cases, COMPRESSION, concurrency=concurrency)
    except FailureError as failure:
        results = failure.results
    return results, time.monotonic() - started


class Server:
    """`git lsm serve` in the foreground on a free port; `review` finds it through server.json."""

    def __init__(self, lsm: str, repo: str, env: dict, *flags: str) -> None:
        self.process = subprocess.Popen([lsm, "serve", "--port", "0", *flags], cwd=repo, env=env, stdout=subprocess.PIPE,
                                        stderr=subprocess.DEVNULL, text=True)
        self.port = int(re.search(r":(\d+)", self.process.stdout.readline()).group(1))

    def stop(self) -> None:
        self.process.terminate()
        self.process.wait(timeout=30)


def main(lsm: str) -> int:
    folder = tempfile.mkdtemp(prefix="lsm-conformance-")
    env = dict(os.environ, HOME=folder, LSM_HOME=os.path.join(folder, "lsm-home"), GIT_CONFIG_GLOBAL="/dev/null",
               GIT_CONFIG_NOSYSTEM="1", GIT_AUTHOR_NAME="Ada", GIT_AUTHOR_EMAIL="ada@example.com",
               GIT_COMMITTER_NAME="Ada", GIT_COMMITTER_EMAIL="ada@example.com")
    repo = os.path.join(folder, "repo")
    subprocess.run(["git", "init", "-q", "-b", "main", repo], check=True, env=env)
    subprocess.run(["git", "-C", repo, "commit", "-q", "--allow-empty", "-m", "Initial"], check=True, env=env)
    failures: list[str] = []
    checks = 0
    concurrency = int(os.environ.get("CONFORMANCE_CONCURRENCY", "4"))
    server = Server(lsm, repo, env, "--conformance-echo")
    relay = None
    try:
        invite = json.loads(subprocess.run([lsm, "review", "--json", "--uses", "1"], cwd=repo, env=env,
                                           capture_output=True, text=True, check=True).stdout)["invite"]
        connection = http.client.HTTPConnection("127.0.0.1", server.port, timeout=10)
        connection.request("POST", "/api/join", body=json.dumps({"invite": invite, "name": "Kosoku"}),
                           headers={"Content-Type": "application/json"})
        response = connection.getresponse()
        token = json.loads(response.read())["accessToken"]
        connection.close()

        # The echo sits behind the room's checks: no token, no socket.
        for name, candidate, expected in (("without a token", None, 400), ("with the token", token, 101)):
            checks += 1
            status = upgrade_status(server.port, candidate)
            print("%s echo endpoint %s: upgrade %d" % ("ok  " if status == expected else "FAIL", name, status))
            if status != expected:
                failures.append("echo endpoint " + name)

        relay = Relay(server.port, token)
        url = "ws://127.0.0.1:%d/ws?room=main" % relay.port
        results, took = asyncio.run(fuzz(url, concurrency, ["*"]))
        # The cases whose passing outcome needs no echo (the tables of expected events are the cases'
        # own, whoever the peer is).
        applicable = [result.case_id for result in results if not needs_an_echo(result)]
        echo_only = len(results) - len(applicable)
        checks += len(results)
        print("run 1, echo: %d cases (all but %s) in %.1f s" % (len(results), ", ".join(COMPRESSION), took))
        if len(results) < 250:
            failures.append("echo run: only %d cases ran" % len(results))
        exceptions = 0
        for result in results:
            limit = next((why for pattern, why in OVER_THE_SIZE_LIMIT.items() if fnmatch.fnmatchcase(result.case_id, pattern)),
                         None)
            if limit is None:
                if not passed(result):
                    print("FAIL " + describe(result))
                    failures.append("echo " + result.case_id)
                continue
            exceptions += 1
            echoed = [event for event in (result.received or []) if event and event[0] == "message"]
            if result.remote_close_code != 1009 or echoed:
                print("FAIL %s (%s, over the 64 KiB limit): expected a 1009 close and no echo; %s" % (
                    result.case_id, limit, describe(result)))
                failures.append("echo " + result.case_id)
        print("  %d passed, %d documented exceptions (messages over the 64 KiB limit, each closed with 1009):" % (
            len(results) - exceptions, exceptions))
        for pattern, why in OVER_THE_SIZE_LIMIT.items():
            print("    %-6s %s" % (pattern, why))
        server.stop()
        relay.close()

        # The room itself, as users run it, with the same token.
        server = Server(lsm, repo, env)
        relay = Relay(server.port, token)
        url = "ws://127.0.0.1:%d/ws?room=main" % relay.port
        results, took = asyncio.run(fuzz(url, concurrency, applicable))
        print("run 2, room protocol: the %d cases that need no echo, in %.1f s" % (len(results), took))
        if len(results) != len(applicable) or len(results) < 100:
            failures.append("room run: %d of %d applicable cases ran" % (len(results), len(applicable)))
        checks += len(results)
        room_failures = [result for result in results if not passed(result)]
        for result in room_failures:
            print("FAIL room " + describe(result))
            failures.append("room " + result.case_id)
        print("  %d passed, %d failed; %d cases need an echo, which a room does not do (it answers with JSON)" % (
            len(results) - len(room_failures), len(room_failures), echo_only))
    finally:
        if relay:
            relay.close()
        server.stop()
        shutil.rmtree(folder, ignore_errors=True)
    print("conformance: %d passed, %d failed" % (checks - len(failures), len(failures)))
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main(os.path.abspath(sys.argv[1])))
