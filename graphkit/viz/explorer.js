// graphkit explorer: reads the JSON data block, draws it with vis-network, fills the side panel, the legend
// and the filters. Every string in the data is article text: it reaches the page through textContent and
// plain-string tooltips (which vis-network 9 sets as innerText), never as markup.
// Positions come from Python and physics stays off, so the first drawing is the final one.
// The data holds each document, evidence sentence and pattern id once (data.documents, data.sentences,
// data.patterns); relations refer to actors, sentences and patterns by index, and their hover text, dates and
// colour are built here. A relation's foundBy says whether patterns, the classifier or both found it.
(function () {
  "use strict";

  var data = JSON.parse(document.getElementById("graphkit-data").textContent);
  var details = document.getElementById("details");
  // Maps keyed by article text have no prototype, so a name such as "__proto__" is an ordinary key.
  var byId = Object.create(null);
  // an actor's hover text and class colour are made here, not stored in the page for each actor
  data.nodes.forEach(function (actor) {
    byId[actor.id] = actor;
    actor.classColor = actor.color;
    actor.title = [
      actor.label,
      "Type: " + actor.type,
      actor.aliases.length ? "Aliases: " + actor.aliases.join(", ") : "",
      actor.roles.length ? "Roles: " + actor.roles.join(", ") : "",
    ].filter(Boolean).join("\n");
  });
  var polarityColours = Object.create(null);
  data.legend.polarities.forEach(function (entry) { polarityColours[entry.name] = entry.colour; });

  // evidence(relation) lists its evidence records:
  // {doc, title, date, url, href, sentence, text, pattern, confidence}; an edge holds each record as
  // [sentence index, pattern index or null, confidence or null].
  function evidenceRecord(entry) {
    var sentence = data.sentences[entry[0]];
    var source = data.documents[sentence[0]];
    return {
      doc: source.doc, title: source.title, date: source.date, url: source.url, href: source.href,
      sentence: sentence[1], text: sentence[2],
      pattern: entry[1] === null ? null : data.patterns[entry[1]], confidence: entry[2],
    };
  }
  function evidence(relation) {
    return relation.evidence.map(evidenceRecord);
  }

  function relationText(edge) {
    return byId[edge.from].label + " " + edge.label + " " + byId[edge.to].label + (edge.negated ? " [negated]" : "");
  }

  function sourceText(item) {
    return [item.title || item.doc, item.date].filter(Boolean).join(", ");
  }

  function confidenceText(confidence) {
    return confidence === null ? "" : "confidence " + confidence.toFixed(2);
  }

  var FOUND_BY_TEXT = {
    patterns: "patterns",
    classifier: "the relation classifier alone (a guess)",
    both: "patterns and the relation classifier",
  };

  function hoverText(relation) {
    var lines = [relationText(relation)];
    if (relation.foundBy === "classifier") {
      lines.push("Guessed by the relation classifier" +
        (relation.confidence === null ? "" : ", " + confidenceText(relation.confidence)));
    }
    relation.evidence.slice(0, data.tooltipEvidence).map(evidenceRecord).forEach(function (item) {
      var source = sourceText(item);
      lines.push("\u2022 " + item.text + (source ? " (" + source + ")" : ""));
    });
    var more = relation.evidence.length - data.tooltipEvidence;
    if (more > 0) lines.push("\u2026 and " + more + " more (click the edge)");
    return lines.join("\n");
  }

  function relationRecord(edge, number) {
    var dates = new Set();
    edge.evidence.forEach(function (entry) {
      var date = data.documents[data.sentences[entry[0]][0]].date;
      if (date) dates.add(date);
    });
    var relation = Object.assign({}, edge, {
      id: "e" + number,
      from: data.nodes[edge.from].id,
      to: data.nodes[edge.to].id,
      dates: Array.from(dates).sort(),
      polarityColour: polarityColours[edge.polarity],
      color: edge.foundBy === "classifier"
        ? { color: polarityColours[edge.polarity], opacity: data.guessedOpacity }
        : polarityColours[edge.polarity],
      dashes: edge.negated,
    });
    if (edge.curve !== undefined) relation.smooth = { enabled: true, type: "curvedCW", roundness: edge.curve };
    relation.title = hoverText(relation);
    return relation;
  }
  var relations = data.edges.map(relationRecord);

  var nodes = new vis.DataSet(data.nodes);
  var edges = new vis.DataSet(relations);

  var network = new vis.Network(document.getElementById("network"), { nodes: nodes, edges: edges }, data.options);
  window.graphkitNetwork = network;
  window.graphkitReady = false;
  network.once("afterDrawing", function () {
    window.graphkitReady = true;
  });
  network.fit({ animation: false });
  if (data.edges.length === 0) {
    document.getElementById("empty").hidden = false;
  }
  if (data.nodes.length === 0) {
    window.graphkitReady = true;
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

  function swatch(colour, round, opacity) {
    var mark = element("span", { className: round ? "swatch" : "swatch line" });
    mark.style.background = colour;
    if (opacity !== undefined) mark.style.opacity = String(opacity);
    return mark;
  }

  function relationButton(edge) {
    var button = element("button", { type: "button", className: "relation" }, relationText(edge));
    button.addEventListener("click", function () {
      network.selectEdges([edge.id]);
      showRelation(edge.id);
    });
    var faint = edge.foundBy === "classifier" ? data.guessedOpacity : undefined;
    return element("li", {}, swatch(edge.polarityColour, false, faint), button);
  }

  function showActor(id) {
    var actor = byId[id];
    var relations = edges.get({
      filter: function (edge) { return edge.from === id || edge.to === id; },
    });
    show(
      element("h2", {}, actor.label),
      facts([
        ["Type", actor.type],
        ["Aliases", actor.aliases.join(", ")],
        ["Roles", actor.roles.join(", ")],
        ["Relations", actor.out + " out, " + actor.in + " in"],
        ["PageRank", actor.pagerank.toFixed(4) + " (#" + actor.rank + " of " + data.nodes.length + ")"],
        ["Community", "#" + actor.community],
        ["IRI", actor.id],
      ]),
      element("h3", {}, "Relations"),
      element.apply(null, ["ul", { className: "relations" }].concat(relations.map(relationButton)))
    );
  }

  function evidenceItem(item) {
    var source = sourceText(item);
    var link = null;
    if (item.href) {
      link = element("a", { href: item.href, target: "_blank", rel: "noopener noreferrer" }, item.url);
    } else if (item.url) {
      link = element("span", {}, item.url);
    }
    var sentence = item.sentence === null ? "" : " (sentence " + item.sentence + ")";
    var finder = null;
    var byClassifier = item.pattern === data.classifierPattern;
    if (item.pattern !== null) {
      finder = byClassifier ? "guessed by the relation classifier" : "found by pattern " + item.pattern;
    }
    var found = [finder, confidenceText(item.confidence)].filter(Boolean).join(", ");
    return element(
      "li", {},
      element("blockquote", {}, item.text),
      element("div", { className: "source" }, source + sentence, link ? " \u2014 " : null, link),
      found ? element("div", { className: byClassifier ? "finder guessed" : "finder" }, found) : null
    );
  }

  function showRelation(id) {
    var edge = edges.get(id);
    show(
      element("h2", {}, byId[edge.from].label + " " + edge.label + " " + byId[edge.to].label),
      facts([
        ["Negated", edge.negated ? "yes" : ""],
        ["Polarity", edge.polarity],
        ["Category", edge.categories.map(categoryLabel).join(", ")],
        ["Evidence", String(edge.evidence.length) + " sentence(s)"],
        ["Found by", FOUND_BY_TEXT[edge.foundBy]],
        ["Confidence", edge.confidence === null ? "" : edge.confidence.toFixed(2)],
      ]),
      element("h3", {}, "Evidence"),
      element.apply(null, ["ul", { className: "evidence" }].concat(evidence(edge).map(evidenceItem)))
    );
  }

  network.on("click", function (params) {
    if (params.nodes.length) showActor(params.nodes[0]);
    else if (params.edges.length) showRelation(params.edges[0]);
  });

  // --- search -------------------------------------------------------------------------------------------
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

  // --- colour toggle and legend -------------------------------------------------------------------------
  var categoryLabels = Object.create(null);
  data.legend.categories.forEach(function (entry) { categoryLabels[entry.name] = entry.label; });
  function categoryLabel(name) {
    return categoryLabels[name] || name;
  }

  document.getElementById("colour-by").addEventListener("change", function (event) {
    var byCommunity = event.target.value === "community";
    nodes.update(data.nodes.map(function (actor) {
      return { id: actor.id, color: byCommunity ? actor.communityColor : actor.classColor };
    }));
    document.getElementById("community-legend").hidden = !byCommunity;
  });

  var communityLegend = document.getElementById("community-legend");
  data.legend.communities.forEach(function (entry) {
    communityLegend.appendChild(element(
      "span", { className: "item" }, swatch(entry.colour, true),
      "#" + entry.number + " (" + entry.size + "): " + entry.labels.join(", ")
    ));
  });

  var polarityLegend = document.getElementById("polarity-legend");
  data.legend.polarities.forEach(function (entry) {
    polarityLegend.appendChild(element(
      "span", { className: "item" }, swatch(entry.colour, false), entry.name + " (" + entry.count + ")"
    ));
  });

  // --- filters: actor class, relation category, classifier's guesses, confidence, evidence dates ---------
  var chosen = { classes: Object.create(null), categories: Object.create(null) };

  function checkboxes(fieldsetId, entries, kind, text, colour) {
    var fieldset = document.getElementById(fieldsetId);
    entries.forEach(function (entry) {
      chosen[kind][entry.name] = true;
      var box = element("input", { type: "checkbox", checked: true, value: entry.name });
      box.dataset.filter = kind;
      box.addEventListener("change", function () {
        chosen[kind][entry.name] = box.checked;
        applyFilters();
      });
      fieldset.appendChild(element(
        "label", { className: "item" }, box, colour ? swatch(colour(entry), true) : null,
        text(entry) + " (" + entry.count + ")"
      ));
    });
  }
  checkboxes("class-filter", data.legend.classes, "classes",
    function (entry) { return entry.name; }, function (entry) { return entry.colour; });
  checkboxes("category-filter", data.legend.categories, "categories",
    function (entry) { return entry.label; }, null);

  var dateFrom = document.getElementById("date-from");
  var dateTo = document.getElementById("date-to");
  if (data.legend.dates) {
    dateFrom.min = dateTo.min = data.legend.dates[0];
    dateFrom.max = dateTo.max = data.legend.dates[1];
  } else {
    document.getElementById("date-filter").hidden = true;
  }
  dateFrom.addEventListener("change", applyFilters);
  dateTo.addEventListener("change", applyFilters);

  var showGuessed = document.getElementById("show-guessed");
  var minConfidence = document.getElementById("min-confidence");
  var minConfidenceValue = document.getElementById("min-confidence-value");
  data.legend.foundBy.forEach(function (entry) {
    if (entry.name === "classifier") document.getElementById("guessed-count").textContent = "(" + entry.count + ")";
  });
  document.getElementById("guessed-swatch").style.opacity = String(data.guessedOpacity);
  showGuessed.addEventListener("change", applyFilters);
  minConfidence.addEventListener("input", function () {
    minConfidenceValue.textContent = Number(minConfidence.value).toFixed(2);
    applyFilters();
  });

  function inDateRange(edge, from, to) {
    return edge.dates.some(function (date) {
      var day = date.slice(0, 10);
      return (!from || day >= from) && (!to || day <= to);
    });
  }

  var hiddenEdges = Object.create(null);
  var hiddenNodes = Object.create(null);
  function applyFilters() {
    var from = dateFrom.value;
    var to = dateTo.value;
    var guessed = showGuessed.checked;
    var least = Number(minConfidence.value);
    var narrowed = Boolean(from || to) || !guessed || least > 0 || data.legend.categories.some(function (entry) {
      return !chosen.categories[entry.name];
    });
    var actorShown = Object.create(null);
    data.nodes.forEach(function (actor) { actorShown[actor.id] = chosen.classes[actor.type]; });
    var linked = Object.create(null);
    var edgeChanges = [];
    var shownEdges = 0;
    relations.forEach(function (edge) {
      var visible = actorShown[edge.from] && actorShown[edge.to] &&
        edge.categories.some(function (name) { return chosen.categories[name]; }) &&
        (guessed || edge.foundBy !== "classifier") &&
        (edge.confidence === null || edge.confidence >= least) &&
        (!(from || to) || inDateRange(edge, from, to));
      if (visible) {
        linked[edge.from] = linked[edge.to] = true;
        shownEdges++;
      }
      if (Boolean(hiddenEdges[edge.id]) === visible) {
        hiddenEdges[edge.id] = !visible;
        edgeChanges.push({ id: edge.id, hidden: !visible });
      }
    });
    var nodeChanges = [];
    var shownNodes = 0;
    data.nodes.forEach(function (actor) {
      var visible = actorShown[actor.id] && (!narrowed || Boolean(linked[actor.id]));
      if (visible) shownNodes++;
      if (Boolean(hiddenNodes[actor.id]) === visible) {
        hiddenNodes[actor.id] = !visible;
        nodeChanges.push({ id: actor.id, hidden: !visible });
      }
    });
    if (edgeChanges.length) edges.update(edgeChanges);
    if (nodeChanges.length) nodes.update(nodeChanges);
    showCount(shownNodes, shownEdges);
  }

  function showCount(actorCount, relationCount) {
    document.getElementById("shown-count").textContent =
      actorCount + " of " + data.nodes.length + " actors, " + relationCount + " of " + data.edges.length +
      " relations shown";
  }
  showCount(data.nodes.length, data.edges.length);
})();
