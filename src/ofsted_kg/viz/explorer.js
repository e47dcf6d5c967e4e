/* ofsted-kg graph explorer. Every text from the graph is put into the page with textContent
   (DOM text nodes); tooltips are DOM elements, never HTML strings. */
(function () {
  "use strict";

  var DATA = JSON.parse(document.getElementById("explorer-data").textContent);
  var META = DATA.meta;
  var FINDINGS = DATA.findings;
  var nodeById = new Map();
  var edgeById = new Map();
  DATA.nodes.forEach(function (n) { nodeById.set(n.id, n); });
  DATA.edges.forEach(function (e) { edgeById.set(e.id, e); });

  // ---- DOM helpers: text only -------------------------------------------------------------------
  function el(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) { e.className = cls; }
    if (text !== undefined && text !== null) { e.textContent = String(text); }
    return e;
  }
  function safeHref(url) {
    if (typeof url !== "string") { return null; }
    if (/^https?:\/\//i.test(url)) { return url; }
    if (url.charAt(0) === "/" && url.charAt(1) !== "/") { return url; }
    return null;
  }
  function link(text, url) {
    var href = safeHref(url);
    if (!href) { return el("span", null, text); }
    var a = el("a", null, text);
    a.href = href;
    return a;
  }
  function entityUrl(iri) {
    if (!iri || META.entityBase === null || META.entityBase === undefined) { return null; }
    return iri.indexOf(META.idBase) === 0 ? META.entityBase + iri.slice(META.idBase.length) : null;
  }
  function shorten(text, n) {
    return text.length > n ? text.slice(0, n - 1) + "\u2026" : text;
  }
  function labelOf(id) {
    var n = nodeById.get(id);
    return n ? n.label : id;
  }
  function findingNode(i) { return DATA.nodes[FINDINGS[i].n].id; }

  // ---- tooltips (DOM elements) -------------------------------------------------------------------
  function tip(title, lines, quotes) {
    var box = el("div", "kg-tip");
    box.appendChild(el("span", "tip-title", title));
    (lines || []).forEach(function (line) { if (line) { box.appendChild(el("span", "tip-line", line)); } });
    (quotes || []).forEach(function (i) {
      var f = FINDINGS[i];
      box.appendChild(el("span", "tip-quote", "\u201c" + shorten(f.q || f.t, 300) + "\u201d"));
      box.appendChild(el("span", "ref", f.r || "source unknown"));
    });
    return box;
  }
  function nodeTitle(n) {
    var d = n.d || {};
    if (n.kind === "inspection") {
      return tip(n.label + " \u2014 " + labelOf(n.authority), [
        d.fw, d.date, "Overall: " + (d.overall || "no overall grade"),
        d.referenced ? "Known from a later document" : null,
      ]);
    }
    if (n.kind === "authority") {
      return tip(n.label, ["GSS " + (d.gss || []).join(", "), d.la ? "LA number " + d.la : null]);
    }
    return tip(n.label, [d.persists && d.persists.length ? "Persists for: " + shorten(d.persists.join(", "), 200)
                                                          : "Persists for no authority"]);
  }
  function edgeTitle(e) {
    if (e.kind === "weakness") {
      var more = e.f.length > 3 ? ["(" + (e.f.length - 3) + " more: click the edge)"] : [];
      return tip(labelOf(e.to) + " \u2014 " + labelOf(e.from),
                 [e.count + (e.count === 1 ? " weakness finding" : " weakness findings")].concat(more),
                 e.f.slice(0, 3));
    }
    if (e.kind === "chain") {
      var d = e.d;
      var quotes = [];
      [e.from, e.to].forEach(function (end) {
        var first = e.f.filter(function (i) { return findingNode(i) === end; })[0];
        if (first !== undefined) { quotes.push(first); }
      });
      return tip("Persistent weakness: " + d.themeLabel, [
        labelOf(e.from) + " \u2192 " + labelOf(e.to) + " (link " + d.step + " of " + d.steps + ")",
        d.cycles + " cycles, " + d.first + "\u2013" + d.last + ", " + d.status +
          (d.stated ? ", stated by inspectors" : ""),
      ], quotes);
    }
    return tip(labelOf(e.from) + " \u2192 " + labelOf(e.to), []);
  }

  // ---- details panel -------------------------------------------------------------------------------
  var details = document.getElementById("details");
  function clear() { while (details.firstChild) { details.removeChild(details.firstChild); } }
  function dl(pairs) {
    var list = el("dl");
    pairs.forEach(function (p) {
      if (p[1] === null || p[1] === undefined || p[1] === "") { return; }
      list.appendChild(el("dt", null, p[0]));
      var dd = el("dd");
      if (p[1] instanceof Node) { dd.appendChild(p[1]); } else { dd.textContent = String(p[1]); }
      list.appendChild(dd);
    });
    return list;
  }
  function findingList(indices, stated) {
    var ol = el("ol", "findings");
    indices.forEach(function (i) {
      var f = FINDINGS[i];
      var li = el("li");
      li.appendChild(el("span", "quote", "\u201c" + (f.q || f.t) + "\u201d"));
      if (f.q) { li.appendChild(el("span", "ref", "Finding: " + f.t)); }
      var ref = el("span", "ref");
      ref.appendChild(document.createTextNode(DATA.nodes[f.n].label + ", " + f.k + ", "));
      ref.appendChild(link(f.r || "source unknown", entityUrl(f.i)));
      if (f.s && entityUrl(f.s)) {
        ref.appendChild(document.createTextNode(" \u00b7 "));
        ref.appendChild(link("source document", entityUrl(f.s)));
      }
      li.appendChild(ref);
      if (stated && stated.indexOf(i) >= 0) { li.appendChild(el("span", "stated", "inspectors state it persists")); }
      ol.appendChild(li);
    });
    return ol;
  }
  function showNode(n) {
    var d = n.d || {};
    details.appendChild(el("h2", null, n.label));
    if (n.kind === "inspection") {
      details.appendChild(dl([["Authority", labelOf(n.authority)], ["Framework", d.fw], ["Date", d.date],
        ["Overall", d.overall || "no overall grade"], ["Visit", d.visit ? "yes" : ""],
        ["Referenced", d.referenced ? "known only from a later document" : ""],
        ["IRI", link(n.id, entityUrl(n.id))]]));
      if (d.grades && d.grades.length) {
        details.appendChild(el("h3", null, "Judgements"));
        var ul = el("ul");
        d.grades.forEach(function (g) {
          ul.appendChild(el("li", null, g[0] + ": " + g[1] + (g[2] && g[2].toLowerCase() !== g[1].toLowerCase()
            ? " (printed \u201c" + g[2] + "\u201d)" : "")));
        });
        details.appendChild(ul);
      }
      var weak = DATA.edges.filter(function (e) { return e.kind === "weakness" && e.from === n.id; });
      if (weak.length) {
        details.appendChild(el("h3", null, "Weaknesses by theme"));
        var wl = el("ul");
        weak.forEach(function (e) { wl.appendChild(el("li", null, labelOf(e.to) + ": " + e.count)); });
        details.appendChild(wl);
      }
      if (d.sources && d.sources.length) {
        details.appendChild(el("h3", null, "Sources"));
        var sl = el("ul");
        d.sources.forEach(function (s) { sl.appendChild(el("li", null, s)); });
        details.appendChild(sl);
      }
    } else if (n.kind === "authority") {
      details.appendChild(dl([["GSS", (d.gss || []).join(", ")], ["LA number", d.la],
        ["ONS", d.sameAs && d.sameAs.length ? link(d.sameAs[0], d.sameAs[0]) : ""],
        ["IRI", link(n.id, entityUrl(n.id))],
        ["Report", d.report ? link("authority report", d.report) : ""]]));
    } else {
      details.appendChild(dl([["Theme", d.key], ["Persists for", (d.persists || []).join(", ") || "none"]]));
    }
  }
  function showEdge(e) {
    if (e.kind === "weakness") {
      details.appendChild(el("h2", null, labelOf(e.to)));
      details.appendChild(dl([["Inspection", labelOf(e.from)], ["Authority", labelOf(e.authority)],
        ["Findings", e.count], ["Persistent", e.persistent ? "yes" : "no"]]));
      details.appendChild(findingList(e.f));
    } else if (e.kind === "chain") {
      var d = e.d;
      details.appendChild(el("h2", null, "Persistent weakness: " + d.themeLabel));
      details.appendChild(dl([["Authority", labelOf(e.authority)],
        ["Link", labelOf(e.from) + " \u2192 " + labelOf(e.to) + " (" + d.step + " of " + d.steps + ")"],
        ["Cycles", d.cycles + (d.visits ? " (+" + d.visits + " visits)" : "")],
        ["Years", d.first + "\u2013" + d.last], ["Status", d.status],
        ["Stated", d.stated ? "inspectors say it persists" : "no"], ["IRI", link(e.pw, entityUrl(e.pw))]]));
      [e.from, e.to].forEach(function (end) {
        details.appendChild(el("h3", null, labelOf(end)));
        details.appendChild(findingList(e.f.filter(function (i) { return findingNode(i) === end; }), e.st));
      });
    } else {
      details.appendChild(el("h2", null, labelOf(e.to)));
    }
  }
  function showDetails(id) {
    clear();
    if (nodeById.has(id)) { showNode(nodeById.get(id)); } else if (edgeById.has(id)) { showEdge(edgeById.get(id)); }
    return details.textContent;
  }

  // ---- network ---------------------------------------------------------------------------------------
  var nodes = new vis.DataSet(DATA.nodes.map(function (n) {
    var copy = Object.assign({}, n);
    copy.title = nodeTitle(n);
    return copy;
  }));
  var edges = new vis.DataSet(DATA.edges.map(function (e) {
    var copy = Object.assign({}, e);
    copy.title = edgeTitle(e);
    return copy;
  }));
  var visibleNodes = new Set();
  var visibleEdges = new Set();
  var nodeView = new vis.DataView(nodes, { filter: function (n) { return visibleNodes.has(n.id); } });
  var edgeView = new vis.DataView(edges, { filter: function (e) { return visibleEdges.has(e.id); } });
  var big = DATA.edges.length > 3000;
  var network = new vis.Network(document.getElementById("network"), { nodes: nodeView, edges: edgeView }, {
    physics: false,
    layout: { improvedLayout: false },
    interaction: { hover: true, tooltipDelay: 120, hideEdgesOnDrag: big, hideEdgesOnZoom: big, keyboard: false },
    nodes: { font: { face: "system-ui, sans-serif" } },
    edges: { smooth: false, selectionWidth: 2, hoverWidth: 1.5 },
  });

  // ---- filters and layout ---------------------------------------------------------------------------
  var state = { authority: "", theme: "", framework: "", persistent: false, weak: false };
  var lanes = DATA.nodes.filter(function (n) { return n.kind === "authority"; });
  var inspectionsOf = new Map();
  DATA.nodes.forEach(function (n) {
    if (n.kind !== "inspection") { return; }
    if (!inspectionsOf.has(n.authority)) { inspectionsOf.set(n.authority, []); }
    inspectionsOf.get(n.authority).push(n);
  });
  function applyFilters() {
    visibleNodes.clear();
    visibleEdges.clear();
    var narrowing = Boolean(state.theme) || state.persistent;
    var withEdges = new Set();
    DATA.edges.forEach(function (e) {
      if (e.kind === "authority") { return; }
      if (state.authority && e.authority !== state.authority) { return; }
      if (state.theme && e.theme !== state.theme) { return; }
      if (state.persistent && !e.persistent) { return; }
      if (state.framework) {
        var ends = e.kind === "chain" ? [e.from, e.to] : [e.from];
        if (!ends.every(function (id) { return nodeById.get(id).framework === state.framework; })) { return; }
      }
      visibleEdges.add(e.id);
      withEdges.add(e.authority);
    });
    DATA.nodes.forEach(function (n) {
      if (n.kind !== "inspection") { return; }
      if (state.authority && n.authority !== state.authority) { return; }
      if (narrowing && !withEdges.has(n.authority)) { return; }
      if (state.framework && n.framework !== state.framework) { return; }
      visibleNodes.add(n.id);
      visibleNodes.add(n.authority);
    });
    var shown = lanes.filter(function (a) { return visibleNodes.has(a.id); }).length;
    var weak = state.weak || Boolean(state.theme) || shown <= META.singleColumnMax;
    DATA.edges.forEach(function (e) {
      if (e.kind === "authority") {
        if (visibleNodes.has(e.from) && visibleNodes.has(e.to)) { visibleEdges.add(e.id); }
      } else if (visibleEdges.has(e.id)) {
        if (!visibleNodes.has(e.from) || (e.kind === "weakness" && !weak)) { visibleEdges.delete(e.id); return; }
        if (e.kind === "weakness") { visibleNodes.add(e.to); }
      }
    });
    if (state.theme && nodeById.has(state.theme)) { visibleNodes.add(state.theme); }
    layout();
    nodeView.refresh();
    edgeView.refresh();
    network.fit({ animation: false });
    document.getElementById("shown").textContent = "showing " + nodeView.length + " nodes, " + edgeView.length +
      " edges" + (weak ? "" : " (weakness edges: choose an authority or a theme, or tick the box)");
  }
  // Visible lanes in columns sized to the window; themes spread over the height to the right.
  function layout() {
    var shown = lanes.filter(function (a) { return visibleNodes.has(a.id); });
    var box = document.getElementById("network");
    var aspect = Math.max(box.clientWidth, 1) / Math.max(box.clientHeight, 1);
    var block = META.blockWidth + 120;
    var columns = 1;
    if (shown.length > META.singleColumnMax) {
      columns = Math.max(1, Math.round(Math.sqrt(shown.length * META.laneHeight * aspect / block)));
    }
    var rows = Math.ceil(shown.length / columns);
    var updates = [];
    shown.forEach(function (a, k) {
      var ox = Math.floor(k / rows) * block;
      var oy = (k % rows) * META.laneHeight;
      updates.push({ id: a.id, x: ox + META.authorityX, y: oy });
      (inspectionsOf.get(a.id) || []).forEach(function (n) { updates.push({ id: n.id, x: ox + n.dx, y: oy + n.dy }); });
    });
    var themes = DATA.nodes.filter(function (n) { return n.kind === "theme" && visibleNodes.has(n.id); });
    themes.sort(function (a, b) { return a.order - b.order; });
    var height = Math.max(rows - 1, 0) * META.laneHeight;
    var span = Math.max(height, (themes.length - 1) * 40);
    var top = height / 2 - span / 2;
    var tx = (columns - 1) * block + META.blockWidth + META.authorityX + META.themeGap;
    themes.forEach(function (n, k) {
      // a single theme sits below the lanes, so that edges from one lane do not lie on top of each other
      updates.push({ id: n.id, x: tx, y: themes.length > 1 ? top + span * k / (themes.length - 1)
                                                           : height / 2 + META.laneHeight });
    });
    nodes.update(updates);
  }
  // Year lines behind the graph.
  network.on("beforeDrawing", function (ctx) {
    var blocks = new Map();  // column offset -> [min y, max y]
    nodeView.forEach(function (n) {
      if (n.kind !== "authority") { return; }
      var ox = n.x - META.authorityX;
      var b = blocks.get(ox) || [Infinity, -Infinity];
      blocks.set(ox, [Math.min(b[0], n.y), Math.max(b[1], n.y)]);
    });
    var last = Math.floor(META.x0 + (META.blockWidth + META.authorityX - 220) / META.yearWidth) + 1;
    ctx.save();
    ctx.strokeStyle = "#eeeeee";
    ctx.fillStyle = "#999999";
    ctx.lineWidth = 1;
    ctx.font = "12px sans-serif";
    blocks.forEach(function (b, ox) {
      for (var year = Math.floor(META.x0); year <= last; year++) {
        var x = ox + (year - META.x0) * META.yearWidth;
        ctx.beginPath();
        ctx.moveTo(x, b[0] - 70);
        ctx.lineTo(x, b[1] + 50);
        ctx.stroke();
        ctx.fillText(String(year), x + 3, b[0] - 58);
      }
    });
    ctx.restore();
  });
  network.on("click", function (params) {
    if (params.nodes.length) { showDetails(params.nodes[0]); } else if (params.edges.length) { showDetails(params.edges[0]); }
  });

  var controls = {
    authority: document.getElementById("f-authority"),
    theme: document.getElementById("f-theme"),
    framework: document.getElementById("f-framework"),
    persistent: document.getElementById("f-persistent"),
    weak: document.getElementById("f-weak"),
  };
  function readControls() {
    state.authority = controls.authority.value;
    state.theme = controls.theme.value;
    state.framework = controls.framework.value;
    state.persistent = controls.persistent.checked;
    state.weak = controls.weak.checked;
    applyFilters();
  }
  ["authority", "theme", "framework", "persistent", "weak"].forEach(function (k) {
    controls[k].addEventListener("change", readControls);
  });
  document.getElementById("f-reset").addEventListener("click", function () {
    controls.authority.value = "";
    controls.theme.value = "";
    controls.framework.value = "";
    controls.persistent.checked = false;
    controls.weak.checked = false;
    readControls();
  });
  function setFilters(values) {
    Object.keys(values || {}).forEach(function (k) {
      if (!controls[k]) { return; }
      if (k === "persistent" || k === "weak") { controls[k].checked = Boolean(values[k]); } else { controls[k].value = values[k] || ""; }
    });
    readControls();
    return { nodes: nodeView.length, edges: edgeView.length };
  }

  window.explorer = {
    network: network, nodes: nodes, edges: edges, nodeView: nodeView, edgeView: edgeView, state: state,
    setFilters: setFilters, showDetails: showDetails, drawn: false,
  };
  network.once("afterDrawing", function () { window.explorer.drawn = true; });
  if (META.initial && META.initial.theme) { controls.theme.value = META.initial.theme; }
  readControls();
}());
