"""The review room under load (issue 9): 10, 100 and 1,000 WebSocket clients in one room, one sender
per ten, against three servers in the same run:

  * `git lsm serve` (the server under test: auth, SQLite commit before broadcast, acks);
  * the baseline, the predecessor's stack: bench/fastapi_room.py (FastAPI + uvicorn, from PyPI into
    a venv under the work folder), broadcasting the same event JSON;
  * the yardstick, `lsm bench-room trivial`: bare SwiftNIO that sends every frame to everyone. The
    generator receiving far more from it than from either server shows the generator is not the
    bottleneck.

The generator is `lsm bench-room load` (bare SwiftNIO; one process, each client's samples its own).
Fixed load: each sender sends 1 message/s (so 1,000 clients = 100 messages/s in = 100,000
deliveries/s); latency p50/p95/p99 from the send stamp to each receipt. Saturation: 1,000 clients,
each sender keeping 2 messages in flight (closed loop; against lsm at most 9/s per sender, its
per-connection limit being 10/s), deliveries per second. Memory per idle connection: the server's
RSS growth with 1,000 connections open and greeted, over 1,000. Every server is started fresh for each run.

Called from bench.py (`measure`, then `bars`); alone:
    python3 scripts/bench/room_bench.py --lsm .build/release/lsm [--quick] [--work .build-bench]
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.normpath(os.path.join(HERE, "..", ".."))
BASELINE = os.path.join(REPO, "bench", "fastapi_room.py")
REQUIREMENTS = os.path.join(REPO, "bench", "requirements.txt")
CLIENTS = (10, 100, 1000)


def log(message: str) -> None:
    print("bench: room: " + message, file=sys.stderr, flush=True)


def baseline_python(work: str) -> str:
    """The venv with FastAPI and uvicorn, made once."""
    venv = os.path.join(work, "room-venv")
    python = os.path.join(venv, "bin", "python")
    if subprocess.run([python, "-c", "import fastapi, uvicorn"], capture_output=True).returncode if os.path.exists(python) else 1:
        log("installing FastAPI and uvicorn into %s" % venv)
        subprocess.run([sys.executable, "-m", "venv", venv], check=True)
        subprocess.run([os.path.join(venv, "bin", "pip"), "install", "-q", "--disable-pip-version-check", "-r", REQUIREMENTS],
                       check=True)
    return python


class Server:
    """One server process, started fresh; `url`, `pid`, and for lsm an invite."""

    def __init__(self, kind: str, lsm: str, python: str, scratch: str) -> None:
        self.kind = kind
        self.invite = None
        self.folder = tempfile.mkdtemp(prefix="room-%s-" % kind, dir=scratch)
        self.env = dict(os.environ, HOME=self.folder, LSM_HOME=os.path.join(self.folder, "lsm-home"),
                        GIT_CONFIG_GLOBAL="/dev/null", GIT_CONFIG_NOSYSTEM="1", GIT_AUTHOR_NAME="Bench",
                        GIT_AUTHOR_EMAIL="bench@example.com", GIT_COMMITTER_NAME="Bench",
                        GIT_COMMITTER_EMAIL="bench@example.com")
        if kind == "lsm":
            repo = os.path.join(self.folder, "repo")
            subprocess.run(["git", "init", "-q", "-b", "main", repo], check=True, env=self.env)
            subprocess.run(["git", "-C", repo, "commit", "-q", "--allow-empty", "-m", "Initial"], check=True, env=self.env)
            argv, cwd = [lsm, "serve", "--port", "0"], repo
        elif kind == "fastapi":
            argv, cwd = [python, BASELINE, "--port", "0"], self.folder
        else:
            argv, cwd = [lsm, "bench-room", "trivial", "--port", "0"], self.folder
        self.process = subprocess.Popen(argv, cwd=cwd, env=self.env, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
                                        text=True)
        line = self.process.stdout.readline()
        match = re.search(r"(?:port |:)(\d+)", line)
        if not match:
            self.stop()
            raise RuntimeError("%s did not start: %r" % (kind, line))
        self.url = "http://127.0.0.1:%s" % match.group(1)
        # uvicorn prints nothing itself: wait until the port accepts connections.
        deadline = time.time() + 30
        while True:
            try:
                socket.create_connection(("127.0.0.1", int(match.group(1))), timeout=1).close()
                break
            except OSError:
                if time.time() > deadline:
                    self.stop()
                    raise RuntimeError("%s does not accept connections" % kind)
                time.sleep(0.05)
        self.pid = self.process.pid
        if kind == "lsm":
            out = subprocess.run([lsm, "review", "--uses", "1000", "--role", "commenter", "--json"], cwd=cwd, env=self.env,
                                 capture_output=True, text=True, check=True).stdout
            self.invite = json.loads(out)["invite"]

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        shutil.rmtree(self.folder, ignore_errors=True)


def load(lsm: str, server: Server, clients: int, rate: float | None, seconds: float) -> dict:
    argv = [lsm, "bench-room", "load", "--url", server.url, "--dialect", "lsm" if server.kind == "lsm" else "plain",
            "--clients", str(clients), "--seconds", str(seconds), "--server-pid", str(server.pid)]
    if server.invite:
        argv += ["--invite", server.invite]
    if rate is not None:
        argv += ["--rate", str(rate)]
    done = subprocess.run(argv, capture_output=True, text=True, timeout=seconds + 240)
    if done.returncode != 0:
        raise RuntimeError("bench-room load failed: %s" % done.stderr.strip()[-500:])
    return json.loads(done.stdout)


def measure(lsm: str, work: str, quick: bool, clients_list: tuple = CLIENTS, saturation_clients: int = 1000) -> dict:
    os.makedirs(work, exist_ok=True)
    python = baseline_python(work)
    scratch = tempfile.mkdtemp(prefix="room-bench-", dir=work)
    seconds = 5.0 if quick else 10.0
    results: dict = {"seconds": seconds, "runs": {}}
    try:
        for kind in ("trivial", "lsm", "fastapi"):
            runs = results["runs"].setdefault(kind, {})
            for clients in clients_list:
                server = Server(kind, lsm, python, scratch)
                try:
                    run = load(lsm, server, clients, clients / 10.0, seconds)
                finally:
                    server.stop()
                runs[str(clients)] = run
                log("%s, %d clients, %.0f msg/s in: p50 %s p99 %s ms, %.0f deliveries/s of %.0f expected, idle %s B/conn" % (
                    kind, clients, run["messagesInPerSecond"], fmt(run.get("p50Ms")), fmt(run.get("p99Ms")),
                    run["deliveriesPerSecond"], run["expected"] / seconds, fmt(run.get("idleBytesPerConnection"), 0)))
            server = Server(kind, lsm, python, scratch)
            try:
                run = load(lsm, server, saturation_clients, None, seconds)
            finally:
                server.stop()
            runs["saturation"] = run
            log("%s, saturation (%d clients): %.0f deliveries/s, %.0f msg/s in, p99 %s ms" % (
                kind, saturation_clients, run["deliveriesPerSecond"], run["messagesInPerSecond"], fmt(run.get("p99Ms"))))
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    return results


def fmt(value, digits: int = 1) -> str:
    return "–" if value is None else ("%." + str(digits) + "f") % value


def bars(result: dict) -> list[dict]:
    runs = result["runs"]
    lsm, base, trivial = runs["lsm"], runs["fastapi"], runs["trivial"]
    at = lsm["1000"]
    lost = at["expected"] - at["received"]
    sat, base_sat, triv_sat = (r["saturation"]["deliveriesPerSecond"] for r in (lsm, base, trivial))
    idle = at.get("idleBytesPerConnection")
    return [
        {"what": "room broadcast, 1,000 clients, 100 messages/s in (100,000 deliveries/s)", "target": "p99 ≤ 50 ms",
         "measured": "p50 %s, p95 %s, p99 %s ms; %.0f deliveries/s, %d lost (FastAPI p99 %s ms)" % (
             fmt(at["p50Ms"]), fmt(at["p95Ms"]), fmt(at["p99Ms"]), at["deliveriesPerSecond"], lost,
             fmt(base["1000"].get("p99Ms"))),
         "ok": at["p99Ms"] is not None and at["p99Ms"] <= 50 and lost == 0},
        {"what": "room deliveries/s at saturation (1,000 clients) vs FastAPI + uvicorn", "target": "≥ 3×",
         "measured": "%.1f× (lsm %.0f/s, FastAPI %.0f/s; generator vs trivial server %.0f/s)" % (
             sat / base_sat if base_sat else float("inf"), sat, base_sat, triv_sat),
         "ok": base_sat > 0 and sat >= 3 * base_sat},
        {"what": "server memory per idle connection (1,000 greeted)", "target": "≤ 64 KB",
         "measured": "%.1f KB" % (idle / 1024) if idle is not None else "not measured",
         "ok": idle is not None and idle <= 64 * 1024},
    ]


def report(result: dict) -> str:
    lines = ["| server | clients | msg/s in | deliveries/s | expected/s | p50 ms | p95 ms | p99 ms | idle KB/conn |",
             "|---|---|---|---|---|---|---|---|---|"]
    seconds = result["seconds"]
    for kind, runs in result["runs"].items():
        for key, run in runs.items():
            idle = run.get("idleBytesPerConnection")
            lines.append("| %s | %s | %.0f | %.0f | %.0f | %s | %s | %s | %s |" % (
                kind, "%d (saturation)" % run["clients"] if key == "saturation" else key, run["messagesInPerSecond"],
                run["deliveriesPerSecond"], run["expected"] / seconds, fmt(run.get("p50Ms")), fmt(run.get("p95Ms")),
                fmt(run.get("p99Ms")), fmt(idle / 1024 if idle is not None else None)))
    return "\n".join(lines)


METHOD = """- **Review room** (`scripts/bench/room_bench.py`, `lsm bench-room`). One room, 10, 100 and 1,000
  WebSocket clients of `lsm bench-room load`, one sender per ten at 1 message/s each; each chat text
  carries its send time (monotonic clock), and every receipt of a message sent inside the 10 s
  window is a latency sample. The generator is one process on bare SwiftNIO, one event loop per
  core, many clients per loop: each client writes its own upgrade request, reads server frames
  straight from the socket's bytes and looks only for the `bench <sender> <time>` stamp in a text
  frame (no JSON parsing, no task or await per message). Saturation: 1,000 clients, each sender
  keeping 2 messages in flight (for lsm at most 9/s, its limit being 10/s per connection, so at
  most 900,000 deliveries/s; the trivial server and FastAPI have no limit, so their senders are held
  back only by the window). Idle memory: the server's RSS growth once 1,000 connections are open and
  greeted, per connection. Servers: `git lsm serve` (JWT auth, every chat committed to SQLite
  before its broadcast), the baseline `bench/fastapi_room.py` (FastAPI + uvicorn from PyPI, no
  auth, no storage, the same event JSON) and the yardstick `lsm bench-room trivial` (bare SwiftNIO
  echo to all: each frame encoded once, written to every socket and flushed once per socket per
  event-loop batch, the write path lsm's rooms use), each started fresh per run. Everything shares
  the machine's cores with the generator.
"""


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--lsm", required=True)
    parser.add_argument("--work", default=os.path.join(REPO, ".build-bench"))
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--json", help="also write the results here")
    parser.add_argument("--clients", default="10,100,1000", help="client counts (a trial; the bars need 1000)")
    args = parser.parse_args(argv)
    counts = tuple(int(n) for n in args.clients.split(","))
    result = measure(os.path.abspath(args.lsm), os.path.abspath(args.work), args.quick, counts, max(counts))
    print(report(result))
    print()
    if "1000" not in result["runs"]["lsm"]:
        return 0
    for bar in bars(result):
        print("%s %s: %s (target %s)" % ("ok  " if bar["ok"] else "MISS", bar["what"], bar["measured"], bar["target"]))
    if args.json:
        with open(args.json, "w") as handle:
            json.dump(result, handle, indent=1)
    return 0 if all(bar["ok"] for bar in bars(result)) else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
