// Autosave of answers, for any app whose response page follows these keys: each question
// is an element with class "question" and an id, redrawn by htmx (its inputs save
// themselves on "change"); a refused entry comes back with class "question-error"; elements
// with class "autosave-only" or "no-autosave" show with or without this script.
//
// Autosave redraws a whole question only when the server changed its inputs: a conflict, a
// refused entry, a cleared answer. Whatever was typed into the question while that save was
// on its way is carried into the redrawn inputs, so nothing typed is lost. After a save that
// went through, the carried entries are saved too; after a conflict or a refused entry the
// respondent decides first.
(function () {
  "use strict";
  var carried = {};
  // Answers save themselves: the page says so and hides the section's save buttons.
  document.documentElement.classList.add("autosave");

  function changedSinceSent(question, sent) {
    var changes = [];
    question.querySelectorAll("input[id], textarea[id]").forEach(function (control) {
      if (control.type === "hidden" || control.type === "file" || control.disabled) {
        return;
      }
      if (control.type === "radio" || control.type === "checkbox") {
        var wasChecked = sent.getAll(control.name).indexOf(control.value) !== -1;
        if (control.checked !== wasChecked) {
          changes.push({ id: control.id, checked: control.checked });
        }
      } else if (sent.has(control.name) && sent.get(control.name) !== control.value) {
        changes.push({
          id: control.id,
          value: control.value,
          start: control.selectionStart,
          end: control.selectionEnd,
        });
      }
    });
    return changes;
  }

  document.addEventListener("htmx:beforeSwap", function (event) {
    var target = event.detail.target;
    var config = event.detail.requestConfig;
    if (!target || !target.classList.contains("question") || !config || !config.formData) {
      return;
    }
    var changes = changedSinceSent(target, config.formData);
    if (changes.length) {
      carried[target.id] = { changes: changes, save: event.detail.xhr.status < 300 };
    }
  });

  document.addEventListener("htmx:afterSwap", function (event) {
    var question = event.target;
    var entry = question && carried[question.id];
    if (!entry || entry.applied) {
      return;
    }
    entry.applied = true;
    entry.changes.forEach(function (change) {
      var control = document.getElementById(change.id);
      if (!control || !question.contains(control)) {
        return;
      }
      if ("checked" in change) {
        control.checked = change.checked;
      } else {
        control.value = change.value;
        if (control === document.activeElement && control.setSelectionRange) {
          try {
            control.setSelectionRange(change.start, change.end);
          } catch (error) {
            // inputs such as type=date have no selection
          }
        }
      }
    });
  });

  // htmx wires up the redrawn question when it settles; only then does "change" save it.
  document.addEventListener("htmx:afterSettle", function (event) {
    var question = event.target;
    // A refused entry: unless the respondent is in another field (or on a link, a button),
    // the focus goes to the refused field.
    if (question && question.classList && question.classList.contains("question-error")) {
      var active = document.activeElement;
      if (!active || !active.matches("input, textarea, select, button, a[href]")) {
        var invalid = question.querySelector(
          "input[aria-invalid='true'], textarea[aria-invalid='true'], " +
            "input:not([type=hidden]):not([disabled]), textarea:not([disabled])"
        );
        if (invalid) {
          invalid.focus();
        }
      }
    }
    var entry = question && carried[question.id];
    if (!entry || !entry.applied) {
      return;
    }
    delete carried[question.id];
    if (entry.save) {
      question.dispatchEvent(new Event("change", { bubbles: true }));
    }
  });
})();
