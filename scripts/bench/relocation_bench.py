"""The comment relocation part of the benchmark (issue 6): `lsm bench-relocation --json` on the Python
standard library's sources (real files nobody here wrote), scored per edit against plain diff mapping,
and 10,000 threads relocated to HEAD (Python 3 stdlib only)."""

from __future__ import annotations

import glob
import json
import os
import subprocess
import sysconfig

THREADS = 2_700
SPEED_THREADS = 10_000

GROUPS = {
    "unchanged": "anchored lines unchanged (shifted, edited elsewhere, renamed, copy elsewhere): right place",
    "moved": "anchored lines' block moved in the file: right place",
    "edited": "anchored line edited in place: `changed` at the right place",
    "deleted": "anchored lines deleted (also with a copy pasted elsewhere): `outdated`/`orphaned`",
}
TARGETS = {"unchanged": 0.99, "moved": 0.90, "edited": 0.90, "deleted": 1.0}


def corpus() -> str:
    """The folder of the running Python's standard library (/usr/lib/python3.X)."""
    folder = sysconfig.get_paths().get("stdlib") or ""
    if not glob.glob(os.path.join(folder, "*.py")):
        found = sorted(glob.glob("/usr/lib/python3.*/"))
        folder = found[-1] if found else folder
    return folder


def measure(lsm: str, env: dict, seed: int, quick: bool) -> dict | None:
    """The report of `lsm bench-relocation --json`, or None when lsm has no such command."""
    if subprocess.run([lsm, "bench-relocation", "--help"], env=env, capture_output=True).returncode != 0:
        return None
    argv = [lsm, "bench-relocation", "--json", "--corpus", corpus(), "--seed", str(seed),
            "--threads", str(900 if quick else THREADS), "--speed-threads", str(SPEED_THREADS),
            "--speed-runs", "3" if quick else "5"]
    done = subprocess.run(argv, env=env, capture_output=True)
    if done.returncode != 0:
        raise RuntimeError("%s exited %d: %s" % (" ".join(argv), done.returncode, done.stderr.decode()[-2000:]))
    return json.loads(done.stdout)


def bars(r: dict | None) -> list[dict]:
    if r is None:
        return [{"what": "comment relocation", "target": "see DESIGN.md", "measured": "skipped (no bench-relocation command)",
                 "ok": None}]
    out = []
    for group in r["groups"]:
        target = TARGETS[group["name"]]
        out.append({"what": "relocation, %s (%d threads)" % (GROUPS[group["name"]], group["threads"]),
                    "target": "%s %%" % ("100" if target == 1.0 else "≥ %d" % (target * 100)),
                    "measured": "%.2f %% (plain diff %.2f %%)" % (100 * group["accuracy"], 100 * group["baselineAccuracy"]),
                    "ok": group["accuracy"] >= target})
    speed = r["speed"]
    out.append({"what": "%s threads on %d files relocated to HEAD" % ("{:,}".format(speed["threads"]), speed["files"]),
                "target": "≤ 1 s", "measured": "%.3f s median" % speed["median"], "ok": speed["median"] <= 1.0})
    return out


def detail_rows(r: dict | None) -> list[str]:
    if r is None:
        return []
    rows = []
    for edit in r["edits"]:
        e = edit["errors"]
        b = edit["baselineErrors"]
        states = ", ".join("%s %d" % kv for kv in sorted(edit["states"].items()))
        rows.append("| relocation: %s, %s (%d threads; states: %s) | %.2f %% right (wrong line %d, spurious %d, "
                    "eliminated %d, wrong state %d); plain diff %.2f %% (wrong line %d, spurious %d, eliminated %d, "
                    "wrong state %d) |" % (
                        edit["name"], edit["mode"], edit["threads"], states, 100 * edit["accuracy"], e["wrongLine"],
                        e["spurious"], e["eliminated"], e["wrongState"], 100 * edit["baselineAccuracy"], b["wrongLine"],
                        b["spurious"], b["eliminated"], b["wrongState"]))
    t = r["total"]
    rows.append("| relocation, all %d threads: LHDiff's kinds of error | wrong line %d, spurious %d, eliminated %d, wrong "
                "state %d; plain diff: wrong line %d, spurious %d, eliminated %d, wrong state %d |" % (
                    t["threads"], t["errors"]["wrongLine"], t["errors"]["spurious"], t["errors"]["eliminated"],
                    t["errors"]["wrongState"], t["baselineErrors"]["wrongLine"], t["baselineErrors"]["spurious"],
                    t["baselineErrors"]["eliminated"], t["baselineErrors"]["wrongState"]))
    speed = r["speed"]
    rows.append("| relocation timing, %s threads on %d files to HEAD (each run opens the repository) | median %.3f s "
                "(runs %s); plain diff mapping %.3f s |" % (
                    "{:,}".format(speed["threads"]), speed["files"], speed["median"],
                    ", ".join("%.3f" % x for x in speed["seconds"]), speed["baselineMedian"]))
    rows.append("| relocation corpus | `%s` (%d files of 160+ lines), seed %d |" % (r["corpus"], r["corpusFiles"], r["seed"]))
    return rows


METHOD = """- **Comment relocation** (`scripts/bench/relocation_bench.py`, `lsm bench-relocation --json`). The corpus
  is the Python standard library of the machine (`/usr/lib/python3.X/*.py`, files of 160+ lines): real
  code nobody here wrote. Each thread is a slice of 120–300 lines of one file, a comment anchored on a
  random range (1 line half the time, else 2–5, starting on a line with a word in it), and one edit of
  known outcome, the nine kinds in turn: lines inserted above, lines deleted above, edits elsewhere (4+
  lines away), the file renamed (half the time with lines inserted), an identical copy of the anchored
  lines pasted 20+ lines away, the block around the range (1–6 more lines each side) moved 20+ lines,
  one anchored line edited (an identifier renamed, a number changed, an argument added or a comment
  appended), the anchored lines deleted, and deleted with a copy pasted 20+ lines away. Inserted lines
  come from elsewhere in the same file; insertions and deletions are placed where no diff could read
  them as touching the neighbouring lines instead. Half the threads are committed (relocated to HEAD),
  half left in the working tree (renames as a deleted plus an untracked file). Each batch of threads is
  a temporary git repository (the `git` CLI) holding each source file at most once, so that no two
  threads share code. Every thread is relocated by the relocator and by plain diff mapping (the baseline:
  the range shifted when no hunk touches it, else `outdated`; renames followed the same way). Right
  means: unchanged and moved code shown at its new path and lines as `current` or `moved`; edited code
  `changed` at its lines; deleted code `outdated` or `orphaned`. Wrong answers are counted in the LHDiff
  paper's kinds (wrong line, spurious: shown although deleted, eliminated: reported deleted although
  there) plus a right place with the wrong state. The timing relocates 10,000 threads on random ranges
  of one committed, edited copy of each corpus file (every kind of edit) to HEAD in one batch call, opening the repository
  each run; median of 5 runs (3 with `--quick`).
"""
