// The pieces the activities' controls are built from: buttons, labelled fields, forms kept
// across renders, and the error shown beside the control that sent an action.
import { L } from "./page.js";
import { el } from "./dom.js";
import { announce } from "./announce.js";
import { errors, forms } from "./state.js";
import { send } from "./connection.js";

export function errorNode(key) {
  if (!errors[key]) {
    return null;
  }
  return el("p", { class: "live-error", id: "live-error-" + key, text: errors[key] });
}

export function describedBy(key) {
  return errors[key] ? "live-error-" + key : null;
}

// A form kept across renders while its signature stays the same.
export function keptForm(key, sig, build) {
  var cached = forms.get(key);
  if (!cached || cached.sig !== sig) {
    cached = { sig: sig, node: build() };
    forms.set(key, cached);
  }
  return cached.node;
}

export function field(label, control, id) {
  control.id = id;
  control.setAttribute("data-focus", id);
  return el("div", { class: "field" }, [el("label", { for: id, text: label }), control]);
}

export function submitRow(text, key) {
  return el("div", { class: "actions" }, [
    button(text, null, { submit: true, class: "button", focus: key + "-submit" }),
  ]);
}

export function button(text, onclick, options) {
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

// A form that sends one text (a card, a question) and empties the field once acknowledged.
export function textEntryForm(activity, key, children, text, complete) {
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
