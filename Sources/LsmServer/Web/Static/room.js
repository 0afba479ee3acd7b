// The room: header (repository, branch, head, presence), file tree and file view with comments and
// cursors, chat, and shared sessions. Owns the connection and hands each message to its panel.

import { Chat } from "./chat.js";
import { Connection } from "./connection.js";
import { colourOf, h, replace } from "./dom.js";
import { FileView } from "./files.js";
import { showProblem } from "./join.js";
import { PresenceBar } from "./presence.js";
import { SessionsPanel } from "./sessions.js";

export class Room {
  constructor(root, seat) {
    this.root = root;
    this.seat = seat;
    this.presence = new Map(); // connection → presence
    this.threads = new Map(); // thread id → {view, seq}
    this.you = null;
    this.following = null;
    this.connection = new Connection(seat, {
      status: (state, detail) => this.connectionStatus(state, detail),
      welcome: (welcome, gapFrom) => this.welcome(welcome, gapFrom),
      event: (event) => this.event(event),
      ack: (ack) => this.chat.acknowledged(ack),
      failure: (failure) => this.failure(failure),
      message: (message) => this.message(message),
    });
  }

  start() {
    this.render();
    this.connection.start();
    this.loadTree();
    document.addEventListener("visibilitychange", () => {
      this.connection.send({ type: "presence", state: document.hidden ? "away" : "active" });
      if (!document.hidden) this.chat.markReadIfVisible();
    });
    window.addEventListener("hashchange", () => this.openFromHash());
    document.addEventListener("keydown", (event) => this.shortcut(event));
  }

  render() {
    this.banner = h("div", { class: "banner", id: "banner", role: "status", hidden: true });
    this.title = h("div", { class: "room-title" }, h("span", { class: "muted" }, "Connecting…"));
    this.presenceBar = new PresenceBar(this);
    this.files = new FileView(this);
    this.chat = new Chat(this);
    this.sessions = new SessionsPanel(this);
    this.sideTabs = this.tabs("side", [
      ["chat", "Chat", this.chat.badge],
      ["sessions", "Sessions", this.sessions.badge],
    ]);
    this.paneTabs = this.tabs("pane", [
      ["files", "Files"],
      ["code", "Code"],
      ["chat", "Chat", this.chat.mobileBadge],
      ["sessions", "Sessions"],
    ]);
    this.layout = h(
      "div",
      { class: "room", dataset: { pane: "code", side: "chat" } },
      h(
        "header",
        { class: "topbar" },
        h("a", { class: "brand", href: "/", "aria-label": "lsm review" }, h("span", { class: "logo", "aria-hidden": "true" }, "lsm")),
        this.title,
        this.presenceBar.element,
      ),
      this.banner,
      h("aside", { class: "files-pane", "aria-label": "Files" }, this.files.treeElement),
      h("main", { class: "code-pane", "aria-label": "File" }, this.files.element),
      h(
        "aside",
        { class: "side-pane", "aria-label": "Conversation" },
        h("div", { class: "side-tabs" }, this.sideTabs),
        this.chat.element,
        this.sessions.element,
      ),
      h("div", { class: "pane-tabs" }, this.paneTabs),
    );
    replace(this.root, this.layout);
  }

  tabs(kind, items) {
    const list = h("div", { role: "tablist", "aria-label": kind === "side" ? "Conversation" : "View" });
    for (const [id, label, badge] of items) {
      const button = h(
        "button",
        { role: "tab", type: "button", id: `${kind}-tab-${id}`, dataset: { tab: id }, onclick: () => this.show(id) },
        label,
        badge || null,
      );
      list.append(button);
    }
    list.addEventListener("keydown", (event) => {
      if (event.key !== "ArrowRight" && event.key !== "ArrowLeft") return;
      const buttons = [...list.querySelectorAll("button")];
      const index = buttons.indexOf(document.activeElement);
      const next = buttons[(index + (event.key === "ArrowRight" ? 1 : buttons.length - 1)) % buttons.length];
      next.focus();
      next.click();
    });
    queueMicrotask(() => this.syncTabs());
    return list;
  }

  /** Shows a pane: files, code, chat or sessions (on a narrow screen, one at a time). */
  show(pane) {
    if (pane === "chat" || pane === "sessions") {
      this.layout.dataset.side = pane;
      this.layout.dataset.pane = "side";
    } else {
      this.layout.dataset.pane = pane;
    }
    this.syncTabs();
    if (pane === "chat") this.chat.markReadIfVisible();
  }

  syncTabs() {
    if (!this.layout) return;
    const { pane, side } = this.layout.dataset;
    for (const button of this.layout.querySelectorAll("[role=tab]")) {
      const tab = button.dataset.tab;
      const selected = button.closest(".side-tabs") ? tab === side : pane === "side" ? tab === side : tab === pane;
      button.setAttribute("aria-selected", String(selected));
      button.tabIndex = selected ? 0 : -1;
    }
  }

  chatVisible() {
    if (document.hidden) return false;
    const { pane, side } = this.layout.dataset;
    const narrow = window.matchMedia("(max-width: 900px)").matches;
    return side === "chat" && (!narrow || pane === "side");
  }

  shortcut(event) {
    if (event.target.closest("input, textarea, select")) return;
    if (event.key === "/" || (event.key === "p" && (event.ctrlKey || event.metaKey))) {
      event.preventDefault();
      this.show("files");
      this.files.focusFilter();
    } else if (event.key === "c" && !event.ctrlKey && !event.metaKey && !event.altKey) {
      event.preventDefault();
      this.show("chat");
      this.chat.focusComposer();
    }
  }

  async loadTree() {
    try {
      const listing = await this.seat.get("/api/tree");
      this.listing = listing;
      this.renderTitle();
      this.files.setListing(listing);
      if (!this.openFromHash() && listing.files.length) {
        const readme = listing.files.find((path) => /^readme(\.|$)/i.test(path));
        this.files.open(readme || listing.files[0], null, { quiet: true });
      }
    } catch (error) {
      this.files.showError(`The files cannot be listed: ${error.message}`);
    }
  }

  renderTitle() {
    const listing = this.listing;
    const info = this.info;
    const head = (listing && listing.head) || (info && info.head) || "";
    replace(
      this.title,
      h("span", { class: "repo", title: "Repository" }, listing ? listing.repository : ""),
      h("span", { class: "sep", "aria-hidden": "true" }, "/"),
      h("span", { class: "branch", title: "Branch" }, this.seat.room),
      head ? h("code", { class: "head", title: `Head commit ${head}` }, head.slice(0, 8)) : null,
      listing && listing.summary ? h("span", { class: "summary" }, listing.summary) : null,
    );
  }

  /** `#path:line` opens that file at that line. */
  openFromHash() {
    const match = /^#(.+?)(?::(\d+))?$/.exec(decodeURIComponent(location.hash));
    if (!match || !this.listing) return false;
    this.files.open(match[1], match[2] ? Number(match[2]) : null);
    return true;
  }

  /** Opens a file at a line from a link (chat reference, thread, follow). */
  openLocation(path, line) {
    this.show("code");
    this.files.open(path, line);
  }

  // MARK: connection

  connectionStatus(state, detail) {
    this.layout.dataset.connection = state;
    clearInterval(this.countdown);
    if (state === "online") {
      this.banner.hidden = true;
      return;
    }
    if (state === "ended") {
      this.presence.clear();
      this.presenceBar.render();
      showEnded(this.banner, detail);
      for (const control of this.layout.querySelectorAll("form textarea, form button")) control.disabled = true;
      return;
    }
    if (state === "connecting") return;
    const update = () => {
      const seconds = detail && detail.retryAt ? Math.max(0, Math.ceil((detail.retryAt - Date.now()) / 1000)) : 0;
      replace(
        this.banner,
        h("strong", {}, navigator.onLine ? "Offline: the server cannot be reached." : "You are offline."),
        " ",
        state === "reconnecting" || seconds === 0 ? "Reconnecting…" : `Retrying in ${seconds} s.`,
        " Messages you send are kept and go out once connected. ",
        h("button", { type: "button", class: "link", onclick: () => this.connection.retryNow() }, "Retry now"),
      );
    };
    this.banner.className = "banner offline";
    this.banner.hidden = false;
    update();
    this.countdown = setInterval(update, 1000);
  }

  welcome(welcome, gapFrom) {
    this.you = welcome.you;
    this.info = welcome.room;
    this.presence.clear();
    for (const presence of welcome.presence) {
      this.presence.set(presence.connection, presence);
      colourOf(presence.member); // colours in arrival order, so everyone sees the same ones
    }
    this.presenceBar.render();
    this.renderTitle();
    const atSeq = welcome.room.lastSeq;
    for (const view of welcome.threads) this.setThread(view, atSeq);
    this.files.renderMarkers();
    this.loadThreads(atSeq);
    this.sessions.load();
    if (this.following) this.connection.send({ type: "follow", member: this.following });
    if (gapFrom !== null && gapFrom !== undefined) this.chat.fillGap(gapFrom).catch(() => this.toast("Some missed messages could not be loaded."));
    if (!this.welcomed && !welcome.truncated && welcome.replay < 50) this.chat.noEarlier();
    this.welcomed = true;
    if (this.listing && this.listing.head !== welcome.room.head) this.loadTree();
    this.files.sendCursor();
  }

  async loadThreads(atSeq) {
    try {
      const { threads } = await this.seat.get("/api/threads");
      for (const view of threads) this.setThread(view, atSeq);
      this.files.renderMarkers();
    } catch {
      // The open threads came with the welcome; resolved ones show up when changed.
    }
  }

  setThread(view, seq) {
    const known = this.threads.get(view.id);
    if (known && known.seq > seq) return;
    this.threads.set(view.id, { view, seq });
  }

  event(event) {
    switch (event.kind) {
      case "comment":
        this.setThread(event.data.thread, event.seq);
        this.files.renderMarkers();
        this.files.threadChanged(event.data.thread.id);
        break;
      case "session":
        this.sessions.update(event);
        break;
      default:
        // Events replayed before `synced` were missed while away: shown, not counted as unread.
        this.chat.add(event, { live: this.connection.synced });
    }
  }

  message(message) {
    switch (message.type) {
      case "presence":
        if (message.state === "gone") {
          this.presence.delete(message.connection);
          this.files.removeCursor(message.connection);
          this.chat.typing(message.connection, false);
        } else {
          this.presence.set(message.connection, message);
        }
        if (message.connection === this.you?.connection) this.you = message;
        this.presenceBar.render();
        break;
      case "cursor":
        this.files.setCursor(message);
        if (this.following && message.member === this.following) this.files.open(message.path, message.line, { follow: true });
        break;
      case "typing":
        this.chat.typing(message.connection, message.active);
        break;
    }
  }

  failure(failure) {
    this.toast(failure.message);
    this.files.failed(failure);
  }

  toast(text) {
    const note = h("div", { class: "toast", role: "alert" }, text);
    this.layout.append(note);
    setTimeout(() => note.remove(), 5000);
  }

  // MARK: people

  memberName(member) {
    for (const presence of this.presence.values()) if (presence.member === member) return presence.name;
    return null;
  }

  follow(member) {
    this.following = member === this.following ? null : member;
    this.connection.send({ type: "follow", member: this.following });
    this.presenceBar.render();
    if (this.following) {
      const cursor = this.files.cursorOf(this.following);
      if (cursor) this.openLocation(cursor.path, cursor.line);
    }
  }
}

function showEnded(banner, message) {
  banner.className = "banner ended";
  banner.hidden = false;
  replace(
    banner,
    h("strong", {}, message || "Your access to this room ended."),
    " Ask for a new invite link to join again. ",
    h("a", { href: "/" }, "Reload"),
  );
  banner.setAttribute("role", "alert");
}

export { showProblem };
