#!/usr/bin/env python3
"""Hand-computed cases for reference_totals.py (python3 -m unittest scripts/bench/test_reference_totals.py)."""

from __future__ import annotations

import json
import os
import sys
import tempfile
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import reference_totals  # noqa: E402


def assistant(sid, mid, rid, inp=1, out=1, cw=0, cr=0, *, sidechain=False, model="claude-sonnet-4-5-20250929",
              cache_creation=None, **extra):
    usage = {"input_tokens": inp, "output_tokens": out, "cache_creation_input_tokens": cw, "cache_read_input_tokens": cr}
    if cache_creation is not None:
        usage["cache_creation"] = cache_creation
    message = {"model": model, "type": "message", "role": "assistant", "content": [], "usage": usage}
    if mid is not None:
        message["id"] = mid
    record = {"type": "assistant", "sessionId": sid, "isSidechain": sidechain, "message": message,
              "timestamp": "2026-01-01T00:00:00.000Z"}
    if rid is not None:
        record["requestId"] = rid
    record.update(extra)
    return record


def token_count(ts, inp, cached, out, info=True):
    total = {"input_tokens": inp, "cached_input_tokens": cached, "output_tokens": out,
             "reasoning_output_tokens": 0, "total_tokens": inp + out}
    payload = {"type": "token_count", "info": {"total_token_usage": total, "last_token_usage": total} if info else None}
    return {"timestamp": ts, "type": "event_msg", "payload": payload}


def meta(ts, sid, **extra):
    payload = {"id": sid, "timestamp": ts, "cwd": "/tmp"}
    payload.update(extra)
    return {"timestamp": ts, "type": "session_meta", "payload": payload}


class Tree:
    def __init__(self, case: unittest.TestCase):
        self.tmp = tempfile.TemporaryDirectory()
        case.addCleanup(self.tmp.cleanup)
        self.root = self.tmp.name

    def write(self, rel, records, raw_tail=b""):
        path = os.path.join(self.root, rel)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "wb") as handle:
            for record in records:
                handle.write((record if isinstance(record, str) else json.dumps(record)).encode() + b"\n")
            handle.write(raw_tail)

    def sessions(self, agent):
        claude = os.path.join(self.root, "claude")
        codex = os.path.join(self.root, "codex")
        rows = reference_totals.compute(claude if agent == "claude-code" else None,
                                        codex if agent == "codex" else None)
        return {row["id"]: (row["usage"], row["calls"]) for row in rows}


class ClaudeRules(unittest.TestCase):
    def test_streamed_lines_keep_the_largest_copy_even_out_of_order(self):
        t = Tree(self)
        t.write("claude/projects/p/s1.jsonl", [
            assistant("s1", "m1", "r1", 10, 8, 6890, 12861), assistant("s1", "m1", "r1", 10, 407, 6890, 12861),
            assistant("s1", "m1", "r1", 10, 8, 6890, 12861)])
        usage, calls = t.sessions("claude-code")["s1"]
        self.assertEqual(calls, 1)
        self.assertEqual(usage, {"input": 10, "output": 407, "cacheWrite": 6890, "cacheRead": 12861, "total": 20168})

    def test_synthetic_api_error_and_non_assistant_lines_do_not_count(self):
        t = Tree(self)
        nested = {"type": "progress", "sessionId": "s1",
                  "data": {"message": assistant("s1", "m9", "r9", 100, 100)}}
        t.write("claude/projects/p/s1.jsonl", [
            assistant("s1", "m1", "r1", 5, 5, model="<synthetic>"),
            assistant("s1", "m2", "r2", 5, 5, isApiErrorMessage=True), nested,
            {"type": "user", "sessionId": "s1", "message": {"role": "user", "usage": {"input_tokens": 9}}},
            "not json", "[1,2]", assistant("s1", "m3", "r3", 1, 2)])
        usage, calls = t.sessions("claude-code")["s1"]
        self.assertEqual((calls, usage["total"]), (1, 3))

    def test_typeless_assistant_role_lines_count(self):
        t = Tree(self)
        line = assistant("s1", "m1", "r1", 100, 50, 25, 10)
        del line["type"]
        t.write("claude/projects/p/s1.jsonl", [line])
        self.assertEqual(t.sessions("claude-code")["s1"][0]["total"], 185)

    def test_lines_without_message_id_are_never_deduplicated(self):
        t = Tree(self)
        t.write("claude/projects/p/s1.jsonl", [assistant("s1", None, "r1", 1, 1), assistant("s1", None, "r1", 1, 1)])
        self.assertEqual(t.sessions("claude-code")["s1"][1], 2)

    def test_missing_request_id_still_deduplicates_on_message_id(self):
        t = Tree(self)
        t.write("claude/projects/p/s1.jsonl", [assistant("s1", "m1", None, 1, 1), assistant("s1", "m1", None, 1, 4)])
        self.assertEqual(t.sessions("claude-code")["s1"], ({"input": 1, "output": 4, "cacheWrite": 0, "cacheRead": 0,
                                                            "total": 5}, 1))

    def test_cache_creation_split_wins_over_the_flat_field(self):
        t = Tree(self)
        t.write("claude/projects/p/s1.jsonl", [
            assistant("s1", "m1", "r1", 0, 0, 100, cache_creation={"ephemeral_5m_input_tokens": 30,
                                                                   "ephemeral_1h_input_tokens": 40}),
            assistant("s1", "m2", "r2", 0, 0, 100)])
        self.assertEqual(t.sessions("claude-code")["s1"][0]["cacheWrite"], 170)

    def test_sidechain_copy_of_a_main_chain_message_is_dropped_even_when_larger(self):
        t = Tree(self)
        t.write("claude/projects/p/s1.jsonl", [assistant("s1", "m1", "r1", 1, 10)])
        t.write("claude/projects/p/s1/subagents/agent-a1.jsonl", [
            assistant("s1", "m1", "r2", 1, 999, sidechain=True), assistant("s1", "m5", "r5", 2, 3, sidechain=True)])
        usage, calls = t.sessions("claude-code")["s1"]
        self.assertEqual((calls, usage["output"]), (2, 13))

    def test_same_key_tie_prefers_main_chain_then_path_order(self):
        t = Tree(self)
        t.write("claude/projects/p/a-first.jsonl", [assistant("A", "m1", "r1", 1, 10, sidechain=True),
                                                    assistant("A", "m2", "r2", 1, 10)])
        t.write("claude/projects/p/b-second.jsonl", [assistant("B", "m1", "r1", 1, 10),
                                                     assistant("B", "m2", "r2", 1, 10)])
        sessions = t.sessions("claude-code")
        self.assertEqual(sessions["A"][1], 1)  # m2: first in path order
        self.assertEqual(sessions["B"][1], 1)  # m1: the main-chain copy

    def test_subagent_line_without_session_id_belongs_to_the_parent_folder(self):
        t = Tree(self)
        line = assistant(None, "m1", "r1", 1, 1)
        del line["sessionId"]
        t.write("claude/projects/p/parent-sid/subagents/agent-x.jsonl", [line])
        self.assertEqual(t.sessions("claude-code")["parent-sid"][1], 1)

    def test_half_written_last_line_is_not_counted(self):
        t = Tree(self)
        tail = json.dumps(assistant("s1", "m2", "r2", 1, 1)).encode()
        t.write("claude/projects/p/s1.jsonl", [assistant("s1", "m1", "r1", 1, 1)], raw_tail=tail)
        self.assertEqual(t.sessions("claude-code")["s1"][1], 1)


class CodexRules(unittest.TestCase):
    NAME = "codex/sessions/2026/01/01/rollout-2026-01-01T00-00-00-%s.jsonl"

    def test_cumulative_totals_repeats_and_info_null(self):
        t = Tree(self)
        t.write(self.NAME % "x", [meta("2026-01-01T00:00:00.000Z", "S"),
                                  token_count("2026-01-01T00:00:05.000Z", 1000, 250, 125),
                                  token_count("2026-01-01T00:00:05.000Z", 1000, 250, 125),
                                  token_count("2026-01-01T00:00:06.000Z", 0, 0, 0, info=False),
                                  token_count("2026-01-01T00:00:07.000Z", 3500, 750, 425)])
        usage, calls = t.sessions("codex")["S"]
        self.assertEqual(calls, 2)
        self.assertEqual(usage, {"input": 2750, "output": 425, "cacheWrite": 0, "cacheRead": 750, "total": 3925})

    def test_counter_reset_counts_the_total_itself(self):
        t = Tree(self)
        t.write(self.NAME % "x", [meta("2026-01-01T00:00:00.000Z", "S"),
                                  token_count("2026-01-01T00:00:05.000Z", 1000, 0, 100),
                                  token_count("2026-01-01T00:00:07.000Z", 300, 0, 30)])
        self.assertEqual(t.sessions("codex")["S"][0]["total"], 1430)

    def test_forked_file_skips_the_replayed_prefix_and_continues_from_it(self):
        t = Tree(self)
        t.write(self.NAME % "child", [
            meta("2026-01-01T00:00:10.010Z", "CHILD", forked_from_id="PARENT"),
            meta("2026-01-01T00:00:10.020Z", "PARENT"),
            token_count("2026-01-01T00:00:10.100Z", 1000, 100, 10),
            token_count("2026-01-01T00:00:10.900Z", 2000, 200, 20),
            token_count("2026-01-01T00:00:15.000Z", 2500, 300, 25)])
        usage, calls = t.sessions("codex")["CHILD"]
        self.assertEqual(calls, 1)
        self.assertEqual(usage, {"input": 400, "output": 5, "cacheWrite": 0, "cacheRead": 100, "total": 505})

    def test_same_second_rows_of_an_unforked_file_count(self):
        t = Tree(self)
        t.write(self.NAME % "x", [meta("2026-01-01T00:00:10.010Z", "S"),
                                  token_count("2026-01-01T00:00:10.500Z", 1000, 0, 10)])
        self.assertEqual(t.sessions("codex")["S"][1], 1)

    def test_archived_copy_of_a_live_file_is_skipped(self):
        t = Tree(self)
        rows = [meta("2026-01-01T00:00:00.000Z", "S"), token_count("2026-01-01T00:00:05.000Z", 10, 0, 1)]
        t.write(self.NAME % "x", rows)
        t.write("codex/archived_sessions/rollout-2026-01-01T00-00-00-x.jsonl", rows)
        t.write("codex/archived_sessions/rollout-2026-01-01T00-00-00-y.jsonl",
                [meta("2026-01-01T00:00:00.000Z", "T"), token_count("2026-01-01T00:00:05.000Z", 10, 0, 1)])
        sessions = t.sessions("codex")
        self.assertEqual((sessions["S"][1], sessions["T"][1]), (1, 1))

    def test_session_id_falls_back_to_the_uuid_in_the_file_name(self):
        t = Tree(self)
        uuid = "0196c8a0-0000-7000-8000-00000000a1fa"
        t.write(self.NAME % uuid, [token_count("2026-01-01T00:00:05.000Z", 10, 0, 1)])
        self.assertIn(uuid, t.sessions("codex"))


if __name__ == "__main__":
    unittest.main()
