/* rotascope report: sortable tables, open <details> holding a link target, expand for print,
   explorable line charts (range, zoom, cursor, keyboard, hidden data table). */
(function () {
  "use strict";

  function cellValue(row, index) {
    var cell = row.children[index];
    if (!cell) { return null; }
    var raw = cell.getAttribute("data-v");
    if (raw === null) { raw = cell.textContent.trim(); }
    if (raw === "") { return null; }
    return raw;
  }

  function sortTable(table, index, type, button) {
    var th = button.closest("th");
    var current = th.getAttribute("aria-sort");
    var descendingFirst = type === "num";
    var ascending = current === "none" || current === null ? !descendingFirst : current === "descending";
    var heads = table.querySelectorAll("thead th");
    for (var i = 0; i < heads.length; i += 1) {
      if (heads[i].hasAttribute("aria-sort")) { heads[i].setAttribute("aria-sort", "none"); }
    }
    th.setAttribute("aria-sort", ascending ? "ascending" : "descending");
    var body = table.tBodies[0];
    var rows = Array.prototype.slice.call(body.rows);
    rows.forEach(function (row, position) { row.setAttribute("data-pos", String(position)); });
    rows.sort(function (a, b) {
      var va = cellValue(a, index);
      var vb = cellValue(b, index);
      if (va === null && vb === null) { return Number(a.getAttribute("data-pos")) - Number(b.getAttribute("data-pos")); }
      if (va === null) { return 1; }
      if (vb === null) { return -1; }
      var cmp;
      if (type === "num") {
        cmp = Number(va) - Number(vb);
      } else {
        cmp = va.localeCompare(vb);
      }
      if (cmp === 0) { return Number(a.getAttribute("data-pos")) - Number(b.getAttribute("data-pos")); }
      return ascending ? cmp : -cmp;
    });
    rows.forEach(function (row) { body.appendChild(row); });
  }

  function initSorting() {
    var buttons = document.querySelectorAll("table.sortable th button.sort");
    Array.prototype.forEach.call(buttons, function (button) {
      button.addEventListener("click", function () {
        var th = button.closest("th");
        var table = button.closest("table");
        var index = Array.prototype.indexOf.call(th.parentNode.children, th);
        sortTable(table, index, th.getAttribute("data-type") || "text", button);
      });
    });
  }

  function openTarget() {
    var id = decodeURIComponent(window.location.hash.slice(1));
    if (!id) { return; }
    var target = document.getElementById(id);
    var node = target;
    while (node) {
      if (node.tagName === "DETAILS") { node.open = true; }
      node = node.parentElement;
    }
    if (target && target.scrollIntoView) { target.scrollIntoView({ block: "center" }); }
  }

  function openAllForPrint() {
    Array.prototype.forEach.call(document.querySelectorAll("details"), function (d) { d.open = true; });
    /* print every chart whole, as drawn in Python */
    Array.prototype.forEach.call(document.querySelectorAll("svg.explorable"), function (svg) {
      if (svg.explorer && svg.getAttribute("data-zoomed") === "true") { svg.explorer.reset(); }
    });
  }


  /* ----------------------------------------------------------------------------------------
   * Explorable line charts. A line chart's svg element carries its points in data-chart (see
   * rotascope.report.svg.explore). The static SVG is the fallback; with script, the reader gets
   * range buttons (1y, 5y, all), drag-to-zoom (mouse, pen, touch), a cursor with a readout of
   * the nearest point (pointer or arrow keys), +/- and Enter to zoom, Escape to reset, and a
   * visually hidden data table. Zoomed views are redrawn from the data with fresh ticks.
   * ---------------------------------------------------------------------------------------- */
  var NS = null; /* the SVG namespace, read from the first chart (no URL in the page) */
  var MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
  var TONES = { positive: "#1a7f37", negative: "#c62828", neutral: "#59636e" };
  var MUTED = "#59636e";
  var DAY = 86400000;
  var TABLE_ROWS = 260;

  function el(name, attrs, parent) {
    var node = document.createElementNS(NS, name);
    Object.keys(attrs || {}).forEach(function (k) { node.setAttribute(k, String(attrs[k])); });
    if (parent) { parent.appendChild(node); }
    return node;
  }
  function html(name, attrs, text) {
    var node = document.createElement(name);
    Object.keys(attrs || {}).forEach(function (k) { node.setAttribute(k, String(attrs[k])); });
    if (text !== undefined) { node.textContent = text; }
    return node;
  }
  function c1(x) { var v = Math.round(x * 10) / 10; return (v === 0 ? 0 : v).toFixed(1); }
  function textWidth(text, size) { return 0.62 * size * text.length; }

  /* twin of explore._render: multiplier, decimals (or decimals by magnitude), sign, suffix,
     thousands separators */
  function fmtNum(v, s, d) {
    if (v === null || v === undefined || !isFinite(v)) { return "n/a"; }
    var dec = d === undefined ? s.d : d;
    if (d === undefined && s.dd) { /* decimals by magnitude: [decade, decimals], largest first */
      var k = v === 0 ? -99 : Math.floor(Math.log10(Math.abs(v * s.m)));
      dec = s.dd[s.dd.length - 1][1];
      for (var j = 0; j < s.dd.length; j += 1) { if (s.dd[j][0] <= k) { dec = s.dd[j][1]; break; } }
    }
    var x = Number((v * s.m).toFixed(dec));
    if (x === 0) { x = 0; }
    var text = Math.abs(x).toFixed(dec);
    if (s.g) {
      var parts = text.split(".");
      parts[0] = parts[0].replace(/\B(?=(\d{3})+(?!\d))/g, ",");
      text = parts.join(".");
    }
    return (x < 0 ? "-" : s.s && x > 0 ? "+" : "") + text + s.u;
  }
  function neededDecimals(ticks) {
    for (var d = 0; d < 7; d += 1) {
      var ok = ticks.every(function (t) {
        return Math.abs(Number(t.toFixed(d)) - t) < 1e-9 * Math.max(1, Math.abs(t));
      });
      if (ok) { return d; }
    }
    return 6;
  }
  function isoDay(day) { return new Date(Math.round(day) * DAY).toISOString().slice(0, 10); }

  /* twin of ticks.nice_ticks */
  function niceTicks(lo, hi, maxTicks) {
    if (!isFinite(lo) || !isFinite(hi)) { return []; }
    if (hi < lo) { var t = lo; lo = hi; hi = t; }
    if (hi === lo) { return [lo]; }
    var raw = (hi - lo) / Math.max(maxTicks - 1, 1);
    var power = Math.pow(10, Math.floor(Math.log10(raw)));
    var mults = [1, 2, 2.5, 5, 10, 20];
    var step = 0; var first = 0; var count = 0;
    for (var i = 0; i < mults.length; i += 1) {
      step = mults[i] * power;
      first = Math.ceil(lo / step - 1e-9) * step;
      count = Math.floor((hi - first) / step + 1e-9) + 1;
      if (count <= maxTicks) { break; }
    }
    var out = [];
    for (var k = 0; k < count; k += 1) { out.push(Number((first + k * step).toFixed(10)) || 0); }
    return out;
  }

  /* twin of ticks.date_ticks; days since 1970-01-01 in, [day, label] out */
  function dateTicks(start, end, maxTicks) {
    var s = new Date(start * DAY); var e = new Date(end * DAY);
    var y0 = s.getUTCFullYear(); var y1 = e.getUTCFullYear();
    function day(y, m, d) { return Date.UTC(y, m, d) / DAY; }
    if (end <= start) { return [[start, MONTHS[s.getUTCMonth()] + " " + y0]]; }
    var years = [];
    [1, 2, 5, 10, 20, 50].some(function (step) {
      var cand = [];
      for (var y = y0; y <= y1; y += 1) {
        if (y % step === 0 && day(y, 0, 1) >= start && day(y, 0, 1) <= end) { cand.push(y); }
      }
      if (cand.length >= 2 && cand.length <= maxTicks) { years = cand; return true; }
      return false;
    });
    var spanYears = (end - start) / 365.25;
    if (spanYears < 3 || years.length < 2) {
      var monthsOut = null;
      [1, 2, 3, 6].some(function (step) {
        var cand = [];
        for (var y = y0; y <= y1; y += 1) {
          for (var m = 0; m < 12; m += 1) {
            var d = day(y, m, 1);
            if (d >= start && d <= end && m % step === 0) { cand.push([d, MONTHS[m] + " " + y]); }
          }
        }
        if (cand.length >= 2 && cand.length <= maxTicks) { monthsOut = cand; return true; }
        return false;
      });
      if (monthsOut) { return monthsOut; }
      if (spanYears < 0.25) {
        var startDay = Math.floor(start);
        var monday = startDay + ((8 - new Date(startDay * DAY).getUTCDay()) % 7);
        var weeksOut = null;
        [1, 2, 4].some(function (weeks) {
          var cand = [];
          for (var w = monday; w <= end; w += 7 * weeks) {
            if (w >= start) {
              var dt = new Date(w * DAY);
              cand.push([w, MONTHS[dt.getUTCMonth()] + " " + dt.getUTCDate()]);
            }
          }
          if (cand.length <= maxTicks) { weeksOut = cand; return true; }
          return false;
        });
        if (weeksOut) { return weeksOut; }
      }
    }
    return years.map(function (y) { return [day(y, 0, 1), String(y)]; });
  }

  function Explorer(svg, index) {
    NS = svg.namespaceURI;
    var d = JSON.parse(svg.getAttribute("data-chart"));
    this.svg = svg;
    this.d = d;
    this.dated = d.x === "d";
    var x = d.t.slice();
    if (this.dated) { for (var i = 1; i < x.length; i += 1) { x[i] += x[i - 1]; } }
    this.x = x;
    this.n = x.length;
    this.full = [d.xd[0], d.xd[1]];
    this.view = this.full.slice();
    this.cursor = -1;
    this.uid = svg.id || "chart-" + index;
    this.geometry(this.full, d.yd, d.pm[0]);
    this.build();
  }

  Explorer.prototype.geometry = function (xd, yd, left) {
    var d = this.d; var w = d.wh[0]; var h = d.wh[1];
    this.g = { left: left, right: w - d.pm[1], top: d.pm[2], base: h - d.pm[3],
               x0: xd[0], x1: xd[1], y0: yd[0], y1: yd[1] };
  };
  Explorer.prototype.sx = function (v) {
    var g = this.g;
    if (g.x1 === g.x0) { return (g.left + g.right) / 2; }
    return g.left + (v - g.x0) * (g.right - g.left) / (g.x1 - g.x0);
  };
  Explorer.prototype.sy = function (v) {
    var g = this.g;
    if (g.y1 === g.y0) { return (g.base + g.top) / 2; }
    return g.base + (v - g.y0) * (g.top - g.base) / (g.y1 - g.y0);
  };
  Explorer.prototype.xLabel = function (i) {
    return this.dated ? isoDay(this.x[i]) : (this.d.xs ? this.d.xs[i] : String(this.x[i]));
  };

  /* enhance the chart: focusable, controls above it, data table after it, layers inside it */
  Explorer.prototype.build = function () {
    var svg = this.svg;
    var figure = svg.closest("figure") || svg.parentNode;
    var title = (svg.querySelector("title") || {}).textContent || "chart";
    svg.classList.add("explorable");
    svg.setAttribute("tabindex", "0");
    svg.setAttribute("aria-roledescription", "interactive chart");
    svg.setAttribute("aria-describedby", this.uid + "-help");
    var hover = svg.querySelector("g.hover");
    if (hover) { hover.parentNode.removeChild(hover); } /* the readout replaces the tooltips */
    var tools = this.tools();
    if (figure.tagName === "FIGURE") {
      figure.insertBefore(tools, figure.firstChild);
      figure.appendChild(this.table(title));
    } else {
      figure.insertBefore(tools, svg);
      figure.insertBefore(this.table(title), svg.nextSibling);
    }
    this.layers();
    this.listen();
    this.mark();
  };

  /* range buttons (only those shorter than the series), reset, a hint, the readout */
  Explorer.prototype.tools = function () {
    var self = this;
    var touch = window.matchMedia && window.matchMedia("(hover: none)").matches;
    var tools = html("div", { "class": "chart-tools" });
    this.buttons = [];
    if (this.dated) {
      var span = this.x[this.n - 1] - this.x[0];
      var ranges = [];
      if (span > 1.25 * 365) { ranges.push(["1y", 365]); }
      if (span > 5.5 * 365) { ranges.push(["5y", 5 * 365 + 1]); }
      if (ranges.length) { ranges.push(["All", 0]); }
      ranges.forEach(function (r) {
        var b = html("button", { type: "button", "class": "range", "data-range": r[0],
                                 "aria-pressed": r[1] ? "false" : "true" }, r[0]);
        b.addEventListener("click", function () { self.range(r[1]); });
        self.buttons.push(b);
        tools.appendChild(b);
      });
      var reset = html("button", { type: "button", "class": "reset", hidden: "" }, "Reset zoom");
      reset.addEventListener("click", function () { self.reset(); });
      this.resetButton = reset;
      tools.appendChild(reset);
    }
    tools.appendChild(html("span", { "class": "chart-hint" },
      this.dated ? (touch ? "Drag sideways across the chart to zoom; tap for values."
                          : "Drag across the chart to zoom; hover or use the arrow keys for values.")
                 : (touch ? "Tap the chart for values." : "Hover or use the arrow keys for values.")));
    this.readout = html("p", { "class": "chart-readout", "aria-live": "polite" }, "");
    tools.appendChild(this.readout);
    tools.appendChild(html("span", { id: this.uid + "-help", "class": "sr-only" },
      "Left and right arrow keys move the cursor" +
      (this.dated ? "; plus, minus or Enter zoom; Escape resets." : "; Escape hides it.")));
    return tools;
  };

  /* the static drawing moves into g.static (the unzoomed view); zoomed views are drawn into
     g.plot; g.explore holds the drag selection and the cursor */
  Explorer.prototype.layers = function () {
    var self = this; var svg = this.svg;
    var background = null;
    this.staticGroup = el("g", { "class": "static" });
    Array.prototype.slice.call(svg.children).forEach(function (node) {
      var tag = node.tagName.toLowerCase();
      if (tag === "title" || tag === "desc") { return; }
      if (tag === "rect" && background === null) { background = node; return; }
      if (/\b(title|legend)\b/.test(node.getAttribute("class") || "")) { return; }
      self.staticGroup.appendChild(node);
    });
    svg.appendChild(this.staticGroup);
    var defs = el("defs", {}, svg);
    var clip = el("clipPath", { id: this.uid + "-clip" }, defs);
    this.clipRect = el("rect", {}, clip);
    this.plot = el("g", { "class": "plot" }, svg);
    this.overlay = el("g", { "class": "explore", "pointer-events": "none" }, svg);
    this.selection = el("rect", { "class": "selection", y: this.g.top, height: this.g.base - this.g.top,
                                  width: 0, fill: "#1f5fbf", "fill-opacity": "0.15",
                                  visibility: "hidden" }, this.overlay);
    this.cursorLine = el("line", { "class": "cursor", stroke: MUTED, "stroke-dasharray": "3 3",
                                   visibility: "hidden" }, this.overlay);
    this.dots = this.d.s.map(function (s) {
      return el("circle", { "class": "cursor-dot", r: 4.5, fill: s.c, stroke: "#ffffff",
                            "stroke-width": 1.5, visibility: "hidden" }, self.overlay);
    });
  };

  Explorer.prototype.table = function (title) {
    var d = this.d; var self = this;
    var stride = Math.max(1, Math.ceil(this.n / TABLE_ROWS));
    var rows = [];
    for (var i = this.n - 1; i >= 0; i -= stride) { rows.unshift(i); }
    /* a table ignores width and overflow: a visually hidden block holds it */
    var box = html("div", { "class": "sr-only chart-data" });
    var table = html("table", { "class": "chart-table", "data-rows": rows.length });
    box.appendChild(table);
    var what = stride > 1 ? rows.length + " of " + this.n + " points, every " + stride + "th, ending with the latest"
                          : rows.length + " points";
    table.appendChild(html("caption", {}, "Data of the chart " + title + ": " + what + "."));
    var head = html("tr");
    head.appendChild(html("th", { scope: "col" }, this.dated ? "Date" : "Day"));
    d.s.forEach(function (s) { head.appendChild(html("th", { scope: "col" }, s.l || "Value")); });
    if (d.b) { head.appendChild(html("th", { scope: "col" }, d.b.l)); }
    var thead = html("thead"); thead.appendChild(head); table.appendChild(thead);
    var body = html("tbody");
    rows.forEach(function (i) {
      var tr = html("tr");
      tr.appendChild(html("th", { scope: "row" }, self.xLabel(i)));
      d.s.forEach(function (s) { tr.appendChild(html("td", {}, fmtNum(s.y[i], d.fv))); });
      if (d.b) {
        tr.appendChild(html("td", {}, fmtNum(d.b.lo[i], d.fv) + " to " + fmtNum(d.b.hi[i], d.fv)));
      }
      body.appendChild(tr);
    });
    table.appendChild(body);
    return box;
  };

  Explorer.prototype.visible = function () {
    var lo = 0; var hi = this.n - 1; var x = this.x; var v = this.view;
    while (lo < this.n - 1 && x[lo] < v[0]) { lo += 1; }
    while (hi > 0 && x[hi] > v[1]) { hi -= 1; }
    return [lo, Math.max(lo, hi)];
  };

  Explorer.prototype.nearest = function (px) {
    var target = this.g.x0 + (px - this.g.left) * (this.g.x1 - this.g.x0) / (this.g.right - this.g.left);
    var vis = this.visible(); var best = vis[0]; var dist = Infinity;
    for (var i = vis[0]; i <= vis[1]; i += 1) {
      var dd = Math.abs(this.x[i] - target);
      if (dd < dist) { dist = dd; best = i; }
    }
    return best;
  };

  Explorer.prototype.mark = function () {
    var v = this.view;
    var zoomed = v[0] > this.full[0] + 1e-6 || v[1] < this.full[1] - 1e-6;
    this.svg.setAttribute("data-zoomed", zoomed ? "true" : "false");
    if (this.dated) {
      this.svg.setAttribute("data-view-start", isoDay(Math.ceil(v[0] - 1e-6)));
      this.svg.setAttribute("data-view-end", isoDay(Math.floor(v[1] + 1e-6)));
      if (this.resetButton) { this.resetButton.hidden = !zoomed; }
    }
  };

  Explorer.prototype.setView = function (a, b) {
    var f = this.full;
    var minSpan = Math.min(f[1] - f[0], this.dated ? 10 : 2);
    if (b - a < minSpan) { var mid = (a + b) / 2; a = mid - minSpan / 2; b = mid + minSpan / 2; }
    /* keep the span: slide a window that sticks out back inside the data */
    if (a < f[0]) { b += f[0] - a; a = f[0]; }
    if (b > f[1]) { a -= b - f[1]; b = f[1]; }
    this.view = [Math.max(f[0], a), Math.min(f[1], b)];
    this.buttons.forEach(function (btn) { btn.setAttribute("aria-pressed", "false"); });
    this.redraw();
  };

  Explorer.prototype.range = function (days) {
    var end = this.full[1];
    this.setView(days ? end - days : this.full[0], end);
    var label = days === 365 ? "1y" : days ? "5y" : "All";
    this.buttons.forEach(function (btn) {
      btn.setAttribute("aria-pressed", btn.getAttribute("data-range") === label ? "true" : "false");
    });
  };

  Explorer.prototype.reset = function () {
    this.view = this.full.slice();
    this.buttons.forEach(function (btn) {
      btn.setAttribute("aria-pressed", btn.getAttribute("data-range") === "All" ? "true" : "false");
    });
    this.geometry(this.full, this.d.yd, this.d.pm[0]);
    while (this.plot.firstChild) { this.plot.removeChild(this.plot.firstChild); }
    this.staticGroup.removeAttribute("display");
    this.hideCursor();
    this.mark();
  };

  Explorer.prototype.zoom = function (factor) {
    var v = this.view;
    var centre = this.cursor >= 0 ? this.x[this.cursor] : (v[0] + v[1]) / 2;
    var half = (v[1] - v[0]) * factor / 2;
    this.setView(centre - half, centre + half);
    if (this.cursor >= 0) { this.showCursor(this.cursor); }
  };

  /* y range of the visible points (lines and band), padded like svg.axes.padded_domain */
  Explorer.prototype.fitY = function (vis) {
    var d = this.d; var lo = Infinity; var hi = -Infinity;
    function take(v) { if (v !== null && isFinite(v)) { lo = Math.min(lo, v); hi = Math.max(hi, v); } }
    for (var i = vis[0]; i <= vis[1]; i += 1) {
      d.s.forEach(function (s) { take(s.y[i]); });
      if (d.b) { take(d.b.lo[i]); take(d.b.hi[i]); }
    }
    if (!isFinite(lo)) { return [d.yd[0], d.yd[1]]; }
    var span = hi - lo;
    return [lo - (span * 0.05 || Math.abs(hi) * 0.01 || 1), hi + (span * 0.06 || Math.abs(hi) * 0.01 || 1)];
  };

  /* episodes (line charts) and the band polygon (frame charts), into the clipped group */
  Explorer.prototype.drawBands = function (clipped, i0, i1) {
    var d = this.d; var self = this; var g = this.g;
    (d.e || []).forEach(function (e) {
      if (e[1] < g.x0 || e[0] > g.x1) { return; }
      var b0 = self.sx(Math.max(e[0], g.x0)); var b1 = self.sx(Math.min(e[1], g.x1));
      var r = el("rect", { "class": "band", x: c1(b0), y: c1(g.top), width: c1(Math.max(b1 - b0, 1.5)),
                           height: c1(g.base - g.top), fill: TONES[e[2]] || MUTED, "fill-opacity": 0.16 }, clipped);
      el("title", {}, r).textContent = e[3];
    });
    if (!d.b) { return; }
    var up = []; var down = [];
    for (var k = i0; k <= i1; k += 1) {
      if (d.b.lo[k] !== null && d.b.hi[k] !== null) {
        up.push(c1(this.sx(this.x[k])) + "," + c1(this.sy(d.b.hi[k])));
        down.unshift(c1(this.sx(this.x[k])) + "," + c1(this.sy(d.b.lo[k])));
      }
    }
    if (up.length) {
      el("polygon", { "class": "band", points: up.concat(down).join(" "), fill: "#1f77b4",
                      "fill-opacity": 0.14, stroke: "none" }, clipped);
    }
  };

  /* grid, reference line, x axis with date ticks, y tick labels */
  Explorer.prototype.drawAxes = function (p, yTicks, labels) {
    var d = this.d; var self = this; var g = this.g;
    yTicks.forEach(function (t) {
      el("line", { x1: c1(g.left), y1: c1(self.sy(t)), x2: c1(g.right), y2: c1(self.sy(t)),
                   stroke: "#d8dee4", "stroke-width": 1 }, p);
    });
    if (d.r !== undefined && d.r >= g.y0 && d.r <= g.y1) {
      el("line", { x1: c1(g.left), y1: c1(this.sy(d.r)), x2: c1(g.right), y2: c1(this.sy(d.r)),
                   stroke: MUTED, "stroke-width": 1, "stroke-dasharray": "4 3" }, p);
    }
    el("line", { x1: c1(g.left), y1: c1(g.base), x2: c1(g.right), y2: c1(g.base), stroke: MUTED,
                 "stroke-width": 1 }, p);
    var maxTicks = Math.max(2, Math.floor((g.right - g.left) / 110));
    dateTicks(g.x0, g.x1, maxTicks).forEach(function (t) {
      var x = self.sx(t[0]);
      el("line", { x1: c1(x), y1: c1(g.base), x2: c1(x), y2: c1(g.base + 4), stroke: MUTED }, p);
      el("text", { "class": "tick x-tick", x: c1(x), y: c1(g.base + 6), "dominant-baseline": "hanging",
                   "text-anchor": "middle", "font-size": 11, fill: MUTED }, p).textContent = t[1];
    });
    yTicks.forEach(function (t, j) {
      el("text", { "class": "tick y-tick", x: c1(g.left - 6), y: c1(self.sy(t)), "dominant-baseline": "central",
                   "text-anchor": "end", "font-size": 11, fill: MUTED }, p).textContent = labels[j];
    });
  };

  /* the lines (clipped), then the last value's dot and label when the view reaches it */
  Explorer.prototype.drawLines = function (clipped, p, i0, i1, vis) {
    var d = this.d; var self = this;
    d.s.forEach(function (s) {
      var pts = [];
      for (var k = i0; k <= i1; k += 1) {
        if (s.y[k] !== null) { pts.push(c1(self.sx(self.x[k])) + "," + c1(self.sy(s.y[k]))); }
      }
      var attrs = { "class": "series", points: pts.join(" "), fill: "none", stroke: s.c, "stroke-width": s.w,
                    "stroke-linejoin": "round", "stroke-linecap": "round" };
      if (s.k) { attrs["stroke-dasharray"] = "6 4"; }
      if (s.o < 1) { attrs["stroke-opacity"] = s.o; }
      el("polyline", attrs, clipped);
    });
    if (d.lv === undefined || vis[1] !== this.n - 1) { return; }
    var line = d.s[d.lv]; var last = this.n - 1;
    while (last > 0 && line.y[last] === null) { last -= 1; }
    if (line.y[last] === null) { return; }
    var lx = this.sx(this.x[last]); var ly = this.sy(line.y[last]);
    el("circle", { cx: c1(lx), cy: c1(ly), r: 3.5, fill: line.c }, p);
    el("text", { "class": "last", x: c1(lx + 6), y: c1(ly), "dominant-baseline": "central", "font-size": 12,
                 "font-weight": 600, fill: "#1f2328" }, p).textContent = fmtNum(line.y[last], d.fv);
  };

  /* redraw this.view from the data: y fitted to the visible points, fresh ticks on both axes */
  Explorer.prototype.redraw = function () {
    var d = this.d; var vis = this.visible();
    var i0 = Math.max(0, vis[0] - 1); var i1 = Math.min(this.n - 1, vis[1] + 1);
    var yd = this.fitY(vis);
    var yTicks = niceTicks(yd[0], yd[1], 5);
    var ft = d.ft;
    var tdec = neededDecimals(yTicks.map(function (t) { return Number((t * ft.m).toFixed(9)); }));
    var labels = yTicks.map(function (t) { return fmtNum(t, ft, tdec); });
    var left = 12 + Math.max.apply(null, labels.map(function (l) { return textWidth(l, 21); }).concat([0]));
    this.geometry(this.view, yd, left);
    var g = this.g;
    this.staticGroup.setAttribute("display", "none");
    var p = this.plot;
    while (p.firstChild) { p.removeChild(p.firstChild); }
    var clip = this.clipRect;
    clip.setAttribute("x", g.left); clip.setAttribute("y", g.top - 4);
    clip.setAttribute("width", g.right - g.left); clip.setAttribute("height", g.base - g.top + 8);
    var clipped = el("g", { "clip-path": "url(#" + this.uid + "-clip)" });
    this.drawBands(clipped, i0, i1);
    this.drawAxes(p, yTicks, labels);
    p.insertBefore(clipped, p.querySelector("text.y-tick"));
    this.drawLines(clipped, p, i0, i1, vis);
    this.selection.setAttribute("y", g.top); this.selection.setAttribute("height", g.base - g.top);
    this.mark();
  };

  Explorer.prototype.showCursor = function (i) {
    var d = this.d; var self = this; var g = this.g;
    this.cursor = i;
    var x = this.sx(this.x[i]);
    var line = this.cursorLine;
    line.setAttribute("x1", c1(x)); line.setAttribute("x2", c1(x));
    line.setAttribute("y1", c1(g.top)); line.setAttribute("y2", c1(g.base));
    line.setAttribute("visibility", "visible");
    var bits = [];
    d.s.forEach(function (s, k) {
      var dot = self.dots[k]; var v = s.y[i];
      if (v === null || v === undefined) { dot.setAttribute("visibility", "hidden"); return; }
      dot.setAttribute("cx", c1(x)); dot.setAttribute("cy", c1(self.sy(v)));
      dot.setAttribute("visibility", "visible");
      bits.push((s.l ? s.l + ": " : "") + fmtNum(v, d.fv));
    });
    if (d.b && d.b.lo[i] !== null && d.b.hi[i] !== null) {
      bits.push(d.b.l + ": " + fmtNum(d.b.lo[i], d.fv) + " to " + fmtNum(d.b.hi[i], d.fv));
    }
    (d.e || []).some(function (e) {
      if (self.x[i] >= e[0] && self.x[i] <= e[1]) { bits.push(e[3]); return true; }
      return false;
    });
    this.readout.textContent = this.xLabel(i) + " \u00b7 " + bits.join("; ");
    this.svg.setAttribute("data-cursor", this.xLabel(i));
  };

  Explorer.prototype.hideCursor = function () {
    this.cursor = -1;
    this.cursorLine.setAttribute("visibility", "hidden");
    this.dots.forEach(function (dot) { dot.setAttribute("visibility", "hidden"); });
    this.svg.removeAttribute("data-cursor");
  };

  Explorer.prototype.toSvgX = function (clientX, clientY) {
    var m = this.svg.getScreenCTM();
    if (!m) { return 0; }
    var pt = this.svg.createSVGPoint(); pt.x = clientX; pt.y = clientY;
    return pt.matrixTransform(m.inverse()).x;
  };
  Explorer.prototype.toValue = function (px) {
    var g = this.g;
    return g.x0 + (px - g.left) * (g.x1 - g.x0) / (g.right - g.left);
  };

  Explorer.prototype.listen = function () {
    var self = this; var svg = this.svg; var drag = null;
    svg.addEventListener("pointerdown", function (ev) {
      if (ev.button !== 0) { return; }
      var px = self.toSvgX(ev.clientX, ev.clientY);
      drag = { start: px, x: ev.clientX, moved: false, id: ev.pointerId };
      if (svg.setPointerCapture) { try { svg.setPointerCapture(ev.pointerId); } catch (e) { /* synthetic */ } }
    });
    svg.addEventListener("pointermove", function (ev) {
      var px = self.toSvgX(ev.clientX, ev.clientY);
      var clamped = Math.min(Math.max(px, self.g.left), self.g.right);
      if (drag && self.dated && Math.abs(ev.clientX - drag.x) > 4) {
        drag.moved = true;
        var a = Math.min(Math.max(drag.start, self.g.left), self.g.right);
        self.selection.setAttribute("x", c1(Math.min(a, clamped)));
        self.selection.setAttribute("width", c1(Math.abs(clamped - a)));
        self.selection.setAttribute("visibility", "visible");
      }
      if (!drag || ev.pointerType === "mouse") { self.showCursor(self.nearest(clamped)); }
    });
    function end(ev) {
      if (!drag) { return; }
      var px = Math.min(Math.max(self.toSvgX(ev.clientX, ev.clientY), self.g.left), self.g.right);
      var a = Math.min(Math.max(drag.start, self.g.left), self.g.right);
      var moved = drag.moved; drag = null;
      self.selection.setAttribute("visibility", "hidden");
      if (moved && Math.abs(px - a) > 6) {
        self.setView(self.toValue(Math.min(a, px)), self.toValue(Math.max(a, px)));
        self.hideCursor();
      } else if (ev.type === "pointerup") {
        self.showCursor(self.nearest(px));
      }
    }
    svg.addEventListener("pointerup", end);
    svg.addEventListener("pointercancel", end);
    svg.addEventListener("pointerleave", function (ev) {
      if (ev.pointerType === "mouse" && !drag && document.activeElement !== svg) { self.hideCursor(); }
    });
    svg.addEventListener("dblclick", function () { if (self.dated) { self.reset(); } });
    svg.addEventListener("focus", function () {
      if (self.cursor < 0) { self.showCursor(self.visible()[1]); }
    });
    svg.addEventListener("blur", function () { self.hideCursor(); });
    svg.addEventListener("keydown", function (ev) { self.onKey(ev); });
  };

  /* arrows move the cursor (Shift: 10 points), Home/End, +/=/Enter zoom in, - zooms out,
     Escape resets */
  Explorer.prototype.onKey = function (ev) {
    var self = this;
    var vis = self.visible(); var i = self.cursor < 0 ? vis[1] : self.cursor;
    var step = ev.shiftKey ? 10 : 1; var handled = true;
    switch (ev.key) {
      case "ArrowLeft": self.showCursor(Math.max(vis[0], i - step)); break;
      case "ArrowRight": self.showCursor(Math.min(vis[1], i + step)); break;
      case "Home": self.showCursor(vis[0]); break;
      case "End": self.showCursor(vis[1]); break;
      case "+": case "=": case "Enter":
        if (self.dated) { self.cursor = i; self.zoom(0.5); } else { handled = false; }
        break;
      case "-": case "_":
        if (self.dated) { self.cursor = i; self.zoom(2); } else { handled = false; }
        break;
      case "Escape":
        if (self.dated) { self.reset(); } else { self.hideCursor(); }
        self.readout.textContent = "";
        break;
      default: handled = false;
    }
    if (handled) { ev.preventDefault(); }
  };

  function initCharts() {
    var charts = document.querySelectorAll("svg.line-chart[data-chart]");
    Array.prototype.forEach.call(charts, function (svg, i) { svg.explorer = new Explorer(svg, i); });
  }

  document.addEventListener("DOMContentLoaded", function () {
    initSorting();
    initCharts();
    openTarget();
  });
  window.addEventListener("hashchange", openTarget);
  window.addEventListener("beforeprint", openAllForPrint);
}());
