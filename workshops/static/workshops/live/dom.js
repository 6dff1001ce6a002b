// Everything on the screen is built with DOM methods and textContent.
import { root } from "./page.js";

export function fmt(template, values) {
  return String(template).replace(/%\((\w+)\)s/g, function (match, name) {
    return values[name] === undefined ? match : String(values[name]);
  });
}

// el("button", {type: "button", text: "…", onclick: fn, "aria-label": "…"}, [children])
export function el(tag, attrs, children) {
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

export function heading(level, text, id) {
  return el("h" + Math.min(level, 6), { text: text, id: id });
}

export function region(name) {
  return root.querySelector('[data-region="' + name + '"]');
}

export function bind(name, text) {
  root.querySelectorAll('[data-bind="' + name + '"]').forEach(function (node) {
    node.textContent = text;
  });
}

export function lines(text) {
  return String(text || "")
    .split("\n")
    .map(function (line) {
      return line.trim();
    })
    .filter(Boolean);
}

export function sorted(list) {
  return list.slice().sort(function (a, b) {
    return a.position - b.position || a.id - b.id;
  });
}
