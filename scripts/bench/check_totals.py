#!/usr/bin/env python3
"""End-to-end check: lsm's per-session token totals equal the reference computation.

Usage:
    check_totals.py LSM_BINARY [--size-mb 8] [--seed 7] [--keep]

Steps (each compares every session of `lsm list --all --json` with reference_totals.py,
to the token, usage and calls; a session missing on one side counts as zero):
  0. the reference itself: hand-computed cases (test_reference_totals.py) and the totals the
     fixtures' provenance notes state;
  1. the real fixtures (shared/fixtures/agents) laid out as CLAUDE_CONFIG_DIR/CODEX_HOME;
  2. a small generated corpus, every file cut short at a random byte (some missing,
     some cut in the middle of a line: a half-written last line), indexed cold;
  3. the same files completed by appending the rest (grown files, completed lines);
  4. `lsm index` again with nothing changed;
  5. `lsm index --rebuild`.
Exits 1 with the differences on any mismatch; the last line reads "N passed, M failed".
"""

from __future__ import annotations

import argparse
import os
import random
import shutil
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import generate_corpus  # noqa: E402
import lsmbench  # noqa: E402
import reference_totals  # noqa: E402


class Tally:
    def __init__(self):
        self.passed = 0
        self.failed = 0

    def check(self, name: str, ok: bool, detail: str = "") -> None:
        if ok:
            self.passed += 1
        else:
            self.failed += 1
            print("FAIL %s" % name)
            if detail:
                print(detail)

    def compare(self, name: str, lsm_rows, reference_rows) -> None:
        matched, problems = lsmbench.compare(lsm_rows, reference_rows)
        self.passed += matched
        self.failed += len(problems)
        status = "ok" if not problems else "%d MISMATCHED" % len(problems)
        print("%-44s %4d sessions: %s" % (name, matched + len(problems), status))
        for block in problems[:40]:
            print(block)
        if len(problems) > 40:
            print("... and %d more" % (len(problems) - 40))


def reference_unit_tests(tally: Tally) -> None:
    import io
    import unittest

    import test_reference_totals

    stream = io.StringIO()
    suite = unittest.defaultTestLoader.loadTestsFromModule(test_reference_totals)
    result = unittest.TextTestRunner(stream=stream, verbosity=0).run(suite)
    bad = len(result.failures) + len(result.errors)
    tally.passed += result.testsRun - bad
    tally.failed += bad
    print("%-44s %4d cases: %s" % ("reference_totals.py hand-computed cases", result.testsRun,
                                     "ok" if not bad else "%d FAILED" % bad))
    if bad:
        print(stream.getvalue())


def reference_self_test(tally: Tally) -> None:
    claude = os.path.join(lsmbench.FIXTURES, "claude")
    _sessions, calls = reference_totals.claude_calls(claude)
    got = [(c["usage"]["input"], c["usage"]["cacheWrite"], c["usage"]["cacheRead"], c["usage"]["output"])
           for c in calls if c["session"] == "dac34307-159f-4fcd-9c21-35210246ad38"]
    want = [(10, 6890, 12861, 407), (8, 571, 19751, 77)]
    tally.check("reference: gitai_claude-code-with-thinking gives 2 calls %s" % want, got == want, "got %s" % got)
    with tempfile.TemporaryDirectory() as tmp:
        shutil.copyfile(os.path.join(lsmbench.FIXTURES, "codex", "ccusage_token_count_session-alpha.jsonl"),
                        os.path.join(tmp, "a.jsonl"))
        rows = reference_totals.compute(None, tmp)
    usage = rows[0]["usage"] if rows else {}
    got = (usage.get("input"), usage.get("cacheRead"), usage.get("output"))
    tally.check("reference: codex session-alpha gives input 2750, cacheRead 750, output 425",
                got == (2750, 750, 425), "got %s" % (got,))


def lsm_totals(lsm: str, env: dict, rebuild: bool = False):
    index_args = [lsm, "index", "--json"] + (["--rebuild"] if rebuild else [])
    summary, _ = lsmbench.run_json(index_args, env)
    rows, _ = lsmbench.run_json([lsm, "list", "--all", "--json"], env)
    return summary, rows


def cut_corpus(full: str, live: str, seed: int) -> list[tuple[str, str, int]]:
    """Copies full/{claude,codex} to live/, each file cut short. Returns (src, dst, kept bytes)."""
    rng = random.Random(seed)
    plan = []
    for agent in ("claude", "codex"):
        for src in lsmbench.jsonl_files(os.path.join(full, agent)):
            dst = os.path.join(live, os.path.relpath(src, full))
            size = os.path.getsize(src)
            r = rng.random()
            if r < 0.15:
                keep = -1  # appears only later
            elif r < 0.45:
                keep = size
            else:
                keep = rng.randrange(0, size + 1)  # anywhere, often in the middle of a line
            plan.append((src, dst, keep))
            if keep < 0:
                continue
            os.makedirs(os.path.dirname(dst), exist_ok=True)
            with open(src, "rb") as handle:
                data = handle.read(keep)
            with open(dst, "wb") as handle:
                handle.write(data)
    # the subagent .meta.json side files
    for dirpath, _dirs, names in os.walk(os.path.join(full, "claude")):
        for name in names:
            if name.endswith(".meta.json"):
                src = os.path.join(dirpath, name)
                dst = os.path.join(live, os.path.relpath(src, full))
                os.makedirs(os.path.dirname(dst), exist_ok=True)
                shutil.copyfile(src, dst)
    return plan


def complete_corpus(plan) -> None:
    for src, dst, keep in plan:
        os.makedirs(os.path.dirname(dst), exist_ok=True)
        with open(src, "rb") as handle:
            handle.seek(max(keep, 0))
            rest = handle.read()
        with open(dst, "ab") as handle:
            handle.write(rest)


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description="lsm token totals vs the reference computation")
    parser.add_argument("lsm", help="path to the lsm binary (e.g. .build/debug/lsm)")
    parser.add_argument("--size-mb", type=int, default=8)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--keep", action="store_true", help="keep the temporary folder")
    args = parser.parse_args(argv)
    lsm = os.path.abspath(args.lsm)
    if not os.access(lsm, os.X_OK):
        print("check_totals: %s is not an executable; build it first (swift build)" % lsm)
        return 2

    tally = Tally()
    tmp = tempfile.mkdtemp(prefix="lsm-check-totals-")
    try:
        reference_unit_tests(tally)
        if os.path.isdir(lsmbench.FIXTURES):
            reference_self_test(tally)
            fixtures = lsmbench.build_fixture_tree(os.path.join(tmp, "fixtures"))
            env = lsmbench.lsm_env(fixtures["claude"], fixtures["codex"], os.path.join(tmp, "home-fixtures", "lsm"),
                                   os.path.join(tmp, "home-fixtures"))
            _summary, rows = lsm_totals(lsm, env)
            tally.compare("fixtures", rows, reference_totals.compute(fixtures["claude"], fixtures["codex"]))
        else:
            print("note: %s not found; fixture checks skipped" % lsmbench.FIXTURES)

        full = os.path.join(tmp, "full")
        generate_corpus.generate(full, args.size_mb, args.seed, jobs=1)
        live = os.path.join(tmp, "live")
        plan = cut_corpus(full, live, args.seed)
        claude, codex = os.path.join(live, "claude"), os.path.join(live, "codex")
        os.makedirs(os.path.join(codex, "sessions"), exist_ok=True)
        os.makedirs(os.path.join(claude, "projects"), exist_ok=True)
        env = lsmbench.lsm_env(claude, codex, os.path.join(tmp, "home", "lsm"), os.path.join(tmp, "home"))

        summary, rows = lsm_totals(lsm, env)
        print("index (cut corpus): %s" % summary)
        tally.compare("corpus cut short, indexed cold", rows, reference_totals.compute(claude, codex))

        complete_corpus(plan)
        expected = reference_totals.compute(claude, codex)
        summary, rows = lsm_totals(lsm, env)
        print("index (completed): %s" % summary)
        tally.compare("corpus completed, indexed incrementally", rows, expected)

        summary, rows = lsm_totals(lsm, env)
        print("index (nothing changed): %s" % summary)
        tally.compare("re-index, nothing changed", rows, expected)

        summary, rows = lsm_totals(lsm, env, rebuild=True)
        tally.compare("index --rebuild", rows, expected)
    except Exception as error:  # a crash of lsm is a failure with its message, not a traceback
        tally.check("lsm ran", False, str(error))
    finally:
        if args.keep:
            print("kept %s" % tmp)
        else:
            shutil.rmtree(tmp, ignore_errors=True)
    print("check_totals: %d passed, %d failed" % (tally.passed, tally.failed))
    return 0 if tally.failed == 0 else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
