// The console's controls of one activity: open or close, reveal, move, delete, rename, and
// a draft's settings (in a copy of the create form's fieldset of its kind).
import { root, L } from "../page.js";
import { el, fmt, lines } from "../dom.js";
import { send } from "../connection.js";
import { button, errorNode, field, keptForm, submitRow } from "../controls.js";

export function configFrom(kind, part) {
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


export function moderatorTools(activity, index, list) {
  var key = "a" + activity.id;
  var act = function (message) {
    message.activity = activity.id;
    send(message, key, { activity: activity.id });
  };
  var tools = el("div", { class: "actions live-tools" }, [
    activity.status === "open"
      ? button(L.close, function () {
          act({ type: "activity.close" });
        }, { focus: key + "-status", kind: "primary" })
      : button(L.open, function () {
          act({ type: "activity.open" });
        }, { focus: key + "-status", kind: "primary" }),
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
        }, { focus: key + "-delete", class: "live-danger" })
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
