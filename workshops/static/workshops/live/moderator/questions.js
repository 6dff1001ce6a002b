// Questions on the console: each can be marked answered, pinned or hidden.
import { L } from "../page.js";
import { el } from "../dom.js";
import { send } from "../connection.js";
import { button } from "../controls.js";
import { questionList } from "../kinds/questions.js";

function markButtons(activity, question, qkey) {
  var mark = function (change) {
    var message = Object.assign({ type: "question.mark", question: question.id }, change);
    send(message, qkey, { activity: activity.id });
  };
  return el("div", { class: "actions" }, [
    button(question.answered ? L.mark_unanswered : L.mark_answered, function () {
      mark({ answered: !question.answered });
    }, { focus: qkey + "-answered" }),
    button(question.pinned ? L.unpin : L.pin, function () {
      mark({ pinned: !question.pinned });
    }, { focus: qkey + "-pinned" }),
    button(question.hidden ? L.show : L.hide, function () {
      mark({ hidden: !question.hidden });
    }, { focus: qkey + "-hidden" }),
  ]);
}

export function questionsBody(activity, node, part) {
  questionList(activity, node, part, markButtons);
}
