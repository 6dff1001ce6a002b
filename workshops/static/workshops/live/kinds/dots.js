// Dot voting: each participant spreads a number of dots over the options, at most so many
// on one; the results count the dots.
import { MODE, L } from "../page.js";
import { el, fmt } from "../dom.js";
import { announce } from "../announce.js";
import { bump } from "../state.js";
import { send } from "../connection.js";
import { button, describedBy, errorNode } from "../controls.js";
import { bars, optionRows, resultsBlock } from "../results.js";

export function dotsBody(activity, node, part) {
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
        onAck: function (result) {
          settled();
          // Once, after the last of a burst of changes is stored: what is left to spend.
          if (!activity.inFlight) {
            var stored = (result.mine && result.mine.allocation) || latest();
            var spent = Object.keys(stored).reduce(function (sum, k) {
              return sum + (stored[k] || 0);
            }, 0);
            announce(fmt(L.dots_left, { left: total - spent, total: total }), true);
          }
        },
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
        class: "kern-form-input__input",
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
