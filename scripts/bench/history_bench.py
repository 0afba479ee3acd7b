"""The git-history part of the benchmark (issue 5): `git commit` with and without lsm's hooks in a
repository of 10,000 commits whose index holds 3,000+ sessions, `git lsm log -n 100`, and
`git lsm blame` on a 2,000-line file with 300 commits of history (Python 3 stdlib only)."""

from __future__ import annotations

import datetime
import json
import os
import random
import shutil
import statistics
import subprocess
import time

COMMITS = 10_000
BLAME_LINES = 2_000
BLAME_COMMITS = 300
NOTED_COMMITS = 200
EXTRA_SESSIONS = 720
COMMIT_RUNS = 30


def git(args: list[str], cwd: str, env: dict, stdin: bytes | None = None) -> str:
    done = subprocess.run(["git"] + args, cwd=cwd, env=env, input=stdin, capture_output=True)
    if done.returncode != 0:
        raise RuntimeError("git %s exited %d: %s" % (" ".join(args), done.returncode, done.stderr.decode()[-2000:]))
    return done.stdout.decode()


def fast_import_stream(seed: int) -> bytes:
    """10,000 commits: the first writes a 2,000-line file, 299 more edit a few of its lines, the rest
    touch small files; the newest 200 carry lsm notes."""
    rng = random.Random(seed)
    lines = ["line %d: let value%d = compute(%d)" % (i, i, i) for i in range(BLAME_LINES)]
    out = []
    when = 1_780_000_000

    def blob(text: str) -> None:
        data = text.encode()
        out.append(b"data %d\n" % len(data))
        out.append(data)
        out.append(b"\n")

    marks = []
    for number in range(1, COMMITS + 1):
        when += 60
        out.append(b"commit refs/heads/main\n")
        out.append(b"mark :%d\n" % number)
        out.append(b"author Bench <bench@example.com> %d +0000\n" % when)
        out.append(b"committer Bench <bench@example.com> %d +0000\n" % when)
        blob("commit %d\n" % number)
        if number > 1:
            out.append(b"from :%d\n" % (number - 1))
        if number <= BLAME_COMMITS:
            if number > 1:
                for index in rng.sample(range(BLAME_LINES), 7):
                    lines[index] = "line %d: let value%d = compute(%d) // edit %d" % (index, index, index, number)
            out.append(b"M 100644 inline src/big.swift\n")
            blob("\n".join(lines) + "\n")
        else:
            out.append(b"M 100644 inline src/file%d.txt\n" % (number % 500))
            blob("content %d\n" % number)
        marks.append(number)
    # Notes on the newest commits, in one notes commit.
    out.append(b"commit refs/notes/lsm\n")
    out.append(b"committer Bench <bench@example.com> %d +0000\n" % when)
    blob("Notes added by the benchmark\n")
    for number in range(COMMITS - NOTED_COMMITS + 1, COMMITS + 1):
        note = {"schema": "lsm.commit/1", "recordedAt": "2026-06-01T00:00:00Z", "sessions": [{
            "agent": "claude-code", "id": "bench-%04d" % (number % 37), "model": "claude-sonnet-4-5-20250929",
            "usage": {"input": 1200, "output": 800, "cacheWrite": 5000, "cacheRead": 90000, "total": 97000},
            "costUSD": 0.06, "health": {"score": 88, "contextFill": 0.41}, "filesTouched": ["src/file%d.txt" % (number % 500)]}]}
        out.append(b"N inline :%d\n" % number)
        blob(json.dumps(note, sort_keys=True))
    out.append(b"done\n")
    return b"".join(out)


def write_sessions(root: str, repo: str, count: int) -> None:
    """Small Claude transcripts of sessions in `repo`; the newest few active in the last minutes."""
    now = datetime.datetime.now(datetime.timezone.utc)
    folder = os.path.join(root, "projects", "-bench-history")
    os.makedirs(folder, exist_ok=True)
    for number in range(count):
        at = now - datetime.timedelta(minutes=2 + number * 7)
        stamp = at.strftime("%Y-%m-%dT%H:%M:%S.000Z")
        session = "hist-%04d" % number
        records = [
            {"type": "user", "sessionId": session, "cwd": repo, "gitBranch": "main", "uuid": session + "-u",
             "timestamp": stamp, "message": {"role": "user", "content": "change file %d" % number}},
            {"type": "assistant", "sessionId": session, "cwd": repo, "gitBranch": "main", "uuid": session + "-a",
             "requestId": "req-" + session, "timestamp": stamp,
             "message": {"id": "msg-" + session, "model": "claude-sonnet-4-5-20250929", "role": "assistant",
                         "content": [{"type": "tool_use", "id": "t", "name": "Edit",
                                      "input": {"file_path": os.path.join(repo, "src/file%d.txt" % (number % 500)),
                                                "old_string": "a", "new_string": "b"}}],
                         "usage": {"input_tokens": 100, "output_tokens": 50, "cache_creation_input_tokens": 0,
                                   "cache_read_input_tokens": 1000}}},
        ]
        with open(os.path.join(folder, session + ".jsonl"), "w") as handle:
            for record in records:
                handle.write(json.dumps(record) + "\n")


def timed(argv: list[str], cwd: str, env: dict) -> float:
    started = time.perf_counter()
    done = subprocess.run(argv, cwd=cwd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    elapsed = time.perf_counter() - started
    if done.returncode != 0:
        raise RuntimeError("%s exited %d: %s" % (" ".join(argv), done.returncode, done.stderr.decode()[-2000:]))
    return elapsed


def wait_for_note(repo: str, env: dict, timeout: float = 30) -> float | None:
    """Seconds until HEAD has an lsm note, or None."""
    started = time.perf_counter()
    while time.perf_counter() - started < timeout:
        done = subprocess.run(["git", "notes", "--ref=lsm", "list", "HEAD"], cwd=repo, env=env, capture_output=True)
        if done.returncode == 0 and done.stdout.strip():
            return time.perf_counter() - started
        time.sleep(0.01)
    return None


def commit_times(repo: str, env: dict, runs: int, wait: bool) -> tuple[list[float], list[float]]:
    times, notes = [], []
    for index in range(runs):
        times.append(timed(["git", "commit", "-q", "--allow-empty", "-m", "bench %d" % index], repo, env))
        if wait:
            waited = wait_for_note(repo, env)
            if waited is None:
                raise RuntimeError("no note appeared on HEAD after a commit with the hooks installed")
            notes.append(waited)
    return times, notes


def summary(times: list[float]) -> dict:
    return {"median": statistics.median(times), "min": min(times), "max": max(times), "runs": len(times)}


def measure(lsm: str, env: dict, scratch: str, lsm_home: str, claude_root: str, seed: int, quick: bool) -> dict:
    work = os.path.join(scratch, "history")
    shutil.rmtree(work, ignore_errors=True)
    os.makedirs(work)
    repo = os.path.join(work, "repo")
    genv = dict(env)
    genv.update({"GIT_AUTHOR_NAME": "Bench", "GIT_AUTHOR_EMAIL": "bench@example.com", "GIT_COMMITTER_NAME": "Bench",
                 "GIT_COMMITTER_EMAIL": "bench@example.com"})
    git(["init", "-q", "-b", "main", repo], work, genv)
    git(["fast-import", "--quiet"], repo, genv, stdin=fast_import_stream(seed))
    git(["reset", "-q", "--hard", "main"], repo, genv)
    git(["gc", "-q"], repo, genv)

    # An index with the corpus's sessions plus this repository's.
    home = os.path.join(work, "lsm-home")
    shutil.copytree(lsm_home, home)
    extra = os.path.join(work, "claude-extra")
    write_sessions(extra, repo, EXTRA_SESSIONS)
    henv = dict(genv)
    henv.update({"LSM_HOME": home, "CLAUDE_CONFIG_DIR": claude_root + "," + extra})
    index = json.loads(subprocess.run([lsm, "index", "--json"], env=henv, capture_output=True, check=True).stdout)
    runs = 10 if quick else COMMIT_RUNS

    without, _ = commit_times(repo, henv, runs, wait=False)
    subprocess.run([lsm, "hooks", "install"], cwd=repo, env=henv, capture_output=True, check=True)
    with_hooks, note_latency = commit_times(repo, henv, runs, wait=True)
    sync_env = dict(henv)
    sync_env["LSM_HOOK_SYNC"] = "1"
    synchronous, _ = commit_times(repo, sync_env, max(5, runs // 3), wait=False)
    note = json.loads(git(["notes", "--ref=lsm", "show", "HEAD"], repo, henv))
    hook_log = os.path.join(repo, ".git", "lsm", "hooks.log")
    errors = open(hook_log).read().strip().splitlines() if os.path.exists(hook_log) else []

    log_times = [timed([lsm, "log", "-n", "100"], repo, henv) for _ in range(3 + (5 if quick else 20))][3:]
    blame = None
    usage = subprocess.run([lsm, "--help"], env=henv, capture_output=True, text=True).stdout
    if "\n  blame " in usage:
        blame_times = [timed([lsm, "blame", "src/big.swift"], repo, henv) for _ in range(2 + (3 if quick else 10))][2:]
        blame = summary(blame_times)
    return {
        "commits": COMMITS, "sessions": index.get("sessions"), "noteSessions": len(note.get("sessions", [])),
        "without": summary(without), "with": summary(with_hooks), "noteLatency": summary(note_latency),
        "synchronous": summary(synchronous), "added": statistics.median(with_hooks) - statistics.median(without),
        "hookErrors": errors[-3:], "log": summary(log_times), "blame": blame,
    }
