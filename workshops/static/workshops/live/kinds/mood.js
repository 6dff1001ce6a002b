// A mood round: a value from 1 to 5, or one word; the results are their distribution.
import { MODE, L } from "../page.js";
import { el, fmt } from "../dom.js";
import { send } from "../connection.js";
import { announce } from "../announce.js";
import { check, errorNode, field, fieldset, keptForm, submitRow } from "../controls.js";
import { bars, resultsBlock } from "../results.js";

export function moodBody(activity, node, part) {
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
            var group = fieldset(L.mood_scale, { horizontal: true, class: "live-scale" });
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
              group.body.appendChild(check(radio, String(value)));
            });
            children.push(group.node);
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
