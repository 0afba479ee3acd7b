#!/usr/bin/env python3
"""`git lsm mcp` driven by a real MCP client: the official Python SDK (`mcp` from PyPI).

Starts `git lsm mcp` over stdio in a hermetic test repository whose agent transcripts are the real
fixtures of shared/fixtures/agents (their cwd moved into the repository), then: initializes, lists
tools, resources, templates and prompts, calls every tool with valid and invalid arguments, reads every
resource and gets every prompt, and checks each answer against what the CLI's --json prints. Bad input
must give protocol-correct errors and leave the server running. Also checks, with raw pipes, that the
server writes nothing but JSON-RPC messages to standard output.

Usage: real_client_test.py <path to the built lsm>   (make test-mcp runs it in a venv with `mcp`)
Prints one line per failed check and "N passed, N failed"; exits 1 on any failure.
"""

from __future__ import annotations

import asyncio
import json
import os
import shutil
import subprocess
import sys
import tempfile

from mcp import ClientSession, StdioServerParameters
from mcp.client.stdio import stdio_client
from mcp.shared.exceptions import MCPError

HERE = os.path.dirname(os.path.abspath(__file__))
FIXTURES = os.environ.get(
    "LSM_FIXTURES", os.path.join(HERE, "..", "..", "..", "shared", "fixtures", "agents"))
CLAUDE_SESSION = "dac34307-159f-4fcd-9c21-35210246ad38"
CODEX_SESSION = "019c4b43-1451-7af3-be4c-5576369bf1ba"


class Checks:
    def __init__(self) -> None:
        self.passed = 0
        self.failed = 0

    def check(self, condition: bool, what: str, detail: object = "") -> None:
        if condition:
            self.passed += 1
        else:
            self.failed += 1
            print(f"FAIL: {what}" + (f"\n  {str(detail)[:2000]}" if detail != "" else ""), flush=True)

    def equal(self, actual: object, expected: object, what: str) -> None:
        self.check(actual == expected, what, f"got {json.dumps(actual, sort_keys=True, default=sorted)[:1500]}\n  want {json.dumps(expected, sort_keys=True, default=sorted)[:1500]}")


def normalize(value):
    """Drops what moves with the clock between the CLI's run and the server's (health values of idle time)."""
    if isinstance(value, dict):
        return {k: normalize(v) for k, v in value.items() if k not in ("value",)}
    if isinstance(value, list):
        return [normalize(v) for v in value]
    return value


class Sandbox:
    """A hermetic repository with fixture transcripts, and the environment lsm and git run with."""

    def __init__(self, lsm: str) -> None:
        self.root = tempfile.mkdtemp(prefix="lsm-mcp-client-")
        self.repo = os.path.join(self.root, "repo")
        bin_dir = os.path.join(self.root, "bin")
        os.makedirs(bin_dir)
        os.symlink(lsm, os.path.join(bin_dir, "git-lsm"))
        self.env = {
            "PATH": bin_dir + os.pathsep + os.environ.get("PATH", "/usr/bin:/bin"),
            "HOME": self.root,
            "LANG": "C.UTF-8",
            "GIT_CONFIG_GLOBAL": "/dev/null",
            "GIT_CONFIG_NOSYSTEM": "1",
            "GIT_AUTHOR_NAME": "Test Author",
            "GIT_AUTHOR_EMAIL": "author@example.com",
            "GIT_COMMITTER_NAME": "Test Author",
            "GIT_COMMITTER_EMAIL": "author@example.com",
            "GIT_AUTHOR_DATE": "2026-01-01T00:00:00Z",
            "GIT_COMMITTER_DATE": "2026-01-01T00:00:00Z",
            "CLAUDE_CONFIG_DIR": os.path.join(self.root, "claude"),
            "CODEX_HOME": os.path.join(self.root, "codex"),
            "LSM_HOME": os.path.join(self.root, "lsm-home"),
            "LSM_PROC_ROOT": os.path.join(self.root, "no-proc"),
        }
        os.makedirs(self.repo)
        self.git("init", "-q", "-b", "main")
        os.makedirs(os.path.join(self.repo, "src"))
        with open(os.path.join(self.repo, "src", "a.py"), "w") as f:
            f.write("".join(f"line_{i} = {i}\n" for i in range(1, 21)))
        self.git("add", "-A")
        self.git("commit", "-q", "-m", "Initial", "-m", f"LSM-Session: claude-code/{CLAUDE_SESSION}")
        self.transcripts()

    def git(self, *args: str) -> str:
        return subprocess.run(["git", *args], cwd=self.repo, env=self.env, check=True, capture_output=True, text=True).stdout

    def transcripts(self) -> None:
        # Two sessions moved into the repository, one left where it ran (seen only with all=true).
        def copy(source: str, target: str, old_cwd: str | None) -> None:
            with open(os.path.join(FIXTURES, source), encoding="utf-8") as f:
                text = f.read()
            if old_cwd:
                text = text.replace(old_cwd, self.repo)
            os.makedirs(os.path.dirname(target), exist_ok=True)
            with open(target, "w", encoding="utf-8") as f:
                f.write(text)

        projects = os.path.join(self.env["CLAUDE_CONFIG_DIR"], "projects")
        copy("claude/gitai_claude-code-with-thinking.jsonl", os.path.join(projects, "-repo", CLAUDE_SESSION + ".jsonl"),
             "/Users/svarlamov/projects/testing-git-2")
        copy("claude/claudecodelog_dag_compact_after_rewind.jsonl", os.path.join(projects, "-elsewhere", "dag.jsonl"), None)
        copy("codex/gitai_codex-session-simple.jsonl",
             os.path.join(self.env["CODEX_HOME"], "sessions", "2026", "02", "11", f"rollout-2026-02-11T05-53-33-{CODEX_SESSION}.jsonl"),
             "/Users/test/projects/git-ai")

    def cli(self, *args: str):
        result = subprocess.run(["git", "lsm", *args, "--json"], cwd=self.repo, env=self.env, capture_output=True, text=True)
        if result.returncode != 0:
            raise RuntimeError(f"git lsm {' '.join(args)} failed: {result.stderr}")
        return json.loads(result.stdout)

    def close(self) -> None:
        shutil.rmtree(self.root, ignore_errors=True)


def text_of(result) -> str:
    return "".join(getattr(item, "text", "") for item in result.content)


async def exercise(sandbox: Sandbox, c: Checks) -> None:
    params = StdioServerParameters(command="git", args=["lsm", "mcp"], cwd=sandbox.repo, env=sandbox.env)
    async with stdio_client(params) as (read, write):
        async with ClientSession(read, write) as session:
            init = await session.initialize()
            c.equal(init.protocol_version, "2025-11-25", "negotiated protocol version")
            c.equal(init.server_info.name, "lsm", "server name")

            # Listing.
            tools = {t.name: t for t in (await session.list_tools()).tools}
            expected_tools = {"repo_status", "list_sessions", "get_session", "session_health", "list_comments", "add_comment",
                              "reply_comment", "resolve_comment", "commit_sessions", "find_session", "discover_sessions",
                              "search_transcripts", "search_memory", "add_memory", "export_session"}
            c.equal(set(tools), expected_tools, "tools/list names every working tool and no other")
            for name, tool in tools.items():
                c.check(bool(tool.description), f"{name} has a description")
                c.equal(tool.input_schema.get("type"), "object", f"{name} has an object input schema")
                read_only = name not in ("add_comment", "reply_comment", "resolve_comment", "add_memory", "export_session")
                c.equal(tool.annotations.read_only_hint if tool.annotations else None, read_only, f"{name} readOnlyHint")
            resources = [r.uri for r in (await session.list_resources()).resources]
            c.check("lsm://sessions" in [str(u) for u in resources], "resources/list has lsm://sessions", resources)
            templates = [t.uri_template for t in (await session.list_resource_templates()).resource_templates]
            c.equal(templates, ["lsm://session/{id}", "lsm://comments/{path}"], "resource templates")
            prompts = {p.name for p in (await session.list_prompts()).prompts}
            c.equal(prompts, {"session_health_check", "review_context"}, "prompts/list")

            async def call(name: str, arguments: dict | None = None):
                return await session.call_tool(name, arguments or {})

            # repo_status = git lsm status --json (sessions cut to session_limit).
            status = sandbox.cli("status")
            result = await call("repo_status", {"session_limit": 100})
            c.check(not result.is_error, "repo_status succeeds", text_of(result))
            got = dict(result.structured_content)
            c.equal(got.pop("sessionCount"), len(status["sessions"]), "repo_status sessionCount")
            c.equal(normalize(got), normalize(status), "repo_status = git lsm status --json")

            # list_sessions and its aliases = git lsm list --json.
            listed = sandbox.cli("list")
            c.equal({s["id"] for s in listed}, {CLAUDE_SESSION, CODEX_SESSION}, "the CLI sees the two repository sessions")
            for name in ("list_sessions", "find_session", "discover_sessions"):
                result = await call(name, {"limit": 50})
                c.check(not result.is_error, f"{name} succeeds", text_of(result))
                c.equal(normalize(result.structured_content["sessions"]), normalize(listed), f"{name} = git lsm list --json")
                c.equal(result.structured_content["total"], len(listed), f"{name} total")
            everything = sandbox.cli("list", "--all")
            result = await call("list_sessions", {"all": True, "limit": 50})
            c.equal(normalize(result.structured_content["sessions"]), normalize(everything), "list_sessions all = list --all --json")
            result = await call("list_sessions", {"agent": "codex"})
            c.equal([s["id"] for s in result.structured_content["sessions"]], [CODEX_SESSION], "list_sessions agent=codex")
            result = await call("list_sessions", {"limit": 1})
            c.equal(len(result.structured_content["sessions"]), 1, "list_sessions limit=1")
            result = await call("list_sessions", {"live": True})
            c.equal(result.structured_content["sessions"], [], "list_sessions live=true: no agent runs")

            # get_session = git lsm show --json.
            for session_id in (CLAUDE_SESSION, CODEX_SESSION):
                shown = sandbox.cli("show", session_id)
                result = await call("get_session", {"id": session_id[:10], "timeline_limit": 100000})
                c.check(not result.is_error, f"get_session {session_id[:8]} succeeds", text_of(result))
                got = dict(result.structured_content)
                c.equal(got.pop("eventCount"), len(shown["events"]), "get_session eventCount")
                c.equal(normalize(got), normalize(shown), f"get_session {session_id[:8]} = git lsm show --json")

            # session_health = git lsm health --json, with and without an id.
            health = sandbox.cli("health", CLAUDE_SESSION)
            result = await call("session_health", {"id": CLAUDE_SESSION})
            got = dict(result.structured_content)
            c.equal(got.pop("identifiedBy"), "argument", "session_health with an id")
            c.equal(normalize(got), normalize(health), "session_health = git lsm health <id> --json")
            own = sandbox.cli("health")
            result = await call("session_health")
            got = dict(result.structured_content)
            c.equal(got.pop("identifiedBy"), "repository", "session_health without an id falls back to the repository")
            c.equal(normalize(got), normalize(own), "session_health without id = git lsm health --json")

            # commit_sessions = git lsm log -n 1 --json.
            logged = sandbox.cli("log", "-n", "1")["commits"][0]
            result = await call("commit_sessions")
            c.equal(result.structured_content, logged, "commit_sessions = git lsm log -n 1 --json")
            c.check(any(s["id"] == CLAUDE_SESSION for s in result.structured_content["sessions"]), "commit_sessions finds the trailer's session")

            # Comments: add, reply, list, resolve; each against git lsm comments --json.
            result = await call("add_comment", {"path": "src/a.py", "line": 3, "end_line": 4, "body": "Rename these?"})
            c.check(not result.is_error, "add_comment succeeds", text_of(result))
            thread = result.structured_content["id"]
            result = await call("reply_comment", {"thread": thread[:8], "body": "Yes, in the next commit."})
            c.equal(result.structured_content.get("thread"), thread, "reply_comment names the thread")
            comments = sandbox.cli("comments")
            result = await call("list_comments")
            c.equal(result.structured_content["threads"], comments, "list_comments = git lsm comments --json")
            result = await call("list_comments", {"path": "src/a.py"})
            c.equal(result.structured_content["threads"], sandbox.cli("comments", "src/a.py"), "list_comments path = comments <path> --json")
            c.equal(len(comments[0]["comments"]), 2, "the reply is in the thread")
            result = await call("resolve_comment", {"thread": thread})
            c.equal(result.structured_content, {"thread": thread, "resolved": True}, "resolve_comment")
            c.equal(sandbox.cli("comments"), [], "the CLI sees the thread resolved")
            result = await call("list_comments", {"all": True})
            c.equal(result.structured_content["threads"], sandbox.cli("comments", "--all"), "list_comments all = comments --all --json")
            result = await call("resolve_comment", {"thread": thread, "resolved": False})
            c.equal(result.structured_content["resolved"], False, "resolve_comment resolved=false reopens")

            # Memories and search: add_memory then search_memory and search_transcripts = the CLI's.
            result = await call("add_memory", {"text": "Tokens expire after 15 minutes; refresh in the client.", "tags": "auth, jwt"})
            c.check(not result.is_error, "add_memory succeeds", text_of(result))
            memory_id = result.structured_content["id"]
            c.equal(result.structured_content, sandbox.cli("memory", "list")[0], "add_memory = memory list --json")
            result = await call("search_memory", {"query": "tokens expire"})
            c.equal([m["id"] for m in result.structured_content["memories"]], [memory_id], "search_memory finds the memory")
            c.equal(result.structured_content["memories"], sandbox.cli("memory", "search", "tokens", "expire"), "search_memory = memory search --json")
            searched = sandbox.cli("search", "tokens")
            result = await call("search_transcripts", {"query": "tokens", "limit": 20})
            c.check(not result.is_error, "search_transcripts succeeds", text_of(result))
            got = dict(result.structured_content)
            for key in ("timings", "indexed"):
                got.pop(key, None)
                searched.pop(key, None)
            c.equal(got, searched, "search_transcripts = git lsm search --json (without timings)")
            c.check(got["memories"] and got["memories"][0]["id"] == memory_id, "search_transcripts ranks the memory first")

            # export_session: Markdown inline = git lsm export --format markdown --redact; a bundle written to a file.
            markdown = subprocess.run(["git", "lsm", "export", CLAUDE_SESSION, "--format", "markdown", "--redact"], cwd=sandbox.repo,
                                      env=sandbox.env, capture_output=True, text=True).stdout
            result = await call("export_session", {"id": CLAUDE_SESSION[:10]})
            c.check(not result.is_error, "export_session succeeds", text_of(result))
            c.equal(text_of(result), markdown, "export_session = git lsm export --format markdown --redact")
            c.equal(result.structured_content["truncated"], False, "export_session is not cut")
            result = await call("export_session", {"id": CLAUDE_SESSION, "format": "json", "output": "bundle.json"})
            c.check(os.path.exists(os.path.join(sandbox.repo, "bundle.json")), "export_session writes the bundle", text_of(result))
            c.equal(result.structured_content["format"], "json", "export_session reports the bundle")

            # Bad input: isError results that say what to do.
            bad = [
                ("list_sessions", {"limit": "ten"}, "must be an integer"),
                ("list_sessions", {"all": "yes"}, "must be a boolean"),
                ("list_sessions", {"agent": "vim"}, "cannot be 'vim'"),
                ("list_sessions", {"colour": "red"}, "no argument 'colour'"),
                ("list_sessions", {"since": "yesterday-ish"}, ""),
                ("get_session", {}, "needs the argument 'id'"),
                ("get_session", {"id": "ffffffffff"}, "no session matches"),
                ("get_session", {"id": 42}, "must be a string"),
                ("session_health", {"id": "ffffffffff"}, "no session matches"),
                ("add_comment", {"path": "../outside.py", "line": 1, "body": "x"}, "outside the repository"),
                ("add_comment", {"path": "src/a.py", "line": 999, "body": "x"}, "past the end"),
                ("add_comment", {"path": "src/a.py", "line": 0, "body": "x"}, "1 or more"),
                ("add_comment", {"path": "src/a.py", "line": 1, "body": "   "}, "empty comment"),
                ("reply_comment", {"thread": "ffffffff", "body": "x"}, "no comment thread matches"),
                ("resolve_comment", {"thread": "not-hex"}, "not a thread id"),
                ("commit_sessions", {"commit": "no-such-branch"}, "unknown revision"),
                ("commit_sessions", {"commit": "HEAD..main"}, "not one commit"),
                ("list_comments", {"path": "../.."}, "outside the repository"),
                ("search_transcripts", {"query": "\"unbalanced"}, "quote"),
                ("search_transcripts", {"query": "x", "role": "robot"}, "cannot be 'robot'"),
                ("add_memory", {"text": "   "}, "empty"),
                ("export_session", {"id": CLAUDE_SESSION, "output": "../out.md"}, "outside the repository"),
                ("export_session", {"id": "ffffffffff"}, "no session matches"),
            ]
            for name, arguments, message in bad:
                result = await call(name, arguments)
                text = text_of(result)
                c.check(result.is_error is True, f"{name} {arguments} is an error result", text)
                c.check(text.startswith("error: ") and "\nhint: " in text, f"{name} {arguments} says what to do", text)
                c.check(message in text, f"{name} {arguments} explains: {message}", text)
            try:
                await call("no_such_tool")
                c.check(False, "an unknown tool is a protocol error")
            except MCPError as error:
                c.equal(error.error.code, -32602, "an unknown tool is -32602 (invalid params)")

            # Resources = the CLI's JSON.
            contents = (await session.read_resource("lsm://sessions")).contents
            c.equal(normalize(json.loads(contents[0].text)), normalize(listed), "lsm://sessions = git lsm list --json")
            c.equal(contents[0].mime_type, "application/json", "resources are JSON")
            contents = (await session.read_resource(f"lsm://session/{CODEX_SESSION}")).contents
            c.equal(normalize(json.loads(contents[0].text)), normalize(sandbox.cli("show", CODEX_SESSION)), "lsm://session/{id} = show --json")
            contents = (await session.read_resource("lsm://comments/src/a.py")).contents
            c.equal(json.loads(contents[0].text), sandbox.cli("comments", "src/a.py"), "lsm://comments/{path} = comments <path> --json")
            contents = (await session.read_resource("lsm://comments/src%2Fa.py")).contents
            c.equal(json.loads(contents[0].text), sandbox.cli("comments", "src/a.py"), "lsm://comments/{path}, percent-encoded")
            contents = (await session.read_resource("lsm://comments")).contents
            c.equal(json.loads(contents[0].text), sandbox.cli("comments"), "lsm://comments = comments --json")
            for uri, code in (("lsm://nothing", -32002), ("lsm://session/ffffffffff", -32002)):
                try:
                    await session.read_resource(uri)
                    c.check(False, f"reading {uri} fails")
                except MCPError as error:
                    c.equal(error.error.code, code, f"reading {uri} is resource-not-found")

            # Prompts.
            prompt = await session.get_prompt("review_context", {"path": "src/a.py"})
            text = prompt.messages[0].content.text
            c.check("Rename these?" in text and CLAUDE_SESSION in text, "review_context has the open comment and the sessions", text)
            prompt = await session.get_prompt("session_health_check", {"session": CODEX_SESSION})
            c.check(CODEX_SESSION in prompt.messages[0].content.text, "session_health_check names the session")
            try:
                await session.get_prompt("no_such_prompt")
                c.check(False, "an unknown prompt fails")
            except MCPError as error:
                c.equal(error.error.code, -32602, "an unknown prompt is -32602")

            # Still running after all of that.
            await session.send_ping()
            result = await call("repo_status")
            c.check(not result.is_error, "the server still answers after bad input")


def raw_stdout_is_only_protocol(sandbox: Sandbox, c: Checks) -> None:
    """Every line the server writes to standard output is a JSON-RPC message."""
    requests = [
        {"jsonrpc": "2.0", "id": 1, "method": "initialize",
         "params": {"protocolVersion": "2025-11-25", "capabilities": {}, "clientInfo": {"name": "raw", "version": "1"}}},
        {"jsonrpc": "2.0", "method": "notifications/initialized"},
        {"jsonrpc": "2.0", "id": 2, "method": "tools/call", "params": {"name": "repo_status", "arguments": {}}},
        {"jsonrpc": "2.0", "id": 3, "method": "tools/call", "params": {"name": "get_session", "arguments": {"id": 7}}},
        {"jsonrpc": "2.0", "id": 4, "method": "no/such/method"},
    ]
    stdin = "".join(json.dumps(r) + "\n" for r in requests)
    process = subprocess.Popen(["git", "lsm", "mcp"], cwd=sandbox.repo, env=sandbox.env, stdin=subprocess.PIPE,
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    process.stdin.write(stdin)
    process.stdin.flush()
    lines: list[str] = []
    ids: set = set()
    while len(ids) < 4:
        line = process.stdout.readline()
        if not line:
            break
        lines.append(line)
        try:
            ids.add(json.loads(line).get("id"))
        except json.JSONDecodeError:
            break
    process.stdin.close()
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        process.kill()
        c.check(False, "the server exits when standard input closes")
    rest = process.stdout.read()
    lines += rest.splitlines(keepends=True)
    for line in lines:
        try:
            message = json.loads(line)
            c.check(message.get("jsonrpc") == "2.0", "stdout line is JSON-RPC", line)
        except json.JSONDecodeError:
            c.check(False, "stdout holds only JSON-RPC messages", line)
    c.equal(ids, {1, 2, 3, 4}, "every request answered over raw stdio")
    c.check(process.returncode == 0, "the server exits 0 at end of input", process.returncode)


def main() -> int:
    if len(sys.argv) != 2:
        print(__doc__)
        return 2
    lsm = os.path.abspath(sys.argv[1])
    if not os.path.isdir(FIXTURES):
        print(f"error: no fixtures at {FIXTURES} (shared/ must sit beside the repository, or set LSM_FIXTURES)")
        return 2
    sandbox = Sandbox(lsm)
    checks = Checks()
    try:
        asyncio.run(exercise(sandbox, checks))
        raw_stdout_is_only_protocol(sandbox, checks)
    finally:
        sandbox.close()
    print(f"mcp real client: {checks.passed} passed, {checks.failed} failed")
    return 0 if checks.failed == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
