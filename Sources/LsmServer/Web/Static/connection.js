// The room's WebSocket: hello with the last sequence number seen, events delivered once and in
// order, writes queued while offline and re-sent (with the same client id) until acknowledged,
// heartbeats, and reconnecting with exponential backoff. Statuses: connecting, online, offline,
// ended (the seat is gone: revoked, or its tokens expired).

import { clientId } from "./dom.js";

const protocolVersion = 1;

export class Connection {
  constructor(seat, handlers) {
    this.seat = seat;
    this.handlers = handlers;
    this.socket = null;
    this.lastSeq = null;
    this.pending = new Map(); // clientId → message, until acknowledged
    this.attempt = 0;
    this.retryTimer = null;
    this.heartbeat = null;
    this.ended = false;
    this.synced = false;
    window.addEventListener("online", () => this.retryNow());
    seat.onLost(() =>
      this.end(
        this.closeReason === "access revoked"
          ? "Your access to this room was revoked."
          : "Your sign-in to this room has expired or was withdrawn.",
      ),
    );
  }

  start() {
    this.open();
  }

  status(state, detail = "") {
    this.handlers.status?.(state, detail);
  }

  async open() {
    if (this.ended) return;
    clearTimeout(this.retryTimer);
    this.status(this.attempt === 0 ? "connecting" : "reconnecting");
    let token;
    try {
      token = await this.seat.token();
    } catch (error) {
      if (error.status === 401) return; // the seat reports itself lost
      return this.scheduleRetry();
    }
    let socket;
    try {
      socket = new WebSocket(this.seat.webSocketURL(), ["lsm.v1", `lsm.bearer.${token}`]);
    } catch {
      return this.scheduleRetry();
    }
    this.socket = socket;
    this.synced = false;
    let opened = false;
    socket.addEventListener("open", () => {
      opened = true;
      const hello = { type: "hello", v: protocolVersion };
      if (this.lastSeq !== null) hello.lastSeq = this.lastSeq;
      socket.send(JSON.stringify(hello));
    });
    socket.addEventListener("message", (message) => this.receive(message.data));
    socket.addEventListener("close", (event) => {
      if (this.socket !== socket) return;
      this.socket = null;
      this.synced = false;
      clearInterval(this.heartbeat);
      this.closed(event, opened);
    });
  }

  async closed(event, opened) {
    if (this.ended) return;
    this.closeReason = event.reason;
    if (event.code === 1008 || event.code === 1002) {
      // Policy: revoked, or a refused token. A seat that can still refresh tries again.
      try {
        await this.seat.refresh();
      } catch (error) {
        if (error.status === 401) return;
      }
      if (event.code === 1002) return this.end(`The server closed the connection: ${event.reason || "protocol error"}.`);
    } else if (!opened) {
      // The handshake failed: an expired token is refused before the upgrade, so ask plainly.
      if ((await this.probe()) === 401) {
        try {
          await this.seat.refresh();
        } catch (error) {
          if (error.status === 401) return;
        }
      }
    }
    this.scheduleRetry(event.reason);
  }

  /** The HTTP status of a plain GET of the WebSocket path (426 when the token is good). */
  async probe() {
    try {
      const response = await fetch(this.seat.webSocketURL().replace(/^ws/, "http"), {
        headers: { Authorization: `Bearer ${this.seat.accessToken}` },
        cache: "no-store",
      });
      return response.status;
    } catch {
      return 0;
    }
  }

  scheduleRetry(reason = "") {
    if (this.ended) return;
    const delay = Math.min(15_000, 500 * 2 ** this.attempt) * (0.8 + Math.random() * 0.4);
    this.attempt += 1;
    this.status("offline", { retryAt: Date.now() + delay, reason });
    clearTimeout(this.retryTimer);
    this.retryTimer = setTimeout(() => this.open(), delay);
  }

  retryNow() {
    if (this.ended || this.socket) return;
    this.attempt = 0;
    this.open();
  }

  end(message) {
    if (this.ended) return;
    this.ended = true;
    clearTimeout(this.retryTimer);
    clearInterval(this.heartbeat);
    this.socket?.close();
    this.status("ended", message);
  }

  receive(data) {
    let message;
    try {
      message = JSON.parse(data);
    } catch {
      return;
    }
    this.lastHeard = Date.now();
    switch (message.type) {
      case "welcome": {
        const gapFrom = message.truncated ? this.lastSeq : null;
        this.handlers.welcome?.(message, gapFrom);
        break;
      }
      case "event":
        if (this.lastSeq !== null && message.seq <= this.lastSeq) return; // seen already
        this.lastSeq = message.seq;
        this.handlers.event?.(message);
        break;
      case "synced":
        if (this.lastSeq === null || message.lastSeq > this.lastSeq) this.lastSeq = message.lastSeq;
        this.synced = true;
        this.attempt = 0;
        this.status("online");
        this.startHeartbeat();
        for (const pending of this.pending.values()) this.socket?.send(JSON.stringify(pending));
        break;
      case "ack":
        this.pending.delete(message.clientId);
        this.handlers.ack?.(message);
        break;
      case "error":
        if (message.clientId) this.pending.delete(message.clientId);
        this.handlers.failure?.(message);
        break;
      case "pong":
        break;
      default:
        this.handlers.message?.(message);
    }
  }

  startHeartbeat() {
    clearInterval(this.heartbeat);
    this.lastHeard = Date.now();
    this.heartbeat = setInterval(() => {
      if (!this.socket) return;
      if (Date.now() - this.lastHeard > 40_000) {
        this.socket.close(4000, "no answer"); // a dead connection: reconnect
        return;
      }
      this.socket.send(JSON.stringify({ type: "ping" }));
    }, 15_000);
  }

  /** Sends a persisted write (chat, comment…): queued while offline, re-sent until acknowledged. */
  write(message) {
    const withId = { clientId: clientId(), ...message };
    this.pending.set(withId.clientId, withId);
    if (this.synced) this.socket.send(JSON.stringify(withId));
    return withId.clientId;
  }

  /** Sends an ephemeral message (cursor, typing, presence): dropped while offline. */
  send(message) {
    if (!this.synced) return false;
    this.socket.send(JSON.stringify(message));
    return true;
  }
}
