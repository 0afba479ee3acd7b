"""The export part of the benchmark (issue 7): `git lsm export` of one 100 MB Claude Code session to
a JSON bundle, its wall time and peak memory (from /usr/bin/time -v), the same with `--redact`, then
`git lsm import` of the bundle into an empty index (Python 3 stdlib only). The session is the corpus's largest Claude Code
transcript when it is 100 MB or more; otherwise (a quick run's small corpus) one is made by repeating
that transcript's lines. Run alone: `python3 scripts/bench/export_bench.py CORPUS [--quick]`."""

from __future__ import annotations

import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import time

TARGET_BYTES = 100 * 1000 * 1000
RUNS = 5


def largest_claude_transcript(corpus: str) -> str:
    best, size = "", -1
    for folder, _, names in os.walk(os.path.join(corpus, "claude", "projects")):
        for name in names:
            if name.endswith(".jsonl") and "subagents" not in folder:
                path = os.path.join(folder, name)
                if os.path.getsize(path) > size:
                    best, size = path, os.path.getsize(path)
    return best


def prepare_session(corpus: str, claude: str, quick: bool) -> str:
    """A folder `claude/projects/<p>/<session>.jsonl` holding one session of about 100 MB."""
    source = largest_claude_transcript(corpus)
    target = os.path.join(claude, "projects", "-bench-export", os.path.basename(source))
    os.makedirs(os.path.dirname(target), exist_ok=True)
    wanted = TARGET_BYTES // 4 if quick else TARGET_BYTES
    if os.path.getsize(source) >= wanted:
        shutil.copyfile(source, target)
        return target
    with open(source, "rb") as handle:
        lines = [line for line in handle.read().split(b"\n") if line]
    written = 0
    with open(target, "wb") as out:
        while written < wanted:
            for line in lines:
                out.write(line + b"\n")
                written += len(line) + 1
    return target


def time_v(argv: list[str], env: dict, cwd: str) -> dict:
    report = os.path.join(cwd, "time-v.txt")
    started = time.perf_counter()
    done = subprocess.run(["/usr/bin/time", "-v", "-o", report] + argv, env=env, cwd=cwd, capture_output=True)
    seconds = time.perf_counter() - started
    if done.returncode != 0:
        raise RuntimeError("%s exited %d: %s" % (" ".join(argv), done.returncode, done.stderr.decode("utf-8", "replace")[-2000:]))
    with open(report) as handle:
        match = re.search(r"Maximum resident set size \(kbytes\): (\d+)", handle.read())
    return {"seconds": seconds, "rss": int(match.group(1)) * 1024 if match else 0, "stdout": done.stdout}


def measure(lsm: str, corpus: str, scratch: str, quick: bool) -> dict:
    root = os.path.join(scratch, "export-bench")
    shutil.rmtree(root, ignore_errors=True)
    claude = os.path.join(root, "claude")
    transcript = prepare_session(corpus, claude, quick)
    env = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "HOME": root, "LSM_HOME": os.path.join(root, "lsm"),
           "CLAUDE_CONFIG_DIR": claude, "CODEX_HOME": os.path.join(root, "codex"), "GIT_CONFIG_GLOBAL": "/dev/null",
           "GIT_CONFIG_NOSYSTEM": "1", "TZ": "UTC"}
    subprocess.run([lsm, "index"], env=env, cwd=root, check=True, capture_output=True)
    sessions = json.loads(subprocess.run([lsm, "list", "--all", "--json"], env=env, cwd=root, check=True,
                                         capture_output=True).stdout)
    session = max(sessions, key=lambda s: (s["usage"] or {}).get("total", 0))["id"]
    bundle = os.path.join(root, "session.lsm.json")
    runs, redacted = [], []
    for _ in range(2 if quick else RUNS):
        runs.append(time_v([lsm, "export", session, "-o", bundle], env, root))
    for _ in range(2 if quick else RUNS):
        redacted.append(time_v([lsm, "export", session, "--redact", "-o", bundle + ".redacted"], env, root))
    # Import into an empty index, as on another machine.
    other = dict(env, LSM_HOME=os.path.join(root, "elsewhere"), CLAUDE_CONFIG_DIR=os.path.join(root, "none"))
    imported = time_v([lsm, "import", bundle, "--as-of-origin"], other, root)
    seconds = [run["seconds"] for run in runs]
    result = {
        "transcript_bytes": os.path.getsize(transcript), "bundle_bytes": os.path.getsize(bundle),
        "seconds_median": statistics.median(seconds), "seconds_best": min(seconds), "seconds_max": max(seconds),
        "rss": max(run["rss"] for run in runs), "runs": len(runs),
        "redact_seconds_median": statistics.median(run["seconds"] for run in redacted),
        "redact_seconds_max": max(run["seconds"] for run in redacted), "redact_rss": max(run["rss"] for run in redacted),
        "import_seconds": imported["seconds"], "import_rss": imported["rss"],
    }
    shutil.rmtree(root, ignore_errors=True)
    return result


def bars(result: dict) -> list[dict]:
    return [
        {"what": "`export` of a %.0f MB session to a JSON bundle" % (result["transcript_bytes"] / 1e6),
         "target": "≤ 2 s, bounded memory",
         "measured": "%.2f s median (max %.2f s, %d runs), %.0f MB RSS; bundle %.0f MB; import %.2f s, %.0f MB RSS" % (
             result["seconds_median"], result["seconds_max"], result["runs"], result["rss"] / 1e6,
             result["bundle_bytes"] / 1e6, result["import_seconds"], result["import_rss"] / 1e6),
         "ok": result["seconds_max"] <= 2.0 and result["rss"] <= 200 * 1000 * 1000},
        {"what": "`export --redact` of the same session", "target": "≤ 2 s, bounded memory",
         "measured": "%.2f s median (max %.2f s, %d runs), %.0f MB RSS" % (
             result["redact_seconds_median"], result["redact_seconds_max"], result["runs"], result["redact_rss"] / 1e6),
         "ok": result["redact_seconds_max"] <= 2.0 and result["redact_rss"] <= 200 * 1000 * 1000},
    ]


if __name__ == "__main__":
    args = [a for a in sys.argv[1:] if not a.startswith("--")]
    quick = "--quick" in sys.argv
    here = os.path.dirname(os.path.abspath(__file__))
    lsm = os.path.normpath(os.path.join(here, "..", "..", ".build", "release", "lsm"))
    result = measure(lsm, args[0], os.environ.get("TMPDIR", "/tmp"), quick)
    print(json.dumps(result, indent=2))
    for bar in bars(result):
        print("%s: %s (target %s) %s" % (bar["what"], bar["measured"], bar["target"], "ok" if bar["ok"] else "MISSED"))
