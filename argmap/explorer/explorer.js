// argmap explorer. All map text comes from the JSON island and reaches the DOM only through
// textContent / setAttribute with fixed attribute names (never innerHTML), so texts stay inert.
(function () {
  "use strict";
  // Every object keyed by map ids has no prototype: ids such as `constructor` are valid in the
  // language, and `"constructor" in {}` is true (issue 15). Parsed objects are rebuilt the same way.
  function dict() { return Object.create(null); }
  var D = JSON.parse(document.getElementById("argmap-data").textContent, function (key, value) {
    if (value === null || typeof value !== "object" || Array.isArray(value)) return value;
    var d = dict();
    Object.keys(value).forEach(function (k) { d[k] = value[k]; });
    return d;
  });
  var A = D.assumptions, NA = A.length, NODES = D.nodes, SUP = D.supports, AGAINST = D.against, NOGOODS = D.nogoods;
  var IDX = dict();                     // assumption id -> index (literal +-(index+1))
  A.forEach(function (a, i) { IDX[a.id] = i; });
  var NODE_IDS = Object.keys(NODES);
  var VERDICTS = NODE_IDS.filter(function (n) { return NODES[n].kind === "verdict"; });
  var TRUNC = {supports: dict(), against: dict()};
  D.truncated.supports.forEach(function (n) { TRUNC.supports[n] = true; });
  D.truncated.against.forEach(function (n) { TRUNC.against[n] = true; });

  // ---- exact statuses from the embedded minimal supports and nogoods -------------------------------
  // t[i] is 1 (true), 0 (false) or -1 (unknown). A literal l is +(i+1) / -(i+1) for assumption i
  // true / false. A consistent partial assignment entails V (under the map) iff it contains a prime
  // implicant of "not R or V" that is consistent with the map, i.e. one of V's minimal supports;
  // it is inconsistent iff it contains a nogood (a prime implicant of "not R"). See data.py.
  function within(set, t) {           // every literal of the set is assigned so in t
    for (var k = 0; k < set.length; k++) {
      var l = set[k], x = t[Math.abs(l) - 1];
      if (x !== (l > 0 ? 1 : 0)) return false;
    }
    return true;
  }
  function anyWithin(sets, t) {
    for (var k = 0; k < sets.length; k++) if (within(sets[k], t)) return true;
    return false;
  }
  function consistent(t) { return !anyWithin(NOGOODS, t); }
  function status(id, t) {
    if (!consistent(t)) return "inconsistent";
    if (id in IDX) {                  // an assumption: holds iff set true or forced by the nogoods
      var i = IDX[id], flip = t.slice();
      if (t[i] === 1) return "holds";
      if (t[i] === 0) return "fails";
      flip[i] = 0;
      if (!consistent(flip)) return "holds";
      flip[i] = 1;
      return consistent(flip) ? "open" : "fails";
    }
    if (anyWithin(SUP[id], t)) return "holds";
    if (anyWithin(AGAINST[id], t)) return "fails";
    return "open";
  }

  // ---- what breaks (the rules of queries.what_breaks, under the current toggles) ----------------
  // The minimal supports of a node under t are the minimal sets P \ t over its embedded supports P
  // (empty worldview) with no literal contradicting t and no nogood inside P ∪ t: every support
  // under t, joined with t, contains a prime implicant P of "not R or V", and each such P \ t is
  // itself a support under t (data.py and docs/explorer.md give the argument).
  // Minimal sets P \ t over the embedded sets P (supports of V, or of not V = its cut sets) that
  // no toggle contradicts and that are consistent with t: exactly the minimal supports (cut sets)
  // under t. Sorted by size, then by literal, as Engine.supports sorts.
  function under(sets, t) {
    var res = [];
    sets.forEach(function (p) {
      var t2 = t.slice(), rest = [], ok = true;
      p.forEach(function (lit) {
        var i = Math.abs(lit) - 1, val = lit > 0 ? 1 : 0;
        if (t[i] === -1) { rest.push(lit); t2[i] = val; } else if (t[i] !== val) ok = false;
      });
      if (ok && consistent(t2)) res.push(rest);
    });
    var out = res.filter(function (s, k) {
      return !res.some(function (o, j) {
        if (o.length > s.length || (o.length === s.length && j >= k)) return false;
        return o.every(function (l) { return s.indexOf(l) >= 0; });
      });
    });
    return sortSets(out);
  }
  function litKey(l) { return A[Math.abs(l) - 1].id + (l > 0 ? "\u0000" : "\u0001"); }
  function sortSets(sets) {
    sets.forEach(function (s) { s.sort(function (x, y) { var a = litKey(x), b = litKey(y); return a < b ? -1 : a > b ? 1 : 0; }); });
    return sets.sort(function (x, y) {
      if (x.length !== y.length) return x.length - y.length;
      for (var k = 0; k < x.length; k++) {
        var a = litKey(x[k]), b = litKey(y[k]);
        if (a !== b) return a < b ? -1 : 1;
      }
      return 0;
    });
  }
  function usesUnder(id, t, ai) {
    if (TRUNC.supports[id]) return null;
    var target = ai + 1;
    return under(SUP[id], t).some(function (s) { return s.indexOf(target) >= 0; });
  }
  // the verdicts whose minimal supports or cut sets under t mention assumption i (either value)
  function hangingOn(i, t) {
    return VERDICTS.filter(function (v) {
      return [SUP[v], AGAINST[v]].some(function (sets) {
        return under(sets, t).some(function (s) { return s.indexOf(i + 1) >= 0 || s.indexOf(-(i + 1)) >= 0; });
      });
    });
  }
  function whatBreaks(aid, t, ids) {
    var ai = IDX[aid], out = {assumption: aid, forced: false, breaks: [], loses: [], weakens: [],
                              unaffected: [], unknown: []};
    if (!consistent(t)) { out.inconsistent = true; return out; }
    var after = t.slice(); after[ai] = 0;
    if (t[ai] === 1 || !consistent(after)) { out.forced = true; out.unaffected = ids.slice(); return out; }
    ids.forEach(function (n) {
      var b = status(n, t), a = status(n, after);
      if (b !== "fails" && a === "fails") out.breaks.push(n);
      else if (b === "holds" && a !== "holds") out.loses.push(n);
      else if (b === "open" && t[ai] === -1) {
        var u = usesUnder(n, t, ai);
        if (u === null) { out.unknown.push(n); out.unaffected.push(n); }
        else if (u) out.weakens.push(n); else out.unaffected.push(n);
      } else out.unaffected.push(n);
    });
    return out;
  }
  function toVector(assign) {              // {id: bool} -> toggle vector
    var t = new Array(NA).fill(-1);
    Object.keys(assign || {}).forEach(function (k) { if (k in IDX) t[IDX[k]] = assign[k] ? 1 : 0; });
    return t;
  }
  // for tests and the console: decide statuses of given toggles without touching the page
  window.argmapStatus = function (id, assign) { return status(id, toVector(assign)); };
  window.argmapWhatBreaks = function (aid, assign, ids) { return whatBreaks(aid, toVector(assign), ids || VERDICTS); };
  window.argmapUnder = function (id, assign) {           // what the details pane lists for a node
    var t = toVector(assign), lits = function (s) { return s.map(litText); };
    return {supports: under(SUP[id], t).map(lits), cuts: under(AGAINST[id], t).map(lits)};
  };
  window.argmapHangingOn = function (aid, assign) { return hangingOn(IDX[aid], toVector(assign)); };

  // ---- DOM helpers (text only) ---------------------------------------------------------------------
  function el(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text !== undefined && text !== null) e.textContent = String(text);
    return e;
  }
  function $(id) { return document.getElementById(id); }
  function counted(n, noun, plural) { return n + " " + (n === 1 ? noun : plural || noun + "s"); }   // as argmap/words.py
  var WORD = {holds: "\u2714 holds", fails: "\u2718 fails", open: "? open", inconsistent: "\u26a0 inconsistent"};
  var FILL = {holds: "#c8e6c9", fails: "#ffcdd2", open: "#eeeeee", inconsistent: "#e1bee7"};
  var PEN = {holds: "#2e7d32", fails: "#c62828", open: "#757575", inconsistent: "#6a1b9a"};
  var ASM_FILL = {1: "#c8e6c9", 0: "#ffcdd2", "-1": "#fff8e1"};
  var ASM_PEN = {1: "#2e7d32", 0: "#c62828", "-1": "#8d6e63"};

  // ---- state ---------------------------------------------------------------------------------------
  var state = {t: new Array(NA).fill(-1), w: "", wb: null, sel: null};
  var current = dict();                    // id -> status under state.t

  // ---- assumptions panel ---------------------------------------------------------------------------
  var radios = [];                       // radios[i] = {1: input, 0: input, -1: input}
  var rows = [];
  A.forEach(function (a, i) {
    var row = el("div", "asm");
    row.dataset.id = a.id;
    var head = el("div", "asm-head");
    var name = el("button", "asm-id linkish", a.id);
    name.type = "button";
    name.addEventListener("click", function () { select(a.id); });
    head.appendChild(name);
    var group = el("div", "tri");
    group.setAttribute("role", "radiogroup");
    group.setAttribute("aria-label", "value of " + a.id);
    radios[i] = {};
    [[1, "true", "T"], [-1, "unknown", "?"], [0, "false", "F"]].forEach(function (o) {
      var lab = el("label", "tri-" + o[1]);
      var inp = document.createElement("input");
      inp.type = "radio";
      inp.name = "t" + i;
      inp.value = o[1];
      inp.setAttribute("aria-label", a.id + " " + o[1]);
      inp.addEventListener("change", function () { if (inp.checked) { state.t[i] = o[0]; changed(); } });
      radios[i][o[0]] = inp;
      lab.appendChild(inp);
      lab.appendChild(el("span", null, o[2]));
      lab.title = o[1];
      group.appendChild(lab);
    });
    head.appendChild(group);
    row.appendChild(head);
    row.appendChild(el("div", "asm-text", a.text));
    var wb = el("button", "wb", "what breaks?");
    wb.type = "button";
    wb.setAttribute("aria-pressed", "false");
    wb.addEventListener("click", function () { state.wb = state.wb === a.id ? null : a.id; changed(); });
    row.appendChild(wb);
    $("assumptions").appendChild(row);
    rows.push(row);
  });

  // ---- worldview menu ------------------------------------------------------------------------------
  var menu = $("worldview");
  var none = el("option", null, "(empty worldview: all unknown)");
  none.value = "";
  menu.appendChild(none);
  D.worldviews.forEach(function (w) {
    var o = el("option", null, w.id + " \u2014 " + w.text);
    o.value = w.id;
    menu.appendChild(o);
  });
  function applyWorldview(wid) {
    state.w = wid;
    state.t = new Array(NA).fill(-1);
    var w = D.worldviews.filter(function (x) { return x.id === wid; })[0];
    if (w) Object.keys(w.fixed).forEach(function (k) { if (k in IDX) state.t[IDX[k]] = w.fixed[k] ? 1 : 0; });
  }
  menu.addEventListener("change", function () { applyWorldview(menu.value); changed(); });
  $("reset").addEventListener("click", function () { menu.value = ""; applyWorldview(""); state.wb = null; changed(); });

  // ---- matrix --------------------------------------------------------------------------------------
  var cells = dict();
  (function () {
    var table = $("matrix"), thead = el("thead"), tr = el("tr");
    tr.appendChild(el("th", null, "proposal"));
    D.components.forEach(function (c) { tr.appendChild(el("th", null, c)); });
    thead.appendChild(tr);
    table.appendChild(thead);
    var body = el("tbody");
    D.proposals.forEach(function (p) {
      var r = el("tr"), th = el("th", "prop");
      th.appendChild(el("span", "prop-id", p.id));
      th.appendChild(el("span", "prop-title", p.title));
      r.appendChild(th);
      D.components.forEach(function (c) {
        var vid = p.id + "." + c, td = el("td");
        if (NODES[vid]) {
          var b = el("button", "cell");
          b.type = "button";
          b.dataset.id = vid;
          b.addEventListener("click", function () { select(vid); });
          cells[vid] = b;
          td.appendChild(b);
        } else td.appendChild(el("span", "none", "\u2014"));
        r.appendChild(td);
      });
      body.appendChild(r);
    });
    table.appendChild(body);
  })();

  // ---- the diagram ---------------------------------------------------------------------------------
  var shapes = dict();                     // map id -> [shape element, g element]
  var svg = document.querySelector("#map svg");
  var NAMES = D.diagram || dict();
  if (svg) {
    svg.querySelectorAll("g.node").forEach(function (g) {
      var title = g.querySelector("title");
      var key = title ? NAMES[title.textContent] : undefined;
      if (key === undefined || !(key in NODES || key in IDX)) return;
      var shape = g.querySelector("polygon, path, ellipse");
      if (!shape) return;
      g.classList.add("mnode");
      g.dataset.id = key;
      shapes[key] = [shape, g];
      g.addEventListener("click", function () { select(key); });
    });
    var base = [parseFloat(svg.getAttribute("width")), parseFloat(svg.getAttribute("height"))];
    var zoom = 0.35;
    var setZoom = function (z) {
      zoom = Math.max(0.05, Math.min(2, z));
      svg.setAttribute("width", (base[0] * zoom).toFixed(1) + "pt");
      svg.setAttribute("height", (base[1] * zoom).toFixed(1) + "pt");
      $("zoom-level").textContent = Math.round(zoom * 100) + "%";
    };
    $("zoom-in").addEventListener("click", function () { setZoom(zoom * 1.25); });
    $("zoom-out").addEventListener("click", function () { setZoom(zoom / 1.25); });
    $("zoom-fit").addEventListener("click", function () {
      setZoom(($("map").clientWidth - 8) / (base[0] * 4 / 3));
    });
    setZoom(zoom);
  } else {
    ["zoom-out", "zoom-level", "zoom-in", "zoom-fit"].forEach(function (id) { $(id).hidden = true; });
    document.querySelector("#map-bar .muted").hidden = true;       // the colour legend of the diagram
  }
  function scrollToNode(id) {
    var s = shapes[id];
    if (!s) return;
    var box = s[1].getBoundingClientRect(), pane = $("map"), pb = pane.getBoundingClientRect();
    pane.scrollLeft += box.left - pb.left - pane.clientWidth / 2 + box.width / 2;
    pane.scrollTop += box.top - pb.top - pane.clientHeight / 2 + box.height / 2;
  }

  // ---- details panel -------------------------------------------------------------------------------
  function litText(lit) { var a = A[Math.abs(lit) - 1].id; return lit > 0 ? a : "not " + a; }
  function provenance(box, item) {
    (item.cite || []).forEach(function (c) {
      var q = el("blockquote", "quote", c.quote);
      var src = D.sources[c.source];
      var who = el("div", "cite-src", (src ? src.title + (src.by ? ", " + src.by : "") + (src.year ? " (" + src.year + ")" : "") : c.source) + " \u00a7 " + c.locator);
      box.appendChild(q);
      box.appendChild(who);
    });
    (item.notes || []).forEach(function (n) { box.appendChild(el("p", "note", "note: " + n)); });
  }
  function scope() {
    return state.t.some(function (v) { return v !== -1; }) ? "under these toggles" : "(empty worldview)";
  }
  var SHOWN = 30;                         // list items before "… and N more"
  // What the node needs and how it can hold, under the current toggles (docs/explorer.md)
  function paneLists(box, id) {
    var t = state.t;
    if (!consistent(t)) { box.appendChild(el("p", "muted", "The toggles are inconsistent: nothing to list.")); return; }
    var cutsNow = under(AGAINST[id], t), supsNow = under(SUP[id], t);
    var needs = sortSets(cutsNow.map(function (c) { return c.map(function (l) { return -l; }); }));
    function count(list, key) { return TRUNC[key][id] ? cutText(D.stopped_by[key][id], list.length) : list.length; }
    box.appendChild(el("h3", null, "needs " + scope() + " (" + count(needs, "against") + ")"));
    var ol = el("ol", "d-needs");
    if (current[id] === "holds") ol.appendChild(el("li", "muted", "nothing more: it holds"));
    else if (current[id] === "fails") ol.appendChild(el("li", "muted", "it fails: no assumption could rescue it"));
    needs.slice(0, SHOWN).forEach(function (c) {
      var words = c.map(litText);
      ol.appendChild(el("li", "formula", words.length === 1 ? words[0] : "one of: " + words.join(", ")));
    });
    if (needs.length > SHOWN) ol.appendChild(el("li", "muted", "\u2026 and " + (needs.length - SHOWN) + " more"));
    box.appendChild(ol);
    box.appendChild(el("h3", null, "minimal supports " + scope() + " (" + count(supsNow, "supports") + ")"));
    var ol2 = el("ol", "d-min");
    supsNow.slice(0, SHOWN).forEach(function (p) { ol2.appendChild(el("li", "formula", p.map(litText).join(", ") || "(nothing more: it holds)")); });
    if (supsNow.length > SHOWN) ol2.appendChild(el("li", "muted", "\u2026 and " + (supsNow.length - SHOWN) + " more"));
    if (!supsNow.length) ol2.appendChild(el("li", "muted", "none: it cannot hold here"));
    box.appendChild(ol2);
  }
  function select(id) {
    state.sel = id;
    var box = $("details");
    box.textContent = "";
    var isA = id in IDX, item = isA ? A[IDX[id]] : NODES[id];
    if (!item) { box.appendChild(el("p", "muted", "Click a node, a cell or an assumption.")); writeHash(); return; }
    var kind = isA ? "assumption" : item.kind;
    box.appendChild(el("div", "d-kind", kind));
    box.appendChild(el("h2", "d-id", id));
    var st = isA ? ({1: "assumed true", 0: "assumed false", "-1": "unknown"})[state.t[IDX[id]]] + " (" + WORD[current[id]] + ")" : WORD[current[id]];
    var s = el("div", "d-status st-" + current[id], st);
    box.appendChild(s);
    box.appendChild(el("p", "d-text", item.text));
    box.appendChild(el("div", "d-place", item.file + ":" + item.line));
    if (!isA) {
      if (item.lines.length) {
        box.appendChild(el("h3", null, item.lines.length > 1 ? "holds exactly when one of" : "holds exactly when"));
        var ul = el("ul", "d-sup");
        item.lines.forEach(function (f) { ul.appendChild(el("li", "formula", f)); });
        box.appendChild(ul);
      }
      paneLists(box, id);
    }
    if (item.cite || item.notes) box.appendChild(el("h3", null, "sources and notes"));
    provenance(box, item);
    if (isA) {
      var users = consistent(state.t) ? hangingOn(IDX[id], state.t) : [];
      box.appendChild(el("h3", null, "verdicts that hang on it " + scope() + " (" + users.length + ")"));
      var line = el("div", "d-users");
      users.forEach(function (v) {
        var c = el("button", "chip", v);
        c.type = "button";
        c.addEventListener("click", function () { select(v); });
        line.appendChild(c);
      });
      if (!users.length) line.appendChild(el("span", "muted", "none: no minimal support or cut set of a verdict mentions it"));
      box.appendChild(line);
      var b = el("button", "wb", "what breaks if " + id + " fails?");
      b.type = "button";
      b.addEventListener("click", function () { state.wb = id; changed(); });
      box.appendChild(b);
    }
    document.querySelectorAll(".selected").forEach(function (e) { e.classList.remove("selected"); });
    if (cells[id]) cells[id].classList.add("selected");
    if (shapes[id]) { shapes[id][1].classList.add("selected"); scrollToNode(id); }
    if (isA) rows[IDX[id]].classList.add("selected");
    writeHash();
  }

  // ---- search --------------------------------------------------------------------------------------
  $("search").addEventListener("input", function () {
    var q = $("search").value.trim().toLowerCase(), list = $("results");
    list.textContent = "";
    rows.forEach(function (r, i) {
      var hit = !q || A[i].id.indexOf(q) >= 0 || A[i].text.toLowerCase().indexOf(q) >= 0;
      r.hidden = !hit;
    });
    Object.keys(shapes).forEach(function (k) {
      var item = k in IDX ? A[IDX[k]] : NODES[k];
      var hit = q && (k.indexOf(q) >= 0 || item.text.toLowerCase().indexOf(q) >= 0);
      shapes[k][1].classList.toggle("hit", !!hit);
      shapes[k][1].classList.toggle("miss", !!q && !hit);
    });
    if (!q) { list.hidden = true; return; }
    var found = NODE_IDS.filter(function (n) { return n.indexOf(q) >= 0 || NODES[n].text.toLowerCase().indexOf(q) >= 0; });
    found.slice(0, 40).forEach(function (n) {
      var b = el("button", "result st-" + current[n], n + ": " + NODES[n].text);
      b.type = "button";
      b.addEventListener("click", function () { select(n); });
      list.appendChild(b);
    });
    list.appendChild(el("div", "muted", counted(found.length, "claim or verdict", "claims and verdicts") + ", " +
      counted(rows.filter(function (r) { return !r.hidden; }).length, "assumption") + " match"));
    list.hidden = false;
  });

  // ---- render everything for the current state -----------------------------------------------------
  function paint() {
    var t = state.t;
    NODE_IDS.forEach(function (n) { current[n] = status(n, t); });
    var ok = consistent(t);
    A.forEach(function (a, i) {
      current[a.id] = ok ? status(a.id, t) : "inconsistent";
      radios[i][t[i]].checked = true;
      rows[i].dataset.value = String(t[i]);
    });
    var counts = {holds: 0, fails: 0, open: 0, inconsistent: 0};
    VERDICTS.forEach(function (v) { counts[current[v]]++; });
    $("counts").textContent = "verdicts: " + counted(counts.holds, "holds", "hold") + " \u00b7 " +
      counted(counts.fails, "fails", "fail") + " \u00b7 " + counts.open + " open" + (counts.inconsistent ? " \u00b7 inconsistent" : "");
    var warn = $("inconsistent");
    warn.hidden = ok;
    Object.keys(cells).forEach(function (v) {
      var c = cells[v], s = current[v];
      c.className = "cell st-" + s + (state.sel === v ? " selected" : "");
      c.textContent = WORD[s];
      c.setAttribute("aria-label", v + ": " + s);
    });
    Object.keys(shapes).forEach(function (k) {
      var sh = shapes[k][0], g = shapes[k][1], s = current[k];
      g.dataset.status = s;
      if (k in IDX) {
        var v = ok ? t[IDX[k]] : -1;
        sh.setAttribute("fill", ASM_FILL[v]);
        sh.setAttribute("stroke", ASM_PEN[v]);
      } else if (NODES[k].kind === "verdict") {
        sh.setAttribute("fill", FILL[s]);
        sh.setAttribute("stroke", PEN[s]);
      } else {
        sh.setAttribute("fill", s === "open" ? "#e3f2fd" : FILL[s]);
        sh.setAttribute("stroke", PEN[s]);
      }
    });
    paintBreaks();
    var changedFromW = state.w && JSON.stringify(toVector((D.worldviews.filter(function (x) { return x.id === state.w; })[0] || {}).fixed)) !== JSON.stringify(t);
    $("modified").hidden = !changedFromW;
  }
  function paintBreaks() {
    document.querySelectorAll(".wb-breaks, .wb-weakens, .wb-source").forEach(function (e) {
      e.classList.remove("wb-breaks", "wb-weakens", "wb-source");
    });
    rows.forEach(function (r) { r.querySelector(".wb").setAttribute("aria-pressed", String(r.dataset.id === state.wb)); });
    var box = $("breaks");
    box.textContent = "";
    if (!state.wb) { box.hidden = true; return; }
    box.hidden = false;
    var res = whatBreaks(state.wb, state.t, NODE_IDS);
    var head = el("div", "wb-head");
    head.appendChild(el("strong", null, "What breaks if " + state.wb + " fails"));
    head.appendChild(el("span", "muted", " (compared with the current toggles)"));
    var close = el("button", "wb-close", "clear \u00d7");
    close.type = "button";
    close.addEventListener("click", function () { state.wb = null; changed(); });
    head.appendChild(close);
    box.appendChild(head);
    rows[IDX[state.wb]].classList.add("wb-source");
    if (shapes[state.wb]) shapes[state.wb][1].classList.add("wb-source");
    if (res.inconsistent) { box.appendChild(el("p", null, "The current toggles are inconsistent: nothing to compare.")); return; }
    if (res.forced) {
      box.appendChild(el("p", null, state.t[IDX[state.wb]] === 1 ? state.wb + " is set to true here; set it to unknown to see what its failure breaks."
        : state.wb + " cannot fail under these toggles (the map's conflicts force it): nothing changes."));
      return;
    }
    // (res.loses is always empty under completion semantics, docs/semantics.md: not shown)
    [["breaks", "breaks (now fails)"], ["weakens", "weakens (loses a route)"]].forEach(function (kind) {
      var ids = res[kind[0]];
      var verdicts = ids.filter(function (n) { return NODES[n].kind === "verdict"; });
      var line = el("div", "wb-line wb-" + kind[0]);
      line.appendChild(el("span", "wb-label", kind[1] + ": " + counted(verdicts.length, "verdict") + ", " + counted(ids.length - verdicts.length, "claim") + " "));
      verdicts.forEach(function (n) {
        var b = el("button", "chip", n);
        b.type = "button";
        b.addEventListener("click", function () { select(n); });
        line.appendChild(b);
      });
      box.appendChild(line);
      ids.forEach(function (n) {
        if (cells[n]) cells[n].classList.add("wb-" + kind[0]);
        if (shapes[n]) shapes[n][1].classList.add("wb-" + kind[0]);
      });
    });
    if (res.unknown.length) box.appendChild(el("p", "warn", "weakens unknown (supports truncated): " + res.unknown.join(", ")));
  }

  // ---- the URL fragment keeps the view: #w=W&t=a:1,b:0&wb=A&n=NODE -------------------------------
  function writeHash() {
    var t = [];
    state.t.forEach(function (v, i) { if (v !== -1) t.push(A[i].id + ":" + v); });
    var parts = [];
    if (state.w) parts.push("w=" + encodeURIComponent(state.w));
    parts.push("t=" + encodeURIComponent(t.join(",")));
    if (state.wb) parts.push("wb=" + encodeURIComponent(state.wb));
    if (state.sel) parts.push("n=" + encodeURIComponent(state.sel));
    var h = "#" + parts.join("&");
    if (location.hash !== h) {
      try { history.replaceState(null, "", h); } catch (e) { location.hash = h; }
    }
  }
  function readHash() {
    var h = dict();
    location.hash.replace(/^#/, "").split("&").forEach(function (kv) {
      var i = kv.indexOf("=");
      if (i > 0) h[kv.slice(0, i)] = decodeURIComponent(kv.slice(i + 1));
    });
    if (h.w !== undefined && D.worldviews.some(function (w) { return w.id === h.w; })) { menu.value = h.w; applyWorldview(h.w); }
    if (h.t !== undefined) {
      state.t = new Array(NA).fill(-1);
      h.t.split(",").forEach(function (p) {
        var kv = p.split(":");
        if (kv[0] in IDX && (kv[1] === "1" || kv[1] === "0")) state.t[IDX[kv[0]]] = +kv[1];
      });
    }
    state.wb = h.wb && h.wb in IDX ? h.wb : null;
    return h.n && (h.n in IDX || h.n in NODES) ? h.n : null;
  }
  function changed() { paint(); if (state.sel) select(state.sel); else writeHash(); }

  // a cut list says which bound cut it: only the limit means "more than N"
  function cutText(reason, found) {
    if (reason === "budget") return "at least " + found + ", cut when the time budget ran out";
    if (reason === "calls") return "at least " + found + ", cut at the solver-call cap";
    return "more than " + D.support_limit;
  }

  // ---- start ---------------------------------------------------------------------------------------
  $("title").textContent = D.title;
  var notes = $("notes");
  var cut = D.truncated.supports.concat(D.truncated.against.map(function (n) { return "not " + n; }));
  if (D.truncated.nogoods) cut.push("the map's nogoods");
  if (cut.length) {
    var why = {};
    D.truncated.supports.forEach(function (n) { why[D.stopped_by.supports[n]] = true; });
    D.truncated.against.forEach(function (n) { why[D.stopped_by.against[n]] = true; });
    if (D.truncated.nogoods) why[D.stopped_by.nogoods] = true;
    var bounds = [];
    if (why.limit) bounds.push("at " + D.support_limit);
    if (why.budget) bounds.push("when the time budget (--timeout) ran out");
    if (why.calls) bounds.push("at the solver-call cap");
    // a few names, then a count: on a 10k-statement map the full list filled the first screen
    var shown = cut.length > 20 ? cut.slice(0, 20).join(", ") + " \u2026 and " + (cut.length - 20) + " more (each node's details say so)" : cut.join(", ");
    notes.appendChild(el("p", "warn", "Minimal supports were cut " + bounds.join(" or ") + " for: " + shown +
      ". Statuses of these nodes may show \u2018open\u2019 where they hold or fail" +
      (D.truncated.nogoods ? ", an inconsistency may go unnoticed" : "") + ", and \u2018weakens\u2019 is unknown for them."));
  }
  var I = D.initial || {};
  if (I.worldview) { menu.value = I.worldview; applyWorldview(I.worldview); }
  Object.keys(I.fixed || {}).forEach(function (k) { if (k in IDX) state.t[IDX[k]] = I.fixed[k] ? 1 : 0; });
  var sel = readHash();
  paint();
  if (sel) select(sel); else { select(null); }
  window.addEventListener("hashchange", function () { var s = readHash(); paint(); select(s || state.sel); });
  document.body.dataset.ready = "1";
})();
