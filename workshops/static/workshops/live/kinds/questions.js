// Questions: participants ask and upvote; the list is ordered pinned first, then by votes.
// The console adds its own buttons to each question (moderator/questions.js).
import { MODE, L } from "../page.js";
import { el, fmt } from "../dom.js";
import { send } from "../connection.js";
import { badge, button, check, describedBy, errorNode, field, keptForm, submitRow, textEntryForm } from "../controls.js";

function questionForm(activity, node) {
  var key = "a" + activity.id + "-ask";
  node.appendChild(
    keptForm(key, JSON.stringify(activity.config), function () {
      var text = el("textarea", { rows: "2", maxlength: "280", required: true });
      var children = [field(L.question_text, text, key + "-text")];
      var anonymous = null;
      if (activity.config.anonymous) {
        anonymous = el("input", { type: "checkbox", id: key + "-anonymous", "data-focus": key + "-anonymous" });
        children.push(check(anonymous, L.ask_anonymously));
      }
      children.push(submitRow(L.ask, key));
      return textEntryForm(activity, key, children, text, function (message) {
        message.type = "question.ask";
        if (anonymous) {
          message.anonymous = anonymous.checked;
        }
      });
    })
  );
  var error = errorNode(key);
  if (error) {
    node.appendChild(error);
  }
}

export function questionsBody(activity, node, part) {
  questionList(activity, node, part, null);
}

// `tools(activity, question, key)`: the controls the page adds to each question, if any.
export function questionList(activity, node, part, tools) {
  var votes = (activity.results && activity.results.votes) || {};
  var mine = activity.mine || {};
  var ownIds = (mine.asked || []).map(function (q) {
    return q.id;
  });
  var upvoted = mine.upvoted || [];
  var list = (activity.items && activity.items.questions) || [];
  if (MODE === "participant" && !activity.revealed) {
    list = mine.asked || [];
  }
  if (part === "controls") {
    if (MODE === "participant" && activity.status === "open") {
      questionForm(activity, node);
    }
    return;
  }
  var ordered = list.slice().sort(function (a, b) {
    return (b.pinned - a.pinned) || ((votes[b.id] || 0) - (votes[a.id] || 0)) || a.id - b.id;
  });
  if (MODE === "projector") {
    ordered = ordered.filter(function (q) {
      return !q.answered;
    });
  }
  var items = el("ul", { class: "live-questions" });
  ordered.forEach(function (question) {
    var qkey = "q" + question.id;
    var count = votes[question.id] || 0;
    var voteText = count === 1 ? L.vote_one : fmt(L.votes, { count: count });
    var badges = [];
    if (question.pinned) {
      badges.push(badge(L.pinned, "info"));
    }
    if (question.answered) {
      badges.push(badge(L.answered, "success"));
    }
    if (question.hidden) {
      badges.push(badge(L.hidden, "warning"));
    }
    var item = el("li", { class: "live-question" + (question.answered ? " live-question-answered" : "") }, [
      el("p", { class: "live-question-text", text: question.text }),
      el("p", { class: "live-meta" }, [(question.author || L.anonymous) + " · " + voteText, " "].concat(badges)),
    ]);
    if (MODE === "participant" && activity.status === "open") {
      var own = ownIds.indexOf(question.id) >= 0;
      var done = upvoted.indexOf(question.id) >= 0;
      item.appendChild(
        button(own ? L.own_question : done ? L.upvoted : L.upvote, function () {
          send({ type: "question.upvote", question: question.id }, qkey, { activity: activity.id });
        }, {
          disabled: own || done,
          focus: qkey + "-upvote",
          describedBy: describedBy(qkey),
        })
      );
    }
    if (tools) {
      item.appendChild(tools(activity, question, qkey));
    }
    var error = errorNode(qkey);
    if (error) {
      item.appendChild(error);
    }
    items.appendChild(item);
  });
  if (ordered.length) {
    node.appendChild(items);
  }
}
