// Who is in the room: avatars with initials and colours, online or idle, who follows whom, and
// following someone (your file view goes where their cursor goes).

import { avatar, h, replace } from "./dom.js";

const stateOrder = { active: 0, idle: 1, away: 2 };
const stateLabel = { active: "online", idle: "idle", away: "away" };

export class PresenceBar {
  constructor(room) {
    this.room = room;
    this.avatars = h("ul", { class: "avatars", role: "list" });
    this.followChip = h("div", { class: "follow-chip", hidden: true, role: "status" });
    this.toggle = h(
      "button",
      { type: "button", class: "people-toggle", id: "people-toggle", "aria-expanded": "false", "aria-controls": "people" },
      this.avatars,
      (this.count = h("span", { class: "count" })),
    );
    this.panel = h("div", { class: "people", id: "people", hidden: true, role: "dialog", "aria-label": "People in the room" });
    this.toggle.addEventListener("click", () => this.setOpen(this.panel.hidden));
    this.panel.addEventListener("keydown", (event) => {
      if (event.key === "Escape") {
        this.setOpen(false);
        this.toggle.focus();
      }
    });
    document.addEventListener("click", (event) => {
      if (!this.panel.hidden && !event.target.closest(".presence")) this.setOpen(false);
    });
    this.element = h("div", { class: "presence" }, this.followChip, this.toggle, this.panel);
  }

  setOpen(open) {
    this.panel.hidden = !open;
    this.toggle.setAttribute("aria-expanded", String(open));
    if (open) this.panel.querySelector("button")?.focus();
  }

  /** One entry per member: their best state over their connections. */
  members() {
    const members = new Map();
    for (const presence of this.room.presence.values()) {
      const known = members.get(presence.member);
      if (!known || stateOrder[presence.state] < stateOrder[known.state]) {
        members.set(presence.member, { ...presence, following: presence.following || known?.following });
      } else if (presence.following && !known.following) {
        known.following = presence.following;
      }
    }
    const you = this.room.seat.member;
    return [...members.values()].sort(
      (a, b) => (a.member === you ? -1 : b.member === you ? 1 : stateOrder[a.state] - stateOrder[b.state] || a.name.localeCompare(b.name)),
    );
  }

  render() {
    const members = this.members();
    const you = this.room.seat.member;
    const nameOf = (id) => (id === you ? "you" : members.find((m) => m.member === id)?.name || "someone who left");
    replace(
      this.avatars,
      members.slice(0, 6).map((m) =>
        h(
          "li",
          { class: `who state-${m.state}`, dataset: { member: m.member }, title: `${m.name} (${stateLabel[m.state]})` },
          avatar(m.member, m.name),
          h("span", { class: "dot", "aria-hidden": "true" }),
        ),
      ),
    );
    this.count.textContent = members.length > 6 ? `+${members.length - 6}` : "";
    this.toggle.setAttribute("aria-label", `${members.length} ${members.length === 1 ? "person" : "people"} here: ${members.map((m) => m.name).join(", ")}`);
    replace(
      this.panel,
      h("h2", {}, "In the room"),
      h(
        "ul",
        { role: "list" },
        members.map((m) =>
          h(
            "li",
            { class: `person state-${m.state}`, dataset: { member: m.member } },
            avatar(m.member, m.name),
            h(
              "div",
              { class: "person-main" },
              h("strong", {}, m.name, m.member === you ? " (you)" : ""),
              h(
                "span",
                { class: "muted" },
                stateLabel[m.state] || m.state,
                m.following ? ` · following ${nameOf(m.following)}` : "",
                this.followersOf(m.member, members, you),
              ),
            ),
            m.member === you
              ? null
              : h(
                  "button",
                  {
                    type: "button",
                    class: "follow",
                    "aria-pressed": String(this.room.following === m.member),
                    onclick: () => this.room.follow(m.member),
                  },
                  this.room.following === m.member ? "Stop following" : "Follow",
                ),
          ),
        ),
      ),
    );
    const followed = this.room.following && members.find((m) => m.member === this.room.following);
    this.followChip.hidden = !this.room.following;
    if (this.room.following) {
      replace(
        this.followChip,
        h("span", {}, "Following ", h("strong", {}, followed ? followed.name : "someone who left")),
        h("button", { type: "button", class: "link", onclick: () => this.room.follow(this.room.following) }, "Stop"),
      );
    }
  }

  followersOf(member, members, you) {
    const followers = members.filter((m) => m.following === member).map((m) => (m.member === you ? "you" : m.name));
    return followers.length ? ` · followed by ${followers.join(", ")}` : "";
  }
}
