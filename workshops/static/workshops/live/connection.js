// The socket, speaking the protocol of docs/live-protocol.md: a snapshot, then updates
// checked by `seq` (a gap asks for a resync), a ping every 25 seconds, reconnecting with
// backoff and jitter, and `ref`-numbered actions whose error is shown next to the control
// that sent them.
import { root, MODE, L } from "./page.js";
import { fmt, region } from "./dom.js";
import { announce } from "./announce.js";
import { state, errors, bump, bumpAll, bumpLive, applyEvent, scheduleRender } from "./state.js";

var FINAL_CODES = [4401, 4403, 4404, 4410];
var BACKOFF = [1, 2, 4, 8, 16]; // seconds; then every 30
var PING_MS = 25000;
var PONG_GRACE_MS = 2000;

var socket = null;
var attempt = 0;
var pingTimer = null;
var pongTimer = null;
var refs = 0;
var pending = new Map(); // ref -> {key, activity, onAck, onError}

function setConnection(text, final) {
  var line = region("connection");
  line.textContent = text;
  line.classList.toggle("live-connection-final", Boolean(final));
}

export function connect() {
  setConnection(L.connecting);
  var scheme = window.location.protocol === "https:" ? "wss://" : "ws://";
  socket = new WebSocket(scheme + window.location.host + root.dataset.socket);
  socket.addEventListener("message", function (event) {
    var message;
    try {
      message = JSON.parse(event.data);
    } catch (error) {
      return;
    }
    receive(message);
  });
  socket.addEventListener("open", startPing);
  socket.addEventListener("close", closed);
}

function closed(event) {
  stopPing();
  socket = null;
  pending.forEach(function (entry) {
    fail(entry, L.error);
  });
  pending.clear();
  if (FINAL_CODES.indexOf(event.code) >= 0) {
    state.closedCode = event.code;
    var text = L["closed_" + event.code];
    setConnection(text, true);
    announce(text, true);
    scheduleRender();
    return;
  }
  var base = attempt < BACKOFF.length ? BACKOFF[attempt] : 30;
  attempt += 1;
  var delay = base * (1 + Math.random() * 0.5); // up to 50 % jitter
  setConnection(fmt(L.reconnecting, { seconds: Math.ceil(delay) }));
  window.setTimeout(connect, delay * 1000);
}

function raw(message) {
  if (socket && socket.readyState === WebSocket.OPEN) {
    socket.send(JSON.stringify(message));
    return true;
  }
  return false;
}

function startPing() {
  stopPing();
  pingTimer = window.setInterval(function () {
    raw({ type: "ping", seq: state.last || 0 });
  }, PING_MS);
}

function stopPing() {
  window.clearInterval(pingTimer);
  window.clearTimeout(pongTimer);
  pingTimer = pongTimer = null;
}

function resync() {
  state.awaiting = true;
  raw({ type: "resync", seq: state.last || 0 });
}

// An action: `key` names the control its error is shown beside.
export function send(message, key, options) {
  options = options || {};
  var entry = {
    key: key,
    activity: options.activity,
    onAck: options.onAck,
    onError: options.onError,
  };
  delete errors[key];
  bump(entry.activity);
  refs += 1;
  message.ref = refs;
  if (!raw(message)) {
    fail(entry, L.error);
    return;
  }
  pending.set(refs, entry);
  scheduleRender();
}

function fail(entry, detail) {
  errors[entry.key] = detail;
  bump(entry.activity);
  if (entry.onError) {
    entry.onError();
  }
  announce(detail, true);
  scheduleRender();
}

function receive(message) {
  if (message.type === "snapshot") {
    applySnapshot(message);
  } else if (message.type === "update") {
    applyUpdate(message);
  } else if (message.type === "pong") {
    var current = message.seq;
    if (state.last !== null && current > state.last) {
      window.clearTimeout(pongTimer);
      pongTimer = window.setTimeout(function () {
        if (!state.awaiting && state.last < current) {
          resync();
        }
      }, PONG_GRACE_MS);
    }
  } else if (message.type === "ack" || message.type === "error") {
    var entry = pending.get(message.ref);
    pending.delete(message.ref);
    if (message.type === "ack") {
      var result = message.result || {};
      if (entry && entry.onAck) {
        entry.onAck(result);
      }
      if (result.mine && state.activities.has(result.activity)) {
        var activity = state.activities.get(result.activity);
        activity.mine = result.mine;
        if (!activity.inFlight) {
          activity.draft = null; // the last change in flight is confirmed
        }
        bump(activity.id);
      }
      if (entry) {
        bump(entry.activity);
      }
      scheduleRender();
    } else if (entry) {
      fail(entry, message.detail);
    } else {
      announce(message.detail, true);
    }
  }
}

function applySnapshot(message) {
  attempt = 0;
  state.awaiting = false;
  state.last = message.seq;
  state.session = message.session;
  state.me = message.me;
  state.activities = new Map();
  message.activities.forEach(function (activity) {
    state.activities.set(activity.id, activity);
  });
  state.participants = new Map();
  (message.participants || []).forEach(function (participant) {
    state.participants.set(participant.id, participant);
  });
  if (MODE === "projector" && root.dataset.joinCode !== message.session.join_code) {
    window.location.reload(); // a reopened session's new code: the QR code must follow
    return;
  }
  setConnection(L.connected);
  bumpAll();
  scheduleRender();
}

function applyUpdate(message) {
  if (state.awaiting || state.last === null || message.seq <= state.last) {
    return; // old, duplicate, or superseded by the snapshot on its way
  }
  if (message.from > state.last) {
    resync(); // something was missed
    return;
  }
  (message.events || []).forEach(applyEvent);
  Object.keys(message.results || {}).forEach(function (id) {
    var activity = state.activities.get(Number(id));
    if (activity) {
      activity.results = message.results[id];
      bumpLive(activity.id);
      if (MODE !== "moderator" && activity.revealed) {
        announce(fmt(L.updated_results, { title: activity.title }));
      }
    }
  });
  state.last = message.seq;
  scheduleRender();
}
