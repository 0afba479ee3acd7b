"""`git lsm mcp` on the benchmark index: time to ready, and per-call latency of the tools agents call
most (repo_status, session_health, list_comments), measured by a raw JSON-RPC client over stdio so the
numbers are the server's, not a client library's (Python 3 stdlib only).

Called from bench.py (`measure`, then `bars`); alone:
    python3 scripts/bench/mcp_bench.py --lsm .build/release/lsm --corpus .build-bench/corpus [--lsm-home DIR]
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)

import lsmbench  # noqa: E402

TOOLS = ("repo_status", "session_health", "list_comments")
THREADS = 20


class Server:
    """`git lsm mcp` in `repo`, spoken to line by line."""

    def __init__(self, lsm: str, env: dict, repo: str) -> None:
        self.started = time.perf_counter()
        self.process = subprocess.Popen([lsm, "mcp"], cwd=repo, env=env, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                        stderr=subprocess.DEVNULL, bufsize=0)
        self.next_id = 0

    def request(self, method: str, params: dict) -> dict:
        self.next_id += 1
        line = json.dumps({"jsonrpc": "2.0", "id": self.next_id, "method": method, "params": params}) + "\n"
        self.process.stdin.write(line.encode())
        while True:
            reply = self.process.stdout.readline()
            if not reply:
                raise RuntimeError("git lsm mcp closed its output")
            message = json.loads(reply)
            if message.get("id") == self.next_id:
                if "error" in message:
                    raise RuntimeError("%s failed: %s" % (method, message["error"]))
                return message["result"]

    def initialize(self) -> float:
        """Seconds from start to the initialize answer."""
        self.request("initialize", {"protocolVersion": "2025-11-25", "capabilities": {},
                                    "clientInfo": {"name": "bench", "version": "1"}})
        ready = time.perf_counter() - self.started
        self.process.stdin.write(b'{"jsonrpc":"2.0","method":"notifications/initialized"}\n')
        return ready

    def call(self, tool: str, arguments: dict) -> float:
        started = time.perf_counter()
        result = self.request("tools/call", {"name": tool, "arguments": arguments})
        seconds = time.perf_counter() - started
        if result.get("isError"):
            raise RuntimeError("%s failed: %s" % (tool, result["content"]))
        return seconds

    def close(self) -> None:
        self.process.stdin.close()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()


def add_threads(lsm: str, env: dict, repo: str) -> list[str]:
    """THREADS comment threads on the repository's files; returns their refs (removed afterwards)."""
    files = subprocess.run(["git", "ls-files"], cwd=repo, env=env, capture_output=True, text=True, check=True).stdout.split()
    comment_env = dict(env, GIT_AUTHOR_NAME="Bench", GIT_AUTHOR_EMAIL="bench@example.com")
    for index in range(THREADS):
        subprocess.run([lsm, "comment", "%s:1" % files[index % len(files)], "bench thread %d" % index], cwd=repo,
                       env=comment_env, capture_output=True, check=True)
    refs = subprocess.run(["git", "for-each-ref", "--format=%(refname)", "refs/lsm/comments/"], cwd=repo, env=env,
                          capture_output=True, text=True, check=True).stdout.split()
    return refs


def remove_refs(env: dict, repo: str, refs: list[str]) -> None:
    commands = "".join("delete %s\n" % ref for ref in refs)
    subprocess.run(["git", "update-ref", "--stdin"], cwd=repo, env=env, input=commands, text=True, check=True)


def measure(lsm: str, env: dict, repo: str, quick: bool) -> dict:
    """Ready time (median of several starts) and per-call medians, on an index already built."""
    starts, calls = (5, 30) if quick else (10, 100)
    had_threads = subprocess.run(["git", "for-each-ref", "refs/lsm/comments/"], cwd=repo, env=env, capture_output=True,
                                 text=True).stdout.strip() != ""
    refs = [] if had_threads else add_threads(lsm, env, repo)
    try:
        ready = []
        for _ in range(starts):
            server = Server(lsm, env, repo)
            ready.append(server.initialize())
            server.close()
        server = Server(lsm, env, repo)
        server.initialize()
        first = {tool: server.call(tool, {}) for tool in TOOLS}
        timings = {tool: [] for tool in TOOLS}
        for _ in range(calls):
            for tool in TOOLS:
                timings[tool].append(server.call(tool, {}))
        server.close()
    finally:
        if refs:
            remove_refs(env, repo, refs)
    return {"ready": {"runs": ready, "median": statistics.median(ready)},
            "first": first,
            "calls": {tool: {"median": statistics.median(t), "max": max(t), "runs": len(t)} for tool, t in timings.items()},
            "threads": THREADS if refs else None, "repo": repo}


def bars(result: dict) -> list[dict]:
    ready = result["ready"]["median"]
    out = [{"what": "`git lsm mcp` ready (initialize answered after start)", "target": "≤ 150 ms",
            "measured": "%.1f ms median of %d starts" % (ready * 1e3, len(result["ready"]["runs"])), "ok": ready <= 0.150}]
    for tool in TOOLS:
        call = result["calls"][tool]
        out.append({"what": "MCP `%s`, per call" % tool, "target": "≤ 10 ms median",
                    "measured": "%.2f ms median (max %.1f ms, %d calls; first %.1f ms)" % (
                        call["median"] * 1e3, call["max"] * 1e3, call["runs"], result["first"][tool] * 1e3),
                    "ok": call["median"] <= 0.010})
    return out


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--lsm", required=True)
    parser.add_argument("--corpus", required=True)
    parser.add_argument("--lsm-home", default=None, help="an index of the corpus (built here when absent)")
    parser.add_argument("--repo", default=None, help="default: the corpus repository with the most sessions")
    parser.add_argument("--quick", action="store_true")
    args = parser.parse_args(argv)
    corpus = os.path.abspath(args.corpus)
    lsm = os.path.abspath(args.lsm)
    scratch = os.path.join(os.path.dirname(corpus), "mcp-run")
    lsm_home = os.path.abspath(args.lsm_home or os.path.join(scratch, "lsm-home"))
    env = lsmbench.lsm_env(os.path.join(corpus, "claude"), os.path.join(corpus, "codex"), lsm_home, os.path.join(scratch, "home"))
    summary, seconds = lsmbench.run_json([lsm, "index", "--json"], env)
    print("index: %d sessions in %d files (%.1f s)" % (summary["sessions"], summary["files"], seconds), file=sys.stderr)
    repo = args.repo
    if repo is None:
        import bench  # noqa: E402  (for busiest_repo and the manifest)
        with open(os.path.join(corpus, "manifest.json")) as handle:
            repo = bench.busiest_repo(corpus, json.load(handle))
    result = measure(lsm, env, repo, args.quick)
    for bar in bars(result):
        print("%-60s %-16s %s %s" % (bar["what"], bar["target"], bar["measured"], "pass" if bar["ok"] else "FAIL"))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
