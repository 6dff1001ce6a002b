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

// A KERN input, select or textarea with its label.
export function field(text, control, id) {
  control.id = id;
  control.setAttribute("data-focus", id);
  var select = control.tagName === "SELECT";
  control.classList.add(select ? "kern-form-input__select" : "kern-form-input__input");
  return el("div", { class: "kern-form-input field" }, [
    el("label", { class: "kern-label", for: id, text: text }),
    select ? el("div", { class: "kern-form-input__select-wrapper" }, [control]) : control,
  ]);
}

// A KERN checkbox or radio button with its label.
export function check(input, text) {
  input.classList.add(input.type === "radio" ? "kern-form-check__radio" : "kern-form-check__checkbox");
  return el("div", { class: "kern-form-check" }, [
    input,
    el("label", { class: "kern-label", for: input.id, text: text }),
  ]);
}

// A KERN fieldset: its legend and the body its choices go into.
export function fieldset(legend, options) {
  var body = el("div", {
    class: "kern-fieldset__body" + (options && options.horizontal ? " kern-fieldset__body--horizontal" : ""),
  });
  var node = el("fieldset", { class: "kern-fieldset" + (options && options.class ? " " + options.class : "") }, [
    el("legend", { class: "kern-label", text: legend }),
    body,
  ]);
  return { node: node, body: body };
}

export function submitRow(text, key) {
  return el("div", { class: "actions" }, [
    button(text, null, { submit: true, kind: "primary", focus: key + "-submit" }),
  ]);
}

// A KERN button: `kind` "primary" for the main action of a part, "secondary" (the default)
// or "tertiary"; `class` adds classes of our own. KERN colours the text of its label span.
export function button(text, onclick, options) {
  options = options || {};
  var classes = "kern-btn kern-btn--" + (options.kind || "secondary");
  return el(
    "button",
    {
      type: options.submit ? "submit" : "button",
      class: options.class ? classes + " " + options.class : classes,
      onclick: onclick,
      disabled: options.disabled,
      "aria-label": options.label,
      "aria-describedby": options.describedBy,
      "data-focus": options.focus,
    },
    [label(text)]
  );
}

export function label(text) {
  return el("span", { class: "kern-label", text: text });
}

// A state shown as a small KERN badge; `tone` is info, success, warning or danger.
export function badge(text, tone) {
  return el("span", { class: "kern-badge kern-badge--small kern-badge--" + (tone || "info") }, [label(text)]);
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
