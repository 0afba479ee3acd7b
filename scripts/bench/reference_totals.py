#!/usr/bin/env python3
"""Independent, deliberately simple computation of per-session token totals.

This is the yardstick `lsm list --all --json` is compared with (issue 3, point 2, and
shared/reference/agent-sessions.md sections 1.1 and 2.1). It decodes every line with
json.loads and applies the documented rules literally; it shares no code with lsm.

Usage:
    reference_totals.py --claude DIR[,DIR...] --codex DIR

--claude takes Claude config roots (each containing projects/; like CLAUDE_CONFIG_DIR,
a comma-separated list is allowed). A root without projects/ is walked as it is.
--codex takes a CODEX_HOME (sessions/ and archived_sessions/); a folder holding neither
is walked as it is (handy for loose fixture files).

Prints a JSON array of {"id", "agent", "usage": {"input", "output", "cacheWrite",
"cacheRead", "total"}, "calls"} sorted by (agent, id). Every session seen is listed,
also those with no API calls (zero usage).

Every line: a last line without its newline is still being written (lsm waits for the rest)
and is skipped, like any line that does not decode to a JSON object (non-JSON, binary
garbage, a line cut short).

Claude rules
  * A line counts when it decodes to an object whose type is "assistant" (or that has no
    type and message.role "assistant") and whose message.usage is an object; lines with
    message.model "<synthetic>" or isApiErrorMessage true are ignored. Anything that does
    not decode (non-JSON, binary garbage, a truncated line) is skipped.
  * De-duplication on (message.id, requestId) across ALL files (requestId may be absent:
    then the key is (message.id, None)). The copy with the largest total wins; on a tie
    the non-sidechain copy wins, then the first in (root, path, line) order: roots in the
    order given, files sorted by full path, lines in file order. (This order is a property
    of the copies themselves, so an incremental indexer that meets the copies in another
    order reaches the same winner.)
  * A line without message.id is never de-duplicated.
  * When a message.id has a main-chain (isSidechain not true) winner, every sidechain
    winner with that message.id under another requestId is dropped.
  * cacheWrite = cache_creation.ephemeral_5m_input_tokens + ephemeral_1h_input_tokens when
    message.usage.cache_creation is an object, else cache_creation_input_tokens;
    input = input_tokens; output = output_tokens; cacheRead = cache_read_input_tokens;
    total = input + output + cacheWrite + cacheRead. Missing or non-integer values are 0.
  * A call belongs to the sessionId of the winning copy; a line without sessionId belongs
    to the file's session: the parent folder name for <sid>/subagents/agent-*.jsonl, else
    the file stem.

Codex rules (per rollout file)
  * Files: rollout-*.jsonl under sessions/ and archived_sessions/; an archived file whose
    name also exists under sessions/ is skipped.
  * Session id: payload.id of the first session_meta line; without one, the uuid at the end
    of the file name (rollout-YYYY-MM-DDThh-mm-ss-<uuid>.jsonl), else the file stem.
  * Usage comes from event_msg token_count payload.info.total_token_usage (cumulative):
    info null (or no total_token_usage) is skipped; a token_count whose total equals the
    previous total is skipped; in a forked file (>= 2 session_meta lines, or a
    session_meta with forked_from_id / parent_thread_id) the token_count rows at the top
    whose envelope timestamp has the same second as the first session_meta's envelope
    timestamp are the parent's replay: they are not counted but set the previous total.
    Every other event adds (total - previous) component-wise, or the total itself when any
    component went down (a counter reset), and counts as one call.
  * input = input_tokens - cached_input_tokens; cacheRead = cached_input_tokens;
    output = output_tokens; cacheWrite = 0.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import sys

CLAUDE = "claude-code"
CODEX = "codex"


def as_int(value) -> int:
    if isinstance(value, bool):
        return 0
    if isinstance(value, int):
        return value
    return 0


def jsonl_files(root: str) -> list[str]:
    found = []
    for dirpath, _dirnames, filenames in os.walk(root):
        for name in filenames:
            if name.endswith(".jsonl"):
                found.append(os.path.join(dirpath, name))
    found.sort()
    return found


def read_objects(path: str):
    """Yields (line_number, object) for every line that decodes to a JSON object."""
    try:
        handle = open(path, "rb")
    except OSError:
        return
    with handle:
        for number, raw in enumerate(handle, 1):
            if not raw.endswith(b"\n"):
                continue  # a last line without its newline is still being written
            try:
                value = json.loads(raw)
            except (ValueError, UnicodeDecodeError):
                continue
            if isinstance(value, dict):
                yield number, value


def empty_usage() -> dict:
    return {"input": 0, "output": 0, "cacheWrite": 0, "cacheRead": 0, "total": 0}


def add_usage(into: dict, usage: dict) -> None:
    for key in ("input", "output", "cacheWrite", "cacheRead", "total"):
        into[key] += usage[key]


# ----------------------------------------------------------------------------- Claude


def claude_usage(raw: dict) -> dict:
    cache_creation = raw.get("cache_creation")
    if isinstance(cache_creation, dict):
        cache_write = as_int(cache_creation.get("ephemeral_5m_input_tokens")) + as_int(
            cache_creation.get("ephemeral_1h_input_tokens")
        )
    else:
        cache_write = as_int(raw.get("cache_creation_input_tokens"))
    usage = {
        "input": as_int(raw.get("input_tokens")),
        "output": as_int(raw.get("output_tokens")),
        "cacheWrite": cache_write,
        "cacheRead": as_int(raw.get("cache_read_input_tokens")),
    }
    usage["total"] = usage["input"] + usage["output"] + usage["cacheWrite"] + usage["cacheRead"]
    return usage


def claude_file_session(path: str) -> str:
    parent = os.path.dirname(path)
    if os.path.basename(parent) == "subagents":
        return os.path.basename(os.path.dirname(parent))
    return os.path.splitext(os.path.basename(path))[0]


def claude_roots(spec: str) -> list[str]:
    roots = []
    for part in spec.split(","):
        part = part.strip()
        if not part:
            continue
        projects = os.path.join(part, "projects")
        roots.append(projects if os.path.isdir(projects) else part)
    return roots


def claude_sessions(spec: str) -> dict:
    sessions, _calls = claude_calls(spec)
    return sessions


def claude_calls(spec: str) -> tuple[dict, list[dict]]:
    """Returns (sessions, calls kept after de-duplication, in first-seen order)."""
    sessions: dict[str, dict] = {}
    winners: dict[tuple, dict] = {}  # (message.id, requestId) -> call
    loose: list[dict] = []  # calls without message.id
    order = 0

    def session(sid: str) -> dict:
        if sid not in sessions:
            sessions[sid] = {"usage": empty_usage(), "calls": 0}
        return sessions[sid]

    for root in claude_roots(spec):
        for path in jsonl_files(root):
            file_session = claude_file_session(path)
            for _number, record in read_objects(path):
                sid = record.get("sessionId")
                if not isinstance(sid, str) or not sid:
                    sid = None
                if sid is not None:
                    session(sid)
                message = record.get("message")
                if not isinstance(message, dict):
                    continue
                kind = record.get("type")
                if kind != "assistant" and not (kind is None and message.get("role") == "assistant"):
                    continue
                usage = message.get("usage")
                if not isinstance(usage, dict):
                    continue
                if message.get("model") == "<synthetic>" or record.get("isApiErrorMessage") is True:
                    continue
                owner = sid if sid is not None else file_session
                session(owner)
                order += 1
                call = {
                    "session": owner,
                    "usage": claude_usage(usage),
                    "sidechain": record.get("isSidechain") is True,
                    "order": order,
                }
                message_id = message.get("id")
                if not isinstance(message_id, str) or not message_id:
                    loose.append(call)
                    continue
                request_id = record.get("requestId")
                if not isinstance(request_id, str) or not request_id:
                    request_id = None
                call["messageId"] = message_id
                key = (message_id, request_id)
                held = winners.get(key)
                if held is None:
                    winners[key] = call
                elif call["usage"]["total"] > held["usage"]["total"]:
                    winners[key] = call
                elif (
                    call["usage"]["total"] == held["usage"]["total"]
                    and held["sidechain"]
                    and not call["sidechain"]
                ):
                    winners[key] = call

    main_chain_ids = {call["messageId"] for call in winners.values() if not call["sidechain"]}
    kept = [
        call
        for call in winners.values()
        if not (call["sidechain"] and call["messageId"] in main_chain_ids)
    ]
    calls = sorted(kept + loose, key=lambda call: call["order"])
    for call in calls:
        entry = session(call["session"])
        add_usage(entry["usage"], call["usage"])
        entry["calls"] += 1
    return sessions, calls


# ------------------------------------------------------------------------------ Codex

UUID_AT_END = re.compile(r"([0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12})$")
TOTAL_KEYS = ("input_tokens", "cached_input_tokens", "output_tokens", "reasoning_output_tokens", "total_tokens")


def codex_files(home: str) -> list[str]:
    sessions_dir = os.path.join(home, "sessions")
    archived_dir = os.path.join(home, "archived_sessions")
    if not os.path.isdir(sessions_dir) and not os.path.isdir(archived_dir):
        return jsonl_files(home)
    live = [p for p in jsonl_files(sessions_dir) if os.path.basename(p).startswith("rollout-")]
    live_names = {os.path.basename(p) for p in live}
    archived = [
        p
        for p in jsonl_files(archived_dir)
        if os.path.basename(p).startswith("rollout-") and os.path.basename(p) not in live_names
    ]
    return live + archived


def envelope_second(record: dict):
    stamp = record.get("timestamp")
    if isinstance(stamp, str) and len(stamp) >= 19:
        return stamp[:19]
    return None


def codex_file(path: str) -> tuple[str, dict, int]:
    records = [record for _number, record in read_objects(path)]
    metas = [r for r in records if r.get("type") == "session_meta" and isinstance(r.get("payload"), dict)]
    stem = os.path.splitext(os.path.basename(path))[0]
    session_id = None
    if metas and isinstance(metas[0]["payload"].get("id"), str) and metas[0]["payload"]["id"]:
        session_id = metas[0]["payload"]["id"]
    if session_id is None:
        match = UUID_AT_END.search(stem)
        session_id = match.group(1) if match else stem
    forked = len(metas) >= 2 or any(
        m["payload"].get("forked_from_id") or m["payload"].get("parent_thread_id") for m in metas
    )
    fork_second = envelope_second(metas[0]) if (forked and metas) else None

    usage = empty_usage()
    calls = 0
    previous = None
    in_replay = fork_second is not None
    for record in records:
        if record.get("type") != "event_msg":
            continue
        payload = record.get("payload")
        if not isinstance(payload, dict) or payload.get("type") != "token_count":
            continue
        info = payload.get("info")
        if not isinstance(info, dict):
            continue
        raw_total = info.get("total_token_usage")
        if not isinstance(raw_total, dict):
            continue
        total = tuple(as_int(raw_total.get(key)) for key in TOTAL_KEYS)
        if in_replay:
            if envelope_second(record) == fork_second:
                previous = total
                continue
            in_replay = False
        if total == previous:
            continue
        if previous is None or any(now < before for now, before in zip(total, previous)):
            delta = total
        else:
            delta = tuple(now - before for now, before in zip(total, previous))
        previous = total
        fresh_input, cached, output = delta[0], delta[1], delta[2]
        usage["input"] += fresh_input - cached
        usage["cacheRead"] += cached
        usage["output"] += output
        usage["total"] += fresh_input + output
        calls += 1
    return session_id, usage, calls


def codex_sessions(home: str) -> dict:
    sessions: dict[str, dict] = {}
    for path in codex_files(home):
        session_id, usage, calls = codex_file(path)
        entry = sessions.setdefault(session_id, {"usage": empty_usage(), "calls": 0})
        add_usage(entry["usage"], usage)
        entry["calls"] += calls
    return sessions


# ------------------------------------------------------------------------------- main


def compute(claude: str | None, codex: str | None) -> list[dict]:
    rows = []
    if claude:
        for sid, entry in claude_sessions(claude).items():
            rows.append({"id": sid, "agent": CLAUDE, "usage": entry["usage"], "calls": entry["calls"]})
    if codex:
        for sid, entry in codex_sessions(codex).items():
            rows.append({"id": sid, "agent": CODEX, "usage": entry["usage"], "calls": entry["calls"]})
    rows.sort(key=lambda row: (row["agent"], row["id"]))
    return rows


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--claude", help="Claude config root(s), comma-separated (each holds projects/)")
    parser.add_argument("--codex", help="CODEX_HOME (holds sessions/ and archived_sessions/)")
    args = parser.parse_args(argv)
    if not args.claude and not args.codex:
        parser.error("give --claude and/or --codex")
    json.dump(compute(args.claude, args.codex), sys.stdout, indent=1)
    sys.stdout.write("\n")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
