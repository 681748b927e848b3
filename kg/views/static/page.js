(function () {
  "use strict";
  var data = JSON.parse(document.getElementById("kg-data").textContent);
  var timings = window.kgTimings = { firstDraw: null, settled: null };
  var details = document.getElementById("details");

  function el(tag, text, className) {
    var node = document.createElement(tag);
    if (text !== undefined && text !== null) { node.textContent = String(text); }
    if (className) { node.className = className; }
    return node;
  }
  function safeUrl(url) {
    return typeof url === "string" && /^https?:\/\//i.test(url) ? url : null;
  }
  function articleNode(kg) {
    var url = safeUrl(kg.articleUrl);
    if (!kg.articleTitle && !url) { return null; }
    if (!url) { return el("span", kg.articleTitle); }
    var link = el("a", kg.articleTitle || url);
    link.href = url;
    link.target = "_blank";
    link.rel = "noopener noreferrer";
    return link;
  }
  function edgeTooltip(edge) {
    var kg = edge.kg, box = el("div", null, "kg-tip");
    box.appendChild(el("div", kg.relation, "kg-tip-head"));
    if (kg.sentence) { box.appendChild(el("blockquote", kg.sentence)); }
    var article = articleNode(kg);
    if (article) { var line = el("div"); line.appendChild(article); box.appendChild(line); }
    var meta = [];
    if (kg.date) { meta.push(kg.date); }
    if (kg.confidence !== undefined) { meta.push("confidence " + kg.confidence); }
    if (meta.length) { box.appendChild(el("div", meta.join(" \u00b7 "), "kg-tip-meta")); }
    return box;
  }
  function nodeTooltip(node) {
    var kg = node.kg, box = el("div", null, "kg-tip");
    box.appendChild(el("div", kg.label, "kg-tip-head"));
    var kind = kg.eventType ? kg.type + " (" + kg.eventType + ")" : kg.type;
    box.appendChild(el("div", kg.date ? kind + " \u00b7 " + kg.date : kind, "kg-tip-meta"));
    if (kg.sentence) { box.appendChild(el("blockquote", kg.sentence)); }
    return box;
  }

  data.nodes.forEach(function (node) { node.title = nodeTooltip(node); });
  data.edges.forEach(function (edge) { edge.title = edgeTooltip(edge); });
  var nodes = new vis.DataSet(data.nodes);
  var edges = new vis.DataSet(data.edges);
  var container = document.getElementById("graph");
  var network = new vis.Network(container, { nodes: nodes, edges: edges }, data.options);
  window.kgNetwork = network;

  function settle() {
    if (timings.settled === null) { timings.settled = performance.now(); }
    document.body.setAttribute("data-state", "settled");
  }
  network.once("afterDrawing", function () {
    timings.firstDraw = performance.now();
    if (!data.physics || data.nodes.length === 0) { settle(); }
  });
  if (data.physics) {
    // Stop the physics once stabilised so the drawing stays still; settled = drawn after that.
    network.once("stabilizationIterationsDone", function () {
      network.setOptions({ physics: { enabled: false } });
      network.once("afterDrawing", settle);
      network.redraw();
    });
  }

  function show(title, rows, extra) {
    while (details.firstChild) { details.removeChild(details.firstChild); }
    details.appendChild(el("h2", "Details"));
    details.appendChild(el("h3", title, "details-title"));
    var list = el("dl");
    rows.forEach(function (row) {
      if (row[1] === undefined || row[1] === null || row[1] === "") { return; }
      list.appendChild(el("dt", row[0]));
      var dd = el("dd");
      if (row[1] instanceof Node) { dd.appendChild(row[1]); }
      else { dd.textContent = String(row[1]); }
      list.appendChild(dd);
    });
    details.appendChild(list);
    if (extra) { details.appendChild(extra); }
  }
  function labelOf(id) {
    var node = nodes.get(id);
    return node ? node.kg.label : String(id);
  }
  function showEdge(edge) {
    var kg = edge.kg;
    show(labelOf(edge.from) + " \u2192 " + kg.relation + " \u2192 " + labelOf(edge.to), [
      ["Relation", kg.relation],
      ["Evidence", kg.sentence ? el("blockquote", kg.sentence) : null],
      ["Article", articleNode(kg)],
      ["Date", kg.date],
      ["Confidence", kg.confidence],
      ["Rule", kg.rule]
    ]);
  }
  function showNode(node) {
    var kg = node.kg, links = el("ul"), connected = network.getConnectedEdges(node.id);
    connected.slice(0, 100).forEach(function (id) {
      var edge = edges.get(id), out = edge.from === node.id;
      var other = labelOf(out ? edge.to : edge.from);
      links.appendChild(el("li", out ? kg.label + " " + edge.kg.relation + " " + other
                                     : other + " " + edge.kg.relation + " " + kg.label));
    });
    if (connected.length > 100) {
      links.appendChild(el("li", "\u2026 and " + (connected.length - 100) + " more"));
    }
    var extra = null;
    if (connected.length) {
      extra = el("div");
      extra.appendChild(el("h3", "Links shown"));
      extra.appendChild(links);
    }
    show(kg.label, [
      ["Type", kg.eventType ? kg.type + " (" + kg.eventType + ")" : kg.type],
      ["Modality", kg.modality],
      ["Evidence", kg.sentence ? el("blockquote", kg.sentence) : null],
      ["Article", articleNode(kg)],
      ["Date", kg.date],
      ["Confidence", kg.confidence],
      ["Rule", kg.rule],
      ["Also called", kg.aliases ? kg.aliases.join(", ") : null],
      ["Links", kg.degree],
      ["IRI", kg.iri]
    ], extra);
  }
  network.on("click", function (params) {
    if (params.nodes.length) { showNode(nodes.get(params.nodes[0])); }
    else if (params.edges.length) { showEdge(edges.get(params.edges[0])); }
  });

  // Search: type-ahead over labels and aliases; Enter or a click selects and centres a node.
  var searchInput = document.getElementById("search-input");
  var searchList = document.getElementById("search-results");
  var searchStatus = document.getElementById("search-status");
  var searchIndex = data.nodes.map(function (node) {
    var names = [node.kg.label].concat(node.kg.aliases || []);
    return { id: node.id, label: node.kg.label,
             keys: names.map(function (name) { return name.toLowerCase(); }) };
  });
  var matches = [], active = -1;
  function matchRank(entry, query) {
    var best = 3;
    entry.keys.forEach(function (key) {
      var at = key.indexOf(query);
      if (at === 0) { best = 0; }
      else if (at > 0) { best = Math.min(best, /[\s\-(]/.test(key.charAt(at - 1)) ? 1 : 2); }
    });
    return best;
  }
  function findMatches(text) {
    var query = text.trim().toLowerCase();
    if (!query) { return []; }
    return searchIndex
      .map(function (entry) { return { entry: entry, rank: matchRank(entry, query) }; })
      .filter(function (m) { return m.rank < 3; })
      .sort(function (a, b) {
        return a.rank - b.rank || (a.entry.label < b.entry.label ? -1 : a.entry.label > b.entry.label ? 1 : 0);
      })
      .slice(0, 12)
      .map(function (m) { return m.entry; });
  }
  function renderMatches() {
    while (searchList.firstChild) { searchList.removeChild(searchList.firstChild); }
    matches.forEach(function (entry, i) {
      var item = el("li", entry.label, i === active ? "active" : null);
      item.id = "search-option-" + i;
      item.setAttribute("role", "option");
      item.setAttribute("aria-selected", i === active ? "true" : "false");
      // mousedown, not click: it comes before the input loses focus and the list hides.
      item.addEventListener("mousedown", function (event) { event.preventDefault(); choose(entry); });
      searchList.appendChild(item);
    });
    searchList.hidden = matches.length === 0;
    if (active >= 0) { searchInput.setAttribute("aria-activedescendant", "search-option-" + active); }
    else { searchInput.removeAttribute("aria-activedescendant"); }
  }
  function focusNode(id) {
    document.body.removeAttribute("data-focused");
    network.selectNodes([id]);
    showNode(nodes.get(id));
    network.once("animationFinished", function () { document.body.setAttribute("data-focused", id); });
    network.focus(id, { scale: Math.max(network.getScale(), 1.2), locked: false,
                        animation: { duration: 400, easingFunction: "easeInOutQuad" } });
  }
  function choose(entry) {
    searchInput.value = entry.label;
    matches = [];
    active = -1;
    renderMatches();
    searchStatus.textContent = "";
    focusNode(entry.id);
  }
  searchInput.addEventListener("input", function () {
    matches = findMatches(searchInput.value);
    active = matches.length ? 0 : -1;
    renderMatches();
    searchStatus.textContent = searchInput.value.trim() && !matches.length ? "No node matches." : "";
  });
  searchInput.addEventListener("keydown", function (event) {
    if (event.key === "ArrowDown" || event.key === "ArrowUp") {
      if (!matches.length) { return; }
      event.preventDefault();
      active = (active + (event.key === "ArrowDown" ? 1 : matches.length - 1)) % matches.length;
      renderMatches();
    } else if (event.key === "Enter") {
      event.preventDefault();
      if (!matches.length) { matches = findMatches(searchInput.value); active = 0; }
      if (matches.length) { choose(matches[Math.max(active, 0)]); }
      else { searchStatus.textContent = "No node matches."; }
    } else if (event.key === "Escape") {
      matches = [];
      active = -1;
      renderMatches();
    }
  });
  searchInput.addEventListener("blur", function () { matches = []; active = -1; renderMatches(); });
})();
