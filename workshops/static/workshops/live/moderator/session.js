// The console's session panel: allow anonymous participants, end or reopen the session,
// the form that creates an activity, and the list of participants.
import { root, L } from "../page.js";
import { el, fmt, region, sorted } from "../dom.js";
import { announce } from "../announce.js";
import { state, errors } from "../state.js";
import { send } from "../connection.js";
import { badge, button, errorNode, label } from "../controls.js";
import { configFrom } from "./activity.js";

// The session's controls, redrawn with every render.
export function renderSessionControls(session) {
  var box = root.querySelector('[data-action="allow-anonymous"]');
  box.checked = session.allow_anonymous;
  var toggle = root.querySelector('[data-action="session-toggle"]');
  toggle.replaceChildren(label(session.status === "open" ? L.end_session : L.reopen_session));
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

// The list of participants; while nobody has joined, a sentence says so instead.
export function renderParticipants() {
  var place = region("participants");
  var people = Array.from(state.participants.values()).sort(function (a, b) {
    return a.display_name.localeCompare(b.display_name) || a.id - b.id;
  });
  place.hidden = people.length === 0;
  region("participants-empty").hidden = people.length > 0;
  place.replaceChildren.apply(
    place,
    people.map(function (person) {
      var key = "p" + person.id;
      return el("li", {}, [
        person.display_name,
        person.removed ? badge(L.removed, "danger") : null,
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

export function moderatorSetup() {
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
