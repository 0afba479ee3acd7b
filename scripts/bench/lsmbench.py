"""Shared helpers of the benchmark and the end-to-end totals check (Python 3 stdlib only)."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import time

USAGE_KEYS = ("input", "output", "cacheWrite", "cacheRead", "total")
HERE = os.path.dirname(os.path.abspath(__file__))
FIXTURES = os.path.normpath(os.path.join(HERE, "..", "..", "..", "shared", "fixtures", "agents"))


def lsm_env(corpus_claude: str, corpus_codex: str, lsm_home: str, home: str) -> dict:
    """The environment lsm runs in: only the given transcript roots, a private index and HOME."""
    env = dict(os.environ)
    for key in list(env):
        if key.startswith("LSM_") or key in ("XDG_DATA_HOME", "XDG_CONFIG_HOME", "GIT_DIR", "GIT_WORK_TREE"):
            del env[key]
    os.makedirs(home, exist_ok=True)
    env.update({"CLAUDE_CONFIG_DIR": corpus_claude, "CODEX_HOME": corpus_codex, "LSM_HOME": lsm_home,
                "HOME": home, "NO_COLOR": "1", "GIT_CONFIG_GLOBAL": "/dev/null", "GIT_CONFIG_NOSYSTEM": "1"})
    return env


def run_json(argv: list[str], env: dict, cwd: str | None = None, timeout: float = 1800):
    """Runs a command that prints JSON; returns (value, seconds). Raises with its stderr on failure."""
    started = time.perf_counter()
    done = subprocess.run(argv, env=env, cwd=cwd, capture_output=True, timeout=timeout)
    seconds = time.perf_counter() - started
    if done.returncode != 0:
        raise RuntimeError("%s exited %d:\n%s" % (" ".join(argv), done.returncode,
                                                  done.stderr.decode("utf-8", "replace")[-4000:]))
    try:
        return json.loads(done.stdout), seconds
    except ValueError as error:
        raise RuntimeError("%s printed no JSON (%s):\n%s" % (" ".join(argv), error,
                                                             done.stdout.decode("utf-8", "replace")[:2000]))


def normalize(rows) -> dict:
    """{(agent, id): (usage tuple, calls)} from lsm's or the reference's JSON array."""
    table = {}
    for row in rows:
        usage = row.get("usage") or {}
        table[(row.get("agent"), row.get("id"))] = (
            tuple(int(usage.get(key) or 0) for key in USAGE_KEYS), int(row.get("calls") or 0))
    return table


def compare(lsm_rows, reference_rows) -> tuple[int, list[str]]:
    """Every session in either list must have the same usage and calls (absent = zero).

    Returns (number of sessions that match, one text block per mismatch).
    """
    lsm = normalize(lsm_rows)
    ref = normalize(reference_rows)
    zero = ((0,) * len(USAGE_KEYS), 0)
    matched = 0
    problems = []
    for key in sorted(set(lsm) | set(ref), key=lambda k: (str(k[0]), str(k[1]))):
        got = lsm.get(key, zero)
        want = ref.get(key, zero)
        if got == want:
            matched += 1
            continue
        where = "" if key in lsm else " (missing from lsm)" if key in ref else ""
        if key not in ref:
            where = " (not in the reference)"
        lines = ["%s %s%s" % (key[0], key[1], where)]
        for name, g, w in zip(USAGE_KEYS + ("calls",), got[0] + (got[1],), want[0] + (want[1],)):
            if g != w:
                lines.append("    %-10s lsm %14d   reference %14d   diff %+d" % (name, g, w, g - w))
        problems.append("\n".join(lines))
    return matched, problems


def build_fixture_tree(dest: str) -> dict:
    """Lays the real fixtures out as a CLAUDE_CONFIG_DIR and a CODEX_HOME under dest.

    Returns {"claude": root, "codex": home}. The Codex token_count fixture has no
    session_meta; it is stored under a rollout name whose uuid is its session id.
    """
    claude = os.path.join(dest, "claude")
    codex = os.path.join(dest, "codex")
    project = os.path.join(claude, "projects", "-fixtures")
    os.makedirs(project, exist_ok=True)
    src = os.path.join(FIXTURES, "claude")
    for name in sorted(os.listdir(src)):
        if name.endswith(".jsonl"):
            shutil.copyfile(os.path.join(src, name), os.path.join(project, name))
    sub = os.path.join(src, "gitai_subagent_layout", "sess-parent-abc", "subagents")
    os.makedirs(os.path.join(project, "sess-parent-abc", "subagents"), exist_ok=True)
    for name in os.listdir(sub):
        shutil.copyfile(os.path.join(sub, name), os.path.join(project, "sess-parent-abc", "subagents", name))
    ccusage = os.path.join(claude, "projects", "-fixtures-ccusage")
    os.makedirs(ccusage, exist_ok=True)
    shutil.copyfile(os.path.join(FIXTURES, "ccusage", "ccusage_claude_usage_minimal.jsonl"),
                    os.path.join(ccusage, "session-alpha.jsonl"))
    day1 = os.path.join(codex, "sessions", "2026", "02", "11")
    day2 = os.path.join(codex, "sessions", "2026", "05", "13")
    os.makedirs(day1, exist_ok=True)
    os.makedirs(day2, exist_ok=True)
    os.makedirs(os.path.join(codex, "archived_sessions"), exist_ok=True)
    shutil.copyfile(os.path.join(FIXTURES, "codex", "gitai_codex-session-simple.jsonl"),
                    os.path.join(day1, "rollout-2026-02-11T05-53-33-019c4b43-1451-7af3-be4c-5576369bf1ba.jsonl"))
    shutil.copyfile(os.path.join(FIXTURES, "codex", "ccusage_token_count_session-alpha.jsonl"),
                    os.path.join(day2, "rollout-2026-05-13T09-00-00-0196c8a0-0000-7000-8000-00000000a1fa.jsonl"))
    return {"claude": claude, "codex": codex}


def jsonl_files(root: str) -> list[str]:
    found = []
    for dirpath, _dirs, names in os.walk(root):
        for name in names:
            if name.endswith(".jsonl"):
                found.append(os.path.join(dirpath, name))
    found.sort()
    return found
