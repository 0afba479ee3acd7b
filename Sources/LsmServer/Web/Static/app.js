// Entry point: /join#<invite> joins, / enters the room this tab has a seat in.

import { Seat } from "./api.js";
import { inviteFromLocation, showJoin, showProblem } from "./join.js";
import { Room } from "./room.js";

const root = document.getElementById("app");

async function main() {
  if (location.pathname === "/join") {
    const invite = inviteFromLocation();
    if (!invite) {
      return showProblem(root, "invite-missing", "This link has no invite in it", [
        "A join link ends with # and a long code. Copy the whole link you were sent, or ask for a new one (git lsm review prints it).",
      ]);
    }
    const seat = await showJoin(root, invite);
    return new Room(root, seat).start();
  }
  let seat = null;
  try {
    seat = await Seat.restore();
  } catch (error) {
    if (error.status === 401) {
      return showProblem(root, "seat-ended", "Your seat in this room has ended", [
        "Your access was revoked, or you joined from another tab. Open an invite link again to rejoin.",
      ]);
    }
    return showProblem(root, "server-down", "The review server cannot be reached", [
      "It may have stopped. Whoever runs it can start it again with git lsm review.",
    ]);
  }
  if (!seat) {
    return showProblem(root, "no-seat", "Open your invite link to join", [
      "This is an lsm review server. To join a room, open the invite link you were sent; it ends in /join# and a long code.",
    ]);
  }
  new Room(root, seat).start();
}

main();
