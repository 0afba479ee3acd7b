#!/usr/bin/env python3
"""Writes a transcript tree shaped like a real Claude Code + Codex CLI history.

Usage:
    generate_corpus.py --out DIR --size-mb N --seed S [--jobs J]

Layout written under DIR:
    claude/projects/<encoded-cwd>/<session-uuid>.jsonl
    claude/projects/<encoded-cwd>/<session-uuid>/subagents/agent-<id>.jsonl (+ .meta.json)
    codex/sessions/YYYY/MM/DD/rollout-YYYY-MM-DDThh-mm-ss-<uuid>.jsonl
    codex/archived_sessions/rollout-...jsonl   (some unique, some stale copies of live names)
    repos/<name>/                               real git repositories used as sessions' cwd
    manifest.json                               what was written: files, bytes, lines by kind

Sizes: about 3,000 files per GiB (the count scales with --size-mb), median ~100 KB, p99
~5 MB, and with --size-mb >= 1024 three files of 100 MB+ (two Claude, one Codex). Record
shapes are copied from the real fixtures in shared/fixtures/agents (Claude Code 2.0.69,
Codex CLI rollouts): one assistant line per content block repeating message.id, requestId
and usage with growing (sometimes out-of-order) output_tokens, tool results of all sizes,
file-history-snapshot, progress (incl. agent_progress lines that nest an assistant message
with usage), system compact_boundary, summary, <synthetic> and isApiErrorMessage lines,
sidechain copies of main-chain calls, subagent files, resumed sessions replaying earlier
calls, unknown record types, malformed lines; Codex session_meta/turn_context/response_item/
event_msg with cumulative token_count (repeated rows, info null, forked rollouts replaying
the parent's rows in the child's first second).

Output is a pure function of (--size-mb, --seed): every session group has its own random
stream, so the number of worker processes does not change a byte. Python 3 stdlib only.
"""

from __future__ import annotations

import argparse
import collections
import json
import math
import os
import random
import shutil
import subprocess
import sys
import time
from multiprocessing import Pool

GENERATOR_VERSION = 3
MIB = 1 << 20
BASE_EPOCH_MS = 1_767_225_600_000  # 2026-01-01T00:00:00Z
HISTORY_DAYS = 45

# File size quantiles (fraction, bytes), interpolated in log space: median 100 KB, p99 5 MB.
SIZE_QUANTILES = [
    (0.0, 2e3), (0.25, 35e3), (0.5, 100e3), (0.75, 180e3), (0.9, 330e3),
    (0.95, 560e3), (0.98, 1.5e6), (0.99, 5e6), (0.999, 7e6), (1.0, 8e6),
]
BIG_FILES = [("claude-subagents", 132 * MIB), ("claude", 121 * MIB), ("codex", 114 * MIB)]
CODEX_SHARE = 0.2

CLAUDE_MODELS = [
    ("claude-sonnet-4-5-20250929", 0.5), ("claude-opus-4-6", 0.32), ("claude-haiku-4-5-20251001", 0.18),
]
UNKNOWN_CLAUDE_MODEL = "claude-nimbus-1-20260301"
CODEX_MODELS = ["gpt-5-codex", "gpt-5.2-codex"]
CLAUDE_VERSIONS = ["2.0.69", "2.0.76", "2.1.114", "1.0.111"]

REPOS = [
    ("webapp", ["src/components/Button.tsx", "src/index.ts", "package.json"], ["src/components"]),
    ("api-server", ["cmd/server/main.go", "internal/db/db.go", "go.mod"], ["cmd/server"]),
    ("ml_pipeline.v2", ["notebooks/explore.py", "pipeline/train.py", "pyproject.toml"], ["notebooks"]),
    ("infra", ["terraform/main.tf", "README.md"], []),
    ("mobile app", ["Sources/App.swift", "Package.swift"], ["Sources"]),
    ("docs", ["index.md", "guide/setup.md"], []),
]
NON_REPO_CWDS = ["/home/dev/scratch", "/tmp", "/home/dev/Downloads/experiment_1", "/home/dev/.agents"]
BRANCHES = ["main", "main", "main", "feature/login", "fix/cache-expiry", "refactor/db-layer"]


# ------------------------------------------------------------------ small helpers


def iso(ms: int) -> str:
    sec, milli = divmod(ms, 1000)
    t = time.gmtime(sec)
    return "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ" % (
        t.tm_year, t.tm_mon, t.tm_mday, t.tm_hour, t.tm_min, t.tm_sec, milli)


B62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"


def b62(rng: random.Random, n: int) -> str:
    x = rng.getrandbits(6 * n)
    return "".join(B62[(x >> (6 * i)) % 62] for i in range(n))


def uuid4(rng: random.Random) -> str:
    h = "%032x" % rng.getrandbits(128)
    return f"{h[:8]}-{h[8:12]}-4{h[13:16]}-{'89ab'[int(h[16], 16) & 3]}{h[17:20]}-{h[20:]}"


def uuid7(rng: random.Random, ms: int) -> str:
    h = "%012x" % (ms & (2**48 - 1)) + "%020x" % rng.getrandbits(80)
    return f"{h[:8]}-{h[8:12]}-7{h[13:16]}-{'89ab'[int(h[16], 16) & 3]}{h[17:20]}-{h[20:32]}"


def encode_cwd(cwd: str) -> str:
    """Claude Code's folder name for a cwd (sanitizePath; >200 chars: cut + '-' + djb2 base36)."""
    out = "".join(c if ("a" <= c <= "z" or "A" <= c <= "Z" or "0" <= c <= "9") else "-" for c in cwd)
    if len(out) <= 200:
        return out
    h = 5381
    for unit in cwd.encode("utf-16-le")[::2]:
        h = ((h << 5) + h + unit) & 0xFFFFFFFF
    digits, n = "", h
    while n:
        n, r = divmod(n, 36)
        digits = "0123456789abcdefghijklmnopqrstuvwxyz"[r] + digits
    return out[:200] + "-" + (digits or "0")


def dumps(obj) -> str:
    return json.dumps(obj, ensure_ascii=False, separators=(",", ":"))


def lognormal_int(rng: random.Random, median: float, sigma: float, lo: int, hi: int) -> int:
    return max(lo, min(hi, int(median * math.exp(sigma * rng.gauss(0.0, 1.0)))))


# ------------------------------------------------------------------ text pools

WORDS = (
    "the a to of and in is it you that for on with as this be are was we can will not "
    "file function return const let var import from export class def self if else while try "
    "catch await async error value result data config test build path line update fix add "
    "remove check using should would need see now run output input user session token cache "
    "index repo branch commit diff patch server client request response handler module "
    "struct enum case switch guard throw print log debug info warn string int bool array map"
).split()
SYMBOLS = ["(", ")", "{", "}", "[", "]", ";", "=", "==", "=>", "->", "+", "-", "*", "/", "<", ">",
           ",", ".", ":", "'", '"', "\\n", "\\", "#", "//", "&&", "||", "!", "?", "%", "→", "é", "中", "—"]
_POOLS: dict = {}


def pools() -> tuple[str, str]:
    """(escaped text pool, base64 pool), built once per process from a fixed seed."""
    if not _POOLS:
        rng = random.Random(0x5EED)
        lines = []
        size = 0
        while size < 1_500_000:
            indent = "    " * rng.randint(0, 4) if rng.random() < 0.6 else ("\t" if rng.random() < 0.1 else "")
            parts = []
            for _ in range(rng.randint(2, 14)):
                parts.append(rng.choice(SYMBOLS) if rng.random() < 0.22 else rng.choice(WORDS))
            line = indent + " ".join(parts)
            lines.append(line)
            size += len(line) + 1
        text = "\n".join(lines)
        escaped = dumps(text)[1:-1]
        raw = bytes(rng.getrandbits(8) for _ in range(200_000))
        import base64
        b64 = base64.b64encode(raw).decode("ascii")
        _POOLS["text"] = escaped
        _POOLS["b64"] = b64
    return _POOLS["text"], _POOLS["b64"]


def esc_text(rng: random.Random, n: int) -> str:
    """About n characters of already JSON-escaped string content (never splits an escape)."""
    pool, _ = pools()
    if n <= 0:
        return ""
    size = len(pool)
    if n >= size - 64:
        reps, rest = divmod(n, size)
        return pool * reps + esc_text(rng, rest)
    start = rng.randrange(size - n - 8)
    k, slashes = start, 0
    while k > 0 and pool[k - 1] == "\\":
        slashes += 1
        k -= 1
    if slashes % 2:
        start += 1
    end = start + n
    k, slashes = end, 0
    while k > start and pool[k - 1] == "\\":
        slashes += 1
        k -= 1
    if slashes % 2:
        end += 1
    return pool[start:end]


def b64_text(rng: random.Random, n: int) -> str:
    _, pool = pools()
    if n >= len(pool) - 8:
        reps, rest = divmod(n, len(pool))
        return pool * reps + b64_text(rng, rest)
    start = rng.randrange(len(pool) - n)
    return pool[start:start + n]


def render(obj, blobs=()) -> str:
    """Serializes obj; each "@@Bi@@" string value is replaced by blobs[i] (pre-escaped)."""
    s = dumps(obj)
    for i, blob in enumerate(blobs):
        s = s.replace("@@B%d@@" % i, blob, 1)
    return s


# ------------------------------------------------------------------ output


class Out:
    """One transcript file: buffered writes, byte and line-kind accounting."""

    def __init__(self, path: str, stats: collections.Counter, agent: str):
        os.makedirs(os.path.dirname(path), exist_ok=True)
        self.path = path
        self.handle = open(path, "wb")
        self.buffer: list[bytes] = []
        self.pending = 0
        self.bytes = 0
        self.stats = stats
        self.agent = agent
        self.last_ms = BASE_EPOCH_MS

    def emit(self, kind: str, line: str) -> None:
        self.raw(kind, line.encode("utf-8") + b"\n")

    def raw(self, kind: str, data: bytes) -> None:
        self.buffer.append(data)
        self.pending += len(data)
        self.bytes += len(data)
        self.stats[self.agent + ":" + kind] += 1
        if len(data) >= 1_000_000:
            self.stats["over1MB:" + self.agent] += 1
        if self.pending >= MIB:
            self.flush()

    def flush(self) -> None:
        self.handle.write(b"".join(self.buffer))
        self.buffer.clear()
        self.pending = 0

    def close(self) -> None:
        self.flush()
        self.handle.close()
        seconds = self.last_ms / 1000.0
        os.utime(self.path, (seconds, seconds))


def garbage_line(rng: random.Random, valid_utf8: bool) -> bytes:
    if valid_utf8:
        chars = []
        for _ in range(rng.randint(20, 400)):
            r = rng.random()
            if r < 0.3:
                chars.append(chr(rng.choice([0, 1, 2, 3, 4, 5, 6, 7, 8, 11, 12, 14, 15, 16, 27, 31, 127])))
            elif r < 0.7:
                chars.append(chr(rng.randint(0x80, 0x7FF)))
            else:
                chars.append(chr(rng.randint(0x21, 0x7E)))
        return "".join(chars).encode("utf-8") + b"\n"
    data = bytes(b if b != 10 else 0 for b in (rng.getrandbits(8) for _ in range(rng.randint(20, 300))))
    return b"\xff\xfe" + data + b"\n"


def malformed(rng: random.Random, out: Out) -> None:
    r = rng.random()
    if r < 0.35:
        text = esc_text(rng, rng.randint(20, 300)).replace("\\n", " ")
        out.emit("malformed", "not json: " + text)
    elif r < 0.7:
        out.raw("malformed", garbage_line(rng, valid_utf8=True))
    elif r < 0.8:
        out.emit("malformed", rng.choice(["[]", "null", "42", '"just a string"', "{}", "true"]))
    elif r < 0.9:
        out.raw("malformed", b"\n")
    else:
        # A line cut short in the middle (a user line, so no usage numbers are lost).
        full = dumps({"type": "user", "message": {"role": "user", "content": esc_text(rng, 300)}})
        out.emit("malformed", full[: rng.randint(10, len(full) - 10)].rstrip("\\"))


# ------------------------------------------------------------------ Claude


class ClaudeGen:
    """Writes one Claude Code transcript (main session file or a subagent file)."""

    def __init__(self, rng, out: Out, *, sid, cwd, branch, version, model, start_ms,
                 subfolder=None, agent_id=None, old_style=False, invalid_utf8_tail=False):
        self.rng = rng
        self.out = out
        self.sid = sid
        self.cwd = cwd
        self.subfolder = subfolder
        self.branch = branch
        self.version = version
        self.model = model
        self.t = start_ms
        self.agent_id = agent_id
        self.sidechain = agent_id is not None
        self.parent = None
        self.ctx = rng.randint(12_000, 24_000)
        self.calls: list[tuple] = []  # (message id, request id, final usage) of main-chain calls
        self.recent: collections.deque = collections.deque(maxlen=36)  # for resumed-session replays
        self.old_style = old_style
        self.invalid_utf8_tail = invalid_utf8_tail
        self.tracked: list[str] = []
        self.pending_agents: list[str] = []
        self.spawned: list[tuple] = []  # (agent id, time) of Task calls
        self.big_results = 0
        self.slug = "-".join(rng.choice(WORDS) for _ in range(3))
        self.target = 0

    # -- envelope

    def tick(self, lo: int, hi: int) -> str:
        self.t += self.rng.randint(lo, hi)
        self.out.last_ms = max(self.out.last_ms, self.t)
        return iso(self.t)

    def env(self, **extra) -> dict:
        d = {"parentUuid": self.parent, "isSidechain": self.sidechain, "userType": "external",
             "cwd": self.cwd, "sessionId": self.sid, "version": self.version, "gitBranch": self.branch}
        if self.agent_id:
            d["agentId"] = self.agent_id
        d.update(extra)
        return d

    def put(self, kind: str, line: str, replayable=True) -> None:
        self.out.emit(kind, line)
        if replayable:
            self.recent.append((kind, line))

    # -- record kinds

    def user_prompt(self) -> None:
        rng = self.rng
        u = uuid4(rng)
        blobs = []
        r = rng.random()
        room = self.room()
        if r < 0.04 and room > 200_000:
            content = [{"type": "text", "text": "@@B0@@"},
                       {"type": "image", "source": {"type": "base64", "media_type": "image/png", "data": "@@B1@@"}}]
            blobs = [esc_text(rng, rng.randint(20, 300)), b64_text(rng, lognormal_int(rng, 120_000, 0.8, 8_000, min(900_000, room)))]
        elif r < 0.12:
            content = "@@B0@@"  # pasted log or file
            blobs = [esc_text(rng, lognormal_int(rng, 12_000, 1.0, 1_000, min(200_000, room)))]
        else:
            content = "@@B0@@"
            blobs = [esc_text(rng, lognormal_int(rng, 220, 0.9, 8, 4_000))]
        extra = {"type": "user", "message": {"role": "user", "content": content}, "uuid": u,
                 "timestamp": self.tick(2_000, 400_000)}
        if rng.random() < 0.5:
            extra["thinkingMetadata"] = {"level": "high", "disabled": False, "triggers": []}
            extra["todos"] = []
        if rng.random() < 0.1:
            extra["isMeta"] = True
        self.put("user-prompt", render(self.env(**extra), blobs))
        self.parent = u
        if rng.random() < 0.35 and not self.sidechain:
            self.snapshot(u)

    def snapshot(self, message_id: str) -> None:
        rng = self.rng
        if rng.random() < 0.5 or not self.tracked:
            for _ in range(rng.randint(1, 4)):
                self.tracked.append("src/" + "/".join(rng.choice(WORDS) for _ in range(rng.randint(1, 3))) + ".ts")
        backups = {}
        for i, path in enumerate(self.tracked[-max(1, min(400, self.room() // 150)):]):
            backups[path] = {"backupFileName": "%016x@v%d" % (rng.getrandbits(64), i % 7 + 1),
                             "version": i % 7 + 1, "backupTime": iso(self.t - rng.randint(0, 90_000))}
        line = {"type": "file-history-snapshot", "messageId": message_id,
                "snapshot": {"messageId": message_id, "trackedFileBackups": backups, "timestamp": iso(self.t)},
                "isSnapshotUpdate": rng.random() < 0.4}
        self.put("file-history-snapshot", dumps(line), replayable=False)

    def usage(self, first: bool) -> tuple[dict, int]:
        """(usage dict with final output_tokens, final output)."""
        rng = self.rng
        inp = rng.randint(1, 12) if rng.random() < 0.93 else rng.randint(100, 6_000)
        cw = rng.randint(6_000, 30_000) if first else lognormal_int(rng, 900, 1.1, 0, 40_000)
        cr = self.ctx
        out = lognormal_int(rng, 160, 1.2, 1, 16_000)
        self.ctx += cw // 2 + out // 3 + rng.randint(0, 3_000)
        u = {"input_tokens": inp}
        r = rng.random()
        if r < 0.85:
            h1 = 0 if rng.random() < 0.88 else rng.randint(0, cw)
            m5 = cw - h1
            cc_input = cw if rng.random() < 0.97 else m5  # a few logs disagree: the ephemeral split wins
            u["cache_creation_input_tokens"] = cc_input
            u["cache_read_input_tokens"] = cr
            u["cache_creation"] = {"ephemeral_5m_input_tokens": m5, "ephemeral_1h_input_tokens": h1}
        else:
            u["cache_creation_input_tokens"] = cw
            u["cache_read_input_tokens"] = cr
        u["output_tokens"] = out
        u["service_tier"] = "standard"
        if rng.random() < 0.05:
            u["server_tool_use"] = {"web_search_requests": rng.randint(0, 3)}
        return u, out

    def room(self) -> int:
        """A cap for one string, so that no file overshoots its target size by much."""
        return max(2_000, (self.target - self.out.bytes) // 4)

    def tool_input(self, name: str) -> tuple[dict, list[str]]:
        rng = self.rng
        room = self.room()
        path = self.cwd + "/" + "/".join(rng.choice(WORDS) for _ in range(rng.randint(1, 3))) + ".ts"
        if name == "Bash":
            return {"command": "@@B0@@", "description": "Run the tests"}, [esc_text(rng, rng.randint(10, 200))]
        if name == "Read":
            return {"file_path": path}, []
        if name == "Edit":
            return ({"file_path": path, "old_string": "@@B0@@", "new_string": "@@B1@@"},
                    [esc_text(rng, lognormal_int(rng, 300, 1.0, 5, min(20_000, room))),
                     esc_text(rng, lognormal_int(rng, 400, 1.0, 5, min(20_000, room)))])
        if name == "Write":
            return {"file_path": path, "content": "@@B0@@"}, [esc_text(rng, lognormal_int(rng, 2_500, 1.0, 50, min(60_000, room)))]
        if name == "Grep":
            return {"pattern": rng.choice(WORDS), "path": self.cwd, "output_mode": "content"}, []
        if name == "TodoWrite":
            return {"todos": [{"content": " ".join(rng.choice(WORDS) for _ in range(6)), "status": "pending",
                               "activeForm": "Working"} for _ in range(rng.randint(1, 6))]}, []
        return {"description": "Explore the code", "prompt": "@@B0@@", "subagent_type": "general-purpose"}, [
            esc_text(rng, rng.randint(100, 1_500))]

    def api_call(self, allow_tools=True) -> list[tuple]:
        """One API call: one line per content block. Returns [(tool id, name)]."""
        rng = self.rng
        mid = "msg_01" + b62(rng, 22)
        rid = "req_011C" + b62(rng, 20)
        model = self.model if rng.random() > 0.01 else UNKNOWN_CLAUDE_MODEL
        blocks = []
        if rng.random() < 0.55:
            blocks.append("thinking")
        if rng.random() < 0.7:
            blocks.append("text")
        tools = []
        if allow_tools:
            r = rng.random()
            n = 0 if r < 0.25 else 1 if r < 0.75 else 2 if r < 0.9 else rng.randint(3, 6) if r < 0.995 else rng.randint(10, 18)
            for _ in range(n):
                if self.pending_agents and rng.random() < 0.5:
                    name = "Task"
                else:
                    name = rng.choice(["Bash", "Read", "Read", "Edit", "Write", "Grep", "TodoWrite", "Bash"])
                tools.append(("toolu_01" + b62(rng, 22), name))
        if not blocks and not tools:
            blocks.append("text")
        usage, final = self.usage(first=not self.calls)
        count = len(blocks) + len(tools)
        outs = []
        level = 0
        for _ in range(count - 1):
            level = min(final, level + rng.randint(0, 12))
            outs.append(max(1, level) if final >= 1 else 0)
        outs.append(final)
        if count > 1 and rng.random() < 0.07:  # out-of-order partials: the largest copy is not the last
            j = rng.randrange(count - 1)
            outs[j], outs[-1] = outs[-1], outs[j]
        if self.old_style and rng.random() < 0.5:
            # ccusage-minimal style: no "type", message.role assistant, one line per call.
            line = {"timestamp": self.tick(500, 20_000), "sessionId": self.sid,
                    "message": {"role": "assistant", "id": mid, "model": model, "usage": usage},
                    "requestId": rid, "version": "1.0.0", "costUSD": round(rng.random() / 10, 4)}
            self.put("assistant", dumps(line))
            self.calls.append((mid, rid, usage, model))
            return tools
        specs = [(b, None) for b in blocks] + [("tool_use", t) for t in tools]
        for i, (block, tool) in enumerate(specs):
            blobs = []
            if block == "thinking":
                content = {"type": "thinking", "thinking": "@@B0@@", "signature": "@@B1@@"}
                blobs = [esc_text(rng, lognormal_int(rng, 700, 0.9, 20, min(12_000, self.room()))),
                         b64_text(rng, rng.randint(300, 1_400))]
            elif block == "text":
                content = {"type": "text", "text": "@@B0@@"}
                blobs = [esc_text(rng, lognormal_int(rng, 260, 1.0, 5, min(8_000, self.room())))]
            else:
                tool_input, blobs = self.tool_input(tool[1])
                content = {"type": "tool_use", "id": tool[0], "name": tool[1], "input": tool_input}
            line_usage = dict(usage)
            line_usage["output_tokens"] = outs[i]
            u = uuid4(rng)
            message = {"model": model, "id": mid, "type": "message", "role": "assistant", "content": [content],
                       "stop_reason": None, "stop_sequence": None, "usage": line_usage}
            rec = self.env(message=message, requestId=rid, type="assistant", uuid=u,
                           timestamp=self.tick(30, 4_000))
            self.put("assistant", render(rec, blobs))
            self.parent = u
        self.calls.append((mid, rid, usage, model))
        return tools

    def tool_results(self, tools: list[tuple], budget_left: int) -> None:
        rng = self.rng
        for tool_id, name in tools:
            if rng.random() < 0.3 and not self.sidechain:
                self.progress(tool_id, name)
            big = budget_left > 3 * MIB and self.big_results < self.big_budget and rng.random() < self.big_rate
            if big:
                size = rng.randint(1_050_000, 1_600_000)
                self.big_results += 1
            else:
                size = lognormal_int(rng, 1_100, 1.6, 10, min(400_000, max(1_000, budget_left // 8)))
            u = uuid4(rng)
            content = [{"tool_use_id": tool_id, "type": "tool_result", "content": "@@B0@@"}]
            blobs = [esc_text(rng, size)]
            extra = {"slug": self.slug, "type": "user", "message": {"role": "user", "content": content}, "uuid": u,
                     "timestamp": self.tick(50, 60_000)}
            if name == "Task" and self.pending_agents:
                agent = self.pending_agents.pop(0)
                self.spawned.append((agent, self.t, tool_id))
                extra["toolUseResult"] = {
                    "status": "completed", "prompt": "Explore the code", "agentId": agent,
                    "content": [{"type": "text", "text": "Done."}], "totalDurationMs": rng.randint(5_000, 400_000),
                    "totalTokens": rng.randint(5_000, 90_000), "totalToolUseCount": rng.randint(1, 40),
                    "usage": {"input_tokens": rng.randint(1, 50), "cache_creation_input_tokens": rng.randint(0, 9_000),
                              "cache_read_input_tokens": rng.randint(0, 90_000), "output_tokens": rng.randint(1, 3_000)}}
            elif name == "Bash":
                extra["toolUseResult"] = {"stdout": "@@B1@@", "stderr": "", "interrupted": False, "isImage": False}
                blobs.append(blobs[0] if size < 50_000 else esc_text(rng, 2_000))
            elif name == "Read" and rng.random() < 0.5:
                extra["toolUseResult"] = {"type": "text", "file": {"filePath": self.cwd + "/x.ts", "content": "@@B1@@",
                                                                   "numLines": 40, "startLine": 1, "totalLines": 40}}
                blobs.append(blobs[0] if size < 50_000 else esc_text(rng, 2_000))
            rec = self.env(**extra)
            rec["parentUuid"] = self.parent
            self.put("tool-result", render(rec, blobs))
            self.parent = u

    def progress(self, tool_id: str, name: str) -> None:
        rng = self.rng
        u = uuid4(rng)
        if name == "Task" or rng.random() < 0.15:
            # agent_progress nests a whole assistant message, usage included: not an API call of this file.
            nested_usage, _ = self.usage(first=False)
            data = {"message": {"type": "assistant", "message": {
                "model": "claude-haiku-4-5-20251001", "id": "msg_01" + b62(rng, 22), "type": "message",
                "role": "assistant", "content": [{"type": "text", "text": "@@B0@@"}], "stop_reason": None,
                "stop_sequence": None, "usage": nested_usage}, "requestId": "req_011C" + b62(rng, 20),
                "uuid": uuid4(rng), "timestamp": iso(self.t)},
                "normalizedMessages": [], "type": "agent_progress", "prompt": "Explore the code",
                "agentId": "a" + "%016x" % rng.getrandbits(64)}
            blobs = [esc_text(rng, rng.randint(40, 600))]
        else:
            data = {"type": "hook_progress", "hookEvent": "PostToolUse", "hookName": "PostToolUse:" + name,
                    "command": "npx prettier --write"}
            blobs = []
        rec = self.env(type="progress", data=data, toolUseID=tool_id, parentToolUseID=tool_id, uuid=u,
                       timestamp=self.tick(10, 2_000))
        self.put("progress", render(rec, blobs), replayable=False)

    def system(self, subtype: str) -> None:
        rng = self.rng
        u = uuid4(rng)
        if subtype == "compact_boundary":
            meta = {"trigger": "auto" if rng.random() < 0.8 else "manual", "preTokens": self.ctx}
            rec = self.env(type="system", subtype="compact_boundary", content="Conversation compacted",
                           isMeta=False, timestamp=self.tick(1_000, 60_000), uuid=u, level="info",
                           compactMetadata=meta, logicalParentUuid=self.parent)
            rec["parentUuid"] = None
            self.put("system", dumps(rec), replayable=False)
            self.parent = u
            s = uuid4(rng)
            summary = self.env(type="user", message={"role": "user", "content": "@@B0@@"}, isCompactSummary=True,
                               isVisibleInTranscriptOnly=True, uuid=s, timestamp=self.tick(100, 2_000))
            self.put("user-prompt", render(summary, [esc_text(rng, rng.randint(2_000, 9_000))]), replayable=False)
            self.parent = s
            self.ctx = rng.randint(15_000, 30_000)
            return
        rec = self.env(type="system", subtype="turn_duration", durationMs=rng.randint(2_000, 900_000),
                       timestamp=self.tick(10, 500), uuid=u, isMeta=False)
        self.put("system", dumps(rec), replayable=False)

    def synthetic(self) -> None:
        rng = self.rng
        u = uuid4(rng)
        nonzero = rng.random() < 0.3
        usage = {"input_tokens": rng.randint(1, 900) if nonzero else 0, "output_tokens": rng.randint(1, 90) if nonzero else 0,
                 "cache_creation_input_tokens": 0, "cache_read_input_tokens": rng.randint(0, 9_000) if nonzero else 0}
        message = {"id": uuid4(rng), "container": None, "model": "<synthetic>", "role": "assistant",
                   "stop_reason": "stop_sequence", "stop_sequence": "", "type": "message", "usage": usage,
                   "content": [{"type": "text", "text": "API Error: 529 {\"type\":\"error\",\"error\":{\"type\":\"overloaded_error\"}}"}]}
        rec = self.env(type="assistant", message=message, uuid=u, timestamp=self.tick(100, 30_000),
                       isApiErrorMessage=True)
        self.put("synthetic", dumps(rec))
        self.parent = u

    def api_error_real_model(self) -> None:
        """isApiErrorMessage on a line with a real model and usage: must not count."""
        rng = self.rng
        u = uuid4(rng)
        usage, _ = self.usage(first=False)
        message = {"model": self.model, "id": "msg_01" + b62(rng, 22), "type": "message", "role": "assistant",
                   "content": [{"type": "text", "text": "Claude AI usage limit reached|1767312000"}],
                   "stop_reason": "stop_sequence", "stop_sequence": "", "usage": usage}
        rec = self.env(type="assistant", message=message, requestId="req_011C" + b62(rng, 20), uuid=u,
                       timestamp=self.tick(100, 30_000), isApiErrorMessage=True)
        self.put("api-error", dumps(rec))
        self.parent = u

    def sidechain_copy(self, source_calls: list[tuple]) -> None:
        """A copy of a main-chain message.id with isSidechain true under another requestId."""
        rng = self.rng
        mid, _rid, usage, model = rng.choice(source_calls)
        usage = dict(usage)
        if rng.random() < 0.5:
            usage["cache_read_input_tokens"] = usage.get("cache_read_input_tokens", 0) + rng.randint(1, 5_000)
        u = uuid4(rng)
        message = {"model": model, "id": mid, "type": "message", "role": "assistant",
                   "content": [{"type": "text", "text": "@@B0@@"}], "stop_reason": "end_turn", "stop_sequence": None,
                   "usage": usage}
        rec = self.env(message=message, requestId="req_011C" + b62(rng, 20), type="assistant", uuid=u,
                       timestamp=self.tick(10, 3_000))
        rec["isSidechain"] = True
        self.out.emit("sidechain-copy", render(rec, [esc_text(rng, rng.randint(20, 400))]))

    def oddity(self) -> None:
        rng = self.rng
        r = rng.random()
        if r < 0.25:
            self.put("unknown", dumps({"type": "agent-setting", "agentSetting": "default", "sessionId": self.sid}), False)
        elif r < 0.45:
            rec = self.env(type="telemetry-beacon", uuid=uuid4(rng), timestamp=iso(self.t),
                           data={"kind": "future", "usage": {"input_tokens": 5, "output_tokens": 5}})
            self.put("unknown", dumps(rec), False)
        elif r < 0.6:
            self.put("meta", dumps({"type": "queue-operation", "operation": "enqueue", "timestamp": iso(self.t),
                                    "sessionId": self.sid, "content": "also run the linter"}), False)
        elif r < 0.72:
            self.put("meta", dumps({"type": "ai-title", "aiTitle": " ".join(rng.choice(WORDS) for _ in range(5)),
                                    "sessionId": self.sid}), False)
        elif r < 0.82:
            self.put("meta", dumps({"type": "last-prompt", "lastPrompt": "fix the tests", "sessionId": self.sid}), False)
        elif r < 0.9:
            self.put("meta", dumps({"type": "permission-mode", "permissionMode": "acceptEdits", "sessionId": self.sid}), False)
        else:
            rec = self.env(type="attachment", attachment={"type": "hook_success", "hookName": "SessionStart:startup",
                                                          "content": ""}, uuid=uuid4(rng), timestamp=iso(self.t))
            self.put("meta", dumps(rec), False)

    # -- driver

    def header(self) -> None:
        rng = self.rng
        if not self.sidechain and rng.random() < 0.3:
            for _ in range(rng.randint(1, 3)):
                self.put("summary", dumps({"type": "summary", "summary": " ".join(rng.choice(WORDS) for _ in range(7)),
                                           "leafUuid": uuid4(rng)}), False)

    def run(self, target: int, sidechain_sources: list[tuple] = ()) -> None:
        rng = self.rng
        out = self.out
        self.target = target
        self.big_budget = 25 if target >= 50 * MIB else (1 if target >= 3 * MIB and rng.random() < 0.3 else 0)
        self.big_rate = 0.004 if target >= 50 * MIB else 0.05
        if out.bytes == 0:
            self.header()
        turns = 0
        while out.bytes < target:
            self.user_prompt()
            turns += 1
            if self.subfolder and turns == 4:
                self.cwd = self.subfolder  # the user cd'ed into a subfolder mid-session
            for _ in range(rng.randint(1, 7)):
                if out.bytes >= target:
                    break
                tools = self.api_call()
                if tools:
                    self.tool_results(tools, target - out.bytes)
                else:
                    break
            r = rng.random()
            if r < 0.3:
                self.system("turn_duration")
            if self.ctx > 150_000 + rng.randint(0, 40_000) or rng.random() < 0.01:
                self.system("compact_boundary")
            if rng.random() < 0.02:
                self.synthetic()
            if rng.random() < 0.004:
                self.api_error_real_model()
            if rng.random() < 0.03 and (sidechain_sources or self.calls) and not self.old_style:
                self.sidechain_copy(list(sidechain_sources) or self.calls)
            if rng.random() < 0.03:
                self.oddity()
            if rng.random() < 0.006:
                malformed(rng, out)
        if self.invalid_utf8_tail:
            out.raw("malformed", garbage_line(rng, valid_utf8=False))
        if rng.random() < 0.02:
            # A half-written last line: a crash mid-write (no newline at the end).
            usage, _ = self.usage(first=False)
            rec = self.env(message={"model": self.model, "id": "msg_01" + b62(rng, 22), "type": "message",
                                    "role": "assistant", "content": [{"type": "text", "text": "partial"}],
                                    "usage": usage}, requestId="req_011C" + b62(rng, 20), type="assistant",
                           uuid=uuid4(rng), timestamp=self.tick(10, 100))
            full = dumps(rec)
            out.raw("truncated-tail", full[: len(full) * 2 // 3].encode("utf-8"))


def claude_group(task: dict, stats: collections.Counter) -> list[str]:
    rng = random.Random(task["seed"])
    root = task["root"]
    cwd = task["cwd"]
    project = os.path.join(root, "claude", "projects", encode_cwd(cwd))
    files = []
    sid = uuid4(rng)
    model = task["model"]
    version = rng.choice(CLAUDE_VERSIONS)
    old_style = task["kind"] == "claude-oldstyle"
    path = os.path.join(project, sid + ".jsonl")
    out = Out(path, stats, "claude")
    gen = ClaudeGen(rng, out, sid=sid, cwd=cwd, branch=task["branch"], version=version, model=model,
                    start_ms=task["start_ms"], subfolder=task.get("subfolder"), old_style=old_style,
                    invalid_utf8_tail=task.get("invalid_utf8_tail", False))
    agents = ["a" + "%016x" % rng.getrandbits(64) for _ in task["sizes"][1:]] if task["kind"] == "claude-subagents" else []
    gen.pending_agents = list(agents)
    gen.run(task["sizes"][0])
    out.close()
    files.append(path)

    if task["kind"] == "claude-subagents":
        spawned = {agent: (t, tool_id) for agent, t, tool_id in gen.spawned}
        for agent, size in zip(agents, task["sizes"][1:]):
            sub_path = os.path.join(project, sid, "subagents", "agent-%s.jsonl" % agent)
            sub_out = Out(sub_path, stats, "claude")
            sub = ClaudeGen(rng, sub_out, sid=sid, cwd=cwd, branch=task["branch"], version=version,
                            model="claude-haiku-4-5-20251001" if rng.random() < 0.6 else model,
                            start_ms=spawned.get(agent, (gen.t, ""))[0] - rng.randint(5_000, 60_000), agent_id=agent)
            sub.run(size, sidechain_sources=gen.calls if gen.calls else ())
            # at least one sidechain copy of a main-chain call per subagent file
            if gen.calls:
                sub.sidechain_copy(gen.calls)
            sub_out.close()
            with open(os.path.join(project, sid, "subagents", "agent-%s.meta.json" % agent), "w") as meta:
                json.dump({"agentType": "general-purpose", "description": "Explore the code",
                           "toolUseId": spawned.get(agent, (0, "toolu_01" + b62(rng, 22)))[1]}, meta)
            files.append(sub_path)

    if task["kind"] == "claude-resume":
        # A resumed session: a new file, a new sessionId, replaying the tail of the first one
        # (same message.id/requestId and usage) before going on. Its id sorts after the original's.
        new_sid = uuid4(rng)
        while new_sid <= sid:
            new_sid = uuid4(rng)
        path2 = os.path.join(project, new_sid + ".jsonl")
        out2 = Out(path2, stats, "claude")
        old = '"sessionId":"%s"' % sid
        new = '"sessionId":"%s"' % new_sid
        for kind, line in gen.recent:
            out2.emit("replayed-" + kind, line.replace(old, new))
        out2.last_ms = gen.t
        gen2 = ClaudeGen(rng, out2, sid=new_sid, cwd=cwd, branch=task["branch"], version=version, model=model,
                         start_ms=gen.t + rng.randint(60_000, 86_400_000))
        gen2.calls = list(gen.calls)
        gen2.run(task["sizes"][1])
        out2.close()
        files.append(path2)
    return files


# ------------------------------------------------------------------ Codex


class CodexGen:
    def __init__(self, rng, out: Out, *, cid, cwd, repo_git, model, start_ms):
        self.rng = rng
        self.out = out
        self.cid = cid
        self.cwd = cwd
        self.git = repo_git
        self.model = model
        self.t = start_ms
        self.totals = {"input_tokens": 0, "cached_input_tokens": 0, "output_tokens": 0,
                       "reasoning_output_tokens": 0, "total_tokens": 0}
        self.ctx = rng.randint(6_000, 14_000)
        self.token_rows: list[str] = []
        self.meta_payload = None
        self.big_results = 0

    def tick(self, lo: int, hi: int) -> str:
        self.t += self.rng.randint(lo, hi)
        self.out.last_ms = max(self.out.last_ms, self.t)
        return iso(self.t)

    def line(self, kind: str, ts: str, rtype: str, payload, blobs=()) -> str:
        s = render({"timestamp": ts, "type": rtype, "payload": payload}, blobs)
        self.out.emit(kind, s)
        return s

    def session_meta(self, extra=None) -> None:
        ts = iso(self.t)
        payload = {"id": self.cid, "timestamp": ts, "cwd": self.cwd, "originator": "codex_cli_rs",
                   "cli_version": "0.46.0", "instructions": None, "source": "cli", "model_provider": "openai",
                   "base_instructions": {"text": "@@B0@@"}}
        if extra:
            payload.update(extra)
        if self.git:
            payload["git"] = self.git
        blob = esc_text(self.rng, self.rng.randint(6_000, 14_000))
        self.meta_payload = (payload, blob)
        self.line("session_meta", ts, "session_meta", payload, [blob])

    def token_count(self, ts: str) -> None:
        rng = self.rng
        if rng.random() < 0.04:
            self.line("token_count-null", ts, "event_msg", {"type": "token_count", "info": None,
                                                             "rate_limits": self.rate_limits()})
            return
        last_in = self.ctx
        cached = int(last_in * rng.uniform(0.55, 0.97))
        out = lognormal_int(rng, 260, 1.1, 1, 20_000)
        reasoning = int(out * rng.uniform(0.0, 0.8))
        last = {"input_tokens": last_in, "cached_input_tokens": cached, "output_tokens": out,
                "reasoning_output_tokens": reasoning, "total_tokens": last_in + out}
        for key in self.totals:
            self.totals[key] += last[key]
        self.ctx = min(258_000, self.ctx + rng.randint(200, 9_000))
        if self.ctx > 240_000 and rng.random() < 0.3:
            self.ctx = rng.randint(20_000, 40_000)
        info = {"total_token_usage": dict(self.totals), "last_token_usage": last, "model_context_window": 272_000}
        s = self.line("token_count", ts, "event_msg", {"type": "token_count", "info": info,
                                                        "rate_limits": self.rate_limits()})
        self.token_rows.append(s)
        if rng.random() < 0.15:  # the same event written twice
            self.out.emit("token_count-repeat", s)
            self.token_rows.append(s)

    def rate_limits(self) -> dict:
        rng = self.rng
        return {"primary": {"used_percent": round(rng.uniform(0, 100), 1), "window_minutes": 299,
                            "resets_in_seconds": rng.randint(0, 18_000)},
                "secondary": {"used_percent": round(rng.uniform(0, 100), 1), "window_minutes": 10_079,
                              "resets_in_seconds": rng.randint(0, 600_000)}}

    def turn(self, budget_left: int) -> None:
        rng = self.rng
        ts = self.tick(5_000, 600_000)
        self.line("turn_context", ts, "turn_context", {
            "turn_id": uuid4(rng), "cwd": self.cwd, "approval_policy": "on-request",
            "sandbox_policy": {"type": "workspace-write", "network_access": False, "exclude_tmpdir_env_var": False,
                               "exclude_slash_tmp": False}, "model": self.model, "effort": "medium", "summary": "auto"})
        prompt = esc_text(rng, lognormal_int(rng, 200, 1.0, 5, 6_000))
        self.line("response_item", self.tick(1, 50), "response_item",
                  {"type": "message", "role": "user", "content": [{"type": "input_text", "text": "@@B0@@"}]}, [prompt])
        self.line("user_message", self.tick(1, 50), "event_msg",
                  {"type": "user_message", "message": "@@B0@@", "images": []}, [prompt])
        self.line("event", self.tick(1, 50), "event_msg", {"type": "task_started", "model_context_window": 272_000})
        for _ in range(rng.randint(1, 8)):
            ts = self.tick(500, 40_000)
            self.line("response_item", ts, "response_item", {
                "type": "reasoning", "summary": [{"type": "summary_text", "text": "@@B0@@"}], "content": None,
                "encrypted_content": "@@B1@@"}, [esc_text(rng, rng.randint(40, 400)), b64_text(rng, rng.randint(400, 6_000))])
            call_id = "call_" + b62(rng, 24)
            r = rng.random()
            if r < 0.35:
                patch = esc_text(rng, lognormal_int(rng, 1_500, 1.0, 100, 40_000))
                args = render({"input": "*** Begin Patch\n*** Update File: src/main.rs\n@@\n@@B0@@\n*** End Patch"}, [patch])
                self.line("response_item", self.tick(10, 2_000), "response_item",
                          {"type": "function_call", "name": "apply_patch", "arguments": args, "call_id": call_id})
            elif r < 0.5:
                patch = esc_text(rng, lognormal_int(rng, 1_500, 1.0, 100, 40_000))
                self.line("response_item", self.tick(10, 2_000), "response_item",
                          {"type": "custom_tool_call", "status": "completed", "call_id": call_id, "name": "apply_patch",
                           "input": "*** Begin Patch\n*** Update File: src/lib.rs\n@@\n@@B0@@\n*** End Patch"}, [patch])
            else:
                args = dumps({"command": ["bash", "-lc", "rg -n " + rng.choice(WORDS)], "workdir": self.cwd,
                              "timeout_ms": 120_000})
                self.line("response_item", self.tick(10, 2_000), "response_item",
                          {"type": "function_call", "name": "shell", "arguments": args, "call_id": call_id})
            if budget_left > 3 * MIB and self.big_results < self.big_budget and rng.random() < self.big_rate:
                size = rng.randint(1_050_000, 1_500_000)
                self.big_results += 1
            else:
                size = lognormal_int(rng, 1_400, 1.5, 10, min(300_000, max(1_000, budget_left // 8)))
            output = render({"output": "@@B0@@", "metadata": {"exit_code": 0, "duration_seconds": 0.4}},
                            [esc_text(rng, size)])
            self.line("response_item", self.tick(10, 30_000), "response_item",
                      {"type": "function_call_output", "call_id": call_id, "output": output})
            self.token_count(self.tick(1, 200))
            if rng.random() < 0.3:
                self.line("event", self.tick(1, 100), "event_msg", {"type": "agent_reasoning", "text": "@@B0@@"},
                          [esc_text(rng, rng.randint(40, 600))])
        answer = esc_text(rng, lognormal_int(rng, 400, 1.0, 10, 8_000))
        self.line("response_item", self.tick(100, 20_000), "response_item",
                  {"type": "message", "role": "assistant", "content": [{"type": "output_text", "text": "@@B0@@"}]}, [answer])
        self.line("event", self.tick(1, 50), "event_msg", {"type": "agent_message", "message": "@@B0@@"}, [answer])
        self.token_count(self.tick(1, 200))
        self.line("event", self.tick(1, 50), "event_msg", {"type": "task_complete", "last_agent_message": "done"})
        if rng.random() < 0.01:
            self.line("compacted", self.tick(100, 2_000), "compacted", {"message": "@@B0@@"}, [esc_text(rng, 3_000)])

    def run(self, target: int) -> None:
        rng = self.rng
        self.big_budget = 25 if target >= 50 * MIB else (1 if target >= 3 * MIB and rng.random() < 0.3 else 0)
        self.big_rate = 0.01 if target >= 50 * MIB else 0.05
        while self.out.bytes < target:
            self.turn(target - self.out.bytes)
            if rng.random() < 0.01:
                malformed(rng, self.out)


def codex_path(root: str, start_ms: int, cid: str, archived: bool) -> str:
    t = time.gmtime(start_ms // 1000)
    name = "rollout-%04d-%02d-%02dT%02d-%02d-%02d-%s.jsonl" % (
        t.tm_year, t.tm_mon, t.tm_mday, t.tm_hour, t.tm_min, t.tm_sec, cid)
    if archived:
        return os.path.join(root, "codex", "archived_sessions", name)
    return os.path.join(root, "codex", "sessions", "%04d" % t.tm_year, "%02d" % t.tm_mon, "%02d" % t.tm_mday, name)


def codex_group(task: dict, stats: collections.Counter) -> list[str]:
    rng = random.Random(task["seed"])
    root = task["root"]
    kind = task["kind"]
    start = task["start_ms"]
    cid = uuid7(rng, start)
    path = codex_path(root, start, cid, archived=(kind == "codex-archived"))
    out = Out(path, stats, "codex")
    gen = CodexGen(rng, out, cid=cid, cwd=task["cwd"], repo_git=task["git"], model=task["model"], start_ms=start)
    gen.session_meta()
    gen.run(task["sizes"][0])
    out.close()
    files = [path]

    if kind == "codex-archived-dup":
        # A stale copy under archived_sessions/ with the same name: must be ignored.
        dup = codex_path(root, start, cid, archived=True)
        os.makedirs(os.path.dirname(dup), exist_ok=True)
        with open(path, "rb") as src:
            data = src.read()
        cut = data.find(b"\n", len(data) // 2) + 1 or len(data)
        with open(dup, "wb") as dst:
            dst.write(data[:cut])
        stats["codex:archived-duplicate-file"] += 1
        files.append(dup)

    if kind.startswith("codex-fork"):
        # The child starts on a whole second; its top replays the parent's session_meta and
        # token_count rows, all stamped within that same second; its own rows come later.
        child_start = (gen.t // 1000 + rng.randint(5, 3_600)) * 1000 + rng.randint(0, 80)
        child_id = uuid7(rng, child_start)
        child_path = codex_path(root, child_start, child_id, archived=False)
        child_out = Out(child_path, stats, "codex")
        child = CodexGen(rng, child_out, cid=child_id, cwd=task["cwd"], repo_git=task["git"], model=task["model"],
                         start_ms=child_start)
        variant = kind[-1]  # a: 2 metas + forked_from_id, continues; b: 2 metas, counter restarts; c: 1 meta + parent_thread_id
        child.session_meta({"forked_from_id": cid} if variant == "a" else {"parent_thread_id": cid} if variant == "c" else None)
        second = child_start - child_start % 1000
        if variant in ("a", "b"):
            payload, blob = gen.meta_payload
            child.line("session_meta-replay", iso(second + 100), "session_meta", payload, [blob])
        rows = gen.token_rows
        for i, row in enumerate(rows):
            ms = second + 120 + (i * 870) // max(1, len(rows))
            child_out.emit("token_count-replay", '{"timestamp":"' + iso(ms) + row[len('{"timestamp":"') + 24:])
        child.t = second + 2_000
        if variant in ("a", "c"):
            child.totals = dict(gen.totals)
        child.run(task["sizes"][1])
        child_out.close()
        files.append(child_path)
    return files


# ------------------------------------------------------------------ plan


def size_quantile(u: float) -> float:
    for (a, x), (b, y) in zip(SIZE_QUANTILES, SIZE_QUANTILES[1:]):
        if u <= b:
            return math.exp(math.log(x) + (math.log(y) - math.log(x)) * (u - a) / (b - a))
    return SIZE_QUANTILES[-1][1]


def body_sizes(total: int, rng: random.Random) -> list[int]:
    probe = 4_000
    mean = sum(size_quantile((i + 0.5) / probe) for i in range(probe)) / probe
    n = max(8, round(total / mean))
    sizes = [size_quantile((i + 0.5) / n) for i in range(n)]
    scale = total / sum(sizes)
    sizes = [max(1_500, int(s * scale)) for s in sizes]
    rng.shuffle(sizes)
    return sizes


def git(repo: str, *args: str) -> str:
    env = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "HOME": repo, "GIT_CONFIG_GLOBAL": "/dev/null",
           "GIT_CONFIG_SYSTEM": "/dev/null", "GIT_CONFIG_NOSYSTEM": "1", "GIT_AUTHOR_NAME": "Bench Author",
           "GIT_AUTHOR_EMAIL": "bench@example.invalid", "GIT_AUTHOR_DATE": "2026-01-01T00:00:00Z",
           "GIT_COMMITTER_NAME": "Bench Author", "GIT_COMMITTER_EMAIL": "bench@example.invalid",
           "GIT_COMMITTER_DATE": "2026-01-01T00:00:00Z", "LC_ALL": "C"}
    return subprocess.run(["git", *args], cwd=repo, env=env, check=True, capture_output=True, text=True).stdout.strip()


def make_repos(root: str) -> list[dict]:
    repos = []
    for name, files, subfolders in REPOS:
        path = os.path.join(root, "repos", name)
        if not os.path.isdir(os.path.join(path, ".git")):
            shutil.rmtree(path, ignore_errors=True)
            os.makedirs(path)
            git(path, "init", "-q", "-b", "main")
            for rel in files:
                full = os.path.join(path, rel)
                os.makedirs(os.path.dirname(full), exist_ok=True)
                with open(full, "w") as handle:
                    handle.write("// %s in %s\n" % (rel, name))
            git(path, "add", "-A")
            git(path, "commit", "-q", "-m", "Initial commit")
        head = git(path, "rev-parse", "HEAD")
        repos.append({"name": name, "path": path, "head": head,
                      "subfolders": [os.path.join(path, s) for s in subfolders]})
    return repos


def plan(root: str, size_mb: int, seed: int, repos: list[dict]) -> list[dict]:
    rng = random.Random(seed)
    total = size_mb * MIB
    bigs = BIG_FILES if size_mb >= 1024 else []
    body = body_sizes(total - sum(size for _, size in bigs), rng)

    def pick_cwd() -> dict:
        r = rng.random()
        if r < 0.85:
            repo = rng.choice(repos)
            cwd = repo["path"]
            sub = None
            if repo["subfolders"] and r > 0.65:
                cwd = rng.choice(repo["subfolders"])
            elif repo["subfolders"] and rng.random() < 0.05:
                sub = rng.choice(repo["subfolders"])
            return {"cwd": cwd, "subfolder": sub, "branch": rng.choice(BRANCHES),
                    "git": {"commit_hash": repo["head"], "branch": "main",
                            "repository_url": "git@git.example.invalid:team/%s.git" % repo["name"].replace(" ", "-")}}
        return {"cwd": rng.choice(NON_REPO_CWDS), "subfolder": None, "branch": "", "git": None}

    def claude_model() -> str:
        x = rng.random()
        for name, weight in CLAUDE_MODELS:
            if x < weight:
                return name
            x -= weight
        return CLAUDE_MODELS[0][0]

    tasks = []

    def add(kind: str, sizes: list[int], **extra) -> None:
        where = pick_cwd()
        task = {"kind": kind, "sizes": sizes, "seed": rng.getrandbits(63), "root": root,
                "start_ms": BASE_EPOCH_MS + rng.randrange(HISTORY_DAYS * 86_400_000),
                "cwd": where["cwd"], "subfolder": where["subfolder"], "branch": where["branch"], "git": where["git"],
                "model": rng.choice(CODEX_MODELS) if kind.startswith("codex") else claude_model()}
        task.update(extra)
        tasks.append(task)

    for kind, size in bigs:
        if kind == "claude-subagents":
            add(kind, [size, body.pop(), body.pop()])
        else:
            add(kind, [size])

    forced = ["claude-resume", "claude-subagents", "codex-fork-a", "codex-fork-b", "codex-fork-c",
              "codex-archived", "codex-archived-dup", "claude-oldstyle", "claude-resume", "codex-fork-a"]
    invalid_tail_left = 3
    while body:
        if forced:
            kind = forced.pop(0)
        elif rng.random() < CODEX_SHARE:
            r = rng.random()
            kind = ("codex-fork-" + rng.choice("abc")) if r < 0.06 else "codex-archived" if r < 0.13 \
                else "codex-archived-dup" if r < 0.18 else "codex"
        else:
            r = rng.random()
            kind = "claude-subagents" if r < 0.18 else "claude-resume" if r < 0.22 \
                else "claude-oldstyle" if r < 0.24 else "claude"
        count = 1
        if kind == "claude-subagents":
            count = 1 + rng.randint(1, 4)
        elif kind == "claude-resume" or kind.startswith("codex-fork"):
            count = 2
        sizes = [body.pop() for _ in range(min(count, len(body)))]
        if kind == "claude-subagents" and len(sizes) < 2:
            kind = "claude"
        if (kind == "claude-resume" or kind.startswith("codex-fork")) and len(sizes) < 2:
            kind = "claude" if kind.startswith("claude") else "codex"
        extra = {}
        if kind.startswith("claude") and invalid_tail_left and rng.random() < 0.05:
            invalid_tail_left -= 1
            extra["invalid_utf8_tail"] = True
        add(kind, sizes, **extra)
    return tasks


def run_task(task: dict) -> tuple[list[str], dict]:
    stats: collections.Counter = collections.Counter()
    if task["kind"].startswith("codex"):
        files = codex_group(task, stats)
    else:
        files = claude_group(task, stats)
    return files, dict(stats)


def percentile(sorted_values: list[int], q: float) -> int:
    if not sorted_values:
        return 0
    return sorted_values[min(len(sorted_values) - 1, int(q * len(sorted_values)))]


def generate(out_dir: str, size_mb: int, seed: int, jobs: int) -> dict:
    root = os.path.abspath(out_dir)
    for sub in ("claude", "codex"):
        shutil.rmtree(os.path.join(root, sub), ignore_errors=True)
    os.makedirs(root, exist_ok=True)
    started = time.time()
    repos = make_repos(root)
    tasks = plan(root, size_mb, seed, repos)
    order = sorted(tasks, key=lambda t: -sum(t["sizes"]))  # longest first, for balance
    stats: collections.Counter = collections.Counter()
    files: list[str] = []
    if jobs > 1:
        with Pool(jobs) as pool:
            for task_files, task_stats in pool.imap_unordered(run_task, order, chunksize=1):
                files.extend(task_files)
                stats.update(task_stats)
    else:
        for task in order:
            task_files, task_stats = run_task(task)
            files.extend(task_files)
            stats.update(task_stats)
    files.sort()
    sizes = sorted(os.path.getsize(p) for p in files)
    claude_files = [p for p in files if os.sep + "claude" + os.sep in p[len(root):]]
    codex_files = [p for p in files if os.sep + "codex" + os.sep in p[len(root):]]
    manifest = {
        "generator": GENERATOR_VERSION, "seed": seed, "sizeMB": size_mb,
        "seconds": round(time.time() - started, 2),
        "files": {"total": len(files), "claude": len(claude_files),
                  "claudeSubagent": sum(1 for p in claude_files if os.sep + "subagents" + os.sep in p),
                  "codex": len(codex_files),
                  "codexArchived": sum(1 for p in codex_files if os.sep + "archived_sessions" + os.sep in p)},
        "bytes": {"total": sum(sizes), "claude": sum(os.path.getsize(p) for p in claude_files),
                  "codex": sum(os.path.getsize(p) for p in codex_files)},
        "fileSize": {"median": percentile(sizes, 0.5), "p99": percentile(sizes, 0.99), "max": sizes[-1] if sizes else 0,
                     "over100MB": sum(1 for s in sizes if s >= 100 * 1_000_000)},
        "groups": dict(collections.Counter(t["kind"] for t in tasks)),
        "lines": {k: v for k, v in sorted(stats.items()) if not k.startswith("over1MB:")},
        "linesOver1MB": {k.split(":", 1)[1]: v for k, v in sorted(stats.items()) if k.startswith("over1MB:")},
        "repos": [{"name": r["name"], "path": r["path"], "head": r["head"]} for r in repos],
    }
    with open(os.path.join(root, "manifest.json"), "w") as handle:
        json.dump(manifest, handle, indent=1)
        handle.write("\n")
    return manifest


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description="Generate a synthetic Claude Code + Codex transcript history.")
    parser.add_argument("--out", required=True, help="output folder (claude/, codex/, repos/, manifest.json)")
    parser.add_argument("--size-mb", type=int, default=1024, help="approximate size in MiB (default 1024)")
    parser.add_argument("--seed", type=int, default=1, help="random seed (default 1)")
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1, help="worker processes")
    args = parser.parse_args(argv)
    if args.size_mb < 1:
        parser.error("--size-mb must be at least 1")
    manifest = generate(args.out, args.size_mb, args.seed, args.jobs)
    print("wrote %d files, %.1f MiB (claude %.1f, codex %.1f) in %.1f s to %s" % (
        manifest["files"]["total"], manifest["bytes"]["total"] / MIB, manifest["bytes"]["claude"] / MIB,
        manifest["bytes"]["codex"] / MIB, manifest["seconds"], os.path.abspath(args.out)))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
