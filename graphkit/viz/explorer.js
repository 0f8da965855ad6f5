// graphkit explorer: reads the JSON data block, draws it with vis-network and fills the side panel.
// Every string in the data is article text: it reaches the page through textContent and plain-string
// tooltips (which vis-network 9 sets as innerText), never as markup.
(function () {
  "use strict";

  var data = JSON.parse(document.getElementById("graphkit-data").textContent);
  var nodes = new vis.DataSet(data.nodes);
  var edges = new vis.DataSet(data.edges);
  var details = document.getElementById("details");

  var network = new vis.Network(document.getElementById("network"), { nodes: nodes, edges: edges }, data.options);
  window.graphkitNetwork = network;
  window.graphkitReady = false;

  function ready() {
    network.setOptions({ physics: false });
    window.graphkitReady = true;
  }
  network.once("stabilizationIterationsDone", ready);
  if (data.edges.length === 0) {
    document.getElementById("empty").hidden = false;
  }
  if (data.nodes.length === 0) {
    ready();
  }

  // element("li", {className: "x"}, "text", child, ...) builds DOM with text children only.
  function element(tag, properties) {
    var node = document.createElement(tag);
    Object.assign(node, properties || {});
    for (var i = 2; i < arguments.length; i++) {
      var child = arguments[i];
      if (child === null || child === undefined) continue;
      node.appendChild(typeof child === "string" ? document.createTextNode(child) : child);
    }
    return node;
  }

  function facts(pairs) {
    var list = element("dl");
    pairs.forEach(function (pair) {
      if (pair[1]) list.append(element("dt", {}, pair[0]), element("dd", {}, pair[1]));
    });
    return list;
  }

  function show() {
    details.replaceChildren.apply(details, arguments);
  }

  function relationButton(edge) {
    var subject = nodes.get(edge.from).label;
    var object = nodes.get(edge.to).label;
    var text = subject + " " + edge.label + " " + object + (edge.negated ? " [negated]" : "");
    var button = element("button", { type: "button", className: "relation" }, text);
    button.addEventListener("click", function () {
      network.selectEdges([edge.id]);
      showRelation(edge.id);
    });
    return element("li", {}, button);
  }

  function showActor(id) {
    var actor = nodes.get(id);
    var relations = edges.get({
      filter: function (edge) { return edge.from === id || edge.to === id; },
    });
    show(
      element("h2", {}, actor.label),
      facts([
        ["Type", actor.type],
        ["Aliases", actor.aliases.join(", ")],
        ["Roles", actor.roles.join(", ")],
        ["Relations", String(relations.length)],
        ["IRI", actor.id],
      ]),
      element("h3", {}, "Relations"),
      element.apply(null, ["ul", {}].concat(relations.map(relationButton)))
    );
  }

  function evidenceItem(item) {
    var source = [item.title || item.doc, item.date].filter(Boolean).join(", ");
    var link = null;
    if (item.href) {
      link = element("a", { href: item.href, target: "_blank", rel: "noopener noreferrer" }, item.url);
    } else if (item.url) {
      link = element("span", {}, item.url);
    }
    var sentence = item.sentence === null ? "" : " (sentence " + item.sentence + ")";
    return element(
      "li", {},
      element("blockquote", {}, item.text),
      element("div", { className: "source" }, source + sentence, link ? " \u2014 " : null, link)
    );
  }

  function showRelation(id) {
    var edge = edges.get(id);
    show(
      element("h2", {}, nodes.get(edge.from).label + " " + edge.label + " " + nodes.get(edge.to).label),
      facts([
        ["Negated", edge.negated ? "yes" : ""],
        ["Evidence", String(edge.evidence.length) + " sentence(s)"],
        ["Confidence", edge.confidence === null ? "" : edge.confidence.toFixed(2)],
      ]),
      element("h3", {}, "Evidence"),
      element.apply(null, ["ul", { className: "evidence" }].concat(edge.evidence.map(evidenceItem)))
    );
  }

  network.on("click", function (params) {
    if (params.nodes.length) showActor(params.nodes[0]);
    else if (params.edges.length) showRelation(params.edges[0]);
  });

  var labels = document.getElementById("actor-labels");
  data.nodes.forEach(function (actor) {
    labels.appendChild(element("option", { value: actor.label }));
  });

  function findActor(query) {
    var wanted = query.trim().toLowerCase();
    if (!wanted) return null;
    function names(actor) {
      return [actor.label].concat(actor.aliases).map(function (name) { return name.toLowerCase(); });
    }
    return (
      data.nodes.find(function (actor) { return names(actor).indexOf(wanted) >= 0; }) ||
      data.nodes.find(function (actor) {
        return names(actor).some(function (name) { return name.indexOf(wanted) >= 0; });
      }) ||
      null
    );
  }

  document.getElementById("search").addEventListener("submit", function (event) {
    event.preventDefault();
    var actor = findActor(document.getElementById("search-input").value);
    document.getElementById("search-status").textContent = actor ? "" : "No actor matches";
    if (!actor) return;
    network.selectNodes([actor.id]);
    network.focus(actor.id, { scale: 1.2, animation: { duration: 400 } });
    showActor(actor.id);
  });
})();
