// The HTTP API: joining, refreshing the access token, and the authenticated reads (history, tree,
// files, threads, sessions). The access token lives only in memory; the refresh token (single use,
// rotated on every refresh) stays in this tab's sessionStorage so a reload keeps the seat.

const storageKey = "lsm.seat";

export class ApiError extends Error {
  constructor(status, message) {
    super(message);
    this.status = status;
  }
}

async function request(method, path, { body, token } = {}) {
  const headers = {};
  if (body !== undefined) headers["Content-Type"] = "application/json";
  if (token) headers.Authorization = `Bearer ${token}`;
  let response;
  try {
    response = await fetch(path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body), cache: "no-store" });
  } catch {
    throw new ApiError(0, "the server cannot be reached");
  }
  let payload = null;
  try {
    payload = await response.json();
  } catch {
    payload = null;
  }
  if (!response.ok) throw new ApiError(response.status, (payload && payload.error) || `HTTP ${response.status}`);
  return payload;
}

/** The member's seat in a room: who they are, and the tokens that let them in. */
export class Seat {
  constructor(tokens) {
    this.apply(tokens);
    this.listeners = new Set();
    this.timer = null;
    this.scheduleRefresh();
  }

  static async join(invite, name) {
    const tokens = await request("POST", "/api/join", { body: { invite, name } });
    return new Seat(tokens);
  }

  /** The seat saved by this tab (after a reload), or null. */
  static async restore() {
    let saved = null;
    try {
      saved = JSON.parse(sessionStorage.getItem(storageKey) || "null");
    } catch {
      saved = null;
    }
    if (!saved || !saved.refreshToken) return null;
    const tokens = await request("POST", "/api/refresh", { body: { refreshToken: saved.refreshToken } });
    return new Seat(tokens);
  }

  apply(tokens) {
    this.accessToken = tokens.accessToken;
    this.refreshToken = tokens.refreshToken;
    this.expiresAt = Date.now() + tokens.expiresIn * 1000;
    this.room = tokens.room;
    this.member = tokens.member;
    this.name = tokens.name;
    this.role = tokens.role;
    sessionStorage.setItem(storageKey, JSON.stringify({ refreshToken: this.refreshToken, room: this.room }));
  }

  /** Called with the error when the seat is lost (revoked, or the refresh token no longer valid). */
  onLost(listener) {
    this.listeners.add(listener);
  }

  scheduleRefresh() {
    clearTimeout(this.timer);
    const lifetime = this.expiresAt - Date.now();
    this.timer = setTimeout(() => this.refresh().catch(() => {}), Math.max(5_000, lifetime * 0.75));
  }

  /** Swaps the refresh token for fresh tokens; one refresh at a time. */
  refresh() {
    if (!this.pending) {
      this.pending = request("POST", "/api/refresh", { body: { refreshToken: this.refreshToken } })
        .then((tokens) => {
          this.apply(tokens);
          this.scheduleRefresh();
        })
        .catch((error) => {
          if (error.status === 401) this.lose(error);
          else this.timer = setTimeout(() => this.refresh().catch(() => {}), 10_000);
          throw error;
        })
        .finally(() => {
          this.pending = null;
        });
    }
    return this.pending;
  }

  lose(error) {
    clearTimeout(this.timer);
    sessionStorage.removeItem(storageKey);
    for (const listener of this.listeners) listener(error);
  }

  /** A fresh enough access token (refreshed when it expires within 30 s). */
  async token() {
    if (this.expiresAt - Date.now() < 30_000) await this.refresh();
    return this.accessToken;
  }

  /** GET an authenticated API path with `?room=` added; retries once after a refresh on 401. */
  async get(path, parameters = {}) {
    const query = new URLSearchParams({ room: this.room, ...parameters });
    const url = `${path}?${query}`;
    try {
      return await request("GET", url, { token: await this.token() });
    } catch (error) {
      if (error.status !== 401) throw error;
      await this.refresh();
      return request("GET", url, { token: this.accessToken });
    }
  }

  webSocketURL() {
    const scheme = location.protocol === "https:" ? "wss:" : "ws:";
    return `${scheme}//${location.host}/ws?room=${encodeURIComponent(this.room)}`;
  }

  forget() {
    clearTimeout(this.timer);
    sessionStorage.removeItem(storageKey);
  }
}
