#!/usr/bin/env python3
"""Times one peer's transcript loader on a Claude projects folder (run with the bench venv's python).

Usage:
    peer_loaders.py claude-monitor  PROJECTS_DIR
    peer_loaders.py claude-code-log PROJECTS_DIR

Prints one JSON object: {"tool", "version", "seconds", "bytes", "files", "entries"}.
Only the loader call is timed (imports and the file listing are not).

claude-monitor:  claude_monitor.data.reader.load_usage_entries(data_path=PROJECTS_DIR,
                 hours_back=None) -- no time window, so every entry is loaded; it reads
                 every *.jsonl under the folder (rglob), subagent files included.
claude-code-log: claude_code_log.converter.load_directory_transcripts(project_dir,
                 cache_manager=None, silent=True) for each project folder -- no cache, so
                 every file is parsed; it reads the top-level session files and the
                 subagent files they reference. "bytes" counts the files it actually
                 loaded (load_transcript is wrapped to record them).
"""

from __future__ import annotations

import contextlib
import io
import json
import os
import sys
import time
from importlib import metadata
from pathlib import Path


def jsonl_bytes(root: Path) -> tuple[int, int]:
    total = count = 0
    for path in root.rglob("*.jsonl"):
        total += path.stat().st_size
        count += 1
    return total, count


def claude_monitor(projects: Path) -> dict:
    from claude_monitor.data.reader import load_usage_entries

    size, files = jsonl_bytes(projects)
    started = time.perf_counter()
    entries, _raw = load_usage_entries(data_path=str(projects), hours_back=None)
    seconds = time.perf_counter() - started
    return {"tool": "claude-monitor", "version": metadata.version("claude-monitor"), "seconds": seconds,
            "bytes": size, "files": files, "entries": len(entries)}


def claude_code_log(projects: Path) -> dict:
    from claude_code_log import converter

    loaded: set[Path] = set()
    original = converter.load_transcript

    def recording_load_transcript(jsonl_path, *args, **kwargs):
        loaded.add(Path(jsonl_path))
        return original(jsonl_path, *args, **kwargs)

    converter.load_transcript = recording_load_transcript
    folders = sorted(p for p in projects.iterdir() if p.is_dir())
    entries = 0
    sink = io.StringIO()
    started = time.perf_counter()
    for folder in folders:
        with contextlib.redirect_stdout(sink):
            messages, _tree = converter.load_directory_transcripts(folder, cache_manager=None, silent=True)
        entries += len(messages)
        sink.seek(0)
        sink.truncate()
    seconds = time.perf_counter() - started
    size = sum(p.stat().st_size for p in loaded if p.exists())
    return {"tool": "claude-code-log", "version": metadata.version("claude-code-log"), "seconds": seconds,
            "bytes": size, "files": len(loaded), "entries": entries}


def main(argv: list[str]) -> int:
    if len(argv) != 2 or argv[0] not in ("claude-monitor", "claude-code-log"):
        print(__doc__, file=sys.stderr)
        return 2
    projects = Path(argv[1])
    if not projects.is_dir():
        print("no such folder: %s" % projects, file=sys.stderr)
        return 2
    import logging

    logging.disable(logging.CRITICAL)
    result = claude_monitor(projects) if argv[0] == "claude-monitor" else claude_code_log(projects)
    json.dump(result, sys.stdout)
    sys.stdout.write("\n")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
