"""The room protocol from Python's `websockets` (another implementation than the Swift client of
`swift test` and the browser's), against a real `git lsm serve`:

- one member authenticates the way browsers do (`Sec-WebSocket-Protocol: lsm.v1, lsm.bearer.<token>`,
  answered with `lsm.v1`), the other with `Authorization: Bearer`; both tokens come from
  `git lsm review` invites redeemed with `POST /api/join`;
- a member who disconnects and resumes with its last sequence number receives exactly the events it
  missed, in order; a retried client id is applied once;
- after `kill -9` of the server and a restart on the same port, both resume and nothing acknowledged
  is lost.

    python websockets_resume_test.py <path to lsm>        (run by `make test-server`)
"""

from __future__ import annotations

import asyncio
import http.client
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile

from websockets.asyncio.client import connect

failures: list[str] = []
checks = 0


def check(condition: bool, what: str) -> None:
    global checks
    checks += 1
    print("%s %s" % ("ok  " if condition else "FAIL", what))
    if not condition:
        failures.append(what)


class Member:
    """One member's socket: says hello with its last sequence number and keeps the events it got."""

    def __init__(self, name: str, token: str, port: int, browser_style: bool) -> None:
        self.name, self.token, self.port, self.browser_style = name, token, port, browser_style
        self.last_seq = 0
        self.chats: list[tuple[int, str]] = []
        self.socket = None

    async def join(self, last_seq: int | None):
        url = "ws://127.0.0.1:%d/ws?room=main" % self.port
        if self.browser_style:
            self.socket = await connect(url, subprotocols=["lsm.v1", "lsm.bearer." + self.token])
        else:
            self.socket = await connect(url, additional_headers={"Authorization": "Bearer " + self.token})
        hello = {"type": "hello", "v": 1}
        if last_seq is not None:
            hello["lastSeq"] = last_seq
        await self.socket.send(json.dumps(hello))
        welcome = await self.until("welcome")
        replay = []
        while (frame := await self.frame())["type"] != "synced":
            if frame["type"] == "event":
                replay.append(frame)
                self.take(frame)
        return welcome, replay

    async def frame(self) -> dict:
        return json.loads(await asyncio.wait_for(self.socket.recv(), timeout=30))

    async def until(self, kind: str, **fields) -> dict:
        while True:
            frame = await self.frame()
            if frame["type"] == "event":
                self.take(frame)
            if frame["type"] == kind and all(frame.get(key) == value for key, value in fields.items()):
                return frame

    def take(self, event: dict) -> None:
        if event["seq"] != self.last_seq + 1:
            check(False, "%s: event %d after %d" % (self.name, event["seq"], self.last_seq))
        self.last_seq = max(self.last_seq, event["seq"])
        if event["kind"] == "chat":
            self.chats.append((event["seq"], event["data"]["text"]))

    async def chat(self, client_id: str, text: str) -> dict:
        await self.socket.send(json.dumps({"type": "chat", "clientId": client_id, "text": text}))
        return await self.until("ack", clientId=client_id)


def start_server(lsm: str, repo: str, env: dict, port: int = 0) -> tuple[subprocess.Popen, int]:
    server = subprocess.Popen([lsm, "serve", "--port", str(port)], cwd=repo, env=env, stdout=subprocess.PIPE,
                              stderr=subprocess.DEVNULL, text=True)
    line = server.stdout.readline()
    match = re.search(r"serving http://127\.0\.0\.1:(\d+)", line)
    if not match:
        raise SystemExit("git lsm serve did not start: %r" % line)
    return server, int(match.group(1))


def redeem(lsm: str, repo: str, env: dict, port: int, name: str) -> str:
    invite = json.loads(subprocess.run([lsm, "review", "--json", "--uses", "1"], cwd=repo, env=env, capture_output=True,
                                       text=True, check=True).stdout)["invite"]
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    connection.request("POST", "/api/join", body=json.dumps({"invite": invite, "name": name}),
                       headers={"Content-Type": "application/json"})
    token = json.loads(connection.getresponse().read())["accessToken"]
    connection.close()
    return token


async def scenario(lsm: str, repo: str, env: dict) -> None:
    server, port = start_server(lsm, repo, env)
    # The output is drained, so the server's log lines never fill the pipe.
    drain = asyncio.get_running_loop().run_in_executor(None, server.stdout.read)
    try:
        ada = Member("Ada", redeem(lsm, repo, env, port, "Ada"), port, browser_style=True)
        bob = Member("Bob", redeem(lsm, repo, env, port, "Bob"), port, browser_style=False)
        await ada.join(0)
        check(ada.socket.subprotocol == "lsm.v1", "the browser-style subprotocol login is answered with lsm.v1")
        await bob.join(0)

        acknowledged = {}
        for index in range(20):
            ack = await ada.chat("a%d" % index, "before %d" % index)
            acknowledged[ack["seq"]] = "before %d" % index
        await bob.until("event", seq=max(acknowledged))
        retry = await ada.chat("a3", "before 3")
        check(retry["duplicate"] is True and retry["seq"] == [s for s, t in acknowledged.items() if t == "before 3"][0],
              "a retried client id is acknowledged again, not applied twice")

        # Bob leaves; Ada writes on; Bob resumes with the last sequence number he has.
        await bob.socket.close()
        bob_last = bob.last_seq
        for index in range(10):
            ack = await ada.chat("w%d" % index, "while away %d" % index)
            acknowledged[ack["seq"]] = "while away %d" % index
        welcome, replay = await bob.join(bob_last)
        texts = [event["data"]["text"] for event in replay if event["kind"] == "chat"]
        check(texts == ["while away %d" % index for index in range(10)], "the resumed member gets exactly the missed chats")
        check([event["seq"] for event in replay] == list(range(bob_last + 1, bob_last + 1 + len(replay))) and
              welcome["replay"] == len(replay), "the replay starts after lastSeq and has no gap")

        # kill -9, restart on the same port: both resume; nothing acknowledged is lost.
        os.kill(server.pid, signal.SIGKILL)
        server.wait(timeout=30)
        await drain
        server, restarted = start_server(lsm, repo, env, port)
        drain = asyncio.get_running_loop().run_in_executor(None, server.stdout.read)
        check(restarted == port, "the server restarts on the same port")
        for member in (ada, bob):
            await member.join(member.last_seq)
            await member.socket.close()
        fresh = Member("Ada again", ada.token, port, browser_style=True)
        await fresh.join(0)
        await fresh.socket.close()
        chats = dict(fresh.chats)
        check(all(chats.get(seq) == text for seq, text in acknowledged.items()) and len(chats) == len(acknowledged),
              "after kill -9 and a restart every acknowledged message is there, once (%d)" % len(acknowledged))
        for member in (ada, bob):
            check(dict(member.chats) == chats, "%s has every message once, in order" % member.name)
    finally:
        server.terminate()
        server.wait(timeout=30)
        await drain


def main(lsm: str) -> int:
    folder = tempfile.mkdtemp(prefix="lsm-websockets-")
    env = dict(os.environ, HOME=folder, LSM_HOME=os.path.join(folder, "lsm-home"), GIT_CONFIG_GLOBAL="/dev/null",
               GIT_CONFIG_NOSYSTEM="1", GIT_AUTHOR_NAME="Ada", GIT_AUTHOR_EMAIL="ada@example.com",
               GIT_COMMITTER_NAME="Ada", GIT_COMMITTER_EMAIL="ada@example.com")
    repo = os.path.join(folder, "repo")
    subprocess.run(["git", "init", "-q", "-b", "main", repo], check=True, env=env)
    subprocess.run(["git", "-C", repo, "commit", "-q", "--allow-empty", "-m", "Initial"], check=True, env=env)
    try:
        asyncio.run(scenario(lsm, repo, env))
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    print("websockets: %d passed, %d failed" % (checks - len(failures), len(failures)))
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main(os.path.abspath(sys.argv[1])))
