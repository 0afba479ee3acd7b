// Comment threads in the file view: the composer for a new thread on a line range, and the card of
// a thread (its comments, reactions, a reply box, resolve and reopen). Writes go over the room's
// connection as the same git-backed operations the CLI makes.

import { avatar, colourOf, h, reactionChoices, relativeTime, replace } from "./dom.js";

function rangeLabel(start, end) {
  return start === end ? `line ${start}` : `lines ${start}–${end}`;
}

function submitOnModEnter(textarea, form) {
  textarea.addEventListener("keydown", (event) => {
    if (event.key === "Enter" && (event.ctrlKey || event.metaKey)) {
      event.preventDefault();
      form.requestSubmit();
    }
  });
}

export class CommentComposer {
  constructor(room, { path, start, end, onClose }) {
    this.room = room;
    this.onClose = onClose;
    const id = `composer-${start}-${end}`;
    this.textarea = h("textarea", {
      id,
      rows: "3",
      placeholder: "Leave a comment… (Ctrl+Enter sends)",
      maxlength: "16000",
      required: true,
    });
    this.error = h("p", { class: "form-error", role: "alert" });
    this.button = h("button", { type: "submit", class: "primary" }, "Comment");
    const form = h(
      "form",
      { class: "composer card-like", "aria-label": `New comment on ${rangeLabel(start, end)}` },
      h("label", { for: id }, `Comment on ${path} ${rangeLabel(start, end)}`),
      this.textarea,
      this.error,
      h(
        "div",
        { class: "actions" },
        h("button", { type: "button", onclick: () => this.close() }, "Cancel"),
        this.button,
      ),
    );
    form.addEventListener("submit", (event) => {
      event.preventDefault();
      const text = this.textarea.value.trim();
      if (!text) return;
      this.button.disabled = true;
      this.button.textContent = "Sending…";
      this.clientId = room.connection.write({ type: "comment", path, line: start, endLine: end, text });
    });
    form.addEventListener("keydown", (event) => {
      if (event.key === "Escape") {
        event.stopPropagation();
        this.close();
      }
    });
    submitOnModEnter(this.textarea, form);
    this.element = form;
    room.chat.onAck(this, (ack) => {
      if (ack.clientId === this.clientId) this.close();
    });
  }

  focus() {
    this.textarea.focus();
  }

  failed(failure) {
    if (failure.clientId !== this.clientId) return;
    this.error.textContent = failure.message;
    this.button.disabled = false;
    this.button.textContent = "Comment";
  }

  close() {
    this.room.chat.offAck(this);
    this.element.remove();
    this.onClose();
  }
}

export class ThreadCard {
  constructor(room, view, { onClose }) {
    this.room = room;
    this.onClose = onClose;
    this.element = h("section", { class: "thread-card", dataset: { thread: view.id }, tabindex: "-1" });
    this.element.addEventListener("keydown", (event) => {
      if (event.key === "Escape" && !event.target.closest("textarea")) {
        event.stopPropagation();
        onClose();
      }
    });
    this.comments = h("ol", { class: "comments", role: "list" });
    this.header = h("header", {});
    const replyId = `reply-${view.id}`;
    this.reply = h("textarea", { id: replyId, rows: "2", placeholder: "Reply… (Ctrl+Enter sends)", maxlength: "16000" });
    this.error = h("p", { class: "form-error", role: "alert" });
    const form = h(
      "form",
      { class: "reply" },
      h("label", { for: replyId, class: "visually-hidden" }, "Reply"),
      this.reply,
      this.error,
      h("div", { class: "actions" }, (this.resolveButton = h("button", { type: "button", class: "resolve" })), h("button", { type: "submit", class: "primary" }, "Reply")),
    );
    form.addEventListener("submit", (event) => {
      event.preventDefault();
      const text = this.reply.value.trim();
      if (!text) return;
      this.pending = room.connection.write({ type: "reply", thread: this.view.id, text });
      this.reply.value = "";
    });
    submitOnModEnter(this.reply, form);
    this.resolveButton.addEventListener("click", () => {
      this.pending = room.connection.write({ type: "resolve", thread: this.view.id, resolved: !this.view.resolved });
      this.resolveButton.disabled = true;
    });
    this.element.append(this.header, this.comments, form);
    this.update(view);
  }

  focus() {
    this.element.focus();
  }

  failed(failure) {
    if (failure.clientId && failure.clientId === this.pending) {
      this.error.textContent = failure.message;
      this.resolveButton.disabled = false;
    }
  }

  update(view) {
    this.view = view;
    const range = rangeLabel(view.line, view.endLine || view.line);
    this.element.setAttribute("aria-label", `Thread on ${range}`);
    const states = { current: null, moved: "moved", changed: "code changed", outdated: "outdated", orphaned: "file gone" };
    replace(
      this.header,
      h("span", { class: `chip ${view.resolved ? "resolved" : "open"}` }, view.resolved ? "Resolved" : "Open"),
      states[view.state] ? h("span", { class: "chip state", title: "Where the commented code is now" }, states[view.state]) : null,
      h("span", { class: "muted" }, range),
      h("button", { type: "button", class: "icon close", "aria-label": "Close thread", onclick: () => this.onClose() }, "×"),
    );
    replace(
      this.comments,
      view.comments
        .filter((comment) => !comment.deleted)
        .map((comment) => this.commentItem(comment)),
    );
    this.resolveButton.textContent = view.resolved ? "Reopen" : "Resolve";
    this.resolveButton.disabled = false;
    this.element.classList.toggle("is-resolved", view.resolved);
  }

  commentItem(comment) {
    const mine = `${this.room.seat.member}@review.lsm.invalid`;
    const names = new Map(this.view.comments.map((c) => [c.authorEmail, c.author]));
    const nameOf = (email) => {
      if (email === mine) return "you";
      const match = /^(m[0-9a-f]+)@review\.lsm\.invalid$/.exec(email);
      return names.get(email) || (match && this.room.memberName(match[1])) || email;
    };
    const chips = Object.entries(comment.reactions || {})
      .filter(([, who]) => who.length)
      .map(([emoji, who]) =>
        h(
          "button",
          {
            type: "button",
            class: "reaction",
            "aria-pressed": String(who.includes(mine)),
            "aria-label": `${emoji} ${who.length}: ${who.map(nameOf).join(", ")}`,
            title: who.map(nameOf).join(", "),
            onclick: () => this.react(comment, emoji, who.includes(mine)),
          },
          emoji,
          h("span", { class: "n" }, String(who.length)),
        ),
      );
    const authorKey = /^(m[0-9a-f]+)@/.exec(comment.authorEmail)?.[1] || comment.authorEmail;
    return h(
      "li",
      { class: "comment", dataset: { comment: comment.id } },
      avatar(authorKey, comment.author),
      h(
        "div",
        { class: "comment-main" },
        h("div", { class: "meta" }, h("strong", { style: { color: colourOf(authorKey) } }, comment.author), " ", h("time", { datetime: comment.createdAt, title: new Date(comment.createdAt).toLocaleString() }, relativeTime(comment.createdAt))),
        h("p", { class: "body" }, comment.body),
        h("div", { class: "reactions" }, chips, this.reactionPicker(comment, mine)),
      ),
    );
  }

  reactionPicker(comment, mine) {
    const menu = h(
      "div",
      { class: "picker", role: "group", "aria-label": "Add a reaction", hidden: true },
      reactionChoices.map((emoji) =>
        h(
          "button",
          {
            type: "button",
            "aria-label": `React ${emoji}`,
            onclick: () => {
              menu.hidden = true;
              this.react(comment, emoji, (comment.reactions?.[emoji] || []).includes(mine));
            },
          },
          emoji,
        ),
      ),
    );
    const toggle = h(
      "button",
      { type: "button", class: "add-reaction", "aria-label": "Add a reaction", "aria-expanded": "false" },
      "☺+",
    );
    toggle.addEventListener("click", () => {
      menu.hidden = !menu.hidden;
      toggle.setAttribute("aria-expanded", String(!menu.hidden));
      if (!menu.hidden) menu.querySelector("button").focus();
    });
    return h("span", { class: "picker-wrap" }, toggle, menu);
  }

  react(comment, emoji, remove) {
    this.pending = this.room.connection.write({ type: "commentReact", comment: comment.id, emoji, remove });
  }
}
