// Card collection on the console: the whole board, clusters made by selecting or dragging
// cards, renamed and deleted; cards moved and hidden.
import { L, HEADING } from "../page.js";
import { el, fmt, sorted } from "../dom.js";
import { state, ui } from "../state.js";
import { send } from "../connection.js";
import { badge, button, describedBy, errorNode, field, keptForm } from "../controls.js";
import { cardText } from "../kinds/cards.js";

var selected = new Set(); // the moderator's selected card ids

export function cardsBody(activity, node, part) {
  var items = activity.items || {};
  var cards = items.cards || [];
  var clusters = sorted(items.clusters || []);
  if (part === "live") {
    var board = el("div", { class: "live-board" });
    clusters.forEach(function (cluster) {
      board.appendChild(clusterBox(activity, cluster, cards, clusters));
    });
    board.appendChild(clusterBox(activity, null, cards, clusters));
    node.appendChild(board);
    return;
  }
  node.appendChild(el("p", { class: "muted", text: L.drop_hint }));
  var key = "a" + activity.id + "-cluster";
  node.appendChild(
    keptForm(key, "", function () {
      var title = el("input", { type: "text", name: "title", maxlength: "120" });
      var form = el("form", { class: "live-form live-inline", novalidate: true }, [
        field(L.cluster_title, title, key + "-title"),
        button(L.new_cluster, null, { submit: true, kind: "primary", focus: key + "-submit" }),
      ]);
      form.addEventListener("submit", function (event) {
        event.preventDefault();
        // The cards of this activity now, not when the form was built.
        var ids = Array.from(selected).filter(function (id) {
          return (state.activities.get(activity.id).items.cards || []).some(function (card) {
            return card.id === id;
          });
        });
        send({ type: "cluster.create", activity: activity.id, title: title.value.trim(), cards: ids }, key, {
          activity: activity.id,
          onAck: function () {
            title.value = "";
            ids.forEach(function (id) {
              selected.delete(id);
            });
          },
        });
      });
      return form;
    })
  );
  var error = errorNode(key);
  if (error) {
    node.appendChild(error);
  }
}

function dropZone(node, onDrop) {
  node.addEventListener("dragover", function (event) {
    if (ui.dragging !== null) {
      event.preventDefault();
      node.classList.add("live-drop");
    }
  });
  node.addEventListener("dragleave", function () {
    node.classList.remove("live-drop");
  });
  node.addEventListener("drop", function (event) {
    event.preventDefault();
    event.stopPropagation();
    node.classList.remove("live-drop");
    var card = ui.dragging;
    ui.dragging = null;
    if (card !== null) {
      onDrop(card);
    }
  });
}

function clusterBox(activity, cluster, cards, clusters) {
  var clusterId = cluster ? cluster.id : null;
  var inside = cards.filter(function (card) {
    return card.cluster === clusterId;
  });
  var title = cluster ? cluster.title : L.unclustered;
  var box = el("div", { class: "live-cluster" + (cluster ? "" : " live-cluster-loose") }, [
    el("h" + (HEADING + 1), { text: title + " (" + inside.length + ")" }),
  ]);
  if (cluster) {
    var key = "cl" + cluster.id;
    box.appendChild(
      keptForm(key, cluster.title, function () {
        var name = el("input", { type: "text", maxlength: "120", value: cluster.title });
        var form = el("form", { class: "live-inline", novalidate: true }, [
          field(fmt(L.cluster_name, { title: cluster.title }), name, key + "-name"),
          button(L.rename, null, { submit: true, focus: key + "-submit" }),
        ]);
        form.addEventListener("submit", function (event) {
          event.preventDefault();
          send({ type: "cluster.rename", cluster: cluster.id, title: name.value.trim() }, key, {
            activity: activity.id,
          });
        });
        return form;
      })
    );
    box.appendChild(
      button(
        L.delete_cluster,
        function () {
          send({ type: "cluster.delete", cluster: cluster.id }, key, { activity: activity.id });
        },
        { focus: key + "-delete", label: L.delete_cluster + ": " + cluster.title }
      )
    );
    var error = errorNode(key);
    if (error) {
      box.appendChild(error);
    }
  }
  var list = el(
    "ul",
    { class: "live-cards" },
    inside.map(function (card) {
      return moderatorCard(activity, card, clusters);
    })
  );
  box.appendChild(list);
  dropZone(box, function (cardId) {
    send({ type: "card.move", card: cardId, cluster: clusterId }, "c" + cardId, { activity: activity.id });
  });
  return box;
}

function moderatorCard(activity, card, clusters) {
  var key = "c" + card.id;
  var short = card.text.length > 40 ? card.text.slice(0, 39) + "…" : card.text;
  var pick = el("input", {
    type: "checkbox",
    checked: selected.has(card.id),
    "aria-label": fmt(L.select_card, { text: short }),
    "data-focus": key + "-select",
    onchange: function (event) {
      if (event.target.checked) {
        selected.add(card.id);
      } else {
        selected.delete(card.id);
      }
    },
  });
  var move = el(
    "select",
    {
      "aria-label": fmt(L.move_to_cluster, { text: short }),
      "data-focus": key + "-move",
      "aria-describedby": describedBy(key),
      onchange: function (event) {
        var value = event.target.value;
        send({ type: "card.move", card: card.id, cluster: value ? Number(value) : null }, key, {
          activity: activity.id,
        });
      },
    },
    [el("option", { value: "", text: L.no_cluster, selected: card.cluster === null })].concat(
      clusters.map(function (cluster) {
        return el("option", {
          value: String(cluster.id),
          text: cluster.title,
          selected: card.cluster === cluster.id,
        });
      })
    )
  );
  var item = el("li", { class: "live-card" + (card.hidden ? " live-card-hidden" : ""), draggable: "true" }, [
    el("span", { class: "live-card-text" }, [
      pick,
      el("span", { class: "live-card-grip", text: cardText(card) }),
    ]),
    card.hidden ? badge(L.hidden, "warning") : null,
    el("span", { class: "live-card-tools" }, [
      move,
      button(
        card.hidden ? L.show : L.hide,
        function () {
          send({ type: "card.hide", card: card.id, hidden: !card.hidden }, key, { activity: activity.id });
        },
        { focus: key + "-hide", label: (card.hidden ? L.show : L.hide) + ": " + short }
      ),
    ]),
    errorNode(key),
  ]);
  item.addEventListener("dragstart", function (event) {
    ui.dragging = card.id;
    event.dataTransfer.effectAllowed = "move";
    event.dataTransfer.setData("text/plain", String(card.id));
  });
  item.addEventListener("dragend", function () {
    ui.dragging = null;
  });
  // Onto a card in a cluster: join that cluster; onto a loose card: a new cluster of both.
  dropZone(item, function (cardId) {
    if (cardId === card.id) {
      return;
    }
    if (card.cluster !== null) {
      send({ type: "card.move", card: cardId, cluster: card.cluster }, "c" + cardId, { activity: activity.id });
    } else {
      send(
        { type: "cluster.create", activity: activity.id, title: card.text.slice(0, 120), cards: [card.id, cardId] },
        key,
        { activity: activity.id }
      );
    }
  });
  return item;
}
