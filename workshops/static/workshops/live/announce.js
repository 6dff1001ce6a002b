// The polite live region: one per page, throttled.
import { root } from "./page.js";
import { region } from "./dom.js";

var ANNOUNCE_MS = 5000;
var announcer = root ? region("announcer") : null;
var announceQueue = [];
var announceTimer = null;
var announcedAt = 0;

function say(text) {
  announcedAt = Date.now();
  announcer.textContent = "";
  window.setTimeout(function () {
    announcer.textContent = text;
  }, 50);
}

function flushAnnouncements() {
  announceTimer = null;
  if (!announceQueue.length) {
    return;
  }
  // Only the newest few: a burst of changes becomes one short sentence.
  var text = announceQueue.slice(-3).join(" ");
  announceQueue = [];
  say(text);
}

// `now`: say it at once and alone (an error, a confirmation, the dots left after a vote);
// what is queued (results that changed) waits for the next pause instead of riding along.
export function announce(text, now) {
  if (!text || !announcer) {
    return;
  }
  if (now) {
    if (announceTimer) {
      window.clearTimeout(announceTimer);
      announceTimer = null;
    }
    say(text);
    if (announceQueue.length) {
      announceTimer = window.setTimeout(flushAnnouncements, ANNOUNCE_MS);
    }
    return;
  }
  if (announceQueue.indexOf(text) < 0) {
    announceQueue.push(text);
  }
  if (!announceTimer) {
    var wait = Math.max(0, announcedAt + ANNOUNCE_MS - Date.now());
    announceTimer = window.setTimeout(flushAnnouncements, wait);
  }
}
