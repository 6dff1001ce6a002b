// Card collection, as participants and the projector see it: the form to add a card, one's
// own cards, and the revealed board of clusters.
import { MODE, L, HEADING } from "../page.js";
import { el, sorted } from "../dom.js";
import { errorNode, field, keptForm, submitRow, textEntryForm } from "../controls.js";

export function cardText(card) {
  return card.category ? card.category + ": " + card.text : card.text;
}

export function cardsBody(activity, node, part) {
  var items = activity.items || {};
  var cards = items.cards || [];
  var clusters = sorted(items.clusters || []);
  if (part === "controls") {
    if (MODE === "participant" && activity.status === "open") {
      node.appendChild(cardForm(activity));
      var error = errorNode("a" + activity.id + "-card");
      if (error) {
        node.appendChild(error);
      }
    }
    var own = (MODE === "participant" && activity.mine && activity.mine.cards) || [];
    if (own.length) {
      node.appendChild(el("h" + (HEADING + 1), { text: L.your_cards }));
      node.appendChild(
        el(
          "ul",
          { class: "live-own" },
          own.map(function (card) {
            return el("li", { text: cardText(card) });
          })
        )
      );
    }
    return;
  }
  if (!activity.revealed) {
    return;
  }
  var board = el("div", { class: "live-board" });
  clusters.forEach(function (cluster) {
    var inside = cards.filter(function (card) {
      return card.cluster === cluster.id;
    });
    board.appendChild(
      el("div", { class: "live-cluster" }, [
        el("h" + Math.min(HEADING + 1, 6), { text: cluster.title + " (" + inside.length + ")" }),
        el(
          "ul",
          {},
          inside.map(function (card) {
            return el("li", { class: "live-card", text: cardText(card) });
          })
        ),
      ])
    );
  });
  var loose = cards.filter(function (card) {
    return card.cluster === null;
  });
  if (loose.length) {
    board.appendChild(
      el("div", { class: "live-cluster live-cluster-loose" }, [
        el("h" + Math.min(HEADING + 1, 6), { text: clusters.length ? L.unclustered : L.all_cards }),
        el(
          "ul",
          {},
          loose.map(function (card) {
            return el("li", { class: "live-card", text: cardText(card) });
          })
        ),
      ])
    );
  }
  node.appendChild(board);
}

function cardForm(activity) {
  var key = "a" + activity.id + "-card";
  var categories = activity.config.categories || [];
  return keptForm(key, JSON.stringify(activity.config), function () {
    var text = el("textarea", {
      name: "text",
      rows: "2",
      maxlength: String(activity.config.max_length || 140),
      required: true,
    });
    var children = [];
    var select = null;
    if (categories.length) {
      select = el(
        "select",
        { name: "category" },
        categories.map(function (category) {
          return el("option", { value: category, text: category });
        })
      );
      children.push(field(L.category, select, key + "-category"));
    }
    children.push(field(L.card_text, text, key + "-text"));
    children.push(submitRow(L.add_card, key));
    return textEntryForm(activity, key, children, text, function (message) {
      message.type = "card.add";
      if (select) {
        message.category = select.value;
      }
    });
  });
}
