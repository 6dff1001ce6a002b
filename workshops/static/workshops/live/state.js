// What the page knows of the session: the last snapshot with the updates applied since,
// and what this page keeps across renders.
import { MODE, L } from "./page.js";
import { fmt } from "./dom.js";
import { announce } from "./announce.js";

var RENDER_MS = 120;

export var state = {
  last: null, // seq of the last snapshot or applied update
  awaiting: false, // a resync was asked for: ignore updates until the snapshot
  session: null,
  me: null,
  activities: new Map(),
  participants: new Map(),
  closedCode: null,
};
export var errors = {}; // control key -> translated detail
export var forms = new Map(); // key -> {sig, node}: kept across renders (typed text survives)
export var sections = new Map(); // activity id -> {node, controls, live, and their versions}
// The card being dragged on the console (its id), or null: no render pulls it away.
export var ui = { dragging: null };
// Raised on every change of an activity: `versions` for its controls (status, settings,
// one's own entries, errors), `liveVersions` for what others change (results, cards,
// questions). A results update then leaves the controls alone, and a number being typed
// stays as it is.
export var versions = new Map();
export var liveVersions = new Map();

export function bumpLive(activityId) {
  if (activityId !== undefined && activityId !== null) {
    liveVersions.set(activityId, (liveVersions.get(activityId) || 0) + 1);
  }
}

export function bump(activityId) {
  if (activityId !== undefined && activityId !== null) {
    versions.set(activityId, (versions.get(activityId) || 0) + 1);
    bumpLive(activityId);
  }
}

export function bumpAll() {
  state.activities.forEach(function (activity) {
    bump(activity.id);
  });
}

// Renders are batched: every change asks for one, the page draws at most every RENDER_MS.
var renderer = null;
var renderTimer = null;

export function setRenderer(render) {
  renderer = render;
}

export function scheduleRender() {
  if (!renderTimer) {
    renderTimer = window.setTimeout(function () {
      renderTimer = null;
      if (renderer) {
        renderer();
      }
    }, RENDER_MS);
  }
}

// Put `item` in `list` in place of the one with its id; true if it is new.
function upsert(list, item) {
  for (var i = 0; i < list.length; i += 1) {
    if (list[i].id === item.id) {
      list[i] = item;
      return false;
    }
  }
  list.push(item);
  return true;
}

function drop(list, id) {
  return list.filter(function (item) {
    return item.id !== id;
  });
}

// One event of an update (docs/live-protocol.md, section 3).
export function applyEvent(event) {
  var kind = event.event;
  var activity = typeof event.activity === "number" ? state.activities.get(event.activity) : null;
  if (kind === "session") {
    // Only the session panel shows it (redrawn on every render); the activities, and
    // whatever is being typed into them, stay as they are when someone joins.
    state.session = event.session;
  } else if (kind === "activity") {
    var next = event.activity;
    var before = state.activities.get(next.id);
    if (before) {
      next.mine = before.mine;
      if (before.status !== next.status && MODE !== "moderator") {
        announce(fmt(next.status === "open" ? L.new_activity_open : L.activity_closed, next));
      }
    } else if (MODE !== "moderator" && next.status === "open") {
      announce(fmt(L.new_activity_open, next));
    }
    if (!next.mine && MODE === "participant") {
      next.mine = {};
    }
    state.activities.set(next.id, next);
    bump(next.id);
  } else if (kind === "activity.removed") {
    state.activities.delete(event.activity);
    sections.delete(event.activity);
  } else if (kind === "participant") {
    state.participants.set(event.participant.id, event.participant);
  } else if (activity) {
    var items = activity.items || (activity.items = {});
    if (kind === "card") {
      if (upsert(items.cards || (items.cards = []), event.card) && MODE === "moderator") {
        announce(fmt(L.new_card, { text: event.card.text }));
      }
    } else if (kind === "card.removed") {
      items.cards = drop(items.cards || [], event.card);
    } else if (kind === "cluster") {
      upsert(items.clusters || (items.clusters = []), event.cluster);
    } else if (kind === "cluster.removed") {
      items.clusters = drop(items.clusters || [], event.cluster);
    } else if (kind === "question") {
      if (upsert(items.questions || (items.questions = []), event.question) && MODE !== "projector") {
        announce(fmt(L.new_question, { text: event.question.text }));
      }
    } else if (kind === "question.removed") {
      items.questions = drop(items.questions || [], event.question);
    }
    bumpLive(activity.id);
  }
}
