(function () {
  "use strict";
  // Everything from articles is untrusted: it reaches the DOM through textContent only, and
  // the canvas through fillText. No HTML strings are built here.
  var data = JSON.parse(document.getElementById("kg-data").textContent);
  var timings = window.kgTimings = { firstDraw: null, settled: null };
  var details = document.getElementById("details");
  var articles = data.articles || [], events = data.events || [], links = data.links || [];
  var SVG = "http://www.w3.org/2000/svg";
  var OTHER = "#bdbdbd";

  function el(tag, text, className) {
    var node = document.createElement(tag);
    if (text !== undefined && text !== null) { node.textContent = String(text); }
    if (className) { node.className = className; }
    return node;
  }
  function svg(tag, attrs, parent) {
    var node = document.createElementNS(SVG, tag);
    Object.keys(attrs || {}).forEach(function (k) { node.setAttribute(k, String(attrs[k])); });
    if (parent) { parent.appendChild(node); }
    return node;
  }
  function clear(node) { while (node.firstChild) { node.removeChild(node.firstChild); } }
  function safeUrl(url) { return typeof url === "string" && /^https?:\/\//i.test(url) ? url : null; }
  function plural(n, word) { return n + " " + word + (n === 1 ? "" : "s"); }

  // --- the data, indexed --------------------------------------------------------------
  var nodeById = {};
  data.nodes.forEach(function (node) {
    nodeById[node.id] = node;
    node.shape = (data.shapes || {})[node.kg.type] || "dot";
  });
  var eventById = {}, eventsOf = {};
  events.forEach(function (ev, i) {
    eventById[ev.id] = i;
    Object.keys(ev.roles).forEach(function (role) {
      ev.roles[role].forEach(function (id) { (eventsOf[id] = eventsOf[id] || []).push(i); });
    });
  });
  var linksOf = {};
  links.forEach(function (link, i) {
    [link.from, link.to].forEach(function (id) { (linksOf[id] = linksOf[id] || []).push(i); });
  });
  var byImportance = data.nodes.slice().sort(function (a, b) { return b.kg.importance - a.kg.importance; });
  var days = {};
  events.forEach(function (ev) { if (ev.when) { days[ev.when] = true; } });
  links.forEach(function (link) { if (link.when) { days[link.when] = true; } });
  days = Object.keys(days).sort();

  var state = {
    hiddenTypes: (data.hiddenTypes || []).reduce(function (m, t) { m[t] = true; return m; }, {}), hiddenFamilies: {}, hiddenModalities: {}, hiddenSources: {},
    from: 0, to: Math.max(days.length - 1, 0), unlinked: false, fold: !!data.fold,
    colour: "community", expanded: {}
  };

  // --- which facts pass the filters ---------------------------------------------------
  function typeShown(id) { var n = nodeById[id]; return n && !state.hiddenTypes[n.kg.type]; }
  function datesNarrowed() { return days.length && (state.from > 0 || state.to < days.length - 1); }
  function datePasses(when) {
    if (!datesNarrowed()) { return true; }
    return !!when && when >= days[state.from] && when <= days[state.to];
  }
  function sourceOf(reading) {
    var a = reading.article !== undefined ? articles[reading.article] : null;
    return a && a.source ? a.source : "(no source)";
  }
  function sourcePasses(readings) {
    if (!Object.keys(state.hiddenSources).length || !readings.length) { return true; }
    return readings.some(function (r) { return !state.hiddenSources[sourceOf(r)]; });
  }
  function eventPasses(ev) {
    if (state.hiddenFamilies[ev.family] || state.hiddenModalities[ev.modality || "?"]) { return false; }
    if (!datePasses(ev.when) || !sourcePasses(ev.evidence)) { return false; }
    return Object.keys(ev.roles).some(function (r) { return ev.roles[r].some(typeShown); });
  }
  function linkPasses(link) {
    return !state.hiddenFamilies[link.family] && typeShown(link.from) && typeShown(link.to) &&
      datePasses(link.when) && sourcePasses(link.evidence);
  }
  // The pairs an event links when folded: agents to targets or things, else to the place,
  // else agents with one another (as kg.views.network.event_pairs).
  function eventPairs(ev) {
    var roles = ev.roles, agents = (roles.agent || []).filter(typeShown), others = [];
    Object.keys(roles).forEach(function (r) {
      if (r !== "agent" && r !== "place") { others = others.concat(roles[r].filter(typeShown)); }
    });
    var ends = others.length ? others : (roles.place || []).filter(typeShown), pairs = [];
    if (agents.length && ends.length) {
      agents.forEach(function (a) { ends.forEach(function (b) { if (a !== b) { pairs.push([a, b]); } }); });
    } else {
      var group = agents.length > 1 ? agents : (!agents.length && ends.length > 1 ? ends : []);
      group.forEach(function (a, i) { group.slice(i + 1).forEach(function (b) { pairs.push([a, b]); }); });
    }
    return pairs;
  }
  function pairKey(a, b) { return a < b ? a + "\u0000" + b : b + "\u0000" + a; }
  function caption(ev) {
    var text = ev.eventType === "Action" && ev.lemma ? ev.lemma : ev.eventType;
    if (ev.modality && ev.modality !== "Happened") { text += " (" + ev.modality.toLowerCase() + ")"; }
    return text;
  }
  function colourOf(family) { return (data.families || {})[family] || "#9a9a9a"; }
  function uncertain(ev) { return ev.eventType === "Action" || (ev.modality && ev.modality !== "Happened"); }

  // --- the drawing ----------------------------------------------------------------------
  function nodeColour(node) {
    if (state.colour === "type") { return (data.types || {})[node.kg.type] || OTHER; }
    if (node.kg.type === "Thing") { return (data.types || {}).Thing || OTHER; }
    var c = node.kg.community, list = data.communities || [];
    return c !== undefined && c < list.length ? list[c].colour : OTHER;
  }
  function nodeStyle(node) {
    var colour = nodeColour(node);
    return { background: colour, border: "#333333", highlight: { background: colour, border: "#000000" },
             hover: { background: colour, border: "#000000" } };
  }
  data.nodes.forEach(function (node) { node.color = nodeStyle(node); node.title = nodeTooltip(node); });
  var nodes = new vis.DataSet(data.nodes);
  var edges = new vis.DataSet([]);
  var container = document.getElementById("graph");
  var network = new vis.Network(container, { nodes: nodes, edges: edges }, data.options);
  window.kgNetwork = network;
  var pairs = {}, eventNodes = [], hiddenNow = {}, drawnEdges = 0, edgeOpacity = 0.9;

  function community(id) { var n = nodeById[id]; return n && n.kg.community !== undefined ? n.kg.community : -1; }
  function foldedEdge(key, entry) {
    var counts = {}, best = null, total = entry.events.length + entry.links.length;
    entry.events.forEach(function (i) { var f = events[i].family; counts[f] = (counts[f] || 0) + 1; });
    entry.links.forEach(function (i) { var f = links[i].family; counts[f] = (counts[f] || 0) + 1; });
    Object.keys(counts).sort().forEach(function (f) { if (best === null || counts[f] > counts[best]) { best = f; } });
    var first = null;
    entry.events.forEach(function (i) { if (!first && events[i].family === best) { first = events[i]; } });
    var name = first ? (first.eventType === "Action" && first.lemma ? first.lemma : best)
                     : links[entry.links[0]].relation;
    var label = name + (total > 1 ? " \u00d7" + total : "");
    var sure = entry.events.some(function (i) { return !uncertain(events[i]); }) || entry.links.length > 0;
    return {
      id: "pair:" + key, from: entry.a, to: entry.b, label: label.length > 40 ? label.slice(0, 39) + "\u2026" : label,
      color: { color: colourOf(best), highlight: colourOf(best), hover: colourOf(best),
               opacity: community(entry.a) >= 0 && community(entry.a) === community(entry.b) ? edgeOpacity : edgeOpacity / 3 },
      width: 1 + Math.log2(total), dashes: !sure, font: { size: 10 },
      arrows: { to: { enabled: entry.forward > 0 }, from: { enabled: entry.backward > 0 } },
      title: pairTooltip(entry, label)
    };
  }
  function eventNode(i) {
    var ev = events[i], colour = colourOf(ev.family);
    return { id: ev.id, shape: "diamond", size: 7, x: ev.x, y: ev.y,
             color: { background: colour, border: "#333333", highlight: { background: colour, border: "#000" },
                      hover: { background: colour, border: "#000" } },
             title: eventTooltip(ev), kg: { event: i, label: ev.label, short: caption(ev), importance: -1 } };
  }
  function eventLinks(i, out) {
    var ev = events[i], colour = colourOf(ev.family);
    Object.keys(ev.roles).forEach(function (role) {
      ev.roles[role].filter(typeShown).forEach(function (id) {
        var agent = role === "agent";
        out.push({ id: "ev:" + ev.id + ":" + role + ":" + id, from: agent ? id : ev.id, to: agent ? ev.id : id,
                   color: { color: colour, highlight: colour, hover: colour }, dashes: uncertain(ev),
                   kg: { event: i, role: role }, title: role });
      });
    });
  }
  function rebuild() {
    var newEdges = [], shown = {}, wanted = [], seenEvents = {};
    pairs = {};
    events.forEach(function (ev, i) {
      if (!eventPasses(ev)) { return; }
      var ps = state.fold ? eventPairs(ev) : [];
      if (!state.fold) { wanted.push(i); return; }
      ps.forEach(function (p) {
        var key = pairKey(p[0], p[1]);
        if (state.expanded[key]) { if (!seenEvents[i]) { seenEvents[i] = true; wanted.push(i); } return; }
        var entry = pairs[key] = pairs[key] || { a: p[0] < p[1] ? p[0] : p[1], b: p[0] < p[1] ? p[1] : p[0],
                                                 events: [], links: [], forward: 0, backward: 0 };
        if (entry.events[entry.events.length - 1] !== i) { entry.events.push(i); }
        if (p[0] === entry.a) { entry.forward++; } else { entry.backward++; }
      });
    });
    links.forEach(function (link, i) {
      if (!linkPasses(link)) { return; }
      var key = pairKey(link.from, link.to);
      if (state.fold && !state.expanded[key]) {
        var entry = pairs[key] = pairs[key] || { a: link.from < link.to ? link.from : link.to,
                                                 b: link.from < link.to ? link.to : link.from,
                                                 events: [], links: [], forward: 0, backward: 0 };
        entry.links.push(i);
        if (link.from === entry.a) { entry.forward++; } else { entry.backward++; }
      } else {
        newEdges.push({ id: "link:" + i, from: link.from, to: link.to, label: link.relation.slice(0, 40),
                        color: { color: colourOf(link.family), highlight: "#333", hover: "#333" },
                        dashes: link.kind === "concerns", title: linkTooltip(link), kg: { link: i } });
      }
    });
    var pairKeys = Object.keys(pairs);
    edgeOpacity = pairKeys.length > 3000 ? 0.5 : pairKeys.length > 800 ? 0.7 : 0.9;
    pairKeys.forEach(function (key) { newEdges.push(foldedEdge(key, pairs[key])); });
    var addEvents = wanted.map(eventNode);
    wanted.forEach(function (i) { eventLinks(i, newEdges); });
    newEdges.forEach(function (e) { shown[e.from] = true; shown[e.to] = true; });
    nodes.remove(eventNodes);
    edges.clear();
    eventNodes = addEvents.map(function (n) { return n.id; });
    nodes.add(addEvents);
    var changes = [];
    data.nodes.forEach(function (node) {
      var hide = !typeShown(node.id) || (!state.unlinked && !shown[node.id]);
      if (hiddenNow[node.id] !== hide) { hiddenNow[node.id] = hide; changes.push({ id: node.id, hidden: hide }); }
    });
    nodes.update(changes);
    edges.add(newEdges);
    drawnEdges = newEdges.length;
    var visible = data.nodes.filter(function (n) { return !hiddenNow[n.id]; }).length;
    document.getElementById("summary").textContent = plural(visible, "node") + ", " + plural(drawnEdges, "edge") +
      (state.fold ? " (events folded)" : "") + (addEvents.length ? ", " + plural(addEvents.length, "event node") : "");
    document.body.setAttribute("data-edges", String(drawnEdges));
    document.body.setAttribute("data-visible-nodes", String(visible + addEvents.length));
    focus = null;
    drawTimeline();
  }

  // --- labels drawn here, the important first, none over another -------------------------
  var focus = null, selected = null;
  function toDom(x, y, view, scale, box) {
    return { x: (x - view.x) * scale + box.width / 2, y: (y - view.y) * scale + box.height / 2 };
  }
  function drawLabels(ctx) {
    var body = network.body.nodes, scale = network.getScale(), view = network.getViewPosition();
    var box = container.getBoundingClientRect(), cell = 80, grid = {}, drawn = 0;
    var ratio = network.canvas.pixelRatio || window.devicePixelRatio || 1;
    ctx.save();
    ctx.setTransform(ratio, 0, 0, ratio, 0, 0);
    if (focus) {  // everything but the neighbourhood dimmed, the neighbourhood drawn again on top
      ctx.fillStyle = "rgba(255,255,255,0.85)";
      ctx.fillRect(0, 0, box.width, box.height);
      Object.keys(focus.edges).forEach(function (id) {
        var edge = network.body.edges[id];
        if (!edge || !edge.from || !edge.to) { return; }
        var a = toDom(edge.from.x, edge.from.y, view, scale, box), b = toDom(edge.to.x, edge.to.y, view, scale, box);
        ctx.strokeStyle = (edge.options.color && edge.options.color.color) || "#555";
        ctx.lineWidth = Math.max(1.5, edge.options.width || 1);
        ctx.beginPath(); ctx.moveTo(a.x, a.y); ctx.lineTo(b.x, b.y); ctx.stroke();
      });
      Object.keys(focus.nodes).forEach(function (id) {
        var n = body[id];
        if (!n || n.options.hidden) { return; }
        var p = toDom(n.x, n.y, view, scale, box), r = Math.max(4, (n.shape.radius || n.options.size || 8) * scale);
        ctx.fillStyle = n.options.color.background;
        ctx.strokeStyle = "#222";
        ctx.beginPath();
        if (n.options.shape === "diamond") {
          ctx.moveTo(p.x, p.y - r); ctx.lineTo(p.x + r, p.y); ctx.lineTo(p.x, p.y + r); ctx.lineTo(p.x - r, p.y);
          ctx.closePath();
        } else { ctx.arc(p.x, p.y, r, 0, 2 * Math.PI); }
        ctx.fill(); ctx.stroke();
      });
    }
    function place(id, text, size, bold) {
      var n = body[id];
      if (!n || n.options.hidden || !text) { return; }
      var p = toDom(n.x, n.y, view, scale, box);
      var r = Math.max(3, (n.shape.radius || n.options.size || 6) * scale);
      if (p.x < -50 || p.y < -20 || p.x > box.width + 50 || p.y > box.height + 20) { return; }
      ctx.font = (bold ? "600 " : "") + size + "px system-ui, sans-serif";
      var w = ctx.measureText(text).width, x0 = p.x - w / 2, y0 = p.y + r + 1, x1 = x0 + w, y1 = y0 + size + 2;
      if (!bold) {
        for (var gx = Math.floor(x0 / cell); gx <= Math.floor(x1 / cell); gx++) {
          for (var gy = Math.floor(y0 / cell); gy <= Math.floor(y1 / cell); gy++) {
            var list = grid[gx + ":" + gy] || [];
            for (var k = 0; k < list.length; k++) {
              var o = list[k];
              if (x0 < o[2] && x1 > o[0] && y0 < o[3] && y1 > o[1]) { return; }
            }
          }
        }
      }
      for (gx = Math.floor(x0 / cell); gx <= Math.floor(x1 / cell); gx++) {
        for (gy = Math.floor(y0 / cell); gy <= Math.floor(y1 / cell); gy++) {
          (grid[gx + ":" + gy] = grid[gx + ":" + gy] || []).push([x0, y0, x1, y1]);
        }
      }
      ctx.lineWidth = 3; ctx.strokeStyle = "rgba(255,255,255,0.9)"; ctx.fillStyle = "#111";
      ctx.textBaseline = "top";
      ctx.strokeText(text, x0, y0); ctx.fillText(text, x0, y0);
      drawn++;
    }
    if (focus) { Object.keys(focus.nodes).forEach(function (id) { place(id, labelText(id), 13, true); }); }
    for (var i = 0; i < byImportance.length && drawn < 600; i++) {
      var node = byImportance[i];
      if (focus && !focus.nodes[node.id]) { continue; }
      place(node.id, node.kg.short, Math.round(11 + 5 * node.kg.importance), false);
    }
    if (!state.fold) { eventNodes.forEach(function (id) { if (!focus || focus.nodes[id]) { place(id, labelText(id), 10, false); } }); }
    ctx.restore();
    document.body.setAttribute("data-labels", String(drawn));
  }
  function labelText(id) {
    var node = nodes.get(id);
    return node ? node.kg.short : "";
  }
  network.on("afterDrawing", drawLabels);
  // Each community as a faint disc behind its nodes, so regions read at a glance.
  var halos = (data.communities || []).map(function (c, i) {
    var members = data.nodes.filter(function (n) { return n.kg.community === i; });
    if (members.length < 3) { return null; }
    var x = 0, y = 0;
    members.forEach(function (n) { x += n.x; y += n.y; });
    x /= members.length; y /= members.length;
    var spread = members.map(function (n) { return Math.hypot(n.x - x, n.y - y); }).sort(function (a, b) { return a - b; });
    return { x: x, y: y, r: spread[Math.floor(spread.length * 0.9)] + 30, colour: c.colour };
  }).filter(Boolean);
  network.on("beforeDrawing", function (ctx) {
    if (state.colour !== "community") { return; }
    ctx.save();
    halos.forEach(function (h) {
      ctx.globalAlpha = 0.12;
      ctx.fillStyle = h.colour;
      ctx.beginPath(); ctx.arc(h.x, h.y, h.r, 0, 2 * Math.PI); ctx.fill();
    });
    ctx.restore();
  });
  function neighbourhood(nodeIds, edgeIds) {
    var f = { nodes: {}, edges: {} };
    nodeIds.forEach(function (id) {
      f.nodes[id] = true;
      network.getConnectedEdges(id).forEach(function (e) { f.edges[e] = true; });
      network.getConnectedNodes(id).forEach(function (n) { f.nodes[n] = true; });
    });
    (edgeIds || []).forEach(function (e) {
      f.edges[e] = true;
      network.getConnectedNodes(e).forEach(function (n) { f.nodes[n] = true; });
    });
    return f;
  }
  network.on("hoverNode", function (params) { focus = neighbourhood([params.node]); network.redraw(); });
  network.on("blurNode", function () { focus = selected; network.redraw(); });

  function settle() {
    if (timings.settled === null) { timings.settled = performance.now(); }
    document.body.setAttribute("data-state", "settled");
  }
  network.once("afterDrawing", function () { timings.firstDraw = performance.now(); settle(); });

  // --- tooltips ---------------------------------------------------------------------------
  function nodeTooltip(node) {
    var kg = node.kg, box = el("div", null, "kg-tip");
    box.appendChild(el("div", kg.label, "kg-tip-head"));
    box.appendChild(el("div", kg.type + " \u00b7 " + plural(kg.degree || 0, "link"), "kg-tip-meta"));
    return box;
  }
  function eventTooltip(ev) {
    var box = el("div", null, "kg-tip");
    box.appendChild(el("div", ev.label, "kg-tip-head"));
    box.appendChild(el("div", [ev.eventType, ev.modality, ev.date].filter(Boolean).join(" \u00b7 "), "kg-tip-meta"));
    if (ev.evidence[0] && ev.evidence[0].sentence) { box.appendChild(el("blockquote", ev.evidence[0].sentence)); }
    return box;
  }
  function pairTooltip(entry, label) {
    var box = el("div", null, "kg-tip");
    box.appendChild(el("div", labelOf(entry.a) + " \u2014 " + labelOf(entry.b), "kg-tip-head"));
    box.appendChild(el("div", label + " \u00b7 click for the evidence", "kg-tip-meta"));
    var first = entry.events.length ? events[entry.events[0]].evidence[0] : links[entry.links[0]].evidence[0];
    if (first && first.sentence) { box.appendChild(el("blockquote", first.sentence)); }
    if (first) { var a = articleNode(first.article); if (a) { var line = el("div"); line.appendChild(a); box.appendChild(line); } }
    return box;
  }
  function linkTooltip(link) {
    var box = el("div", null, "kg-tip");
    box.appendChild(el("div", link.relation, "kg-tip-head"));
    var first = link.evidence[0];
    if (first && first.sentence) { box.appendChild(el("blockquote", first.sentence)); }
    if (first) {
      var a = articleNode(first.article);
      if (a) { var line = el("div"); line.appendChild(a); box.appendChild(line); }
      var meta = [articles[first.article] && articles[first.article].date,
                  first.confidence !== undefined ? "confidence " + first.confidence : null].filter(Boolean);
      if (meta.length) { box.appendChild(el("div", meta.join(" \u00b7 "), "kg-tip-meta")); }
    }
    return box;
  }

  // --- the details panel ------------------------------------------------------------------
  function labelOf(id) { var n = nodeById[id]; return n ? n.kg.label : String(id); }
  function articleNode(index) {
    var a = index === undefined ? null : articles[index];
    if (!a) { return null; }
    var url = safeUrl(a.url), text = a.title || url || "article";
    var node = url ? el("a", text) : el("span", text);
    if (url) { node.href = url; node.target = "_blank"; node.rel = "noopener noreferrer"; }
    return node;
  }
  function articleLine(index) {
    var li = el("li"), a = articles[index], link = articleNode(index);
    if (!link) { return null; }
    if (a.date) { li.appendChild(document.createTextNode(a.date + " \u00b7 ")); }
    li.appendChild(link);
    if (a.source) { li.appendChild(document.createTextNode(" (" + a.source + ")")); }
    return li;
  }
  // One block per sentence, however many articles carry it, each article listed once.
  function evidenceBlock(readings) {
    var box = el("div"), bySentence = {}, order = [];
    readings.forEach(function (r) {
      var key = r.sentence || "";
      if (!bySentence[key]) { bySentence[key] = { articles: [], confidence: r.confidence, rule: r.rule }; order.push(key); }
      if (r.article !== undefined && bySentence[key].articles.indexOf(r.article) < 0) { bySentence[key].articles.push(r.article); }
    });
    order.slice(0, 20).forEach(function (sentence) {
      var item = bySentence[sentence];
      if (sentence) { box.appendChild(el("blockquote", sentence)); }
      var list = el("ul", null, "sources-of");
      item.articles.slice(0, 10).forEach(function (i) { var li = articleLine(i); if (li) { list.appendChild(li); } });
      if (item.articles.length > 10) { list.appendChild(el("li", "\u2026 and " + (item.articles.length - 10) + " more articles")); }
      var meta = [item.rule ? "rule " + item.rule : null,
                  item.confidence !== undefined ? "confidence " + item.confidence : null].filter(Boolean);
      if (meta.length) { list.appendChild(el("li", meta.join(" \u00b7 "))); }
      box.appendChild(list);
    });
    if (order.length > 20) { box.appendChild(el("p", "\u2026 and " + (order.length - 20) + " more sentences", "hint")); }
    return box;
  }
  function show(title, rows, extra) {
    clear(details);
    details.appendChild(el("h2", "Details"));
    details.appendChild(el("h3", title, "details-title"));
    var list = el("dl");
    rows.forEach(function (row) {
      if (row[1] === undefined || row[1] === null || row[1] === "") { return; }
      list.appendChild(el("dt", row[0]));
      var dd = el("dd");
      if (row[1] instanceof Node) { dd.appendChild(row[1]); } else { dd.textContent = String(row[1]); }
      list.appendChild(dd);
    });
    details.appendChild(list);
    (extra || []).forEach(function (node) { if (node) { details.appendChild(node); } });
  }
  function section(title, children) {
    var box = el("div");
    box.appendChild(el("h3", title));
    children.forEach(function (c) { box.appendChild(c); });
    return box;
  }
  function factLine(ev, selfId) {
    var others = [];
    Object.keys(ev.roles).forEach(function (r) {
      ev.roles[r].forEach(function (id) { if (id !== selfId) { others.push(labelOf(id)); } });
    });
    return caption(ev) + (others.length ? " \u2014 " + others.join(", ") : "");
  }
  function showEntity(node) {
    var kg = node.kg, mine = (eventsOf[node.id] || []).filter(function (i) { return eventPasses(events[i]); });
    var facts = {}, order = [];
    mine.forEach(function (i) {  // the same fact told again is one line, with a count
      var text = factLine(events[i], node.id);
      if (!facts[text]) { facts[text] = { count: 0, last: "" }; order.push(text); }
      facts[text].count += 1;
      if ((events[i].when || "") > facts[text].last) { facts[text].last = events[i].when || ""; }
    });
    (linksOf[node.id] || []).forEach(function (i) {
      var link = links[i], text = (link.from === node.id ? "" : labelOf(link.from) + " ") + link.relation +
        (link.from === node.id ? " " + labelOf(link.to) : "");
      if (!facts[text]) { facts[text] = { count: 0, last: link.when || "" }; order.push(text); }
      facts[text].count += Math.max(link.evidence.length, 1);
    });
    order.sort(function (a, b) { return facts[b].count - facts[a].count || (a < b ? -1 : 1); });
    var factList = el("ul");
    order.slice(0, 40).forEach(function (text) {
      var f = facts[text];
      factList.appendChild(el("li", text + (f.count > 1 ? " \u00d7" + f.count : "") + (f.last ? " \u00b7 " + f.last : "")));
    });
    if (order.length > 40) { factList.appendChild(el("li", "\u2026 and " + (order.length - 40) + " more")); }
    var told = {};
    (kg.articles || []).forEach(function (i) { told[i] = true; });
    mine.forEach(function (i) { events[i].evidence.forEach(function (r) { if (r.article !== undefined) { told[r.article] = true; } }); });
    var list = Object.keys(told).map(Number).sort(function (a, b) {
      var da = articles[a].date || "", db = articles[b].date || "";
      return da < db ? 1 : da > db ? -1 : a - b;
    });
    var articleList = el("ul");
    list.slice(0, 30).forEach(function (i) { var li = articleLine(i); if (li) { articleList.appendChild(li); } });
    if (list.length > 30) { articleList.appendChild(el("li", "\u2026 and " + (list.length - 30) + " more")); }
    var community = kg.community !== undefined && data.communities[kg.community] ?
      "#" + (kg.community + 1) + " (" + data.communities[kg.community].size + " nodes)" : null;
    show(kg.label, [
      ["Type", kg.type], ["Also called", kg.aliases ? kg.aliases.join(", ") : null],
      ["Merged from", kg.sameAs ? kg.sameAs.length + " other node" + (kg.sameAs.length > 1 ? "s" : "") +
        " named differently (kg merge --dry-run)" : null],
      ["Community", community], ["Links", kg.degree], ["IRI", kg.iri]
    ], [order.length ? section("Facts (" + order.length + ")", [factList]) : null,
        list.length ? section("Articles (" + list.length + ")", [articleList]) : null]);
  }
  function showEvent(i) {
    var ev = events[i], roles = [];
    Object.keys(ev.roles).forEach(function (r) { roles.push([r.charAt(0).toUpperCase() + r.slice(1), ev.roles[r].map(labelOf).join(", ")]); });
    var back = null;
    eventPairs(ev).forEach(function (p) {
      var key = pairKey(p[0], p[1]);
      if (state.expanded[key] && !back) {
        back = el("button", "Fold back into one edge");
        back.type = "button";
        back.addEventListener("click", function () { delete state.expanded[key]; rebuild(); clear(details); details.appendChild(el("h2", "Details")); });
      }
    });
    show(ev.label, [["Type", ev.eventType + (ev.family !== ev.eventType ? " (" + ev.family + ")" : "")],
                    ["Verb", ev.lemma], ["Modality", ev.modality], ["Date", ev.date]].concat(roles).concat([
                    ["Reports", ev.sameAs ? (ev.sameAs + 1) + " reports of one event, merged" : null]]),
         [back, section("Evidence", [evidenceBlock(ev.evidence)])]);
  }
  function showPair(key) {
    var entry = pairs[key];
    if (!entry) { return; }
    var list = entry.events.slice().sort(function (a, b) {
      var wa = events[a].when || "", wb = events[b].when || "";
      return wa < wb ? 1 : wa > wb ? -1 : a - b;
    });
    var blocks = list.slice(0, 50).map(function (i) {
      var ev = events[i], box = el("div", null, "fact");
      box.appendChild(el("div", factLine(ev, null) + (ev.date ? " \u00b7 " + ev.date : ""), "fact-head"));
      box.appendChild(evidenceBlock(ev.evidence));
      return box;
    });
    entry.links.forEach(function (i) {
      var link = links[i], box = el("div", null, "fact");
      box.appendChild(el("div", labelOf(link.from) + " " + link.relation + " " + labelOf(link.to), "fact-head"));
      box.appendChild(evidenceBlock(link.evidence));
      blocks.push(box);
    });
    if (list.length > 50) { blocks.push(el("p", "\u2026 and " + (list.length - 50) + " more events", "hint")); }
    var expand = null;
    if (entry.events.length) {
      expand = el("button", "Show the " + plural(entry.events.length, "event") + " as nodes");
      expand.type = "button";
      expand.id = "expand-pair";
      expand.addEventListener("click", function () { state.expanded[key] = true; rebuild(); });
    }
    show(labelOf(entry.a) + " \u2014 " + labelOf(entry.b),
         [["Facts", entry.events.length + entry.links.length]], [expand].concat(blocks));
  }
  function showLink(i) {
    var link = links[i];
    show(labelOf(link.from) + " \u2192 " + link.relation + " \u2192 " + labelOf(link.to),
         [["Relation", link.relation], ["Date", link.when]], [section("Evidence", [evidenceBlock(link.evidence)])]);
  }
  network.on("click", function (params) { open(params.nodes[0], params.edges[0]); });
  function open(nodeId, edgeId) {  // what a click on a node or an edge shows
    if (nodeId !== undefined) {
      var node = nodes.get(nodeId);
      selected = neighbourhood([node.id]);
      if (node.kg.event !== undefined) { showEvent(node.kg.event); } else { showEntity(nodeById[node.id]); }
    } else if (edgeId !== undefined) {
      var edge = edges.get(edgeId);
      selected = neighbourhood([], [edge.id]);
      if (edge.id.indexOf("pair:") === 0) { showPair(edge.id.slice(5)); }
      else if (edge.kg && edge.kg.link !== undefined) { showLink(edge.kg.link); }
      else if (edge.kg && edge.kg.event !== undefined) { showEvent(edge.kg.event); }
    } else { selected = null; }
    focus = selected;
    network.redraw();
  }

  // --- legends, filters and options -------------------------------------------------------
  function toggler(item, hidden, key) {
    item.setAttribute("role", "button");
    item.setAttribute("tabindex", "0");
    item.setAttribute("aria-pressed", "true");
    function flip() {
      if (hidden[key]) { delete hidden[key]; } else { hidden[key] = true; }
      item.classList.toggle("off", !!hidden[key]);
      item.setAttribute("aria-pressed", hidden[key] ? "false" : "true");
      rebuild();
    }
    item.addEventListener("click", flip);
    item.addEventListener("keydown", function (e) { if (e.key === "Enter" || e.key === " ") { e.preventDefault(); flip(); } });
  }
  Array.prototype.forEach.call(document.querySelectorAll("#legend li[data-type]"), function (item) {
    var kind = item.getAttribute("data-type");
    toggler(item, state.hiddenTypes, kind);
    if (state.hiddenTypes[kind]) { item.classList.add("off"); item.setAttribute("aria-pressed", "false"); }
  });
  Array.prototype.forEach.call(document.querySelectorAll("#families li[data-family]"), function (item) {
    toggler(item, state.hiddenFamilies, item.getAttribute("data-family"));
  });
  function checkboxes(target, title, values, hidden) {
    if (values.length < 2) { return; }
    var set = el("fieldset");
    set.appendChild(el("legend", title));
    var box = el("div", null, "sources");
    values.forEach(function (v) {
      var label = el("label"), input = el("input");
      input.type = "checkbox"; input.checked = true; input.value = v[0];
      input.addEventListener("change", function () {
        if (input.checked) { delete hidden[v[0]]; } else { hidden[v[0]] = true; }
        rebuild();
      });
      label.appendChild(input);
      label.appendChild(document.createTextNode(" " + v[0] + " (" + v[1] + ")"));
      box.appendChild(label);
    });
    set.appendChild(box);
    target.appendChild(set);
  }
  function counted(list) {
    var counts = {};
    list.forEach(function (v) { counts[v] = (counts[v] || 0) + 1; });
    return Object.keys(counts).sort(function (a, b) { return counts[b] - counts[a] || (a < b ? -1 : 1); })
      .map(function (k) { return [k, counts[k]]; });
  }
  checkboxes(document.getElementById("filter-modality"), "Modality",
             counted(events.map(function (ev) { return ev.modality || "?"; })), state.hiddenModalities);
  var factSources = [];
  events.forEach(function (ev) { factSources.push(ev.evidence.length ? sourceOf(ev.evidence[0]) : "(no source)"); });
  checkboxes(document.getElementById("filter-sources"), "Sources", counted(factSources).slice(0, 60), state.hiddenSources);
  var from = null, to = null, dateText = null;
  if (days.length > 1) {
    var box = document.getElementById("filter-dates"), set = el("fieldset");
    set.appendChild(el("legend", "Dates"));
    dateText = el("div", null, "hint");
    from = el("input"); to = el("input");
    [from, to].forEach(function (input, k) {
      input.type = "range"; input.min = "0"; input.max = String(days.length - 1);
      input.value = String(k ? days.length - 1 : 0);
      input.setAttribute("aria-label", k ? "Last day" : "First day");
      input.id = k ? "date-to" : "date-from";
      input.addEventListener("input", function () {
        var a = Number(from.value), b = Number(to.value);
        if (a > b) { if (input === from) { to.value = String(a); b = a; } else { from.value = String(b); a = b; } }
        state.from = a; state.to = b; showDates(); scheduleRebuild();
      });
      set.appendChild(input);
    });
    set.appendChild(dateText);
    box.appendChild(set);
  }
  function showDates() {
    if (dateText) { dateText.textContent = days[state.from] + " to " + days[state.to] + (datesNarrowed() ? " (undated facts hidden)" : ""); }
    if (from) { from.value = String(state.from); to.value = String(state.to); }
    document.getElementById("timeline-reset").hidden = !datesNarrowed();
  }
  var pending = null;
  function scheduleRebuild() { if (pending) { clearTimeout(pending); } pending = setTimeout(function () { pending = null; rebuild(); }, 120); }
  function option(id, apply) { var input = document.getElementById(id); input.addEventListener("change", function () { apply(input); rebuild(); }); return input; }
  option("opt-fold", function (input) { state.fold = input.checked; state.expanded = {}; }).checked = state.fold;
  option("opt-unlinked", function (input) { state.unlinked = input.checked; });
  var openBox = option("opt-open", function (input) {
    if (input.checked) { delete state.hiddenFamilies.Action; } else { state.hiddenFamilies.Action = true; }
    var item = document.querySelector('#families li[data-family="Action"]');
    if (item) { item.classList.toggle("off", !input.checked); }
  });
  if (!(data.families || {}).Action) { openBox.parentNode.hidden = true; }
  var colourBox = document.getElementById("opt-colour");
  colourBox.addEventListener("change", function () {
    state.colour = colourBox.value;
    nodes.update(data.nodes.map(function (node) { return { id: node.id, color: nodeStyle(node) }; }));
    network.redraw();
  });
  var communityList = document.getElementById("community-list");
  (data.communities || []).forEach(function (c, i) {
    var li = el("li"), swatch = el("span", null, "swatch");
    swatch.style.background = c.colour;
    li.appendChild(swatch);
    li.appendChild(document.createTextNode("#" + (i + 1) + " (" + c.size + "): " + c.names.join(", ")));
    communityList.appendChild(li);
  });

  // --- the timeline: events per period by family, and the most mentioned entities --------
  var chart = document.getElementById("timeline-chart"), strip = document.getElementById("timeline-entities");
  document.getElementById("timeline-reset").addEventListener("click", function () {
    state.from = 0; state.to = Math.max(days.length - 1, 0); showDates(); rebuild();
  });
  function period(day, unit) {
    if (unit === "day") { return day; }
    if (unit === "month") { return day.slice(0, 7) + "-01"; }
    var d = new Date(day + "T00:00:00Z"), back = (d.getUTCDay() + 6) % 7;  // weeks start on Monday
    d.setUTCDate(d.getUTCDate() - back);
    return d.toISOString().slice(0, 10);
  }
  function drawTimeline() {
    clear(chart); clear(strip);
    var shown = [], undated = 0;
    events.forEach(function (ev, i) { if (eventPasses(ev)) { if (ev.when) { shown.push(i); } else { undated++; } } });
    var note = document.getElementById("timeline-note");
    if (!shown.length) { note.textContent = "no dated events" + (undated ? " (" + undated + " undated)" : ""); return; }
    var first = shown.reduce(function (m, i) { return events[i].when < m ? events[i].when : m; }, "9999");
    var last = shown.reduce(function (m, i) { return events[i].when > m ? events[i].when : m; }, "0000");
    var span = (Date.parse(last) - Date.parse(first)) / 86400000;
    var unit = span <= 62 ? "day" : span <= 730 ? "week" : "month";
    var bins = {}, keys = [], families = {};
    shown.forEach(function (i) {
      var key = period(events[i].when, unit), fam = events[i].family;
      if (!bins[key]) { bins[key] = {}; keys.push(key); }
      bins[key][fam] = (bins[key][fam] || 0) + 1;
      families[fam] = (families[fam] || 0) + 1;
    });
    keys.sort();
    var famOrder = Object.keys(families).sort(function (a, b) { return families[b] - families[a] || (a < b ? -1 : 1); });
    var width = chart.clientWidth || 800, height = 110, left = 34, bottom = 16;
    var max = 1;
    keys.forEach(function (k) { var t = 0; Object.keys(bins[k]).forEach(function (f) { t += bins[k][f]; }); max = Math.max(max, t); });
    var step = (width - left - 4) / keys.length, barW = Math.max(1, step - (step > 4 ? 1 : 0));
    svg("text", { x: 0, y: 10 }, chart).textContent = String(max);
    svg("text", { x: 0, y: height - bottom }, chart).textContent = "0";
    keys.forEach(function (k, j) {
      var y = height - bottom, x = left + j * step, total = 0;
      famOrder.forEach(function (f) {
        var n = bins[k][f];
        if (!n) { return; }
        var h = n / max * (height - bottom - 6);
        y -= h; total += n;
        var bar = svg("rect", { x: x.toFixed(1), y: y.toFixed(1), width: barW.toFixed(1), height: Math.max(h, 0.5).toFixed(1),
                                fill: colourOf(f), "class": "bar" }, chart);
        svg("title", {}, bar).textContent = k + ": " + n + " " + f;
        bar.addEventListener("click", function () { narrowTo(k, unit); });
      });
    });
    [0, Math.floor(keys.length / 2), keys.length - 1].forEach(function (j, n) {
      var t = svg("text", { x: (left + j * step + (n === 2 ? barW : 0)).toFixed(1), y: height - 3,
                            "text-anchor": n === 0 ? "start" : n === 1 ? "middle" : "end" }, chart);
      t.textContent = keys[j];
    });
    note.textContent = plural(shown.length, "dated event") + " per " + unit + (undated ? ", " + undated + " undated" : "") +
      "; click a bar to keep its " + unit;
    // the most mentioned entities over time: one row each, darker where they are most told
    var mentions = {};
    shown.forEach(function (i) {
      var ev = events[i];
      Object.keys(ev.roles).forEach(function (r) { ev.roles[r].forEach(function (id) {
        if (!hiddenNow[id] && nodeById[id] && nodeById[id].kg.type !== "Thing") { mentions[id] = (mentions[id] || 0) + 1; }
      }); });
    });
    var top = Object.keys(mentions).sort(function (a, b) { return mentions[b] - mentions[a] || (a < b ? -1 : 1); }).slice(0, 6);
    var rowH = 19, nameW = 150;
    top.forEach(function (id, r) {
      var counts = {}, most = 1;
      shown.forEach(function (i) {
        var ev = events[i], has = Object.keys(ev.roles).some(function (role) { return ev.roles[role].indexOf(id) >= 0; });
        if (has) { var k = period(ev.when, unit); counts[k] = (counts[k] || 0) + 1; most = Math.max(most, counts[k]); }
      });
      var name = svg("text", { x: 0, y: r * rowH + 13 }, strip);
      var text = labelOf(id);
      name.textContent = (text.length > 22 ? text.slice(0, 21) + "\u2026" : text) + " (" + mentions[id] + ")";
      var cellW = (width - nameW - 4) / keys.length;
      keys.forEach(function (k, j) {
        if (!counts[k]) { return; }
        var cell = svg("rect", { x: (nameW + j * cellW).toFixed(1), y: r * rowH + 3, width: Math.max(cellW - 0.5, 1).toFixed(1),
                                 height: rowH - 5, fill: nodeColour(nodeById[id]), "fill-opacity": (0.25 + 0.75 * counts[k] / most).toFixed(2) }, strip);
        svg("title", {}, cell).textContent = labelOf(id) + ", " + k + ": " + counts[k];
      });
    });
    strip.setAttribute("height", String(Math.max(top.length * rowH, 10)));
  }
  function narrowTo(key, unit) {
    var end = key;
    if (unit === "week") { var d = new Date(key + "T00:00:00Z"); d.setUTCDate(d.getUTCDate() + 6); end = d.toISOString().slice(0, 10); }
    if (unit === "month") { end = key.slice(0, 7) + "-31"; }
    var a = days.findIndex(function (d) { return d >= key; }), b = -1;
    days.forEach(function (d, i) { if (d <= end) { b = i; } });
    if (a < 0 || b < a) { return; }
    state.from = a; state.to = b; showDates(); rebuild();
  }
  window.addEventListener("resize", function () { drawTimeline(); });

  // --- search: type-ahead over labels and aliases; Enter or a click centres a node ----------
  var searchInput = document.getElementById("search-input");
  var searchList = document.getElementById("search-results");
  var searchStatus = document.getElementById("search-status");
  var searchIndex = data.nodes.map(function (node) {
    var names = [node.kg.label].concat(node.kg.aliases || []);
    return { id: node.id, label: node.kg.label, keys: names.map(function (name) { return name.toLowerCase(); }) };
  });
  var matches = [], active = -1;
  function matchRank(entry, query) {
    var best = 3;
    entry.keys.forEach(function (key) {
      var at = key.indexOf(query);
      if (at === 0) { best = 0; } else if (at > 0) { best = Math.min(best, /[\s\-(]/.test(key.charAt(at - 1)) ? 1 : 2); }
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
    clear(searchList);
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
    if (hiddenNow[id]) {
      if (!typeShown(id)) { searchStatus.textContent = "That node's type is hidden: click it in the legend to show it."; return; }
      state.unlinked = true; document.getElementById("opt-unlinked").checked = true; rebuild();
    }
    network.selectNodes([id]);
    selected = focus = neighbourhood([id]);
    showEntity(nodeById[id]);
    network.once("animationFinished", function () { document.body.setAttribute("data-focused", id); });
    network.focus(id, { scale: Math.max(network.getScale(), 1.2), locked: false,
                        animation: { duration: 400, easingFunction: "easeInOutQuad" } });
  }
  function choose(entry) {
    searchInput.value = entry.label;
    matches = []; active = -1;
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
      if (matches.length) { choose(matches[Math.max(active, 0)]); } else { searchStatus.textContent = "No node matches."; }
    } else if (event.key === "Escape") {
      matches = []; active = -1; renderMatches();
    }
  });
  searchInput.addEventListener("blur", function () { matches = []; active = -1; renderMatches(); });

  window.kgView = {
    state: state, rebuild: rebuild, open: open, pairs: function () { return pairs; },
    focus: function () { return focus ? Object.keys(focus.nodes).sort() : null; }
  };
  showDates();
  rebuild();
  network.fit();
})();
