// The join page (/join#<invite>): a display name (remembered in localStorage), then the invite is
// redeemed with a POST; and the pages for an invite that cannot be used.

import { Seat } from "./api.js";
import { h, replace } from "./dom.js";

const nameKey = "lsm.name";

/** The invite in the URL's fragment (`#<invite>` or `#t=<invite>`), or "". */
export function inviteFromLocation() {
  const fragment = decodeURIComponent(location.hash.replace(/^#/, ""));
  return fragment.startsWith("t=") ? fragment.slice(2) : fragment;
}

/** Shows the join form; resolves with the seat once joined. */
export function showJoin(root, invite) {
  return new Promise((resolve) => {
    const error = h("p", { class: "form-error", id: "join-error", role: "alert" });
    const input = h("input", {
      id: "join-name",
      name: "name",
      type: "text",
      autocomplete: "nickname",
      maxlength: "64",
      required: true,
      "aria-describedby": "join-hint join-error",
      value: localStorage.getItem(nameKey) || "",
    });
    const button = h("button", { type: "submit", class: "primary", id: "join-submit" }, "Join the room");
    const form = h(
      "form",
      { class: "card join", "aria-labelledby": "join-title" },
      brand(),
      h("h1", { id: "join-title" }, "Join the review room"),
      h("p", { class: "muted" }, "Someone shared a branch of their repository with you: its files, comments, chat and agent sessions, live."),
      h("label", { for: "join-name" }, "Your name"),
      input,
      h("p", { class: "hint", id: "join-hint" }, "Shown to the others in the room next to your cursor and messages."),
      error,
      button,
    );
    form.addEventListener("submit", async (event) => {
      event.preventDefault();
      const name = input.value.trim();
      if (!name) {
        error.textContent = "Enter a name to join.";
        input.focus();
        return;
      }
      button.disabled = true;
      button.textContent = "Joining…";
      error.textContent = "";
      try {
        const seat = await Seat.join(invite, name);
        localStorage.setItem(nameKey, name);
        history.replaceState(null, "", "/");
        resolve(seat);
      } catch (failure) {
        button.disabled = false;
        button.textContent = "Join the room";
        if (failure.status === 401) {
          showProblem(root, "invite-expired", "This invite can no longer be used", [
            "The link has expired, has been used as many times as it allows, or was revoked.",
            "Ask whoever shared it for a new one: they run git lsm review and send you the link it prints.",
          ]);
        } else {
          error.textContent = failure.message;
          input.focus();
        }
      }
    });
    replace(root, h("main", { class: "centered" }, form));
    input.focus();
  });
}

/** A page explaining why the room cannot be shown, with what to do. */
export function showProblem(root, id, title, paragraphs, action) {
  replace(
    root,
    h(
      "main",
      { class: "centered" },
      h(
        "section",
        { class: "card problem", id, "aria-labelledby": `${id}-title` },
        brand(),
        h("h1", { id: `${id}-title` }, title),
        paragraphs.map((text) => h("p", {}, text)),
        action || null,
      ),
    ),
  );
  root.querySelector("h1").setAttribute("tabindex", "-1");
  root.querySelector("h1").focus();
}

function brand() {
  return h("p", { class: "brand" }, h("span", { class: "logo", "aria-hidden": "true" }, "lsm"), " review");
}
