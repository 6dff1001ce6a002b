// The live session's pages: moderator console, participant page, projector view.
// It speaks the protocol of docs/live-protocol.md: a snapshot, then updates checked by `seq`
// (a gap asks for a resync), a ping every 25 seconds, reconnecting with backoff, and
// `ref`-numbered actions whose error is shown next to the control that sent them.
// Everything on the screen is built with DOM methods and textContent; the texts come from
// the page (json_script "live-labels"), so the page's language is the script's.
(function () {
  "use strict";

  var root = document.querySelector("[data-live]");
  if (!root) {
    return;
  }
  var MODE = root.dataset.live; // "moderator", "participant" or "projector"
  var L = JSON.parse(document.getElementById("live-labels").textContent);
  var FINAL_CODES = [4401, 4403, 4404, 4410];
  var BACKOFF = [1, 2, 4, 8, 16]; // seconds; then every 30
  var PING_MS = 25000;
  var PONG_GRACE_MS = 2000;
  var RENDER_MS = 120;
  var ANNOUNCE_MS = 5000;
  var HEADING = MODE === "moderator" ? 3 : 2;

  var state = {
    last: null, // seq of the last snapshot or applied update
    awaiting: false, // a resync was asked for: ignore updates until the snapshot
    session: null,
    me: null,
    activities: new Map(),
    participants: new Map(),
    closedCode: null,
  };
  var socket = null;
  var attempt = 0;
  var pingTimer = null;
  var pongTimer = null;
  var renderTimer = null;
  var refs = 0;
  var pending = new Map(); // ref -> {key, activity, onAck, onError}
  var errors = {}; // control key -> translated detail
  var selected = new Set(); // the moderator's selected card ids
  var forms = new Map(); // key -> {sig, node}: kept across renders (typed text survives)
  var sections = new Map(); // activity id -> {node, controls, live, and their versions}
  // Raised on every change of an activity: `versions` for its controls (status, settings,
  // one's own entries, errors), `liveVersions` for what others change (results, cards,
  // questions). A results update then leaves the controls alone, and a number being typed
  // stays as it is.
  var versions = new Map();
  var liveVersions = new Map();
  var dragging = null;

  // --- helpers ---------------------------------------------------------------------------

  function fmt(template, values) {
    return String(template).replace(/%\((\w+)\)s/g, function (match, name) {
      return values[name] === undefined ? match : String(values[name]);
    });
  }

  // el("button", {type: "button", text: "…", onclick: fn, "aria-label": "…"}, [children])
  function el(tag, attrs, children) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (name) {
      var value = attrs[name];
      if (value === undefined || value === null || value === false) {
        return;
      }
      if (name === "text") {
        node.textContent = value;
      } else if (name === "class") {
        node.className = value;
      } else if (name.slice(0, 2) === "on") {
        node.addEventListener(name.slice(2), value);
      } else if (["checked", "disabled", "hidden", "selected", "value", "required"].indexOf(name) >= 0) {
        node[name] = value;
      } else {
        node.setAttribute(name, value === true ? "" : value);
      }
    });
    (children || []).forEach(function (child) {
      if (child === null || child === undefined || child === false) {
        return;
      }
      node.appendChild(typeof child === "string" ? document.createTextNode(child) : child);
    });
    return node;
  }

  function heading(level, text, id) {
    return el("h" + Math.min(level, 6), { text: text, id: id });
  }

  function region(name) {
    return root.querySelector('[data-region="' + name + '"]');
  }

  function bind(name, text) {
    root.querySelectorAll('[data-bind="' + name + '"]').forEach(function (node) {
      node.textContent = text;
    });
  }

  function lines(text) {
    return String(text || "")
      .split("\n")
      .map(function (line) {
        return line.trim();
      })
      .filter(Boolean);
  }

  function sorted(list) {
    return list.slice().sort(function (a, b) {
      return a.position - b.position || a.id - b.id;
    });
  }

  function bumpLive(activityId) {
    if (activityId !== undefined && activityId !== null) {
      liveVersions.set(activityId, (liveVersions.get(activityId) || 0) + 1);
    }
  }

  function bump(activityId) {
    if (activityId !== undefined && activityId !== null) {
      versions.set(activityId, (versions.get(activityId) || 0) + 1);
      bumpLive(activityId);
    }
  }

  function bumpAll() {
    state.activities.forEach(function (activity) {
      bump(activity.id);
    });
  }

  // --- the polite live region: one, throttled ------------------------------------------

  var announcer = region("announcer");
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

  function announce(text, now) {
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

  function setConnection(text, final) {
    var line = region("connection");
    line.textContent = text;
    line.classList.toggle("live-connection-final", Boolean(final));
  }

  // --- the socket ------------------------------------------------------------------------

  function connect() {
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
  function send(message, key, options) {
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

  function applyEvent(event) {
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

  // --- rendering -------------------------------------------------------------------------

  function scheduleRender() {
    if (!renderTimer) {
      renderTimer = window.setTimeout(render, RENDER_MS);
    }
  }

  function render() {
    renderTimer = null;
    if (dragging !== null) {
      scheduleRender(); // do not pull the card from under the pointer
      return;
    }
    var active = document.activeElement;
    var focusKey = active && active.dataset ? active.dataset.focus : null;
    renderSession();
    renderActivities();
    if (MODE === "moderator") {
      renderParticipants();
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
    if (MODE === "moderator") {
      var box = root.querySelector('[data-action="allow-anonymous"]');
      box.checked = session.allow_anonymous;
      var toggle = root.querySelector('[data-action="session-toggle"]');
      toggle.textContent = session.status === "open" ? L.end_session : L.reopen_session;
      var sources = root.querySelector('[data-bind="source-options"]');
      var chosen = sources.value;
      while (sources.options.length > 1) {
        sources.remove(1);
      }
      sorted(Array.from(state.activities.values())).forEach(function (activity) {
        if (activity.kind === "cards") {
          sources.add(
            el("option", {
              value: String(activity.id),
              text: fmt(L.clusters_of, { title: activity.title }),
            })
          );
        }
      });
      sources.value = chosen;
      if (sources.selectedIndex < 0) {
        sources.value = "";
      }
      ["session", "activity-create"].forEach(function (key) {
        var place = root.querySelector('[data-error-for="' + key + '"]');
        place.textContent = errors[key] || "";
        place.hidden = !errors[key];
      });
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
      place.replaceChildren(el("p", { class: "notice", text: L["closed_" + state.closedCode] }));
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

  var BODIES = {
    cards: cardsBody,
    dots: dotsBody,
    poll: pollBody,
    questions: questionsBody,
    mood: moodBody,
  };

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
    var body = BODIES[activity.kind];
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
      if (MODE === "moderator") {
        head.appendChild(moderatorTools(activity, index, list));
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

  function errorNode(key) {
    if (!errors[key]) {
      return null;
    }
    return el("p", { class: "live-error", id: "live-error-" + key, text: errors[key] });
  }

  function describedBy(key) {
    return errors[key] ? "live-error-" + key : null;
  }

  // A form kept across renders while its signature stays the same.
  function keptForm(key, sig, build) {
    var cached = forms.get(key);
    if (!cached || cached.sig !== sig) {
      cached = { sig: sig, node: build() };
      forms.set(key, cached);
    }
    return cached.node;
  }

  function field(label, control, id) {
    control.id = id;
    control.setAttribute("data-focus", id);
    return el("div", { class: "field" }, [el("label", { for: id, text: label }), control]);
  }

  function submitRow(text, key) {
    return el("div", { class: "actions" }, [
      button(text, null, { submit: true, class: "button", focus: key + "-submit" }),
    ]);
  }

  function button(text, onclick, options) {
    options = options || {};
    return el("button", {
      type: options.submit ? "submit" : "button",
      class: options.class || "button-secondary",
      text: text,
      onclick: onclick,
      disabled: options.disabled,
      "aria-label": options.label,
      "aria-describedby": options.describedBy,
      "data-focus": options.focus,
    });
  }

  // --- results ---------------------------------------------------------------------------

  // rows: [{label, value}]; bars for the eye (plain HTML and CSS), a table for screen readers.
  function bars(rows, caption) {
    var max = rows.reduce(function (m, row) {
      return Math.max(m, row.value);
    }, 0);
    var visual = el("div", { class: "live-bars", "aria-hidden": "true" });
    rows.forEach(function (row) {
      var fill = el("span", { class: "live-bar-fill" });
      // CSSOM, not a style attribute: allowed under a strict CSP.
      fill.style.width = (max ? (100 * row.value) / max : 0) + "%";
      visual.appendChild(
        el("div", { class: "live-bar-row" }, [
          el("span", { class: "live-bar-label", text: row.label }),
          el("span", { class: "live-bar" }, [fill]),
          el("span", { class: "live-bar-value", text: String(row.value) }),
        ])
      );
    });
    // Hidden by a wrapper: a table does not shrink to the 1px of .visually-hidden.
    var table = el("table", {}, [
      el("caption", { text: caption }),
      el("thead", {}, [
        el("tr", {}, [el("th", { scope: "col", text: L.option }), el("th", { scope: "col", text: L.number })]),
      ]),
      el(
        "tbody",
        {},
        rows.map(function (row) {
          return el("tr", {}, [
            el("th", { scope: "row", text: row.label }),
            el("td", { text: String(row.value) }),
          ]);
        })
      ),
    ]);
    var hidden = el("div", { class: "visually-hidden" }, [table]);
    return el("div", { class: "live-results" }, [visual, hidden]);
  }

  function resultsBlock(activity, node, build) {
    var wrap = el("div", { class: "live-results-block" }, [
      el("h" + Math.min(HEADING + 1, 6), { text: L.results }),
    ]);
    if (!activity.results) {
      if (MODE !== "moderator") {
        wrap.appendChild(el("p", { class: "muted", text: L.results_hidden }));
        node.appendChild(wrap);
      }
      return;
    }
    build(wrap, activity.results);
    node.appendChild(wrap);
  }

  function optionRows(activity, counts) {
    return ((activity.items && activity.items.options) || []).map(function (option) {
      return { label: option.label, value: counts[option.key] || 0 };
    });
  }

  // --- card collection -------------------------------------------------------------------

  function cardText(card) {
    return card.category ? card.category + ": " + card.text : card.text;
  }

  function cardsBody(activity, node, part) {
    var items = activity.items || {};
    var cards = items.cards || [];
    var clusters = sorted(items.clusters || []);
    if (MODE === "moderator") {
      moderatorCards(activity, node, part, cards, clusters);
      return;
    }
    if (part === "controls") {
      if (MODE === "participant" && activity.status === "open") {
        node.appendChild(cardForm(activity));
        var error = errorNode("a" + activity.id + "-card");
        if (error) {
          node.appendChild(error);
        }
      }
      var own = (MODE === "participant" && activity.mine && activity.mine.cards) || [];
      if (own.length) {
        node.appendChild(el("h" + (HEADING + 1), { text: L.your_cards }));
        node.appendChild(
          el(
            "ul",
            { class: "live-own" },
            own.map(function (card) {
              return el("li", { text: cardText(card) });
            })
          )
        );
      }
      return;
    }
    if (!activity.revealed) {
      return;
    }
    var board = el("div", { class: "live-board" });
    clusters.forEach(function (cluster) {
      var inside = cards.filter(function (card) {
        return card.cluster === cluster.id;
      });
      board.appendChild(
        el("div", { class: "live-cluster" }, [
          el("h" + Math.min(HEADING + 1, 6), { text: cluster.title + " (" + inside.length + ")" }),
          el(
            "ul",
            {},
            inside.map(function (card) {
              return el("li", { class: "live-card", text: cardText(card) });
            })
          ),
        ])
      );
    });
    var loose = cards.filter(function (card) {
      return card.cluster === null;
    });
    if (loose.length) {
      board.appendChild(
        el("div", { class: "live-cluster live-cluster-loose" }, [
          el("h" + Math.min(HEADING + 1, 6), { text: clusters.length ? L.unclustered : L.all_cards }),
          el(
            "ul",
            {},
            loose.map(function (card) {
              return el("li", { class: "live-card", text: cardText(card) });
            })
          ),
        ])
      );
    }
    node.appendChild(board);
  }

  function cardForm(activity) {
    var key = "a" + activity.id + "-card";
    var categories = activity.config.categories || [];
    return keptForm(key, JSON.stringify(activity.config), function () {
      var text = el("textarea", {
        name: "text",
        rows: "2",
        maxlength: String(activity.config.max_length || 140),
        required: true,
      });
      var children = [];
      var select = null;
      if (categories.length) {
        select = el(
          "select",
          { name: "category" },
          categories.map(function (category) {
            return el("option", { value: category, text: category });
          })
        );
        children.push(field(L.category, select, key + "-category"));
      }
      children.push(field(L.card_text, text, key + "-text"));
      children.push(submitRow(L.add_card, key));
      return textEntryForm(activity, key, children, text, function (message) {
        message.type = "card.add";
        if (select) {
          message.category = select.value;
        }
      });
    });
  }

  // A form that sends one text (a card, a question) and empties the field once acknowledged.
  function textEntryForm(activity, key, children, text, complete) {
    var form = el("form", { class: "live-form", novalidate: true }, children);
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      var message = { activity: activity.id, text: text.value.trim() };
      complete(message);
      send(message, key, {
        activity: activity.id,
        onAck: function () {
          text.value = "";
          announce(L.saved, true);
        },
      });
    });
    return form;
  }

  function moderatorCards(activity, node, part, cards, clusters) {
    if (part === "live") {
      var board = el("div", { class: "live-board" });
      clusters.forEach(function (cluster) {
        board.appendChild(clusterBox(activity, cluster, cards, clusters));
      });
      board.appendChild(clusterBox(activity, null, cards, clusters));
      node.appendChild(board);
      return;
    }
    node.appendChild(el("p", { class: "muted", text: L.drop_hint }));
    var key = "a" + activity.id + "-cluster";
    node.appendChild(
      keptForm(key, "", function () {
        var title = el("input", { type: "text", name: "title", maxlength: "120" });
        var form = el("form", { class: "live-form live-inline", novalidate: true }, [
          field(L.cluster_title, title, key + "-title"),
          button(L.new_cluster, null, { submit: true, class: "button", focus: key + "-submit" }),
        ]);
        form.addEventListener("submit", function (event) {
          event.preventDefault();
          // The cards of this activity now, not when the form was built.
          var ids = Array.from(selected).filter(function (id) {
            return (state.activities.get(activity.id).items.cards || []).some(function (card) {
              return card.id === id;
            });
          });
          send({ type: "cluster.create", activity: activity.id, title: title.value.trim(), cards: ids }, key, {
            activity: activity.id,
            onAck: function () {
              title.value = "";
              ids.forEach(function (id) {
                selected.delete(id);
              });
            },
          });
        });
        return form;
      })
    );
    var error = errorNode(key);
    if (error) {
      node.appendChild(error);
    }
  }

  function dropZone(node, onDrop) {
    node.addEventListener("dragover", function (event) {
      if (dragging !== null) {
        event.preventDefault();
        node.classList.add("live-drop");
      }
    });
    node.addEventListener("dragleave", function () {
      node.classList.remove("live-drop");
    });
    node.addEventListener("drop", function (event) {
      event.preventDefault();
      event.stopPropagation();
      node.classList.remove("live-drop");
      var card = dragging;
      dragging = null;
      if (card !== null) {
        onDrop(card);
      }
    });
  }

  function clusterBox(activity, cluster, cards, clusters) {
    var clusterId = cluster ? cluster.id : null;
    var inside = cards.filter(function (card) {
      return card.cluster === clusterId;
    });
    var title = cluster ? cluster.title : L.unclustered;
    var box = el("div", { class: "live-cluster" + (cluster ? "" : " live-cluster-loose") }, [
      el("h" + (HEADING + 1), { text: title + " (" + inside.length + ")" }),
    ]);
    if (cluster) {
      var key = "cl" + cluster.id;
      box.appendChild(
        keptForm(key, cluster.title, function () {
          var name = el("input", { type: "text", maxlength: "120", value: cluster.title });
          var form = el("form", { class: "live-inline", novalidate: true }, [
            field(fmt(L.cluster_name, { title: cluster.title }), name, key + "-name"),
            button(L.rename, null, { submit: true, focus: key + "-submit" }),
          ]);
          form.addEventListener("submit", function (event) {
            event.preventDefault();
            send({ type: "cluster.rename", cluster: cluster.id, title: name.value.trim() }, key, {
              activity: activity.id,
            });
          });
          return form;
        })
      );
      box.appendChild(
        button(
          L.delete_cluster,
          function () {
            send({ type: "cluster.delete", cluster: cluster.id }, key, { activity: activity.id });
          },
          { focus: key + "-delete", label: L.delete_cluster + ": " + cluster.title }
        )
      );
      var error = errorNode(key);
      if (error) {
        box.appendChild(error);
      }
    }
    var list = el(
      "ul",
      { class: "live-cards" },
      inside.map(function (card) {
        return moderatorCard(activity, card, clusters);
      })
    );
    box.appendChild(list);
    dropZone(box, function (cardId) {
      send({ type: "card.move", card: cardId, cluster: clusterId }, "c" + cardId, { activity: activity.id });
    });
    return box;
  }

  function moderatorCard(activity, card, clusters) {
    var key = "c" + card.id;
    var short = card.text.length > 40 ? card.text.slice(0, 39) + "…" : card.text;
    var pick = el("input", {
      type: "checkbox",
      checked: selected.has(card.id),
      "aria-label": fmt(L.select_card, { text: short }),
      "data-focus": key + "-select",
      onchange: function (event) {
        if (event.target.checked) {
          selected.add(card.id);
        } else {
          selected.delete(card.id);
        }
      },
    });
    var move = el(
      "select",
      {
        "aria-label": fmt(L.move_to_cluster, { text: short }),
        "data-focus": key + "-move",
        "aria-describedby": describedBy(key),
        onchange: function (event) {
          var value = event.target.value;
          send({ type: "card.move", card: card.id, cluster: value ? Number(value) : null }, key, {
            activity: activity.id,
          });
        },
      },
      [el("option", { value: "", text: L.no_cluster, selected: card.cluster === null })].concat(
        clusters.map(function (cluster) {
          return el("option", {
            value: String(cluster.id),
            text: cluster.title,
            selected: card.cluster === cluster.id,
          });
        })
      )
    );
    var item = el("li", { class: "live-card" + (card.hidden ? " live-card-hidden" : ""), draggable: "true" }, [
      el("span", { class: "live-card-text" }, [
        pick,
        el("span", { class: "live-card-grip", text: cardText(card) }),
      ]),
      card.hidden ? el("span", { class: "badge", text: L.hidden }) : null,
      el("span", { class: "live-card-tools" }, [
        move,
        button(
          card.hidden ? L.show : L.hide,
          function () {
            send({ type: "card.hide", card: card.id, hidden: !card.hidden }, key, { activity: activity.id });
          },
          { focus: key + "-hide", label: (card.hidden ? L.show : L.hide) + ": " + short }
        ),
      ]),
      errorNode(key),
    ]);
    item.addEventListener("dragstart", function (event) {
      dragging = card.id;
      event.dataTransfer.effectAllowed = "move";
      event.dataTransfer.setData("text/plain", String(card.id));
    });
    item.addEventListener("dragend", function () {
      dragging = null;
    });
    // Onto a card in a cluster: join that cluster; onto a loose card: a new cluster of both.
    dropZone(item, function (cardId) {
      if (cardId === card.id) {
        return;
      }
      if (card.cluster !== null) {
        send({ type: "card.move", card: cardId, cluster: card.cluster }, "c" + cardId, { activity: activity.id });
      } else {
        send(
          { type: "cluster.create", activity: activity.id, title: card.text.slice(0, 120), cards: [card.id, cardId] },
          key,
          { activity: activity.id }
        );
      }
    });
    return item;
  }

  // --- dot voting ------------------------------------------------------------------------

  function dotsBody(activity, node, part) {
    var options = (activity.items && activity.items.options) || [];
    var total = activity.config.dots;
    var perOption = activity.config.max_per_option;
    if (MODE === "participant" && part === "controls") {
      var key = "a" + activity.id + "-dots";
      var allocation = activity.draft || (activity.mine && activity.mine.allocation) || {};
      var used = Object.keys(allocation).reduce(function (sum, k) {
        return sum + (allocation[k] || 0);
      }, 0);
      var open = activity.status === "open";
      node.appendChild(el("p", { text: fmt(L.dots_rule, { total: total, max: perOption }) }));
      node.appendChild(
        el("p", {
          class: "live-dots-left",
          id: key + "-left",
          text: fmt(L.dots_left, { left: total - used, total: total }),
        })
      );
      // Every change builds on the latest allocation, not on the one this render showed:
      // quick clicks come faster than renders, and each message carries the whole allocation.
      var latest = function () {
        return activity.draft || (activity.mine && activity.mine.allocation) || {};
      };
      var setTo = function (optionKey, count) {
        var next = Object.assign({}, latest());
        next[optionKey] = Math.max(0, count);
        activity.draft = next;
        activity.inFlight = (activity.inFlight || 0) + 1;
        bump(activity.id);
        var settled = function () {
          activity.inFlight -= 1;
        };
        send({ type: "dots.set", activity: activity.id, allocation: next }, key, {
          activity: activity.id,
          onAck: settled,
          onError: function () {
            settled();
            if (!activity.inFlight) {
              activity.draft = null;
            }
          },
        });
      };
      var step = function (optionKey, by) {
        var current = latest();
        var spent = Object.keys(current).reduce(function (sum, k) {
          return sum + (current[k] || 0);
        }, 0);
        var now = current[optionKey] || 0;
        if ((by > 0 && (now >= perOption || spent >= total)) || (by < 0 && now <= 0)) {
          return;
        }
        setTo(optionKey, now + by);
      };
      var rows = el("ul", { class: "live-dots" });
      options.forEach(function (option) {
        var count = allocation[option.key] || 0;
        var inputId = key + "-" + option.key;
        var input = el("input", {
          type: "number",
          id: inputId,
          min: "0",
          max: String(perOption),
          value: String(count),
          inputmode: "numeric",
          disabled: !open,
          "data-focus": inputId,
          "aria-describedby": [key + "-left", describedBy(key)].filter(Boolean).join(" "),
          onchange: function (event) {
            var value = parseInt(event.target.value, 10);
            setTo(option.key, isNaN(value) ? 0 : value);
          },
        });
        rows.appendChild(
          el("li", { class: "live-dot-row" }, [
            el("label", { for: inputId, class: "live-dot-label", text: option.label }),
            el("span", { class: "live-dot-controls" }, [
              button("−", function () {
                step(option.key, -1);
              }, {
                disabled: !open || count <= 0,
                label: fmt(L.remove_dot, { option: option.label }),
                focus: inputId + "-minus",
              }),
              input,
              button("+", function () {
                step(option.key, 1);
              }, {
                disabled: !open || count >= perOption || used >= total,
                label: fmt(L.add_dot, { option: option.label }),
                focus: inputId + "-plus",
              }),
            ]),
          ])
        );
      });
      node.appendChild(rows);
      var error = errorNode(key);
      if (error) {
        node.appendChild(error);
      }
    }
    if (part === "live") {
      resultsBlock(activity, node, function (wrap, results) {
        wrap.appendChild(bars(optionRows(activity, results.tally || {}), L.results + ": " + activity.title));
        wrap.appendChild(el("p", { text: fmt(L.voters, { count: results.voters || 0 }) }));
      });
    }
  }

  // --- poll ------------------------------------------------------------------------------

  function pollBody(activity, node, part) {
    var options = (activity.items && activity.items.options) || [];
    var multiple = Boolean(activity.config.multiple);
    if (MODE === "participant" && part === "controls") {
      var key = "a" + activity.id + "-poll";
      var chosen = (activity.mine && activity.mine.options) || [];
      if (activity.status === "open") {
        node.appendChild(
          keptForm(key, JSON.stringify([activity.config, chosen, options]), function () {
            var inputs = [];
            var fieldset = el("fieldset", {}, [el("legend", { text: multiple ? L.choose_many : L.choose_one })]);
            options.forEach(function (option) {
              var id = key + "-" + option.key;
              var input = el("input", {
                type: multiple ? "checkbox" : "radio",
                name: key,
                id: id,
                value: option.key,
                checked: chosen.indexOf(option.key) >= 0,
                "data-focus": id,
              });
              inputs.push(input);
              fieldset.appendChild(
                el("div", { class: "live-check" }, [input, " ", el("label", { for: id, text: option.label })])
              );
            });
            var actions = submitRow(L.answer, key);
            if (chosen.length) {
              actions.appendChild(
                button(L.withdraw, function () {
                  send({ type: "poll.answer", activity: activity.id, options: [] }, key, { activity: activity.id });
                }, { focus: key + "-withdraw" })
              );
            }
            var form = el("form", { class: "live-form", novalidate: true }, [fieldset, actions]);
            form.addEventListener("submit", function (event) {
              event.preventDefault();
              var picked = inputs
                .filter(function (input) {
                  return input.checked;
                })
                .map(function (input) {
                  return input.value;
                });
              send({ type: "poll.answer", activity: activity.id, options: picked }, key, { activity: activity.id });
            });
            return form;
          })
        );
      }
      if (chosen.length) {
        var labels = options
          .filter(function (option) {
            return chosen.indexOf(option.key) >= 0;
          })
          .map(function (option) {
            return option.label;
          });
        node.appendChild(el("p", { class: "live-mine", text: fmt(L.your_answer, { answer: labels.join(", ") }) }));
      }
      var error = errorNode(key);
      if (error) {
        node.appendChild(error);
      }
    }
    if (part === "live") {
      resultsBlock(activity, node, function (wrap, results) {
        wrap.appendChild(bars(optionRows(activity, results.counts || {}), L.results + ": " + activity.title));
        wrap.appendChild(el("p", { text: fmt(L.respondents, { count: results.respondents || 0 }) }));
      });
    }
  }

  // --- questions -------------------------------------------------------------------------

  function questionForm(activity, node) {
    var key = "a" + activity.id + "-ask";
    node.appendChild(
      keptForm(key, JSON.stringify(activity.config), function () {
        var text = el("textarea", { rows: "2", maxlength: "280", required: true });
        var children = [field(L.question_text, text, key + "-text")];
        var anonymous = null;
        if (activity.config.anonymous) {
          anonymous = el("input", { type: "checkbox", id: key + "-anonymous", "data-focus": key + "-anonymous" });
          children.push(
            el("div", { class: "live-check" }, [
              anonymous,
              " ",
              el("label", { for: key + "-anonymous", text: L.ask_anonymously }),
            ])
          );
        }
        children.push(submitRow(L.ask, key));
        return textEntryForm(activity, key, children, text, function (message) {
          message.type = "question.ask";
          if (anonymous) {
            message.anonymous = anonymous.checked;
          }
        });
      })
    );
    var error = errorNode(key);
    if (error) {
      node.appendChild(error);
    }
  }

  function questionsBody(activity, node, part) {
    var votes = (activity.results && activity.results.votes) || {};
    var mine = activity.mine || {};
    var ownIds = (mine.asked || []).map(function (q) {
      return q.id;
    });
    var upvoted = mine.upvoted || [];
    var list = (activity.items && activity.items.questions) || [];
    if (MODE === "participant" && !activity.revealed) {
      list = mine.asked || [];
    }
    if (part === "controls") {
      if (MODE === "participant" && activity.status === "open") {
        questionForm(activity, node);
      }
      return;
    }
    var ordered = list.slice().sort(function (a, b) {
      return (b.pinned - a.pinned) || ((votes[b.id] || 0) - (votes[a.id] || 0)) || a.id - b.id;
    });
    if (MODE === "projector") {
      ordered = ordered.filter(function (q) {
        return !q.answered;
      });
    }
    var items = el("ul", { class: "live-questions" });
    ordered.forEach(function (question) {
      var qkey = "q" + question.id;
      var count = votes[question.id] || 0;
      var voteText = count === 1 ? L.vote_one : fmt(L.votes, { count: count });
      var badges = [];
      if (question.pinned) {
        badges.push(el("span", { class: "badge", text: L.pinned }));
      }
      if (question.answered) {
        badges.push(el("span", { class: "badge", text: L.answered }));
      }
      if (question.hidden) {
        badges.push(el("span", { class: "badge", text: L.hidden }));
      }
      var item = el("li", { class: "live-question" + (question.answered ? " live-question-answered" : "") }, [
        el("p", { class: "live-question-text", text: question.text }),
        el("p", { class: "live-meta" }, [(question.author || L.anonymous) + " · " + voteText, " "].concat(badges)),
      ]);
      if (MODE === "participant" && activity.status === "open") {
        var own = ownIds.indexOf(question.id) >= 0;
        var done = upvoted.indexOf(question.id) >= 0;
        item.appendChild(
          button(own ? L.own_question : done ? L.upvoted : L.upvote, function () {
            send({ type: "question.upvote", question: question.id }, qkey, { activity: activity.id });
          }, {
            disabled: own || done,
            focus: qkey + "-upvote",
            describedBy: describedBy(qkey),
          })
        );
      }
      if (MODE === "moderator") {
        var mark = function (change) {
          var message = Object.assign({ type: "question.mark", question: question.id }, change);
          send(message, qkey, { activity: activity.id });
        };
        item.appendChild(
          el("div", { class: "actions" }, [
            button(question.answered ? L.mark_unanswered : L.mark_answered, function () {
              mark({ answered: !question.answered });
            }, { focus: qkey + "-answered" }),
            button(question.pinned ? L.unpin : L.pin, function () {
              mark({ pinned: !question.pinned });
            }, { focus: qkey + "-pinned" }),
            button(question.hidden ? L.show : L.hide, function () {
              mark({ hidden: !question.hidden });
            }, { focus: qkey + "-hidden" }),
          ])
        );
      }
      var error = errorNode(qkey);
      if (error) {
        item.appendChild(error);
      }
      items.appendChild(item);
    });
    if (ordered.length) {
      node.appendChild(items);
    }
  }

  // --- mood round ------------------------------------------------------------------------

  function moodBody(activity, node, part) {
    var word = activity.config.mode === "word";
    if (MODE === "participant" && part === "controls") {
      var key = "a" + activity.id + "-mood";
      var mine = activity.mine || {};
      if (activity.status === "open") {
        node.appendChild(
          keptForm(key, JSON.stringify([activity.config, mine]), function () {
            var read;
            var children = [];
            if (word) {
              var input = el("input", { type: "text", maxlength: "30", value: mine.value ? String(mine.value) : "" });
              children.push(field(L.mood_word, input, key + "-word"));
              read = function () {
                return input.value.trim();
              };
            } else {
              var radios = [];
              var fieldset = el("fieldset", { class: "live-scale" }, [el("legend", { text: L.mood_scale })]);
              [1, 2, 3, 4, 5].forEach(function (value) {
                var id = key + "-" + value;
                var radio = el("input", {
                  type: "radio",
                  name: key,
                  id: id,
                  value: String(value),
                  checked: mine.value === value,
                  "data-focus": id,
                });
                radios.push(radio);
                fieldset.appendChild(
                  el("span", { class: "live-check" }, [radio, " ", el("label", { for: id, text: String(value) })])
                );
              });
              children.push(fieldset);
              read = function () {
                var picked = radios.filter(function (radio) {
                  return radio.checked;
                })[0];
                return picked ? Number(picked.value) : 0;
              };
            }
            children.push(submitRow(L.send, key));
            var form = el("form", { class: "live-form", novalidate: true }, children);
            form.addEventListener("submit", function (event) {
              event.preventDefault();
              send({ type: "mood.set", activity: activity.id, value: read() }, key, {
                activity: activity.id,
                onAck: function () {
                  announce(L.saved, true);
                },
              });
            });
            return form;
          })
        );
      }
      if (mine.value !== undefined) {
        node.appendChild(el("p", { class: "live-mine", text: fmt(L.your_value, { value: mine.value }) }));
      }
      var error = errorNode(key);
      if (error) {
        node.appendChild(error);
      }
    }
    if (part === "live") {
      resultsBlock(activity, node, function (wrap, results) {
        var rows;
        if (word) {
          rows = (results.words || []).map(function (entry) {
            return { label: entry.word, value: entry.count };
          });
        } else {
          var distribution = results.distribution || {};
          rows = ["1", "2", "3", "4", "5"].map(function (value) {
            return { label: value, value: distribution[value] || 0 };
          });
        }
        wrap.appendChild(bars(rows, L.results + ": " + activity.title));
        wrap.appendChild(el("p", { text: fmt(L.respondents, { count: results.count || 0 }) }));
      });
    }
  }

  // --- an activity's settings (the create form's fieldset of its kind) ---------------------

  function configFrom(kind, part) {
    var value = function (name) {
      return part.querySelector('[name="' + name + '"]');
    };
    var number = function (name) {
      return parseInt(value(name).value, 10);
    };
    if (kind === "cards") {
      return { categories: lines(value("categories").value), max_length: number("max_length") };
    }
    if (kind === "dots") {
      var config = { dots: number("dots"), max_per_option: number("max_per_option") };
      if (value("source").value) {
        config.source = Number(value("source").value);
      } else {
        config.options = lines(value("options").value);
      }
      return config;
    }
    if (kind === "poll") {
      return { options: lines(value("options").value), multiple: value("multiple").checked };
    }
    if (kind === "questions") {
      return { anonymous: value("anonymous").checked };
    }
    return { mode: part.querySelector('[name="mode"]:checked').value };
  }

  function showConfig(part, config) {
    var set = function (name, text) {
      var control = part.querySelector('[name="' + name + '"]');
      if (control && text !== undefined) {
        control.value = String(text);
      }
    };
    var labels = (config.options || []).map(function (option) {
      return option.label;
    });
    set("categories", (config.categories || []).join("\n"));
    set("max_length", config.max_length);
    set("dots", config.dots);
    set("max_per_option", config.max_per_option);
    set("source", config.source === undefined ? "" : config.source);
    set("options", labels.join("\n"));
    part.querySelectorAll('input[type="checkbox"]').forEach(function (box) {
      box.checked = Boolean(config[box.name]);
    });
    part.querySelectorAll('input[type="radio"]').forEach(function (radio) {
      radio.checked = radio.value === config[radio.name];
    });
  }

  // A draft's settings, in a copy of the create form's fieldset with ids of its own.
  function settingsForm(activity, key, act) {
    return keptForm(key + "-settings", JSON.stringify(activity.config), function () {
      var template = root.querySelector(
        '[data-form="activity-create"] fieldset[data-kind="' + activity.kind + '"]'
      );
      var part = template.cloneNode(true);
      part.hidden = false;
      part.disabled = false;
      part.removeAttribute("data-kind");
      part.querySelectorAll("[data-bind]").forEach(function (node) {
        node.removeAttribute("data-bind");
      });
      part.querySelectorAll("[id]").forEach(function (node) {
        node.id = key + "-" + node.id;
      });
      part.querySelectorAll("label[for]").forEach(function (label) {
        label.htmlFor = key + "-" + label.htmlFor;
      });
      part.querySelector("legend").textContent = fmt(L.settings_of, { title: activity.title });
      showConfig(part, activity.config || {});
      var form = el("form", { class: "live-form", novalidate: true }, [
        part,
        submitRow(L.save_settings, key + "-settings"),
      ]);
      form.addEventListener("submit", function (event) {
        event.preventDefault();
        act({ type: "activity.update", config: configFrom(activity.kind, part) });
      });
      return form;
    });
  }

  // --- the moderator's controls ----------------------------------------------------------

  function moderatorTools(activity, index, list) {
    var key = "a" + activity.id;
    var act = function (message) {
      message.activity = activity.id;
      send(message, key, { activity: activity.id });
    };
    var tools = el("div", { class: "actions live-tools" }, [
      activity.status === "open"
        ? button(L.close, function () {
            act({ type: "activity.close" });
          }, { focus: key + "-status", class: "button" })
        : button(L.open, function () {
            act({ type: "activity.open" });
          }, { focus: key + "-status", class: "button" }),
      button(activity.revealed ? L.unreveal : L.reveal, function () {
        act({ type: "activity.reveal", revealed: !activity.revealed });
      }, { focus: key + "-reveal" }),
      button(L.move_up, function () {
        act({ type: "activity.move", position: index - 1 });
      }, { focus: key + "-up", disabled: index === 0 }),
      button(L.move_down, function () {
        act({ type: "activity.move", position: index + 1 });
      }, { focus: key + "-down", disabled: index === list.length - 1 }),
      activity.status === "draft"
        ? button(L.delete, function () {
            if (window.confirm(L.confirm_delete)) {
              act({ type: "activity.delete" });
            }
          }, { focus: key + "-delete", class: "button-secondary live-danger" })
        : null,
    ]);
    var rename = keptForm(key + "-title", activity.title, function () {
      var name = el("input", { type: "text", maxlength: "200", value: activity.title });
      var form = el("form", { class: "live-inline", novalidate: true }, [
        field(fmt(L.activity_title, { title: activity.title }), name, key + "-title-name"),
        button(L.rename, null, { submit: true, focus: key + "-title-submit" }),
      ]);
      form.addEventListener("submit", function (event) {
        event.preventDefault();
        act({ type: "activity.update", title: name.value.trim() });
      });
      return form;
    });
    var settings = activity.status === "draft" ? settingsForm(activity, key, act) : null;
    var error = errorNode(key);
    return el("div", {}, [tools, rename, settings, error]);
  }

  function renderParticipants() {
    var place = region("participants");
    var people = Array.from(state.participants.values()).sort(function (a, b) {
      return a.display_name.localeCompare(b.display_name) || a.id - b.id;
    });
    place.replaceChildren.apply(
      place,
      people.map(function (person) {
        var key = "p" + person.id;
        return el("li", {}, [
          person.display_name,
          person.removed ? el("span", { class: "badge", text: L.removed }) : null,
          person.removed
            ? null
            : button(L.remove, function () {
                if (window.confirm(fmt(L.confirm_remove, { name: person.display_name }))) {
                  send({ type: "participant.remove", participant: person.id }, key);
                }
              }, { focus: key + "-remove", label: L.remove + ": " + person.display_name }),
          errorNode(key),
        ]);
      })
    );
  }

  function moderatorSetup() {
    var allow = root.querySelector('[data-action="allow-anonymous"]');
    allow.addEventListener("change", function () {
      send({ type: "session.update", allow_anonymous: allow.checked }, "session");
    });
    root.querySelector('[data-action="session-toggle"]').addEventListener("click", function () {
      if (state.session && state.session.status === "open") {
        if (window.confirm(L.confirm_end)) {
          send({ type: "session.end" }, "session");
        }
      } else {
        send({ type: "session.reopen" }, "session");
      }
    });
    var form = root.querySelector('[data-form="activity-create"]');
    var kind = form.elements.kind;
    var showKind = function () {
      form.querySelectorAll("fieldset[data-kind]").forEach(function (fieldset) {
        var on = fieldset.dataset.kind === kind.value;
        fieldset.hidden = !on;
        fieldset.disabled = !on;
      });
    };
    kind.addEventListener("change", showKind);
    showKind();
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      var part = form.querySelector('fieldset[data-kind="' + kind.value + '"]');
      var config = configFrom(kind.value, part);
      var title = form.elements.title;
      send({ type: "activity.create", kind: kind.value, title: title.value.trim(), config: config }, "activity-create", {
        onAck: function () {
          title.value = "";
          form.querySelectorAll("textarea").forEach(function (area) {
            area.value = "";
          });
          announce(L.created, true);
        },
      });
    });
  }

  if (MODE === "moderator") {
    moderatorSetup();
  }
  connect();
})();
