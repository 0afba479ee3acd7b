"""The baseline of the room benchmark: the predecessor's stack, a minimal FastAPI + uvicorn WebSocket
room in the shape of FastAPI's own broadcast example. Every chat message becomes the same event JSON
lsm sends (`{"type":"event","seq":…,"kind":"chat",…,"data":{"name","replyTo","text"}}`) and goes to
every connection, the sender included. No auth and no storage: it does less than lsm does.

    python fastapi_room.py --port 0     prints `port N` once listening
"""

from __future__ import annotations

import argparse
import json
import socket
import sys
import time

import uvicorn
from fastapi import FastAPI, WebSocket, WebSocketDisconnect

app = FastAPI()


class Room:
    def __init__(self) -> None:
        self.connections: list[WebSocket] = []
        self.seq = 0

    async def broadcast(self, text: str) -> None:
        for connection in list(self.connections):
            try:
                await connection.send_text(text)
            except Exception:
                pass


room = Room()


@app.websocket("/ws")
async def websocket(ws: WebSocket) -> None:
    await ws.accept()
    room.connections.append(ws)
    name = "c%d" % id(ws)
    try:
        while True:
            message = json.loads(await ws.receive_text())
            if message.get("type") != "chat":
                continue
            room.seq += 1
            event = {"type": "event", "seq": room.seq, "kind": "chat", "author": name, "clientId": message.get("clientId"),
                     "at": int(time.time() * 1000),
                     "data": {"name": name, "replyTo": message.get("replyTo"), "text": message.get("text", "")}}
            await room.broadcast(json.dumps(event, separators=(",", ":"), sort_keys=True))
    except WebSocketDisconnect:
        pass
    finally:
        if ws in room.connections:
            room.connections.remove(ws)


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--port", type=int, default=0)
    args = parser.parse_args()
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(("127.0.0.1", args.port))
    print("port %d" % sock.getsockname()[1], flush=True)
    config = uvicorn.Config(app, log_level="warning", ws_max_size=1 << 16, backlog=4096)
    uvicorn.Server(config).run(sockets=[sock])
    return 0


if __name__ == "__main__":
    sys.exit(main())
