// An activity's results: bars for the eye (plain HTML and CSS), a table for screen readers.
import { MODE, L, HEADING } from "./page.js";
import { el } from "./dom.js";

// rows: [{label, value}]
export function bars(rows, caption) {
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

export function resultsBlock(activity, node, build) {
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

export function optionRows(activity, counts) {
  return ((activity.items && activity.items.options) || []).map(function (option) {
    return { label: option.label, value: counts[option.key] || 0 };
  });
}
