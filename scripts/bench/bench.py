#!/usr/bin/env python3
"""The lsm benchmark (`make bench` runs it through scripts/bench.sh).

Usage:
    bench.py --lsm BIN [--size-mb 1024] [--seed 1] [--quick] [--runs 3] [--out FILE]
             [--venv DIR] [--work DIR] [--skip-peers]

In one run, on a generated corpus (generate_corpus.py) whose files are in the page cache:
  * cold indexing: fresh empty LSM_HOME, `lsm index --json`; best wall time of --runs runs;
    throughput = corpus bytes / wall seconds; peak RSS from /usr/bin/time -v;
  * re-index with nothing changed: median of 10 runs of `lsm index --json`;
  * `git lsm status` warm in one of the corpus repositories: median of 20 runs;
  * the peers' loaders on the Claude part of the same files (peer_loaders.py, run by the
    venv's python): claude-monitor and claude-code-log, best of --runs runs each;
  * token totals: `lsm list --all --json` against reference_totals.py, session by session;
  * the live dashboard, last (issue 4): `lsm monitor --all --interval 1` in tmux, its CPU time over
    a 30 s window with nothing changing; the time until a line appended to a transcript changes
    the header's "today N tokens" (5 appends, undone afterwards); `lsm statusline` median of 30 runs.
Writes a Markdown report (docs/benchmarks.md by default for the full size; a quick run
writes .build-bench/benchmarks-quick.md) and prints it. Exit status 1 when a bar is missed.
"""

from __future__ import annotations

import argparse
import datetime
import hashlib
import json
import os
import platform
import re
import shutil
import statistics
import shlex
import subprocess
import sys
import time
import uuid

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import generate_corpus  # noqa: E402
import history_bench  # noqa: E402
import lsmbench  # noqa: E402
import search_bench  # noqa: E402
import relocation_bench  # noqa: E402
import mcp_bench  # noqa: E402
import export_bench  # noqa: E402
import room_bench  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.normpath(os.path.join(HERE, "..", ".."))
GB = 1e9
MB = 1e6


def log(message: str) -> None:
    print("bench: " + message, file=sys.stderr, flush=True)


# ------------------------------------------------------------------ corpus


def generator_digest() -> str:
    with open(os.path.join(HERE, "generate_corpus.py"), "rb") as handle:
        return hashlib.sha256(handle.read()).hexdigest()[:16]


def ensure_corpus(path: str, size_mb: int, seed: int) -> dict:
    stamp_path = os.path.join(path, ".stamp")
    stamp = "size-mb=%d seed=%d generator=%s\n" % (size_mb, seed, generator_digest())
    manifest_path = os.path.join(path, "manifest.json")
    restore_appended(path)
    if os.path.exists(stamp_path) and os.path.exists(manifest_path):
        with open(stamp_path) as handle:
            if handle.read() == stamp:
                log("reusing corpus %s (%s)" % (path, stamp.strip()))
                with open(manifest_path) as handle:
                    return json.load(handle)
    log("generating a %d MiB corpus (seed %d) in %s" % (size_mb, seed, path))
    if os.path.exists(stamp_path):
        os.remove(stamp_path)
    manifest = generate_corpus.generate(path, size_mb, seed, jobs=os.cpu_count() or 1)
    with open(stamp_path, "w") as handle:
        handle.write(stamp)
    log("generated %d files, %.1f MiB in %.1f s" % (manifest["files"]["total"], manifest["bytes"]["total"] / 2**20,
                                                    manifest["seconds"]))
    return manifest


def corpus_shape(path: str, manifest: dict) -> dict:
    files = lsmbench.jsonl_files(os.path.join(path, "claude")) + lsmbench.jsonl_files(os.path.join(path, "codex"))
    sizes = sorted(os.path.getsize(p) for p in files)
    claude_bytes = sum(os.path.getsize(p) for p in lsmbench.jsonl_files(os.path.join(path, "claude")))
    lines = manifest.get("lines", {})
    return {
        "files": len(files), "bytes": sum(sizes), "claudeBytes": claude_bytes,
        "codexBytes": sum(sizes) - claude_bytes,
        "claudeFiles": manifest["files"]["claude"], "subagentFiles": manifest["files"]["claudeSubagent"],
        "codexFiles": manifest["files"]["codex"], "codexArchived": manifest["files"]["codexArchived"],
        "median": sizes[len(sizes) // 2] if sizes else 0,
        "p99": sizes[min(len(sizes) - 1, int(0.99 * len(sizes)))] if sizes else 0,
        "max": sizes[-1] if sizes else 0, "over100MB": sum(1 for s in sizes if s >= 100 * MB),
        "lines": lines, "over1MB": sum(manifest.get("linesOver1MB", {}).values()), "lineTotal": sum(v for k, v in lines.items() if not k.endswith("-file")),
        "paths": files,
    }


def warm_page_cache(paths: list[str]) -> float:
    started = time.perf_counter()
    for path in paths:
        with open(path, "rb", buffering=0) as handle:
            while handle.read(1 << 22):
                pass
    return time.perf_counter() - started


# ------------------------------------------------------------------ measuring lsm


def time_v(argv: list[str], env: dict, cwd: str | None = None) -> dict:
    """Runs argv under /usr/bin/time -v: wall seconds (perf_counter), peak RSS, stdout."""
    report = os.path.join(env["HOME"], "time-v.txt")
    started = time.perf_counter()
    done = subprocess.run(["/usr/bin/time", "-v", "-o", report] + argv, env=env, cwd=cwd, capture_output=True)
    seconds = time.perf_counter() - started
    if done.returncode != 0:
        raise RuntimeError("%s exited %d:\n%s" % (" ".join(argv), done.returncode,
                                                  done.stderr.decode("utf-8", "replace")[-3000:]))
    with open(report) as handle:
        text = handle.read()
    match = re.search(r"Maximum resident set size \(kbytes\): (\d+)", text)
    rss = int(match.group(1)) * 1024 if match else 0
    return {"seconds": seconds, "rss": rss, "stdout": done.stdout}


def hyperfine_has_input(hyperfine: str) -> bool:
    done = subprocess.run([hyperfine, "--help"], capture_output=True, text=True)
    return "--input" in done.stdout


def repeat_timing(argv: list[str], env: dict, runs: int, warmup: int, cwd: str | None = None,
                  stdin: str | None = None) -> dict:
    """Median wall time of argv (standard input from the file stdin, if given): hyperfine when
    installed (and, with stdin, new enough to have --input), else a Python loop."""
    hyperfine = shutil.which("hyperfine")
    if hyperfine and (stdin is None or hyperfine_has_input(hyperfine)):
        export = os.path.join(env["HOME"], "hyperfine.json")
        done = subprocess.run([hyperfine, "-N", "--warmup", str(warmup), "--runs", str(runs), "--export-json", export,
                               "--style", "none"] + (["--input", stdin] if stdin else []) + [subprocess.list2cmdline(argv)],
                              env=env, cwd=cwd, capture_output=True)
        if done.returncode == 0:
            with open(export) as handle:
                result = json.load(handle)["results"][0]
            times = result["times"]
            return {"median": statistics.median(times), "min": min(times), "max": max(times), "runs": len(times),
                    "tool": "hyperfine"}
        log("hyperfine failed (%s); timing with a Python loop" % done.stderr.decode()[-300:])
    times = []
    for i in range(warmup + runs):
        with open(stdin or os.devnull, "rb") as source:
            started = time.perf_counter()
            done = subprocess.run(argv, env=env, cwd=cwd, stdin=source, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
            elapsed = time.perf_counter() - started
        if done.returncode != 0:
            raise RuntimeError("%s exited %d: %s" % (" ".join(argv), done.returncode, done.stderr.decode()[-2000:]))
        if i >= warmup:
            times.append(elapsed)
    return {"median": statistics.median(times), "min": min(times), "max": max(times), "runs": len(times),
            "tool": "python loop"}


def busiest_repo(corpus: str, manifest: dict) -> str:
    projects = os.path.join(corpus, "claude", "projects")
    best, best_count = None, -1
    for repo in manifest["repos"]:
        folder = os.path.join(projects, generate_corpus.encode_cwd(repo["path"]))
        count = len([n for n in os.listdir(folder) if n.endswith(".jsonl")]) if os.path.isdir(folder) else 0
        if count > best_count:
            best, best_count = repo["path"], count
    return best


# ------------------------------------------------------------------ the live dashboard and the status line


APPENDED = ".bench-appended.json"


def pick_transcript(folder: str) -> str | None:
    """A main-session Claude transcript of median size in folder whose last line is whole and which
    has an assistant line (the template of the lines the latency measurement appends)."""
    names = sorted((os.path.getsize(os.path.join(folder, n)), n) for n in os.listdir(folder) if n.endswith(".jsonl"))
    middle = len(names) // 2
    for _, name in sorted(names, key=lambda item: abs(names.index(item) - middle)):
        path = os.path.join(folder, name)
        with open(path, "rb") as handle:
            data = handle.read()
        if not data.endswith(b"\n"):
            continue
        try:
            json.loads(data.rsplit(b"\n", 2)[-2])
        except ValueError:
            continue
        if last_assistant(path):
            return path
    return None


def last_assistant(path: str) -> tuple[dict, str] | None:
    """The file's last assistant line with usage, and the uuid of its last line."""
    found, last_uuid = None, None
    with open(path, "rb") as handle:
        for line in handle:
            try:
                record = json.loads(line)
            except ValueError:
                continue
            if not isinstance(record, dict):
                continue
            last_uuid = record.get("uuid") or last_uuid
            message = record.get("message")
            if record.get("type") == "assistant" and isinstance(message, dict) and message.get("usage"):
                found = record
    return (found, last_uuid) if found else None


def assistant_line(template: dict, parent: str | None, output_tokens: int) -> dict:
    """A new assistant line as Claude Code writes it: new uuid, message id and requestId, now."""
    line = dict(template)
    line["parentUuid"] = parent
    line["uuid"] = str(uuid.uuid4())
    line["timestamp"] = datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.%f")[:-3] + "Z"
    line["requestId"] = "req_011CBench" + uuid.uuid4().hex[:12]
    line["message"] = dict(template["message"], id="msg_01Bench" + uuid.uuid4().hex[:14],
                           content=[{"type": "text", "text": "Done: the benchmark line is in place."}],
                           stop_reason="end_turn",
                           usage={"input_tokens": 12, "cache_creation_input_tokens": 0, "cache_read_input_tokens": 0,
                                  "output_tokens": output_tokens, "service_tier": "standard"})
    return line


def restore_appended(corpus: str) -> None:
    """Cuts a transcript back to its size before the latency measurement (also after an interrupted run)."""
    marker = os.path.join(corpus, APPENDED)
    if not os.path.exists(marker):
        return
    with open(marker) as handle:
        saved = json.load(handle)
    if os.path.getsize(saved["path"]) != saved["size"]:
        os.truncate(saved["path"], saved["size"])
        log("restored %s to %d bytes" % (os.path.relpath(saved["path"], corpus), saved["size"]))
    os.utime(saved["path"], ns=(saved["atime_ns"], saved["mtime_ns"]))
    os.remove(marker)


def has_command(lsm: str, name: str) -> bool:
    return subprocess.run([lsm, name, "--help"], capture_output=True).returncode == 0


def process_children(pid: int) -> list[int]:
    children = []
    try:
        for task in os.listdir("/proc/%d/task" % pid):
            with open("/proc/%d/task/%s/children" % (pid, task)) as handle:
                children += [int(c) for c in handle.read().split()]
    except OSError:
        pass
    return children


def is_monitor(pid: int, lsm: str) -> bool:
    try:
        with open("/proc/%d/cmdline" % pid, "rb") as handle:
            argv = handle.read().split(b"\0")
    except OSError:
        return False
    return os.path.basename(argv[0].decode()) == os.path.basename(lsm) and b"monitor" in argv


def cpu_ticks(pid: int) -> int:
    """utime + stime of the process (all its threads) and of the children it waited for, in clock ticks."""
    with open("/proc/%d/stat" % pid) as handle:
        fields = handle.read().rsplit(")", 1)[1].split()
    return sum(int(fields[i]) for i in (11, 12, 13, 14))  # fields 14-17 of proc(5): utime stime cutime cstime


class Monitor:
    """`lsm monitor --all --interval 1` in a detached tmux session on a private socket, 160 x 40."""

    def __init__(self, lsm: str, env: dict, scratch: str):
        self.socket = os.path.join(scratch, "tmux.sock")
        self.env = dict(env, TERM=env.get("TERM") if env.get("TERM", "dumb") != "dumb" else "xterm-256color")
        exports = " ".join("%s=%s" % (k, shlex.quote(env[k])) for k in
                           ("CLAUDE_CONFIG_DIR", "CODEX_HOME", "LSM_HOME", "HOME", "NO_COLOR", "PATH"))
        command = "exec env %s %s monitor --all --interval 1" % (exports, shlex.quote(lsm))
        # The tmux server keeps the pipes it inherits open: its output goes to /dev/null.
        subprocess.run(["tmux", "-S", self.socket, "-f", "/dev/null", "new-session", "-d", "-x", "160", "-y", "40",
                        command], env=self.env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True)
        # The pane's process is the shell until it has exec'd env, then lsm (or lsm is its child).
        pane, self.pid, deadline = None, None, time.monotonic() + 10
        while self.pid is None and time.monotonic() < deadline:
            pane = int(self.tmux("display-message", "-p", "#{pane_pid}").strip())
            self.pid = next((p for p in [pane] + process_children(pane) if is_monitor(p, lsm)), None)
            time.sleep(0.05)
        if self.pid is None:
            screen = self.screen()
            self.close()
            raise RuntimeError("no lsm monitor process under tmux pane %s:\n%s" % (pane, screen))

    def tmux(self, *args: str) -> str:
        return subprocess.run(["tmux", "-S", self.socket] + list(args), env=self.env, capture_output=True,
                              text=True, check=True).stdout

    def screen(self) -> str:
        return self.tmux("capture-pane", "-p")

    def today(self) -> str | None:
        match = re.search(r"^today (\S+) tokens", self.screen(), re.M)
        return match.group(1) if match else None

    def wait_for_frame(self, timeout: float = 60) -> None:
        deadline = time.monotonic() + timeout
        while self.today() is None:
            if time.monotonic() > deadline:
                raise RuntimeError("lsm monitor drew no frame in %d s:\n%s" % (timeout, self.screen()))
            time.sleep(0.1)

    def close(self) -> None:
        subprocess.run(["tmux", "-S", self.socket, "kill-server"], env=self.env, stdout=subprocess.DEVNULL,
                       stderr=subprocess.DEVNULL)


def monitor_cpu(monitor: Monitor, settle: float, window: float) -> dict:
    """% of one core the monitor uses over window seconds, after settle seconds, with nothing changing."""
    time.sleep(settle)
    start_ticks, started = cpu_ticks(monitor.pid), time.monotonic()
    time.sleep(window)
    end_ticks, seconds = cpu_ticks(monitor.pid), time.monotonic() - started
    cpu = (end_ticks - start_ticks) / os.sysconf("SC_CLK_TCK")
    return {"cpuSeconds": cpu, "seconds": seconds, "percent": 100 * cpu / seconds, "settle": settle,
            "ticks": end_ticks - start_ticks}


def append_latency(monitor: Monitor, corpus: str, path: str, repeats: int, timeout: float = 10) -> dict:
    """Seconds from appending an assistant line to path until the header's "today N tokens" changes
    (capture-pane every 50 ms). The caller restores the file (restore_appended)."""
    template, parent = last_assistant(path)
    stat = os.stat(path)
    with open(os.path.join(corpus, APPENDED), "w") as handle:
        json.dump({"path": path, "size": stat.st_size, "atime_ns": stat.st_atime_ns, "mtime_ns": stat.st_mtime_ns},
                  handle)
    latencies, figures = [], [monitor.today()]
    for i in range(repeats):
        time.sleep(0.3 + 0.23 * i)  # lands at a different point of the monitor's 1 s cycle each time
        before = monitor.today()
        line = assistant_line(template, parent, 1000 + 37 * i)
        parent = line["uuid"]
        with open(path, "a") as handle:
            handle.write(json.dumps(line, separators=(",", ":")) + "\n")
        appended = time.perf_counter()
        while True:
            now = monitor.today()
            elapsed = time.perf_counter() - appended
            if now != before:
                latencies.append(elapsed)
                figures.append(now)
                break
            if elapsed > timeout:
                latencies.append(None)
                figures.append(now)
                break
            time.sleep(0.05)
        log("appended line %d/%d: today %s -> %s after %s" % (
            i + 1, repeats, before, now, "%.2f s" % elapsed if latencies[-1] is not None else "timeout"))
    seen = [x for x in latencies if x is not None]
    return {"latencies": latencies, "figures": figures, "median": statistics.median(seen) if seen else None,
            "max": max(seen) if len(seen) == len(latencies) else None, "path": path}


def statusline_input(path: str, cwd: str, scratch: str) -> str:
    """Claude Code's statusLine JSON for the session of transcript path; returns the file holding it."""
    session = os.path.basename(path)[:-len(".jsonl")]
    payload = {"session_id": session, "transcript_path": path, "cwd": cwd,
               "model": {"id": "claude-sonnet-4-5", "display_name": "Sonnet 4.5"}, "cost": {"total_cost_usd": 1.0},
               "context_window": {"total_input_tokens": 1000, "context_window_size": 200000}}
    input_path = os.path.join(scratch, "statusline-input.json")
    with open(input_path, "w") as handle:
        json.dump(payload, handle)
    return input_path


def measure_live(lsm: str, env: dict, corpus: str, scratch: str, repo: str, rows_before: list, quick: bool) -> dict:
    """The bars of issue 4: monitor CPU, append-to-screen latency, statusline. Skipped (None) when
    lsm lacks the commands or tmux is missing."""
    live = {"monitor": None, "latency": None, "statusline": None, "skipped": []}
    folder = os.path.join(corpus, "claude", "projects", generate_corpus.encode_cwd(repo))
    transcript = pick_transcript(folder)
    if transcript is None:
        raise RuntimeError("no usable Claude transcript in %s" % folder)
    live["transcript"] = transcript
    subprocess.run([lsm, "index"], env=env, check=True, stdout=subprocess.DEVNULL)

    if has_command(lsm, "statusline"):
        stdin = statusline_input(transcript, repo, scratch)
        probe = subprocess.run([lsm, "statusline"], env=env, cwd=repo, stdin=open(stdin, "rb"), capture_output=True)
        if probe.returncode != 0:
            raise RuntimeError("lsm statusline exited %d: %s" % (probe.returncode, probe.stderr.decode()[-2000:]))
        live["statuslineOutput"] = probe.stdout.decode().strip()
        live["statusline"] = repeat_timing([lsm, "statusline"], env, 10 if quick else 30, warmup=3, cwd=repo,
                                           stdin=stdin)
        log("statusline: median %.1f ms (%s)" % (live["statusline"]["median"] * 1e3, live["statuslineOutput"]))
    else:
        live["skipped"].append("lsm has no statusline command")

    if not has_command(lsm, "monitor"):
        live["skipped"].append("lsm has no monitor command")
        return live
    if not shutil.which("tmux"):
        live["skipped"].append("tmux is not installed")
        return live
    settle, window = (2, 10) if quick else (5, 30)
    monitor = Monitor(lsm, env, scratch)
    try:
        monitor.wait_for_frame()
        log("monitor (pid %d) is up; CPU over %d s after %d s" % (monitor.pid, window, settle))
        live["monitor"] = monitor_cpu(monitor, settle, window)
        log("monitor: %.2f %% of one core (%.2f s CPU in %.1f s)" % (
            live["monitor"]["percent"], live["monitor"]["cpuSeconds"], live["monitor"]["seconds"]))
        try:
            live["latency"] = append_latency(monitor, corpus, transcript, 5)
        finally:
            restore_appended(corpus)
    finally:
        monitor.close()
    # Back to the corpus as generated: re-index, and every session's totals must be those of before.
    subprocess.run([lsm, "index"], env=env, check=True, stdout=subprocess.DEVNULL)
    after, _ = lsmbench.run_json([lsm, "list", "--all", "--json"], env)
    live["restored"] = lsmbench.compare(after, rows_before)
    log("after restoring and re-indexing: %d sessions as before, %d differ" % (
        live["restored"][0], len(live["restored"][1])))
    return live


# ------------------------------------------------------------------ peers


def run_peer(python: str, tool: str, projects: str, runs: int) -> dict:
    best = None
    for _ in range(runs):
        done = subprocess.run([python, os.path.join(HERE, "peer_loaders.py"), tool, projects], capture_output=True)
        if done.returncode != 0:
            raise RuntimeError("%s loader failed:\n%s" % (tool, done.stderr.decode("utf-8", "replace")[-3000:]))
        result = json.loads(done.stdout.decode().strip().splitlines()[-1])
        if best is None or result["seconds"] < best["seconds"]:
            best = result
    best["mbps"] = best["bytes"] / best["seconds"] / MB
    best["runs"] = runs
    return best


# ------------------------------------------------------------------ report


def machine() -> dict:
    cpu = "unknown"
    try:
        with open("/proc/cpuinfo") as handle:
            for line in handle:
                if line.startswith("model name"):
                    cpu = line.split(":", 1)[1].strip()
                    break
    except OSError:
        pass
    ram = 0
    try:
        with open("/proc/meminfo") as handle:
            for line in handle:
                if line.startswith("MemTotal:"):
                    ram = int(line.split()[1]) * 1024
    except OSError:
        pass
    commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=REPO, capture_output=True, text=True).stdout.strip()
    dirty = subprocess.run(["git", "status", "--porcelain", "--untracked-files=no"], cwd=REPO, capture_output=True,
                           text=True).stdout.strip()
    return {"nproc": os.cpu_count(), "cpu": cpu, "ram": ram, "kernel": platform.release(),
            "python": platform.python_version(), "commit": commit + (" (with uncommitted changes)" if dirty else "")}


def fmt_bytes(n: float) -> str:
    for unit, size in (("GB", 1e9), ("MB", 1e6), ("KB", 1e3)):
        if n >= size:
            return "%.1f %s" % (n / size, unit) if unit != "GB" else "%.2f GB" % (n / size)
    return "%d B" % n


def write_report(path: str, r: dict) -> str:
    m = r["machine"]
    s = r["shape"]
    lines = s["lines"]

    def line_count(prefix: str) -> str:
        return ", ".join("%s %s" % (k.split(":", 1)[1], "{:,}".format(v)) for k, v in sorted(lines.items())
                         if k.startswith(prefix) and not k.endswith("-file"))

    out = []
    out.append("# lsm benchmarks\n")
    out.append("Generated by `make bench` (`scripts/bench.sh`); do not edit by hand.%s\n" % (
        " **Quick run** (small corpus, one repetition): not the numbers of record." if r["quick"] else ""))
    out.append("- Date: %s" % r["date"])
    out.append("- Machine: %d cores (nproc), %s, %.1f GiB RAM, Linux %s, Python %s" % (
        m["nproc"], m["cpu"], m["ram"] / 2**30, m["kernel"], m["python"]))
    out.append("- lsm: commit %s, release build (`swift build -c release --static-swift-stdlib --product lsm`, as `make build`)" % m["commit"])
    out.append("- Corpus: `generate_corpus.py --size-mb %d --seed %d` (generator %s)\n" % (
        r["sizeMB"], r["seed"], r["generator"]))
    out.append("## Results\n")
    out.append("| bar | target | measured | result |")
    out.append("|---|---|---|---|")
    for bar in r["bars"]:
        out.append("| %s | %s | %s | %s |" % (bar["what"], bar["target"], bar["measured"],
                                             "**pass**" if bar["ok"] is True else "n/a" if bar["ok"] is None else "**FAIL**"))
    out.append("")
    out.append("### Details\n")
    cold = r["cold"]
    out.append("| measurement | value |")
    out.append("|---|---|")
    out.append("| cold index, wall (best of %d; all: %s) | %.3f s |" % (
        len(cold["runs"]), ", ".join("%.3f" % x for x in cold["runs"]), cold["best"]))
    out.append("| cold index, corpus bytes / wall | %.0f MB/s |" % (s["bytes"] / cold["best"] / MB))
    out.append("| cold index, bytes lsm read (`index --json` bytes: %s) / wall | %.0f MB/s |" % (
        "{:,}".format(cold["lsmBytes"]), cold["lsmBytes"] / cold["best"] / MB))
    out.append("| cold index, `index --json` | `%s` |" % json.dumps(cold["summary"], sort_keys=True))
    out.append("| cold index, peak RSS (max of runs) | %.0f MB |" % (cold["rss"] / MB))
    if r.get("reindex"):
        ri = r["reindex"]
        out.append("| re-index, nothing changed (%s, %d runs) | median %.1f ms, min %.1f, max %.1f |" % (
            ri["tool"], ri["runs"], ri["median"] * 1e3, ri["min"] * 1e3, ri["max"] * 1e3))
    if r.get("status"):
        st = r["status"]
        out.append("| `git lsm status` warm in `%s` (%s, %d runs) | median %.1f ms, min %.1f, max %.1f |" % (
            os.path.relpath(r["statusRepo"], r["corpus"]), st["tool"], st["runs"], st["median"] * 1e3,
            st["min"] * 1e3, st["max"] * 1e3))
    for peer in r.get("peers", []):
        out.append("| %s %s loader (best of %d): %d files, %s in %.2f s | %.0f MB/s; lsm/peer = %.1f× |" % (
            peer["tool"], peer["version"], peer["runs"], peer["files"], fmt_bytes(peer["bytes"]), peer["seconds"],
            peer["mbps"], peer["ratio"]))
    live = r.get("live") or {}
    if live.get("monitor"):
        mon = live["monitor"]
        out.append("| monitor CPU: utime+stime+cutime+cstime over %.1f s, after %d s settling | %d ticks = %.2f s = %.2f %% of one core |" % (
            mon["seconds"], mon["settle"], mon["ticks"], mon["cpuSeconds"], mon["percent"]))
    if live.get("latency"):
        lat = live["latency"]
        out.append("| append → screen, each of %d (today tokens shown: %s) | %s |" % (
            len(lat["latencies"]), " → ".join(str(f) for f in lat["figures"]),
            ", ".join("%.2f s" % x if x is not None else "timeout" for x in lat["latencies"])))
    if live.get("restored"):
        ok, bad = live["restored"][0], len(live["restored"][1])
        out.append("| after the appends: transcript cut back, re-indexed; sessions as before | %d of %d |" % (ok, ok + bad))
    if live.get("statusline"):
        sl = live["statusline"]
        out.append("| `lsm statusline` in `%s` (%s, %d runs; prints `%s`) | median %.1f ms, min %.1f, max %.1f |" % (
            os.path.relpath(r["statusRepo"], r["corpus"]), sl["tool"], sl["runs"],
            live.get("statuslineOutput", "").replace("|", "\\|"),
            sl["median"] * 1e3, sl["min"] * 1e3, sl["max"] * 1e3))
    if live.get("transcript"):
        out.append("| transcript of the statusline and append measurements | `%s` (%s) |" % (
            os.path.relpath(live["transcript"], r["corpus"]), fmt_bytes(os.path.getsize(live["transcript"]))))
    hist = r.get("history")
    if hist:
        def timing(t: dict) -> str:
            return "median %.1f ms, min %.1f, max %.1f (%d runs)" % (t["median"] * 1e3, t["min"] * 1e3, t["max"] * 1e3, t["runs"])
        out.append("| `git commit --allow-empty`, no lsm hooks | %s |" % timing(hist["without"]))
        out.append("| `git commit --allow-empty`, lsm hooks installed (note written in the background) | %s |" % timing(hist["with"]))
        out.append("| commit → note on HEAD, background (each commit waited for) | %s |" % timing(hist["noteLatency"]))
        out.append("| `git commit` with `LSM_HOOK_SYNC=1` (note written before commit returns) | %s |" % timing(hist["synchronous"]))
        out.append("| sessions in the last note / hook errors logged | %d / %s |" % (
            hist["noteSessions"], "; ".join(hist["hookErrors"]) or "none"))
        out.append("| `git lsm log -n 100` (200 newest commits noted) | %s |" % timing(hist["log"]))
        if hist["blame"]:
            out.append("| `git lsm blame src/big.swift` (2,000 lines, 300 commits) | %s |" % timing(hist["blame"]))
    out.extend(relocation_bench.detail_rows(r.get("relocation")))
    t = r["totals"]
    out.append("| token totals: sessions compared | %d (%d match, %d differ) |" % (
        t["matched"] + len(t["problems"]), t["matched"], len(t["problems"])))
    out.append("")
    if t["problems"]:
        out.append("Sessions whose totals differ (lsm vs reference):\n")
        out.append("```")
        out.extend(t["problems"][:50])
        if len(t["problems"]) > 50:
            out.append("... and %d more" % (len(t["problems"]) - 50))
        out.append("```\n")
    out.append("## Corpus\n")
    out.append("| | |")
    out.append("|---|---|")
    out.append("| files | %s (Claude %s, of which %s subagent files; Codex %s, of which %s in archived_sessions/) |" % (
        "{:,}".format(s["files"]), "{:,}".format(s["claudeFiles"]), "{:,}".format(s["subagentFiles"]),
        "{:,}".format(s["codexFiles"]), "{:,}".format(s["codexArchived"])))
    out.append("| bytes | %s (Claude %s, Codex %s) |" % (fmt_bytes(s["bytes"]), fmt_bytes(s["claudeBytes"]),
                                                      fmt_bytes(s["codexBytes"])))
    out.append("| file size | median %s, p99 %s, max %s; %d files of 100 MB+ |" % (
        fmt_bytes(s["median"]), fmt_bytes(s["p99"]), fmt_bytes(s["max"]), s["over100MB"]))
    out.append("| lines | %s (%s of 1 MB or more) |" % ("{:,}".format(s["lineTotal"]), "{:,}".format(s["over1MB"])))
    out.append("| Claude lines by kind | %s |" % line_count("claude:"))
    out.append("| Codex lines by kind | %s |" % line_count("codex:"))
    out.append("| session groups | %s |" % ", ".join("%s %d" % kv for kv in sorted(r["groups"].items())))
    out.append("")
    if "room" in r:
        out.append("## Review room under load\n")
        out.append(room_bench.report(r["room"]))
        out.append("")
    out.append(METHOD + relocation_bench.METHOD + room_bench.METHOD)
    text = "\n".join(out) + "\n"
    os.makedirs(os.path.dirname(os.path.abspath(path)), exist_ok=True)
    with open(path, "w") as handle:
        handle.write(text)
    return text


METHOD = """## Method

- **Corpus.** `scripts/bench/generate_corpus.py` writes a deterministic history (a pure function of
  size and seed) shaped like a real one: `claude/projects/<encoded-cwd>/<session>.jsonl` with
  `<session>/subagents/agent-<id>.jsonl`, and `codex/sessions/YYYY/MM/DD/rollout-*.jsonl` (about 20 % of
  the files) plus `codex/archived_sessions/`. Sizes follow a log-interpolated distribution (median ~100 KB,
  p99 ~5 MB) with three files of 100 MB+ at 1 GiB. The record shapes are those of the real fixtures in
  `shared/fixtures/agents`: one assistant line per content block (thinking, text, tool_use) repeating
  `message.id`, `requestId` and usage with growing (sometimes out-of-order) `output_tokens`; tool results
  from bytes to 1.6 MB; file-history snapshots; `progress` lines, some nesting a whole assistant message
  with usage; compactions; `<synthetic>` and `isApiErrorMessage` lines; sidechain copies of main-chain
  calls; subagent files; resumed sessions replaying earlier calls; unknown record types; malformed lines
  (non-JSON, binary garbage, half-written last lines); Codex `session_meta`, `turn_context`,
  `response_item`, `event_msg` with cumulative `token_count` (repeated rows, `info: null`, forked rollouts
  replaying the parent's rows in the child's first second). The sessions' `cwd` are real git repositories
  made under `repos/` (roots and subfolders) and folders that are not repositories.
- **Page cache.** Every corpus file is read once before the measurements; the machine has far more RAM
  than the corpus, so all runs read from memory.
- **Cold indexing.** `CLAUDE_CONFIG_DIR=corpus/claude CODEX_HOME=corpus/codex LSM_HOME=<new empty folder>
  lsm index --json`, run under `/usr/bin/time -v`; wall time is measured around the process (start-up
  included); the best of the runs is reported, peak RSS is the largest of the runs. Throughput = bytes of
  all `.jsonl` files in the corpus / wall seconds (GB = 10^9 bytes); the ratio to the peers uses the bytes
  lsm reports having read.
- **Re-index** runs `lsm index --json` again with nothing changed (median); **status** runs `git lsm status`
  (a `git-lsm` link to the release binary on `PATH`) in the corpus repository with the most sessions,
  with the same environment (median, after warm-up runs). Both with hyperfine (`-N`, no shell) when
  installed.
- **Peers**, installed from PyPI into `.build-bench/venv` (versions in the table), on the same files in
  the same run: `claude_monitor.data.reader.load_usage_entries(data_path=corpus/claude/projects,
  hours_back=None)` (every entry, no time window) and, for each project folder,
  `claude_code_log.converter.load_directory_transcripts(folder, cache_manager=None, silent=True)` (no
  cache). They read only Claude files, so their MB/s are over the Claude bytes they loaded. Only the
  loader call is timed, in a fresh interpreter per run; best of the runs.
- **Monitor CPU.** After the measurements above (same `LSM_HOME`, `lsm index` run first so the index is
  warm), `lsm monitor --all --interval 1` runs in a real terminal: a detached tmux session on a private
  socket, 160×40. Once it has drawn its first frame it settles for 5 s (2 s with `--quick`); then the
  monitor process's CPU time (utime + stime, plus cutime + cstime of children it waited for, from
  `/proc/<pid>/stat`, in clock ticks) is read at the start and end of a 30 s window (10 s with `--quick`)
  in which no transcript changes; % of one core = CPU seconds / wall seconds × 100.
- **Append → screen.** With that monitor running, an assistant line is appended to a Claude transcript
  of median size in the repository with the most sessions (a copy of the file's last assistant line with
  a new `uuid`, `message.id` and `requestId`, the current timestamp, and 1,000+ output tokens; every
  session is in scope with `--all`). The corpus's timestamps are in the past, so the header's "today N
  tokens" starts at 0 and each line changes it. `tmux capture-pane -p` is read every 50 ms until that
  figure changes; the latency is the time from the write to the first capture that shows it (so up to
  ~50 ms late). Five appends, spaced so they fall at different points of the 1 s cycle; median and max,
  the bar is on the max. Afterwards the file is cut back to its original size (and mtime), re-indexed,
  and every session's totals are checked to be those of before (a marker file in the corpus lets the next
  run restore the file if this one was interrupted).
- **Statusline** runs `lsm statusline` in that repository with the JSON Claude Code sends on standard
  input (`session_id` and `transcript_path` of the same transcript, `cwd`, `model`, `cost`,
  `context_window`), `LSM_HOME` warm: median of 30 runs (10 with `--quick`) after 3 warm-up runs, with
  hyperfine `--input` when the installed hyperfine has it, else a Python loop.
- **Token totals.** `lsm list --all --json` compared with `scripts/bench/reference_totals.py`, an
  independent and deliberately simple implementation (`json.loads` per line) of the rules of issue 3:
  every session's `usage` {input, output, cacheWrite, cacheRead, total} and `calls` must be equal, to the
  token (a session missing on one side counts as zero). `scripts/bench/check_totals.py` runs the same
  comparison on a small corpus (cut short, then completed, re-indexed and rebuilt) in `make test`.
- **Git history** (`scripts/bench/history_bench.py`). `git fast-import` builds a repository of 10,000
  commits: the first writes a 2,000-line `src/big.swift`, the next 299 each change 7 of its lines, the
  rest change small files; the newest 200 carry lsm notes. The index is the cold-indexed corpus's plus
  720 sessions of this repository (3,000+ in all), the newest active two minutes before the run, so every
  commit's note names a session. `git commit --allow-empty` is timed 30 times (10 with `--quick`)
  without lsm's hooks, then 30 times with `git lsm hooks install`'s hooks, each commit waiting (untimed)
  until its note is on HEAD so no background note writer competes with the next commit; the bar is the
  difference of the medians. The hooks write the note in the background by default; the time until it
  is on HEAD and the time of a commit with `LSM_HOOK_SYNC=1` (note written before `git commit`
  returns) are reported too. `git lsm log -n 100` and `git lsm blame src/big.swift`: median of 20 and 10
  runs after warm-up runs.
- **Full-text search** (`scripts/bench/search_bench.py`), on a corpus of its own: 2,600 generated Claude
  Code sessions of 500 records (1.3 million, about 1.1 GB) whose prompts, answers (some naming
  identifiers and paths), tool calls and tool errors make 1,000,000+ searchable messages, in 20 working
  directories. Indexing: `lsm index`, then `lsm index --search --json` into an empty `LSM_HOME`; MB/s =
  transcript bytes the pass read / the seconds it reports (its own work, start-up excluded; CPU time
  of the process beside it). Queries: 200 in six kinds (two words, a two-word phrase, a 4-letter
  prefix, the two most common words, a `path:`, an identifier's inside), each run as `lsm search
  --json` with the `timings` it reports (the query after the index is current, not the start-up),
  once with `--all` and once in a git repository tied to the sessions of one directory of 20
  (`--repo`, the default); p95 and median over the 200, and by kind. Memory search: 10,000 global
  memories, the same queries' memory timings.
- **Export** (`scripts/bench/export_bench.py`): the corpus's largest Claude Code transcript (138 MB)
  as a session of its own, indexed; `lsm export <session> -o FILE` five times, then `lsm export
  <session> --redact -o FILE` five times (each under `/usr/bin/time -v`: wall time around the process,
  peak RSS), median and max; then `lsm import` of the bundle into an empty `LSM_HOME`.
"""


# ------------------------------------------------------------------ main


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description="lsm benchmark")
    parser.add_argument("--lsm", required=True, help="the release lsm binary")
    parser.add_argument("--size-mb", type=int, default=None, help="corpus size in MiB (default 1024; --quick 64)")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--quick", action="store_true", help="64 MiB corpus, one repetition, shorter monitor windows")
    parser.add_argument("--runs", type=int, default=None, help="repetitions of cold indexing and of each peer")
    parser.add_argument("--out", default=None, help="report file")
    parser.add_argument("--venv", default=os.path.join(REPO, ".build-bench", "venv"))
    parser.add_argument("--work", default=os.path.join(REPO, ".build-bench"))
    parser.add_argument("--skip-peers", action="store_true")
    args = parser.parse_args(argv)
    args.work = os.path.abspath(args.work)
    args.venv = os.path.abspath(args.venv)
    size_mb = args.size_mb or (64 if args.quick else 1024)
    runs = args.runs or (1 if args.quick else 3)
    reindex_runs, status_runs = (5, 10) if args.quick else (10, 20)
    default_corpus = size_mb == 1024 and args.seed == 1
    corpus = os.path.join(args.work, "corpus" if default_corpus else "corpus-%dmb-seed%d" % (size_mb, args.seed))
    out_path = args.out or (os.path.join(REPO, "docs", "benchmarks.md") if default_corpus and not args.quick
                            else os.path.join(args.work, "benchmarks-quick.md"))
    lsm = os.path.abspath(args.lsm)

    manifest = ensure_corpus(corpus, size_mb, args.seed)
    shape = corpus_shape(corpus, manifest)
    log("warming the page cache (%s in %d files)" % (fmt_bytes(shape["bytes"]), shape["files"]))
    log("read in %.1f s" % warm_page_cache(shape["paths"]))

    scratch = os.path.join(args.work, "run")
    shutil.rmtree(scratch, ignore_errors=True)
    os.makedirs(scratch)
    claude, codex = os.path.join(corpus, "claude"), os.path.join(corpus, "codex")
    home = os.path.join(scratch, "home")
    lsm_home = os.path.join(scratch, "lsm-home")
    env = lsmbench.lsm_env(claude, codex, lsm_home, home)
    bin_dir = os.path.join(scratch, "bin")
    os.makedirs(bin_dir)
    os.symlink(lsm, os.path.join(bin_dir, "git-lsm"))
    os.symlink(lsm, os.path.join(bin_dir, "lsm"))
    env["PATH"] = bin_dir + os.pathsep + env.get("PATH", "")

    results = {"date": datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
               "machine": machine(), "sizeMB": size_mb, "seed": args.seed, "quick": args.quick,
               "generator": manifest.get("generator"), "shape": shape, "groups": manifest.get("groups", {}),
               "corpus": corpus}

    # Cold indexing.
    cold_runs, rss, summary = [], 0, {}
    for i in range(runs):
        shutil.rmtree(lsm_home, ignore_errors=True)
        os.makedirs(lsm_home)
        run = time_v([lsm, "index", "--json"], env)
        summary = json.loads(run["stdout"])
        cold_runs.append(run["seconds"])
        rss = max(rss, run["rss"])
        log("cold index %d/%d: %.3f s, %.0f MB/s, peak RSS %.0f MB" % (
            i + 1, runs, run["seconds"], shape["bytes"] / run["seconds"] / MB, run["rss"] / MB))
    best = min(cold_runs)
    lsm_bytes = int(summary.get("bytes") or shape["bytes"])
    results["cold"] = {"runs": cold_runs, "best": best, "rss": rss, "summary": summary, "lsmBytes": lsm_bytes}
    lsm_mbps = lsm_bytes / best / MB

    # Re-index with nothing changed, then status warm.
    results["reindex"] = repeat_timing([lsm, "index", "--json"], env, reindex_runs, warmup=1)
    log("re-index: median %.1f ms" % (results["reindex"]["median"] * 1e3))
    repo = busiest_repo(corpus, manifest)
    results["statusRepo"] = repo
    results["status"] = repeat_timing(["git", "lsm", "status"], env, status_runs, warmup=3, cwd=repo)
    log("status warm in %s: median %.1f ms" % (os.path.basename(repo), results["status"]["median"] * 1e3))

    # Token totals.
    log("comparing token totals with reference_totals.py")
    rows, _ = lsmbench.run_json([lsm, "list", "--all", "--json"], env)
    reference, _ = lsmbench.run_json([sys.executable, os.path.join(HERE, "reference_totals.py"), "--claude", claude,
                                      "--codex", codex], dict(os.environ))
    matched, problems = lsmbench.compare(rows, reference)
    results["totals"] = {"matched": matched, "problems": problems}
    log("totals: %d sessions match, %d differ" % (matched, len(problems)))

    # Peers.
    peers = []
    if not args.skip_peers:
        python = os.path.join(args.venv, "bin", "python")
        for tool in ("claude-monitor", "claude-code-log"):
            log("timing %s's loader (%d run%s)" % (tool, runs, "" if runs == 1 else "s"))
            peer = run_peer(python, tool, os.path.join(claude, "projects"), runs)
            peer["ratio"] = lsm_mbps / peer["mbps"]
            log("%s: %.2f s, %.0f MB/s; lsm/peer %.1fx" % (tool, peer["seconds"], peer["mbps"], peer["ratio"]))
            peers.append(peer)
    results["peers"] = peers

    # Commits with and without the hooks, log and blame, on a repository of 10,000 commits.
    log("timing git commit with and without the hooks, log and blame (10,000 commits)")
    history = history_bench.measure(lsm, env, scratch, lsm_home, claude, args.seed, args.quick)
    results["history"] = history
    log("commit: %.1f ms without hooks, %.1f ms with; log -n 100 %.1f ms" % (
        history["without"]["median"] * 1e3, history["with"]["median"] * 1e3, history["log"]["median"] * 1e3))

    # Full-text search and memories (issue 7), on a corpus of its own.
    log("search: indexing and querying 1,000,000 messages")
    results["search"] = search_bench.measure(lsm, scratch, args.seed, args.quick)
    log("relocating comments on the Python standard library (issue 6)")
    results["relocation"] = relocation_bench.measure(lsm, env, args.seed, args.quick)
    # The MCP server on the same index: ready time, and per-call latency of its quick tools.
    log("timing git lsm mcp (ready, repo_status, session_health, list_comments)")
    results["mcp"] = mcp_bench.measure(lsm, env, repo, args.quick)

    # Export of a 100 MB session (issue 7), from the corpus's largest Claude Code transcript.
    log("export: one 100 MB session to a JSON bundle")
    results["export"] = export_bench.measure(lsm, corpus, scratch, args.quick)

    # The review room under load (issue 9): lsm serve, FastAPI + uvicorn and a trivial NIO server.
    log("room: 10, 100 and 1,000 WebSocket clients against lsm serve, FastAPI + uvicorn and a trivial server")
    results["room"] = room_bench.measure(lsm, args.work, args.quick)

    # The live dashboard and the status line, last: the latency measurement appends to a corpus
    # transcript (cut back afterwards).
    live = measure_live(lsm, env, corpus, scratch, repo, rows, args.quick)
    results["live"] = live

    cold_gbps = shape["bytes"] / best / GB
    bars = [
        {"what": "cold indexing throughput (files in page cache)", "target": "≥ 1 GB/s",
         "measured": "%.2f GB/s (%s in %.3f s)" % (cold_gbps, fmt_bytes(shape["bytes"]), best), "ok": cold_gbps >= 1.0},
    ]
    for peer, factor in zip(peers, (4, 15)):
        bars.append({"what": "vs %s's loader" % peer["tool"], "target": "≥ %d×" % factor,
                     "measured": "%.1f× (lsm %.0f MB/s, %s %.0f MB/s)" % (peer["ratio"], lsm_mbps, peer["tool"],
                                                                          peer["mbps"]),
                     "ok": peer["ratio"] >= factor})
    if not peers:
        bars.append({"what": "vs the peers' loaders", "target": "≥ 4× / ≥ 15×", "measured": "skipped", "ok": None})
    bars += [
        {"what": "re-index, nothing changed (%d files)" % shape["files"], "target": "≤ 50 ms",
         "measured": "%.1f ms median" % (results["reindex"]["median"] * 1e3), "ok": results["reindex"]["median"] <= 0.050},
        {"what": "`git lsm status`, warm", "target": "≤ 50 ms median",
         "measured": "%.1f ms median" % (results["status"]["median"] * 1e3), "ok": results["status"]["median"] <= 0.050},
        {"what": "peak memory, cold indexing", "target": "≤ 200 MB", "measured": "%.0f MB RSS" % (rss / MB),
         "ok": rss <= 200 * MB},
        {"what": "token totals equal the reference, to the token", "target": "all sessions equal",
         "measured": "%d of %d sessions equal" % (matched, matched + len(problems)), "ok": not problems},
    ]
    sessions = "%s sessions in %s files" % ("{:,}".format(summary.get("sessions", 0)), "{:,}".format(summary.get("files", 0)))
    mon, lat, sl = live["monitor"], live["latency"], live["statusline"]
    skipped = "skipped (%s)" % "; ".join(live["skipped"])
    bars += [
        {"what": "`lsm monitor --all --interval 1`, nothing changing (%s)" % sessions, "target": "≤ 2 % of one core",
         "measured": "%.2f %% (%.2f s CPU in %.0f s)" % (mon["percent"], mon["cpuSeconds"], mon["seconds"]) if mon
         else skipped, "ok": mon["percent"] <= 2.0 if mon else None},
        {"what": "appended transcript line on the monitor's screen", "target": "≤ 1.5 s",
         "measured": ("median %.2f s, max %s (%d appends)" % (
             lat["median"], "%.2f s" % lat["max"] if lat["max"] is not None else "timeout", len(lat["latencies"]))
                      if lat and lat["median"] is not None else "never shown" if lat else skipped),
         "ok": (lat["max"] is not None and lat["max"] <= 1.5) if lat else None},
        {"what": "`lsm statusline`, warm", "target": "≤ 20 ms median",
         "measured": "%.1f ms median" % (sl["median"] * 1e3) if sl else skipped,
         "ok": sl["median"] <= 0.020 if sl else None},
    ]
    hist = results["history"]
    bars += [
        {"what": "`git commit` with the hooks, added time (%s commits, %s sessions indexed)" % (
            "{:,}".format(hist["commits"]), "{:,}".format(hist["sessions"] or 0)), "target": "≤ 15 ms median",
         "measured": "%.1f ms (%.1f ms with, %.1f ms without)" % (
             hist["added"] * 1e3, hist["with"]["median"] * 1e3, hist["without"]["median"] * 1e3),
         "ok": hist["added"] <= 0.015},
        {"what": "`git lsm log -n 100`", "target": "≤ 100 ms median", "measured": "%.1f ms median" % (
            hist["log"]["median"] * 1e3), "ok": hist["log"]["median"] <= 0.100},
        {"what": "`git lsm blame` on a 2,000-line file with 300 commits of history", "target": "≤ 300 ms median",
         "measured": "%.1f ms median" % (hist["blame"]["median"] * 1e3) if hist["blame"] else "skipped (no blame command)",
         "ok": hist["blame"]["median"] <= 0.300 if hist["blame"] else None},
    ]
    bars += search_bench.bars(results["search"])
    bars += relocation_bench.bars(results["relocation"])
    bars += mcp_bench.bars(results["mcp"])
    bars += export_bench.bars(results["export"])
    bars += room_bench.bars(results["room"])
    results["bars"] = bars
    text = write_report(out_path, results)
    print(text)
    log("report written to %s" % os.path.relpath(out_path, REPO))
    with open(os.path.join(args.work, "bench-results.json"), "w") as handle:
        slim = dict(results)
        slim["shape"] = {k: v for k, v in shape.items() if k != "paths"}
        json.dump(slim, handle, indent=1, default=str)
    return 0 if all(bar["ok"] is not False for bar in bars) else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
