// What every live page shares: its root element, its role ("moderator", "participant" or
// "projector"), and the translated texts it shows (json_script "live-labels"), so the
// page's language is the script's. `root` is null on a page without a live session.
export var root = document.querySelector("[data-live]");
export var MODE = root ? root.dataset.live : null;
export var L = root ? JSON.parse(document.getElementById("live-labels").textContent) : {};
// The activities' heading level: the console has two levels above them.
export var HEADING = MODE === "moderator" ? 3 : 2;
