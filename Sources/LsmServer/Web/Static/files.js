// The file tree of the branch head (with a filter box) and the file view: line numbers, comment
// markers in the gutter, inline thread cards, selecting lines to comment on, other people's
// cursors, and following someone.

import { colourOf, h, replace } from "./dom.js";
import { CommentComposer, ThreadCard } from "./threads.js";

const maxListed = 400;

export class FileView {
  constructor(room) {
    this.room = room;
    this.files = [];
    this.cache = new Map(); // path → file
    this.path = null;
    this.file = null;
    this.currentLine = null;
    this.selection = null; // {start, end} while choosing lines to comment on
    this.cursors = new Map(); // connection → cursor
    this.openThreads = new Set();
    this.composer = null;
    this.buildTree();
    this.buildView();
  }

  // MARK: tree

  buildTree() {
    this.filter = h("input", {
      id: "file-filter",
      type: "search",
      placeholder: "Filter files  ( / )",
      autocomplete: "off",
      spellcheck: "false",
      "aria-controls": "file-list",
    });
    this.filter.addEventListener("input", () => this.renderTree());
    this.filter.addEventListener("keydown", (event) => {
      if (event.key === "ArrowDown") {
        event.preventDefault();
        this.list.querySelector("button")?.focus();
      } else if (event.key === "Enter") {
        const first = this.list.querySelector("button.file");
        if (first) first.click();
      }
    });
    this.list = h("div", { id: "file-list", class: "file-list" });
    this.list.addEventListener("keydown", (event) => this.treeKeys(event));
    this.treeElement = h(
      "div",
      { class: "tree" },
      h("label", { for: "file-filter", class: "pane-label" }, "Files"),
      this.filter,
      this.list,
    );
  }

  focusFilter() {
    this.filter.focus();
    this.filter.select();
  }

  setListing(listing) {
    this.files = listing.files;
    this.cache.clear();
    this.renderTree();
  }

  showError(text) {
    replace(this.list, h("p", { class: "muted" }, text));
  }

  renderTree() {
    const query = this.filter.value.trim().toLowerCase();
    const counts = this.threadCounts();
    if (query) {
      const words = query.split(/\s+/);
      const matches = this.files.filter((path) => words.every((word) => path.toLowerCase().includes(word)));
      replace(
        this.list,
        matches.length ? null : h("p", { class: "muted" }, "No file matches."),
        h("ul", { role: "list" }, matches.slice(0, maxListed).map((path) => h("li", {}, this.fileButton(path, path, counts)))),
        matches.length > maxListed ? h("p", { class: "muted" }, `${matches.length - maxListed} more: narrow the filter.`) : null,
      );
      return;
    }
    const root = { folders: new Map(), files: [] };
    for (const path of this.files) {
      const parts = path.split("/");
      let node = root;
      for (const part of parts.slice(0, -1)) {
        if (!node.folders.has(part)) node.folders.set(part, { folders: new Map(), files: [] });
        node = node.folders.get(part);
      }
      node.files.push(path);
    }
    const openFolder = this.path ? this.path.split("/").slice(0, -1) : [];
    const renderNode = (node, prefix, depth) => {
      const items = [];
      for (const [name, child] of [...node.folders].sort((a, b) => a[0].localeCompare(b[0]))) {
        const folderPath = prefix ? `${prefix}/${name}` : name;
        // Small trees open whole; larger ones open the top level and the way to the open file.
        const open = this.files.length <= 150 || depth < 1 || openFolder.slice(0, depth + 1).join("/") === folderPath;
        items.push(
          h(
            "li",
            {},
            h(
              "details",
              { open },
              h("summary", { class: "folder", dataset: { count: String(this.countUnder(folderPath, counts) || "") } }, name),
              renderNode(child, folderPath, depth + 1),
            ),
          ),
        );
      }
      for (const path of node.files.sort()) items.push(h("li", {}, this.fileButton(path, path.split("/").pop(), counts)));
      return h("ul", { role: "list" }, items);
    };
    replace(this.list, renderNode(root, "", 0));
  }

  fileButton(path, label, counts) {
    const count = counts.get(path) || 0;
    return h(
      "button",
      {
        type: "button",
        class: "file",
        title: path,
        dataset: { path },
        "aria-current": path === this.path ? "page" : false,
        onclick: () => {
          this.room.show("code");
          this.open(path, null);
        },
      },
      h("span", { class: "name" }, label),
      count ? h("span", { class: "count", "aria-label": `${count} open thread${count === 1 ? "" : "s"}` }, String(count)) : null,
    );
  }

  treeKeys(event) {
    if (event.key !== "ArrowDown" && event.key !== "ArrowUp") return;
    const items = [...this.list.querySelectorAll("button.file, summary")].filter((node) => node.offsetParent !== null);
    const index = items.indexOf(document.activeElement);
    if (index < 0) return;
    event.preventDefault();
    const next = items[index + (event.key === "ArrowDown" ? 1 : -1)];
    if (next) next.focus();
    else if (event.key === "ArrowUp") this.filter.focus();
  }

  threadCounts() {
    const counts = new Map();
    for (const { view } of this.room.threads.values()) {
      if (view.resolved || !view.path) continue;
      counts.set(view.path, (counts.get(view.path) || 0) + 1);
    }
    return counts;
  }

  countUnder(folder, counts) {
    let total = 0;
    for (const [path, count] of counts) if (path.startsWith(`${folder}/`)) total += count;
    return total;
  }

  // MARK: file view

  buildView() {
    this.heading = h("div", { class: "file-heading" }, h("span", { class: "muted" }, "No file open"));
    this.code = h("div", {
      class: "code",
      id: "code",
      tabindex: "0",
      role: "grid",
      "aria-label": "File contents. Up and down move your cursor; Enter comments on the line.",
    });
    this.code.addEventListener("mousedown", (event) => this.pointerDown(event));
    this.code.addEventListener("mouseover", (event) => this.pointerOver(event));
    document.addEventListener("mouseup", () => this.pointerUp());
    this.code.addEventListener("click", (event) => this.click(event));
    this.code.addEventListener("keydown", (event) => this.keys(event));
    this.element = h("div", { class: "file-view" }, this.heading, this.code);
  }

  async open(path, line, options = {}) {
    if (path !== this.path) {
      this.path = path;
      this.selection = null;
      this.composer = null;
      this.openThreads.clear();
      replace(this.heading, h("span", { class: "path" }, path));
      replace(this.code, h("p", { class: "muted placeholder" }, "Loading…"));
      let file = this.cache.get(path);
      if (!file) {
        try {
          file = await this.room.seat.get("/api/file", { path });
        } catch (error) {
          if (this.path !== path) return;
          this.file = null;
          replace(this.code, h("p", { class: "file-message" }, error.message));
          this.renderTree();
          return;
        }
        this.cache.set(path, file);
      }
      if (this.path !== path) return;
      this.file = file;
      this.lines = file.text.split("\n");
      if (this.lines.length > 1 && this.lines[this.lines.length - 1] === "") this.lines.pop();
      this.renderFile();
      this.renderTree();
    }
    if (!this.file) return;
    const target = line && line >= 1 ? Math.min(line, this.lines.length) : null;
    this.setCurrentLine(target || 1, { send: !options.quiet && !options.follow, scroll: Boolean(target) });
    if (options.follow) this.flash(target);
    history.replaceState(null, "", `#${encodeURIComponent(path).replace(/%2F/g, "/")}${target ? `:${target}` : ""}`);
  }

  renderFile() {
    const file = this.file;
    replace(
      this.heading,
      h("span", { class: "path" }, file.path),
      h("code", { class: "blob", title: `Blob ${file.blob}` }, file.blob.slice(0, 8)),
      h("span", { class: "muted lines-count" }, `${this.lines.length} lines`),
      h(
        "span",
        { class: "muted help" },
        "Click a line number to comment; drag or shift-click for a range.",
      ),
    );
    const fragment = document.createDocumentFragment();
    this.lines.forEach((text, index) => {
      const number = index + 1;
      fragment.append(
        h(
          "div",
          { class: "line", id: `L${number}`, role: "row", dataset: { line: String(number) } },
          h("button", { type: "button", class: "ln", tabindex: "-1", "aria-label": `Comment on line ${number}` }, String(number)),
          h("span", { class: "gutter", role: "gridcell" }),
          h("span", { class: "text", role: "gridcell" }, text || "\u200b"),
          h("span", { class: "flags" }),
        ),
      );
    });
    replace(this.code, fragment);
    this.renderMarkers();
    this.renderCursors();
  }

  lineElement(number) {
    return this.code.querySelector(`#L${number}`);
  }

  lineOf(event) {
    const line = event.target.closest(".line");
    return line ? Number(line.dataset.line) : null;
  }

  // Selecting lines: press on a line number, drag over others, release; or shift-click.
  pointerDown(event) {
    if (!event.target.closest(".ln") || event.button !== 0) return;
    event.preventDefault();
    const line = this.lineOf(event);
    const anchor = event.shiftKey && this.selection ? this.selection.anchor : event.shiftKey && this.currentLine ? this.currentLine : line;
    this.dragging = true;
    this.select(anchor, line);
  }

  pointerOver(event) {
    if (!this.dragging) return;
    const line = this.lineOf(event);
    if (line) this.select(this.selection.anchor, line);
  }

  pointerUp() {
    if (!this.dragging) return;
    this.dragging = false;
    this.startComment();
  }

  click(event) {
    if (event.target.closest(".ln, .marker, .thread-card, .composer, button, a, textarea")) return;
    const line = this.lineOf(event);
    if (line) this.setCurrentLine(line, { send: true });
  }

  keys(event) {
    if (event.target !== this.code || !this.file) return;
    const step = { ArrowDown: 1, ArrowUp: -1, PageDown: 20, PageUp: -20 }[event.key];
    if (step) {
      event.preventDefault();
      const next = Math.max(1, Math.min(this.lines.length, (this.currentLine || 1) + step));
      if (event.shiftKey) {
        this.select(this.selection ? this.selection.anchor : this.currentLine || 1, next);
      }
      this.setCurrentLine(next, { send: true, scroll: true });
    } else if (event.key === "Enter") {
      event.preventDefault();
      if (!this.selection) this.select(this.currentLine || 1, this.currentLine || 1);
      this.startComment();
    } else if (event.key === "Escape") {
      this.clearSelection();
    }
  }

  select(anchor, line) {
    const start = Math.min(anchor, line);
    const end = Math.max(anchor, line);
    this.selection = { anchor, start, end };
    for (const node of this.code.querySelectorAll(".line.selected")) node.classList.remove("selected");
    for (let number = start; number <= end; number += 1) this.lineElement(number)?.classList.add("selected");
  }

  clearSelection() {
    this.selection = null;
    for (const node of this.code.querySelectorAll(".line.selected")) node.classList.remove("selected");
    this.composer?.element.remove();
    this.composer = null;
  }

  startComment() {
    if (!this.selection || !this.file) return;
    const { start, end } = this.selection;
    this.composer?.element.remove();
    this.composer = new CommentComposer(this.room, {
      path: this.file.path,
      start,
      end,
      onClose: () => {
        this.composer = null;
        this.clearSelection();
        this.code.focus();
      },
    });
    this.lineElement(end).after(this.composer.element);
    this.composer.focus();
    this.setCurrentLine(start, { send: true });
  }

  failed(failure) {
    this.composer?.failed(failure);
    for (const card of this.code.querySelectorAll(".thread-card")) card.threadCard?.failed(failure);
  }

  setCurrentLine(line, { send = false, scroll = false } = {}) {
    this.code.querySelector(".line.current")?.classList.remove("current");
    this.currentLine = line;
    const node = this.lineElement(line);
    node?.classList.add("current");
    if (scroll && node) node.scrollIntoView({ block: "center" });
    if (send) this.sendCursor();
  }

  flash(line) {
    const node = line && this.lineElement(line);
    if (!node) return;
    node.classList.remove("flash");
    void node.offsetWidth;
    node.classList.add("flash");
  }

  sendCursor() {
    if (!this.file || !this.currentLine) return;
    this.room.connection.send({ type: "cursor", path: this.file.path, line: this.currentLine, blob: this.file.blob });
  }

  // MARK: threads

  threadsHere() {
    const threads = [];
    for (const { view } of this.room.threads.values()) {
      if (this.file && view.path === this.file.path && view.line) threads.push(view);
    }
    return threads.sort((a, b) => a.line - b.line);
  }

  renderMarkers() {
    this.renderTree();
    if (!this.file) return;
    for (const node of this.code.querySelectorAll(".marker")) node.remove();
    for (const node of this.code.querySelectorAll(".line.has-thread")) node.classList.remove("has-thread", "resolved-thread");
    for (const view of this.threadsHere()) {
      const end = Math.min(view.endLine || view.line, this.lines.length);
      for (let number = view.line; number <= end; number += 1) {
        this.lineElement(number)?.classList.add("has-thread", ...(view.resolved ? ["resolved-thread"] : []));
      }
      const gutter = this.lineElement(view.line)?.querySelector(".gutter");
      if (!gutter) continue;
      const count = view.comments.filter((comment) => !comment.deleted).length;
      const range = view.endLine && view.endLine !== view.line ? `lines ${view.line}–${view.endLine}` : `line ${view.line}`;
      gutter.append(
        h(
          "button",
          {
            type: "button",
            class: `marker ${view.resolved ? "resolved" : "open"} state-${view.state}`,
            dataset: { thread: view.id },
            "aria-expanded": String(this.openThreads.has(view.id)),
            "aria-label": `${view.resolved ? "Resolved thread" : "Thread"} on ${range}, ${count} comment${count === 1 ? "" : "s"}: ${view.body}`,
            title: `${view.comments[0]?.author || ""}: ${view.body}`,
            onclick: () => this.toggleThread(view.id),
          },
          String(count),
        ),
      );
    }
    for (const card of [...this.code.querySelectorAll(".thread-card")]) {
      if (!this.openThreads.has(card.dataset.thread)) card.remove();
    }
    for (const id of this.openThreads) this.placeCard(id);
  }

  toggleThread(id) {
    if (this.openThreads.has(id)) {
      this.openThreads.delete(id);
      this.code.querySelector(`.thread-card[data-thread="${CSS.escape(id)}"]`)?.remove();
    } else {
      this.openThreads.add(id);
      this.placeCard(id, { focus: true });
    }
    this.code.querySelector(`.marker[data-thread="${CSS.escape(id)}"]`)?.setAttribute("aria-expanded", String(this.openThreads.has(id)));
  }

  /** Opens a thread's card (from a link or after creating it). */
  showThread(id) {
    const known = this.room.threads.get(id);
    if (!known || !known.view.path) return;
    this.room.openLocation(known.view.path, known.view.line);
    if (!this.openThreads.has(id)) this.toggleThread(id);
  }

  placeCard(id, { focus = false } = {}) {
    const known = this.room.threads.get(id);
    if (!known || !this.file || known.view.path !== this.file.path || !known.view.line) {
      this.openThreads.delete(id);
      return;
    }
    const view = known.view;
    const end = Math.min(view.endLine || view.line, this.lines.length);
    let card = this.code.querySelector(`.thread-card[data-thread="${CSS.escape(id)}"]`);
    if (!card) {
      const threadCard = new ThreadCard(this.room, view, { onClose: () => this.toggleThread(id) });
      card = threadCard.element;
      card.threadCard = threadCard;
    } else {
      card.threadCard.update(view);
    }
    // After the range's last line, and after other cards already there.
    let anchor = this.lineElement(end);
    while (anchor.nextElementSibling && !anchor.nextElementSibling.classList.contains("line") && anchor.nextElementSibling !== card) {
      anchor = anchor.nextElementSibling;
    }
    if (anchor.nextElementSibling !== card) anchor.after(card);
    if (focus) card.threadCard.focus();
  }

  threadChanged(id) {
    if (this.composer && this.composer.createdThread === id) this.composer = null;
  }

  // MARK: cursors

  setCursor(cursor) {
    if (cursor.connection === this.room.you?.connection) return;
    this.cursors.set(cursor.connection, cursor);
    this.renderCursors();
  }

  removeCursor(connection) {
    this.cursors.delete(connection);
    this.renderCursors();
  }

  cursorOf(member) {
    let found = null;
    for (const cursor of this.cursors.values()) if (cursor.member === member) found = cursor;
    return found;
  }

  renderCursors() {
    for (const node of this.code.querySelectorAll(".flags > *")) node.remove();
    for (const node of this.code.querySelectorAll(".line.cursor-here")) {
      node.classList.remove("cursor-here");
      node.style.removeProperty("--who");
    }
    if (!this.file) return;
    for (const cursor of this.cursors.values()) {
      if (cursor.path !== this.file.path) continue;
      const line = this.lineElement(Math.min(cursor.line, this.lines.length));
      if (!line) continue;
      const presence = this.room.presence.get(cursor.connection);
      const name = presence ? presence.name : this.room.memberName(cursor.member) || "someone";
      line.classList.add("cursor-here");
      line.style.setProperty("--who", colourOf(cursor.member));
      line.querySelector(".flags").append(
        h(
          "span",
          { class: "cursor-flag", style: { "--who": colourOf(cursor.member) }, dataset: { member: cursor.member }, title: `${name} is here` },
          name,
        ),
      );
    }
  }
}
