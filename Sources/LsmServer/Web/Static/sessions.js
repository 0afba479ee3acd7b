// Agent sessions shared into the room (`session` events), newest activity first: agent, model, who
// shared it, usage, how full the context window is, health with its worst component, last activity.

import { h, relativeTime, replace } from "./dom.js";

const numberFormat = new Intl.NumberFormat(undefined, { notation: "compact", maximumFractionDigits: 1 });

export class SessionsPanel {
  constructor(room) {
    this.room = room;
    this.sessions = new Map(); // session id → {seq, name, session}
    this.badge = h("span", { class: "badge quiet", hidden: true });
    this.list = h("ul", { class: "session-list", role: "list" });
    this.element = h(
      "section",
      { class: "sessions panel", id: "sessions", "aria-labelledby": "side-tab-sessions" },
      this.list,
    );
    this.render();
    setInterval(() => this.render(), 30_000); // "last activity" ages
  }

  async load() {
    try {
      const { sessions } = await this.room.seat.get("/api/sessions");
      for (const event of sessions) this.update(event, { quiet: true });
      this.render();
    } catch {
      // Live updates still arrive over the socket.
    }
  }

  update(event, { quiet = false } = {}) {
    const session = event.data.session || {};
    const id = session.id || `seq${event.seq}`;
    const known = this.sessions.get(id);
    if (known && known.seq >= event.seq) return;
    this.sessions.set(id, { seq: event.seq, name: event.data.name, at: event.at, session });
    if (!quiet) this.render();
  }

  render() {
    const entries = [...this.sessions.values()].sort((a, b) => activity(b) - activity(a));
    this.badge.hidden = entries.length === 0;
    this.badge.textContent = String(entries.length);
    if (!entries.length) {
      replace(
        this.list,
        h(
          "li",
          { class: "empty" },
          h("p", {}, "No agent sessions shared yet."),
          h("p", { class: "muted" }, "Share one from a terminal in this repository: git lsm share <session>. It updates here live."),
        ),
      );
      return;
    }
    replace(this.list, entries.map((entry) => this.card(entry)));
  }

  card({ name, session }) {
    const health = session.health || null;
    const worst = health && Array.isArray(health.components)
      ? [...health.components].sort((a, b) => (b.penalty || 0) - (a.penalty || 0))[0]
      : null;
    const fill = typeof session.contextFill === "number" ? Math.max(0, Math.min(1, session.contextFill)) : null;
    const usage = session.usage && typeof session.usage.total === "number" ? session.usage : null;
    const status = health ? String(health.status || "") : "";
    return h(
      "li",
      { class: "session", dataset: { session: String(session.id || "") } },
      h(
        "div",
        { class: "session-head" },
        h("span", { class: `live-dot ${session.live ? "live" : ""}`, "aria-label": session.live ? "running now" : "not running" }),
        h("strong", {}, String(session.agent || "agent")),
        session.model ? h("span", { class: "chip" }, String(session.model)) : null,
        health ? h("span", { class: `health status-${status}`, title: String(health.recommendation || "") }, `${health.score ?? "?"}`) : null,
      ),
      session.title ? h("p", { class: "session-title" }, String(session.title)) : null,
      h("p", { class: "muted" }, `shared by ${name}`, session.branch ? ` · ${session.branch}` : ""),
      h(
        "dl",
        { class: "facts" },
        h("dt", {}, "Usage"),
        h(
          "dd",
          {},
          usage ? `${numberFormat.format(usage.total)} tokens` : "not recorded",
          typeof session.costUSD === "number" ? ` · $${session.costUSD.toFixed(2)}` : "",
        ),
        h("dt", {}, "Context"),
        h(
          "dd",
          {},
          fill === null
            ? "unknown"
            : h(
                "span",
                { class: "fill" },
                h(
                  "span",
                  {
                    class: `bar ${fill > 0.85 ? "high" : fill > 0.6 ? "mid" : ""}`,
                    role: "meter",
                    "aria-valuemin": "0",
                    "aria-valuemax": "100",
                    "aria-valuenow": String(Math.round(fill * 100)),
                    "aria-label": "Context window used",
                  },
                  h("span", { style: { width: `${(fill * 100).toFixed(1)}%` } }),
                ),
                `${Math.round(fill * 100)}%`,
              ),
        ),
        h("dt", {}, "Health"),
        h(
          "dd",
          {},
          health ? `${status}${worst && worst.penalty ? ` · worst: ${worst.name}` : ""}` : "unknown",
        ),
        h("dt", {}, "Last activity"),
        h("dd", {}, session.lastActivityAt ? relativeTime(session.lastActivityAt) : "unknown"),
      ),
    );
  }
}

function activity(entry) {
  const at = Date.parse(entry.session.lastActivityAt || "");
  return Number.isNaN(at) ? entry.at || 0 : at;
}
