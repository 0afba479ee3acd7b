"""JWT attacks on a real `git lsm serve`, the tokens made with PyJWT (an independent implementation):
`alg: none`, another key, expired, another room's audience and an invite as access token are each
refused: 401 from the token check (`GET /ws`, `/api/history`), and no upgrade (400) on a real WebSocket
handshake. A token PyJWT signs with the server's
real key and valid claims is accepted, so each refusal is for the reason named.

    python jwt_attacks_test.py <path to lsm>        (run by `make test-server`)
"""

from __future__ import annotations

import base64
import http.client
import json
import os
import re
import secrets
import shutil
import subprocess
import sys
import tempfile
import time

import jwt

SECRET = secrets.token_bytes(32)


def request(port: int, path: str, token: str | None, upgrade: bool) -> int:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    headers = {}
    if token is not None:
        headers["Authorization"] = "Bearer " + token
    if upgrade:
        headers.update({"Connection": "Upgrade", "Upgrade": "websocket", "Sec-WebSocket-Version": "13",
                        "Sec-WebSocket-Key": base64.b64encode(os.urandom(16)).decode()})
    connection.request("GET", path, headers=headers)
    status = connection.getresponse().status
    connection.close()
    return status


def main(lsm: str) -> int:
    folder = tempfile.mkdtemp(prefix="lsm-jwt-")
    env = dict(os.environ, HOME=folder, LSM_HOME=os.path.join(folder, "lsm-home"), GIT_CONFIG_GLOBAL="/dev/null",
               GIT_CONFIG_NOSYSTEM="1", GIT_AUTHOR_NAME="Ada", GIT_AUTHOR_EMAIL="ada@example.com",
               GIT_COMMITTER_NAME="Ada", GIT_COMMITTER_EMAIL="ada@example.com", LSM_JWT_SECRET=SECRET.hex())
    repo = os.path.join(folder, "repo")
    subprocess.run(["git", "init", "-q", "-b", "main", repo], check=True, env=env)
    subprocess.run(["git", "-C", repo, "commit", "-q", "--allow-empty", "-m", "Initial"], check=True, env=env)
    server = subprocess.Popen([lsm, "serve", "--port", "0"], cwd=repo, env=env, stdout=subprocess.PIPE,
                              stderr=subprocess.DEVNULL, text=True)
    failures = []
    try:
        port = int(re.search(r":(\d+)", server.stdout.readline()).group(1))
        review = lambda *args: json.loads(subprocess.run([lsm, "review", "--json", *args], cwd=repo, env=env,
                                                          capture_output=True, text=True, check=True).stdout)
        invite = review("--uses", "5")["invite"]
        other_invite = review("--uses", "1")["invite"]
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
        connection.request("POST", "/api/join", body=json.dumps({"invite": invite, "name": "Ada"}),
                           headers={"Content-Type": "application/json"})
        joined = json.loads(connection.getresponse().read())
        connection.close()
        member = joined["member"]
        now = int(time.time())
        claims = {"iss": "lsm", "aud": "main", "sub": member, "name": "Mallory", "role": "admin", "exp": now + 600,
                  "iat": now, "jti": secrets.token_hex(8)}
        header = {"typ": "lsm-access+jwt"}
        good = jwt.encode(claims, SECRET, algorithm="HS256", headers=header)
        cases = {
            "PyJWT, the real key, valid claims (control)": (good, True),
            "alg none": (jwt.encode(claims, None, algorithm="none", headers=header), False),
            "another key": (jwt.encode(claims, secrets.token_bytes(32), algorithm="HS256", headers=header), False),
            "expired": (jwt.encode(dict(claims, exp=now - 10, iat=now - 1000), SECRET, algorithm="HS256", headers=header),
                        False),
            "another room's audience": (jwt.encode(dict(claims, aud="other"), SECRET, algorithm="HS256", headers=header),
                                        False),
            "an invite as access token": (other_invite, False),
            "the refresh token as access token": (joined["refreshToken"], False),
        }
        for name, (token, accepted) in cases.items():
            upgrade = request(port, "/ws?room=main", token, upgrade=True)
            plain = request(port, "/ws?room=main", token, upgrade=False)
            api = request(port, "/api/history?room=main", token, upgrade=False)
            # A refused upgrade is answered by the WebSocket upgrader with 400 (docs/protocol.md); the
            # same request without the upgrade headers, and the HTTP API, say 401.
            ok = (upgrade, plain, api) == ((101, 426, 200) if accepted else (400, 401, 401))
            print("%s %s: upgrade %d, GET /ws %d, /api/history %d" % ("ok  " if ok else "FAIL", name, upgrade, plain, api))
            if not ok:
                failures.append(name)
    finally:
        server.terminate()
        server.wait(timeout=10)
        shutil.rmtree(folder, ignore_errors=True)
    print("%d failure(s)" % len(failures))
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main(os.path.abspath(sys.argv[1])))
