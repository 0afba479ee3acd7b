"""The search part of the benchmark (issue 7): a corpus of Claude Code sessions (about 1.1 GB) whose
1,300,000 records hold 1,000,000 searchable messages (prompts, answers with some identifiers and
paths, tool calls, tool errors) besides the tool outputs search skips; full-text indexing throughput
(`lsm index --search`, wall and CPU); `lsm search` latency read from its `timings` (the query itself,
after the index is current) over 200 queries, by kind of query, and the whole command's wall and CPU
time; the same queries scoped to one repository (`--repo`, the default inside one: a twentieth of the
sessions), whose filter the index cannot apply before it matches; memory search with 10,000 memories
(Python 3 stdlib only). The corpus is kept between runs
in `<scratch>/search-corpus-*`. Run alone: `python3 scripts/bench/search_bench.py [--quick]`."""

from __future__ import annotations

import json
import os
import random
import resource
import shutil
import statistics
import subprocess
import sys
import time

# Records written; about 77.5 % are searchable (the tool outputs that did not fail are skipped).
MESSAGES = 1_300_000
SESSIONS = 2_600
MEMORIES = 10_000
QUERIES = 200


def vocabulary(rng: random.Random) -> list[str]:
    """5,000 made-up words plus real technical ones, used with a Zipf-like skew."""
    letters = "abcdefghijklmnopqrstuvwxyz"
    words = {"".join(rng.choice(letters) for _ in range(rng.randint(3, 10))) for _ in range(5200)}
    technical = ["jwt", "expiry", "token", "refresh", "cache", "migration", "index", "parser", "router", "deadlock",
                 "timeout", "retry", "schema", "session", "cookie", "oauth", "webhook", "latency", "regression"]
    return technical + sorted(words)[:5000]


def sentence(rng: random.Random, vocab: list[str], n: int) -> str:
    size = len(vocab)
    return " ".join(vocab[min(size - 1, int(rng.paretovariate(1.1)) - 1)] if rng.random() < 0.7
                    else vocab[rng.randrange(size)] for _ in range(n))


def generate(root: str, messages: int, sessions: int, seed: int) -> int:
    rng = random.Random(seed)
    vocab = vocabulary(rng)
    per = messages // sessions
    total = 0
    start = 1_760_000_000
    for s in range(sessions):
        sid = "%08x-0000-4000-8000-%012x" % (s, s)
        folder = os.path.join(root, "projects", "-work-app%d" % (s % 20))
        os.makedirs(folder, exist_ok=True)
        lines = []
        for m in range(per):
            when = time.strftime("%Y-%m-%dT%H:%M:%S.000Z", time.gmtime(start + s * 3600 + m * 5))
            env = {"sessionId": sid, "cwd": "/work/app%d" % (s % 20), "gitBranch": "main", "version": "2.1.0",
                   "uuid": "%s-%d" % (sid, m), "timestamp": when}
            kind = m % 4
            if kind == 0:
                rec = dict(env, type="user", message={"role": "user", "content": sentence(rng, vocab, rng.randint(8, 40))})
            elif kind == 1:
                text = sentence(rng, vocab, rng.randint(20, 120))
                if rng.random() < 0.3:
                    # Answers name code now and then: a path, a call, a camel-case identifier.
                    text += " in src/%s/%s.ts, %s_%s() and %s%s" % (
                        rng.choice(vocab[:200]), rng.choice(vocab), rng.choice(vocab), rng.choice(vocab[:50]),
                        rng.choice(vocab), rng.choice(vocab[:300]).capitalize())
                rec = dict(env, type="assistant", requestId="r%d-%d" % (s, m), message={
                    "id": "m%d-%d" % (s, m), "model": "claude-sonnet-4-5-20250929", "role": "assistant",
                    "content": [{"type": "text", "text": text}],
                    "usage": {"input_tokens": 10, "output_tokens": 50, "cache_creation_input_tokens": 0,
                              "cache_read_input_tokens": 1000}})
            elif kind == 2:
                rec = dict(env, type="assistant", requestId="r%d-%d" % (s, m), message={
                    "id": "m%d-%d" % (s, m), "model": "claude-sonnet-4-5-20250929", "role": "assistant",
                    "content": [{"type": "tool_use", "id": "t%d" % m, "name": rng.choice(["Bash", "Edit", "Read", "Grep"]),
                                 "input": {"file_path": "/work/app/src/%s/%s.ts" % (rng.choice(vocab[:200]), rng.choice(vocab)),
                                           "command": "npm test -- " + sentence(rng, vocab, 3)}}],
                    "usage": {"input_tokens": 10, "output_tokens": 20, "cache_creation_input_tokens": 0,
                              "cache_read_input_tokens": 1000}})
            else:
                failed = rng.random() < 0.1
                output = sentence(rng, vocab, 30 if failed else rng.randint(50, 400))
                rec = dict(env, type="user", message={"role": "user", "content": [
                    {"type": "tool_result", "tool_use_id": "t%d" % (m - 1), "is_error": failed, "content": output}]})
            lines.append(json.dumps(rec, separators=(",", ":")))
        data = ("\n".join(lines) + "\n").encode()
        total += len(data)
        with open(os.path.join(folder, sid + ".jsonl"), "wb") as handle:
            handle.write(data)
    return total


def corpus(scratch: str, messages: int, sessions: int, seed: int) -> tuple[str, int]:
    """The generated Claude Code folder and its size, made once per size and seed."""
    root = os.path.join(scratch, "search-corpus-%d-%d" % (messages, seed))
    marker = os.path.join(root, "bytes")
    if os.path.exists(marker):
        with open(marker) as handle:
            return root, int(handle.read())
    shutil.rmtree(root, ignore_errors=True)
    total = generate(root, messages, sessions, seed)
    with open(marker, "w") as handle:
        handle.write(str(total))
    return root, total


def run_json(argv: list[str], env: dict, cwd: str) -> dict:
    return run_timed(argv, env, cwd)[0]


def run_timed(argv: list[str], env: dict, cwd: str) -> tuple[dict, float, float]:
    """The command's JSON output, its wall seconds and its CPU seconds (user + system)."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    done = subprocess.run(argv, env=env, cwd=cwd, capture_output=True, timeout=3600)
    wall = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if done.returncode != 0:
        raise RuntimeError("%s exited %d: %s" % (" ".join(argv), done.returncode, done.stderr.decode()[-2000:]))
    cpu = after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime
    return json.loads(done.stdout), wall, cpu


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(q * (len(ordered) - 1))))]


QUERY_KINDS = ("words", "phrase", "prefix", "common", "path", "substring")


def queries(rng: random.Random, vocab: list[str]) -> list[tuple[str, str]]:
    """200 queries and their kinds: two words, a phrase, a prefix, then in turn the corpus's two most
    common words, a path and a substring (an identifier's inside)."""
    made = []
    for i in range(QUERIES):
        shape = i % 4
        if shape == 0:
            made.append(("words", " ".join(rng.choice(vocab[20:800]) for _ in range(2))))
        elif shape == 1:
            made.append(("phrase", '"%s"' % sentence(rng, vocab, 2)))
        elif shape == 2:
            made.append(("prefix", rng.choice(vocab[20:2000])[:4] + "*"))
        elif i % 12 == 3:
            made.append(("common", "jwt expiry"))
        elif i % 12 == 7:
            made.append(("path", "path:src/%s" % rng.choice(vocab[:200])))
        else:
            made.append(("substring", "_%s()" % rng.choice(vocab[:50])))
    return made


def measure(lsm: str, scratch: str, seed: int, quick: bool) -> dict:
    messages = MESSAGES // 10 if quick else MESSAGES
    sessions = SESSIONS // 10 if quick else SESSIONS
    claude, corpus_bytes = corpus(scratch, messages, sessions, seed)
    root = os.path.join(scratch, "search-bench")
    shutil.rmtree(root, ignore_errors=True)
    home = os.path.join(root, "home")
    os.makedirs(home)
    env = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "HOME": root, "LSM_HOME": os.path.join(root, "lsm"),
           "CLAUDE_CONFIG_DIR": claude, "CODEX_HOME": os.path.join(root, "codex"), "GIT_CONFIG_GLOBAL": "/dev/null",
           "GIT_CONFIG_NOSYSTEM": "1", "TZ": "UTC"}
    run_json([lsm, "index", "--json"], env, home)
    output, _, index_cpu = run_timed([lsm, "index", "--search", "--json"], env, home)
    report = output["search"]
    database = os.path.join(env["LSM_HOME"], "index.sqlite")
    # Memories: 10,000, global so every query sees them.
    rng = random.Random(seed + 1)
    vocab = vocabulary(random.Random(seed))
    memories = MEMORIES // 10 if quick else MEMORIES
    import sqlite3
    with sqlite3.connect(database) as db:
        db.executemany("INSERT INTO memory (scope, text, tags, createdAt) VALUES ('', ?, '', ?)",
                       [(sentence(rng, vocab, rng.randint(5, 30)), 1_760_000_000 + i) for i in range(memories)])
    # One repository of twenty holds a twentieth of the sessions: those of /work/app3 are tied to the
    # repository the searches run in, as the session index ties a session to its working directory's.
    subprocess.run(["git", "init", "-q", home], env=env, check=True, capture_output=True)
    work_dir = os.path.realpath(home)
    with sqlite3.connect(database) as db:
        db.execute("UPDATE session SET repoWorkDir = ?, repoCommonDir = ? WHERE cwd = '/work/app3'",
                   (work_dir, os.path.join(work_dir, ".git")))
    made = queries(rng, vocab)
    # One untimed search first: it checkpoints what the memories wrote, and warms the page cache.
    run_json([lsm, "search", "--all", "--json", "warm"], env, home)
    hits, mems, walls, cpus = [], [], [], []
    by_kind: dict[str, list[float]] = {kind: [] for kind in QUERY_KINDS}
    for kind, query in made:
        result, wall, cpu = run_timed([lsm, "search", "--all", "--json", query], env, home)
        walls.append(wall)
        cpus.append(cpu)
        hits.append(result["timings"]["hits"])
        mems.append(result["timings"]["memories"])
        by_kind[kind].append(result["timings"]["hits"])
    scoped: list[float] = []
    scoped_hits = 0
    by_kind_scoped: dict[str, list[float]] = {kind: [] for kind in QUERY_KINDS}
    for kind, query in made:
        result = run_json([lsm, "search", "--json", query], env, home)
        scoped.append(result["timings"]["hits"])
        scoped_hits += len(result["hits"])
        by_kind_scoped[kind].append(result["timings"]["hits"])
    return {
        "messages": report["indexedMessages"], "corpus_bytes": corpus_bytes, "index_seconds": report["seconds"],
        "index_cpu_seconds": index_cpu, "index_mbps": report["bytes"] / report["seconds"] / 1e6,
        "index_cpu_mbps": report["bytes"] / index_cpu / 1e6, "database_bytes": os.path.getsize(database),
        "memories": memories, "queries": len(made),
        "search_p50": statistics.median(hits), "search_p95": percentile(hits, 0.95),
        "kinds": {kind: {"count": len(times), "p50": statistics.median(times), "p95": percentile(times, 0.95),
                         "max": max(times)} for kind, times in by_kind.items() if times},
        "repo_p50": statistics.median(scoped), "repo_p95": percentile(scoped, 0.95), "repo_hits": scoped_hits,
        "repo_kinds": {kind: {"p50": statistics.median(times), "p95": percentile(times, 0.95), "max": max(times)}
                       for kind, times in by_kind_scoped.items() if times},
        "memory_p50": statistics.median(mems), "memory_p95": percentile(mems, 0.95),
        "wall_p50": statistics.median(walls), "wall_p95": percentile(walls, 0.95),
        "command_cpu_p50": statistics.median(cpus), "command_cpu_p95": percentile(cpus, 0.95),
    }


def bars(result: dict) -> list[dict]:
    n = "{:,}".format(result["messages"])
    return [
        {"what": "`search` on %s indexed messages (query time, 200 queries)" % n, "target": "≤ 20 ms p95",
         "measured": "%.1f ms p95, %.1f ms median (whole command: %.0f ms median wall, %.0f ms CPU; by kind, p95: %s)" % (
             result["search_p95"] * 1e3, result["search_p50"] * 1e3, result["wall_p50"] * 1e3,
             result["command_cpu_p50"] * 1e3,
             ", ".join("%s %.1f ms" % (kind, times["p95"] * 1e3) for kind, times in result["kinds"].items())),
         "ok": result["search_p95"] <= 0.020},
        {"what": "`search` in one repository (`--repo`, a twentieth of the sessions; same queries)", "target": "≤ 20 ms p95",
         "measured": "%.1f ms p95, %.1f ms median (by kind, p95: %s)" % (
             result["repo_p95"] * 1e3, result["repo_p50"] * 1e3,
             ", ".join("%s %.1f ms" % (kind, times["p95"] * 1e3) for kind, times in result["repo_kinds"].items())),
         "ok": result["repo_p95"] <= 0.020},
        {"what": "memory search (%s memories)" % "{:,}".format(result["memories"]), "target": "≤ 5 ms",
         "measured": "%.2f ms p95" % (result["memory_p95"] * 1e3), "ok": result["memory_p95"] <= 0.005},
        {"what": "full-text indexing throughput", "target": "≥ 100 MB/s",
         "measured": "%.0f MB/s (%.0f MB in %.1f s, %.1f s CPU; index %.0f MB)" % (
             result["index_mbps"], result["corpus_bytes"] / 1e6, result["index_seconds"], result["index_cpu_seconds"],
             result["database_bytes"] / 1e6),
         "ok": result["index_mbps"] >= 100},
    ]


if __name__ == "__main__":
    quick = "--quick" in sys.argv
    here = os.path.dirname(os.path.abspath(__file__))
    lsm = os.environ.get("LSM") or os.path.normpath(os.path.join(here, "..", "..", ".build", "release", "lsm"))
    scratch = os.environ.get("TMPDIR", "/tmp")
    result = measure(lsm, scratch, 7, quick)
    print(json.dumps(result, indent=2))
    for bar in bars(result):
        print("%s: %s (target %s) %s" % (bar["what"], bar["measured"], bar["target"], "ok" if bar["ok"] else "MISSED"))
