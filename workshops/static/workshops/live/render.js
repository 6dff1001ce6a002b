// Drawing the page from the state: the session panel and one section per activity, whose
// two parts (its controls, and what others change) are rebuilt only when their version
// changed, so a form being filled in stays as it is.
import { root, MODE, L, HEADING } from "./page.js";
import { bind, el, fmt, heading, region, sorted } from "./dom.js";
import { state, sections, versions, liveVersions, ui, scheduleRender, setRenderer } from "./state.js";

// What the page's entry adds: `bodies` (activity kind -> body(activity, node, part)), and
// on the console `tools` (an activity's controls), `sessionControls` and `afterRender`.
var page = { bodies: {} };

export function startRendering(options) {
  page = options;
  setRenderer(render);
}

function render() {
  if (ui.dragging !== null) {
    scheduleRender(); // do not pull the card from under the pointer
    return;
  }
  var active = document.activeElement;
  var focusKey = active && active.dataset ? active.dataset.focus : null;
  renderSession();
  renderActivities();
  if (page.afterRender) {
    page.afterRender();
  }
  if (focusKey && (!document.activeElement || document.activeElement === document.body)) {
    var again = root.querySelector('[data-focus="' + CSS.escape(focusKey) + '"]');
    if (again) {
      again.focus({ preventScroll: true });
    }
  }
}

function renderSession() {
  var session = state.session;
  if (!session) {
    return;
  }
  bind("join-code", session.join_code);
  bind("session-status", session.status === "open" ? L.session_open : L.session_ended);
  var count = session.participants;
  bind("participant-count", count === 1 ? L.participant_one : fmt(L.participants, { count: count }));
  var link = root.querySelector('[data-bind="join-url"]');
  if (link) {
    // A reopened session may have a new code.
    var url = new URL(link.href);
    url.searchParams.set("code", session.join_code);
    link.href = url.href;
    link.textContent = url.href;
  }
  if (page.sessionControls) {
    page.sessionControls(session);
  }
}

function visibleActivities() {
  var list = sorted(Array.from(state.activities.values()));
  if (MODE === "participant") {
    // What is open first; closed ones below, for their results and one's own entries.
    return list
      .filter(function (a) {
        return a.status === "open";
      })
      .concat(
        list.filter(function (a) {
          return a.status !== "open";
        })
      );
  }
  if (MODE === "projector") {
    var open = list.filter(function (a) {
      return a.status === "open";
    });
    var current = open.length ? open[open.length - 1] : list[list.length - 1];
    return current ? [current] : [];
  }
  return list;
}

function renderActivities() {
  var place = region("activities");
  if (state.closedCode !== null && MODE !== "moderator") {
    place.replaceChildren(
      el("div", { class: "kern-alert kern-alert--info" }, [
        el("div", { class: "kern-alert__header" }, [
          el("p", { class: "kern-title", text: L["closed_" + state.closedCode] }),
        ]),
      ])
    );
    return;
  }
  var list = visibleActivities();
  if (!list.length) {
    var empty = { moderator: L.no_activities, projector: L.waiting, participant: L.nothing_yet }[MODE];
    place.replaceChildren(el("p", { class: "muted", text: empty }));
    return;
  }
  var nodes = list.map(function (activity, index) {
    return section(activity, index, list);
  });
  // Replace only what changed, so a form being filled in stays where it is.
  var current = Array.from(place.children);
  var same =
    current.length === nodes.length &&
    current.every(function (node, i) {
      return node === nodes[i];
    });
  if (!same) {
    place.replaceChildren.apply(place, nodes);
  }
}

// One activity's section, kept across renders; its two parts are rebuilt when their
// version (or the activity's place in the list) changed.
function section(activity, index, list) {
  var cached = sections.get(activity.id);
  if (!cached) {
    var id = "live-activity-" + activity.id;
    cached = {
      node: el("section", { "aria-labelledby": id + "-title", "data-activity": String(activity.id) }),
      controls: el("div", { class: "live-controls" }),
      live: el("div", { class: "live-content" }),
    };
    cached.node.appendChild(cached.controls);
    cached.node.appendChild(cached.live);
    sections.set(activity.id, cached);
  }
  var body = page.bodies[activity.kind];
  var version = [versions.get(activity.id) || 0, index, list.length].join(":");
  if (cached.version !== version) {
    cached.version = version;
    cached.node.className = "live-activity live-status-" + activity.status;
    var head = document.createDocumentFragment();
    var meta = [L.kinds[activity.kind] || activity.kind];
    if (MODE !== "projector") {
      meta.push(L.status[activity.status] || activity.status);
    }
    head.appendChild(heading(HEADING, activity.title, "live-activity-" + activity.id + "-title"));
    head.appendChild(el("p", { class: "live-meta", text: meta.join(" · ") }));
    if (page.tools) {
      head.appendChild(page.tools(activity, index, list));
    }
    if (body) {
      body(activity, head, "controls");
    }
    cached.controls.replaceChildren(head);
  }
  var liveVersion = liveVersions.get(activity.id) || 0;
  if (cached.liveVersion !== liveVersion) {
    cached.liveVersion = liveVersion;
    var content = document.createDocumentFragment();
    if (body) {
      body(activity, content, "live");
    }
    cached.live.replaceChildren(content);
  }
  return cached.node;
}
