// The room's chat: history (the welcome's recent events, then earlier pages from /api/history),
// replies, reactions, `path:line` references as links into the file view, an unread marker, and
// who is typing. Message text is only ever set as text.

import { avatar, clockTime, colourOf, h, reactionChoices, replace } from "./dom.js";

const pageSize = 50;
const referencePattern = /((?:[\w.@-]+\/)*[\w@-][\w.@-]*\.[A-Za-z0-9]+|(?:[\w.@-]+\/)+[\w.@-]+):(\d+)(?:-(\d+))?\b/g;

export class Chat {
  constructor(room) {
    this.room = room;
    this.items = new Map(); // seq → element (chat, join, leave)
    this.messages = new Map(); // seq → chat event
    this.reactions = new Map(); // target seq → Map(emoji → Map(member → {seq, on, name}))
    this.pending = new Map(); // clientId → element while unsent
    this.ackListeners = new Map();
    this.joined = new Set(); // members whose arrival the log shows
    this.oldestSeq = null;
    this.hasEarlier = true;
    this.unread = 0;
    this.firstUnread = null;
    this.replyTo = null;
    this.typists = new Map(); // connection → timer
    this.lastTypingSent = 0;
    this.badge = h("span", { class: "badge", hidden: true, "aria-label": "unread messages" });
    this.mobileBadge = h("span", { class: "badge", hidden: true, "aria-label": "unread messages" });
    this.build();
  }

  build() {
    this.earlier = h("button", { type: "button", class: "link earlier", onclick: () => this.loadEarlier() }, "Load earlier messages");
    this.log = h("ol", { class: "chat-log", id: "chat-log", role: "log", "aria-label": "Messages", "aria-live": "polite" });
    this.scroller = h("div", { class: "chat-scroll" }, this.earlier, this.log);
    this.scroller.addEventListener("scroll", () => {
      if (this.scroller.scrollTop < 40 && this.hasEarlier && !this.loading) this.loadEarlier();
      if (this.atBottom()) this.markReadIfVisible();
    });
    this.typingLine = h("p", { class: "typing", "aria-live": "polite" });
    this.replyBar = h("div", { class: "reply-bar", hidden: true });
    this.input = h("textarea", {
      id: "chat-input",
      rows: "1",
      placeholder: "Message the room",
      title: "Enter sends, Shift+Enter starts a new line",
      maxlength: "8000",
    });
    this.input.addEventListener("keydown", (event) => {
      if (event.key === "Enter" && !event.shiftKey && !event.isComposing) {
        event.preventDefault();
        this.form.requestSubmit();
      } else if (event.key === "Escape") {
        this.setReply(null);
      }
    });
    this.input.addEventListener("input", () => {
      this.autosize();
      if (Date.now() - this.lastTypingSent > 3000 && this.input.value.trim()) {
        this.lastTypingSent = Date.now();
        this.room.connection.send({ type: "typing", active: true });
      }
    });
    this.input.addEventListener("blur", () => this.stopTyping());
    this.form = h(
      "form",
      { class: "chat-form" },
      h("label", { for: "chat-input", class: "visually-hidden" }, "Message"),
      this.input,
      h("button", { type: "submit", class: "primary", id: "chat-send" }, "Send"),
    );
    this.form.addEventListener("submit", (event) => {
      event.preventDefault();
      this.send();
    });
    this.element = h(
      "section",
      { class: "chat panel", id: "chat", "aria-labelledby": "side-tab-chat" },
      this.scroller,
      this.typingLine,
      this.replyBar,
      this.form,
    );
  }

  focusComposer() {
    this.input.focus();
  }

  autosize() {
    this.input.style.height = "auto";
    this.input.style.height = `${Math.min(this.input.scrollHeight, 160)}px`;
  }

  atBottom() {
    return this.scroller.scrollHeight - this.scroller.scrollTop - this.scroller.clientHeight < 48;
  }

  scrollToBottom() {
    this.scroller.scrollTop = this.scroller.scrollHeight;
  }

  // MARK: sending

  send() {
    const text = this.input.value;
    if (!text.trim()) return;
    const message = { type: "chat", text };
    if (this.replyTo) message.replyTo = this.replyTo;
    const id = this.room.connection.write(message);
    const item = this.renderMessage({
      seq: null,
      author: this.room.seat.member,
      at: Date.now(),
      data: { name: this.room.seat.name, text, replyTo: this.replyTo },
    });
    item.classList.add("sending");
    item.dataset.clientId = id;
    this.pending.set(id, item);
    this.log.append(item);
    this.input.value = "";
    this.autosize();
    this.setReply(null);
    this.stopTyping();
    this.clearUnreadMarker();
    this.scrollToBottom();
  }

  stopTyping() {
    if (!this.lastTypingSent) return;
    this.lastTypingSent = 0;
    this.room.connection.send({ type: "typing", active: false });
  }

  onAck(owner, listener) {
    this.ackListeners.set(owner, listener);
  }

  offAck(owner) {
    this.ackListeners.delete(owner);
  }

  acknowledged(ack) {
    for (const listener of [...this.ackListeners.values()]) listener(ack);
    const item = this.pending.get(ack.clientId);
    if (item) {
      this.pending.delete(ack.clientId);
      item.remove(); // the event itself is (or will be) in the log
    }
  }

  setReply(seq) {
    this.replyTo = seq;
    if (!seq) {
      this.replyBar.hidden = true;
      replace(this.replyBar);
      return;
    }
    const target = this.messages.get(seq);
    this.replyBar.hidden = false;
    replace(
      this.replyBar,
      h("span", {}, "Replying to ", h("strong", {}, target ? target.data.name : "a message"), ": ", h("span", { class: "excerpt" }, excerpt(target))),
      h("button", { type: "button", class: "icon", "aria-label": "Cancel reply", onclick: () => this.setReply(null) }, "×"),
    );
    this.input.focus();
  }

  // MARK: receiving

  /** The first welcome replayed the room's whole history. */
  noEarlier() {
    this.hasEarlier = false;
    this.earlier.hidden = true;
    queueMicrotask(() => {
      if (!this.log.querySelector(".msg, .system")) this.log.append(h("li", { class: "system empty" }, "No messages yet. Say hello!"));
    });
  }

  add(event, { live }) {
    if (this.oldestSeq === null || event.seq < this.oldestSeq) this.oldestSeq = event.seq;
    switch (event.kind) {
      case "chat": {
        if (this.items.has(event.seq)) return;
        this.messages.set(event.seq, event);
        if (event.clientId && event.author === this.room.seat.member) {
          this.pending.get(event.clientId)?.remove();
          this.pending.delete(event.clientId);
        }
        this.insert(event.seq, this.renderMessage(event));
        if (live && event.author !== this.room.seat.member) this.noteUnread(event.seq);
        break;
      }
      case "reaction":
        this.applyReaction(event);
        break;
      case "join": {
        // Presence shows who is here now; the log notes each person's arrival once.
        if (this.items.has(event.seq) || this.joined.has(event.author)) return;
        this.joined.add(event.author);
        this.insert(
          event.seq,
          h(
            "li",
            { class: "system", dataset: { seq: String(event.seq) } },
            h("strong", {}, event.data.name),
            " joined the room · ",
            h("time", {}, clockTime(event.at)),
          ),
        );
        break;
      }
    }
  }

  insert(seq, element) {
    const stick = this.atBottom();
    for (const placeholder of this.log.querySelectorAll(".empty")) placeholder.remove();
    this.items.set(seq, element);
    let before = null;
    for (const [other, node] of this.items) if (other > seq && (!before || other < Number(before.dataset.seq))) before = node;
    if (before && before.parentNode === this.log) this.log.insertBefore(element, before);
    else {
      const firstPending = this.log.querySelector(".sending");
      this.log.insertBefore(element, firstPending);
    }
    if (stick) this.scrollToBottom();
  }

  renderMessage(event) {
    const data = event.data;
    const quote = data.replyTo ? this.quote(data.replyTo) : null;
    const item = h(
      "li",
      { class: "msg", id: event.seq ? `msg-${event.seq}` : undefined, dataset: { seq: event.seq ? String(event.seq) : "" } },
      avatar(event.author, data.name),
      h(
        "div",
        { class: "msg-main" },
        h(
          "div",
          { class: "meta" },
          h("strong", { style: { color: colourOf(event.author) } }, data.name),
          " ",
          h("time", { datetime: new Date(event.at).toISOString(), title: new Date(event.at).toLocaleString() }, clockTime(event.at)),
        ),
        quote,
        h("p", { class: "body" }, this.linkify(data.text)),
        h("div", { class: "reactions" }),
      ),
    );
    if (event.seq) {
      item.append(
        h(
          "div",
          { class: "msg-actions" },
          h("button", { type: "button", class: "icon", "aria-label": `Reply to ${data.name}`, title: "Reply", onclick: () => this.setReply(event.seq) }, "↩"),
          this.reactionMenu(event.seq),
        ),
      );
      this.renderReactions(event.seq, item);
    }
    return item;
  }

  quote(seq) {
    const target = this.messages.get(seq);
    return h(
      "a",
      {
        class: "quote",
        href: `#msg-${seq}`,
        onclick: (event) => {
          event.preventDefault();
          const node = this.items.get(seq);
          if (node) {
            node.scrollIntoView({ block: "center" });
            node.classList.remove("flash");
            void node.offsetWidth;
            node.classList.add("flash");
          }
        },
      },
      h("strong", {}, target ? target.data.name : "Earlier message"),
      " ",
      excerpt(target),
    );
  }

  /** Text with `path:line` references as links; everything else stays plain text. */
  linkify(text) {
    const parts = [];
    let last = 0;
    for (const match of text.matchAll(referencePattern)) {
      const [whole, path, line] = match;
      if (/^https?$/.test(path) || path.includes("//")) continue;
      parts.push(text.slice(last, match.index));
      parts.push(
        h(
          "a",
          {
            class: "ref",
            href: `#${path}:${line}`,
            title: `Open ${path} at line ${line}`,
            onclick: (event) => {
              event.preventDefault();
              this.room.openLocation(path, Number(line));
            },
          },
          whole,
        ),
      );
      last = match.index + whole.length;
    }
    parts.push(text.slice(last));
    return parts;
  }

  reactionMenu(seq) {
    const menu = h(
      "div",
      { class: "picker", role: "group", "aria-label": "React", hidden: true },
      reactionChoices.map((emoji) =>
        h(
          "button",
          {
            type: "button",
            "aria-label": `React ${emoji}`,
            onclick: () => {
              menu.hidden = true;
              this.react(seq, emoji);
            },
          },
          emoji,
        ),
      ),
    );
    const toggle = h("button", { type: "button", class: "icon add-reaction", "aria-label": "Add a reaction", title: "React", "aria-expanded": "false" }, "☺");
    toggle.addEventListener("click", () => {
      menu.hidden = !menu.hidden;
      toggle.setAttribute("aria-expanded", String(!menu.hidden));
      if (!menu.hidden) menu.querySelector("button").focus();
    });
    menu.addEventListener("keydown", (event) => {
      if (event.key === "Escape") {
        menu.hidden = true;
        toggle.focus();
      }
    });
    return h("span", { class: "picker-wrap" }, toggle, menu);
  }

  react(seq, emoji) {
    const mine = this.reactions.get(seq)?.get(emoji)?.get(this.room.seat.member);
    this.room.connection.write({ type: "react", target: seq, emoji, remove: Boolean(mine && mine.on) });
  }

  applyReaction(event) {
    const { target, emoji, remove, name } = event.data;
    if (!this.reactions.has(target)) this.reactions.set(target, new Map());
    const byEmoji = this.reactions.get(target);
    if (!byEmoji.has(emoji)) byEmoji.set(emoji, new Map());
    const known = byEmoji.get(emoji).get(event.author);
    if (known && known.seq > event.seq) return; // an older page: the newer event stands
    byEmoji.get(emoji).set(event.author, { seq: event.seq, on: !remove, name });
    const item = this.items.get(target);
    if (item) this.renderReactions(target, item);
  }

  renderReactions(seq, item) {
    const box = item.querySelector(".reactions");
    const byEmoji = this.reactions.get(seq);
    if (!box || !byEmoji) return;
    const chips = [];
    for (const [emoji, members] of byEmoji) {
      const on = [...members].filter(([, state]) => state.on);
      if (!on.length) continue;
      const mine = on.some(([member]) => member === this.room.seat.member);
      const names = on.map(([member, state]) => (member === this.room.seat.member ? "you" : state.name));
      chips.push(
        h(
          "button",
          {
            type: "button",
            class: "reaction",
            "aria-pressed": String(mine),
            "aria-label": `${emoji} ${on.length}: ${names.join(", ")}`,
            title: names.join(", "),
            onclick: () => this.react(seq, emoji),
          },
          emoji,
          h("span", { class: "n" }, String(on.length)),
        ),
      );
    }
    replace(box, chips);
  }

  // MARK: history

  async loadEarlier() {
    if (this.loading || !this.hasEarlier) return;
    this.loading = true;
    this.earlier.textContent = "Loading…";
    const height = this.scroller.scrollHeight;
    try {
      const parameters = { limit: String(pageSize) };
      if (this.oldestSeq !== null) parameters.before = String(this.oldestSeq);
      const { events } = await this.room.seat.get("/api/history", parameters);
      for (const event of events) this.add(event, { live: false });
      if (events.length < pageSize) this.hasEarlier = false;
      this.scroller.scrollTop += this.scroller.scrollHeight - height;
    } catch (error) {
      this.room.toast(`Earlier messages cannot be loaded: ${error.message}`);
    } finally {
      this.loading = false;
      this.earlier.hidden = !this.hasEarlier;
      this.earlier.textContent = "Load earlier messages";
      if (!this.hasEarlier && !this.log.firstChild) this.log.append(h("li", { class: "system" }, "No messages yet. Say hello!"));
    }
  }

  /** After a long absence the welcome replays only the newest events; fetch the ones between. */
  async fillGap(from) {
    let after = from;
    for (let page = 0; page < 100; page += 1) {
      const { events } = await this.room.seat.get("/api/history", { after: String(after), limit: "500" });
      const fresh = events.filter((event) => !this.items.has(event.seq));
      for (const event of fresh) this.add(event, { live: false });
      if (events.length < 500 || !fresh.length) return;
      after = events[events.length - 1].seq;
    }
  }

  // MARK: unread and typing

  noteUnread(seq) {
    if (this.chatSeen()) return;
    this.unread += 1;
    if (!this.firstUnread) {
      this.firstUnread = seq;
      this.items.get(seq)?.before(h("li", { class: "unread-marker", role: "separator" }, h("span", {}, "New messages")));
    }
    for (const badge of [this.badge, this.mobileBadge]) {
      badge.hidden = false;
      badge.textContent = String(this.unread);
    }
    document.title = `(${this.unread}) lsm review`;
  }

  chatSeen() {
    return this.room.chatVisible() && this.atBottom();
  }

  markReadIfVisible() {
    if (!this.unread || !this.chatSeen()) return;
    this.unread = 0;
    for (const badge of [this.badge, this.mobileBadge]) badge.hidden = true;
    document.title = "lsm review";
    clearTimeout(this.markerTimer);
    this.markerTimer = setTimeout(() => this.clearUnreadMarker(), 6000);
  }

  clearUnreadMarker() {
    this.firstUnread = null;
    for (const marker of this.log.querySelectorAll(".unread-marker")) marker.remove();
  }

  typing(connection, active) {
    clearTimeout(this.typists.get(connection));
    if (active && connection !== this.room.you?.connection) {
      this.typists.set(
        connection,
        setTimeout(() => this.typing(connection, false), 6000),
      );
    } else {
      this.typists.delete(connection);
    }
    const names = [...this.typists.keys()].map((id) => this.room.presence.get(id)?.name).filter(Boolean);
    const unique = [...new Set(names)];
    this.typingLine.textContent =
      unique.length === 0 ? "" : unique.length === 1 ? `${unique[0]} is typing…` : unique.length === 2 ? `${unique[0]} and ${unique[1]} are typing…` : "Several people are typing…";
  }
}

function excerpt(event) {
  if (!event) return "";
  const text = event.data.text.replace(/\s+/g, " ").trim();
  return text.length > 80 ? `${text.slice(0, 80)}…` : text;
}
