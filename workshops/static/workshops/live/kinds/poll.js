// A poll: one option or several; the results count the answers.
import { MODE, L } from "../page.js";
import { el, fmt } from "../dom.js";
import { send } from "../connection.js";
import { button, check, errorNode, fieldset, keptForm, submitRow } from "../controls.js";
import { bars, optionRows, resultsBlock } from "../results.js";

export function pollBody(activity, node, part) {
  var options = (activity.items && activity.items.options) || [];
  var multiple = Boolean(activity.config.multiple);
  if (MODE === "participant" && part === "controls") {
    var key = "a" + activity.id + "-poll";
    var chosen = (activity.mine && activity.mine.options) || [];
    if (activity.status === "open") {
      node.appendChild(
        keptForm(key, JSON.stringify([activity.config, chosen, options]), function () {
          var inputs = [];
          var group = fieldset(multiple ? L.choose_many : L.choose_one);
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
            group.body.appendChild(check(input, option.label));
          });
          var actions = submitRow(L.answer, key);
          if (chosen.length) {
            actions.appendChild(
              button(L.withdraw, function () {
                send({ type: "poll.answer", activity: activity.id, options: [] }, key, { activity: activity.id });
              }, { focus: key + "-withdraw" })
            );
          }
          var form = el("form", { class: "live-form", novalidate: true }, [group.node, actions]);
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
