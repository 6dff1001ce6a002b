// The polite live region: one per page, throttled.
import { root } from "./page.js";
import { region } from "./dom.js";

var ANNOUNCE_MS = 5000;
var announcer = root ? region("announcer") : null;
var announceQueue = [];
var announceTimer = null;
var announcedAt = 0;

function flushAnnouncements() {
  announceTimer = null;
  if (!announceQueue.length) {
    return;
  }
  // Only the newest few: a burst of changes becomes one short sentence.
  var text = announceQueue.slice(-3).join(" ");
  announceQueue = [];
  announcedAt = Date.now();
  announcer.textContent = "";
  window.setTimeout(function () {
    announcer.textContent = text;
  }, 50);
}

// `now`: say it at once (an error, a confirmation), not after the throttle's pause.
export function announce(text, now) {
  if (!text || !announcer) {
    return;
  }
  if (announceQueue.indexOf(text) < 0) {
    announceQueue.push(text);
  }
  var wait = now ? 0 : Math.max(0, announcedAt + ANNOUNCE_MS - Date.now());
  if (now && announceTimer) {
    window.clearTimeout(announceTimer);
    announceTimer = null;
  }
  if (!announceTimer) {
    announceTimer = window.setTimeout(flushAnnouncements, wait);
  }
}
