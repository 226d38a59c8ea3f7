/* Versus: a comparison the site has not built, drawn in the browser from its own data
   (api/models.json and api/benchmarks.json) with the same rules as the built pages: scores at
   their scale's precision (0..1 as percentages), ✓ only where the values differ as shown, and
   lower-is-better benchmarks honoured. Used by 404.html (for /compare/<a>-vs-<b>/) and by the
   compare picker. Everything is written with textContent: data never becomes markup. */
(function () {
  "use strict";

  var cache = {};
  function load(base) {
    if (!cache[base]) {
      cache[base] = Promise.all(["api/models.json", "api/benchmarks.json"].map(function (path) {
        return fetch(base + path).then(function (r) {
          if (!r.ok) throw new Error("HTTP " + r.status + " for " + path);
          return r.json();
        });
      }));
    }
    return cache[base];
  }

  // ---- formatting (generator/pages/formatting.py and generator/compute/precision.py)
  var DASH = "\u2014";
  function roundHalfEven(x) {
    return Math.abs(x % 1) === 0.5 ? 2 * Math.round(x / 2) : Math.round(x);
  }
  function grouped(value, digits) {
    return value.toLocaleString("en-US", {minimumFractionDigits: digits, maximumFractionDigits: digits});
  }
  function number(value, digits) {
    if (value === null || value === undefined) return DASH;
    var text = grouped(value, digits);
    return text.indexOf(".") >= 0 ? text.replace(/0+$/, "").replace(/\.$/, "") : text;
  }
  function asPercent(scale) { return scale <= 1; }
  function decimals(scale) {
    return asPercent(scale) ? Math.max(1, Math.ceil(-Math.log10(scale * 100 / 1000)))
      : Math.max(0, Math.ceil(-Math.log10(scale / 1000)));
  }
  function steps(score, scale) {
    var shown = asPercent(scale) ? score / scale * 100 : score;
    return roundHalfEven(shown * Math.pow(10, decimals(scale)));
  }
  function benchText(score, scale) {
    if (score === null || score === undefined) return DASH;
    var digits = decimals(scale);
    var text = grouped(steps(score, scale) / Math.pow(10, digits), digits);
    return asPercent(scale) ? text + "%" : text;
  }
  function usd(value) {
    if (value === null || value === undefined) return DASH;
    if (value === 0) return "$0";
    if (value >= 100) return "$" + grouped(value, 0);
    if (value >= 0.1) return "$" + grouped(value, 2);
    var digits = Math.max(2, 1 - Math.floor(Math.log10(value)));
    var text = value.toFixed(digits);
    while (/0$/.test(text) && text.split(".")[1].length > 2) text = text.slice(0, -1);
    return "$" + text;
  }
  function shortTokens(value) {
    if (value === null || value === undefined) return DASH;
    if (value >= 1000000) {
      return number(value % 1048576 === 0 ? value / 1048576 : value / 1000000, 2) + "M";
    }
    if (value >= 1000) {
      return number(value % 1000 && value % 1024 === 0 ? value / 1024 : value / 1000, 1) + "K";
    }
    return String(value);
  }
  function parameters(value) {
    if (value === null || value === undefined) return DASH;
    return value < 1 ? number(value * 1000, 0) + "M" : number(value, 2) + "B";
  }
  var MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
  function date(iso) {
    if (!iso) return DASH;
    var p = iso.split("-");
    return parseInt(p[2], 10) + " " + MONTHS[parseInt(p[1], 10) - 1] + " " + p[0];
  }

  // ---- drawing
  function el(tag, text, attrs) {
    var node = document.createElement(tag);
    if (text !== undefined && text !== null) node.textContent = text;
    Object.keys(attrs || {}).forEach(function (k) { node.setAttribute(k, attrs[k]); });
    return node;
  }
  function mark(cell) {
    var win = el("span", "\u2713", {"class": "win", title: "Better"});
    win.appendChild(el("span", " better", {"class": "visually-hidden"}));
    cell.appendChild(document.createTextNode(" "));
    cell.appendChild(win);
  }
  function table(caption, names, rows) {
    var box = el("div", null, {"class": "table-scroll"});
    var t = el("table");
    t.appendChild(el("caption", caption, {"class": "visually-hidden"}));
    var head = el("tr");
    [""].concat(names).forEach(function (n, i) {
      head.appendChild(el("th", i ? n : "Feature", {scope: "col"}));
    });
    t.appendChild(el("thead")).appendChild(head);
    var body = t.appendChild(el("tbody"));
    rows.forEach(function (row) {
      if (row[1] === DASH && row[2] === DASH) return; // a row that says nothing is left out
      var tr = body.appendChild(el("tr"));
      tr.appendChild(el("th", row[0], {scope: "row"}));
      [1, 2].forEach(function (i) {
        var td = tr.appendChild(el("td", row[i]));
        if (row[3] === i) mark(td);
      });
    });
    box.appendChild(t);
    return box;
  }
  // 1 or 2 for the side with the better value, null on a tie as shown or missing data.
  function better(x, y, lowerWins, same) {
    if (x === null || x === undefined || y === null || y === undefined || same(x, y)) return null;
    return (lowerWins ? x < y : x > y) ? 1 : 2;
  }

  function draw(container, a, b, models, benchmarks, base) {
    var names = [a.name, b.name];
    container.textContent = "";
    container.appendChild(el("h2", "Side by side", {id: "live-side-by-side"}));
    var note = el("p", "This pair has no page of its own: the figures below are read in your " +
      "browser from this site's data, with the same rules as every comparison page. See ", {"class": "note"});
    [a, b].forEach(function (m, i) {
      note.appendChild(el("a", m.name, {href: base + "models/" + m.slug + "/"}));
      note.appendChild(document.createTextNode(i ? "'s page for every source." : " and "));
    });
    container.appendChild(note);
    var sa = a.computed.scores, sb = b.computed.scores;
    function score(s) { return s.overall === null ? "Not ranked" : number(s.overall, 0) + "/100"; }
    function quality(m) {
      var n = Object.keys(m.benchmarks).length;
      return m.computed.scores.quality === null ? DASH
        : number(m.computed.scores.quality, 0) + "/100 (" + n + " benchmark" + (n === 1 ? "" : "s") + ")";
    }
    var roundEq = function (x, y) { return Math.round(x) === Math.round(y); };
    var priceEq = function (x, y) { return usd(x) === usd(y); };
    container.appendChild(table("Facts and scores of " + names.join(" and "), names, [
      ["Vendor", a.vendor, b.vendor],
      ["Release date", date(a.released), date(b.released)],
      ["Overall score", score(sa), score(sb), better(sa.overall, sb.overall, false, roundEq)],
      ["Quality (benchmarks)", quality(a), quality(b), better(sa.quality, sb.quality, false, roundEq)],
      ["Blended price (3:1, per 1M tokens)", usd(a.computed.blended_usd_per_mtok),
        usd(b.computed.blended_usd_per_mtok),
        better(a.computed.blended_usd_per_mtok, b.computed.blended_usd_per_mtok, true, priceEq)],
      ["Context window", shortTokens(a.context_window_tokens), shortTokens(b.context_window_tokens)],
      ["Parameters", parameters(a.parameters_b), parameters(b.parameters_b)],
      ["Open weights", a.open_weights ? "Yes" : "No", b.open_weights ? "Yes" : "No"],
      ["Licence", a.license || DASH, b.license || DASH]
    ]));
    var shared = Object.keys(a.benchmarks).filter(function (k) {
      return b.benchmarks.hasOwnProperty(k) && benchmarks.hasOwnProperty(k);
    }).sort(function (x, y) {
      return benchmarks[x].name.toLowerCase().localeCompare(benchmarks[y].name.toLowerCase());
    });
    container.appendChild(el("h2", "Benchmarks both report", {id: "live-benchmarks"}));
    if (!shared.length) {
      container.appendChild(el("p", "They report no benchmark in common."));
      return;
    }
    var leads = [0, 0];
    var rows = shared.map(function (k) {
      var bench = benchmarks[k], scale = bench.scale_max;
      var x = a.benchmarks[k].score, y = b.benchmarks[k].score;
      var side = better(x, y, !bench.higher_is_better,
                        function (p, q) { return steps(p, scale) === steps(q, scale); });
      if (side) leads[side - 1]++;
      return [bench.name + (bench.higher_is_better ? "" : " (lower is better)"),
              benchText(x, scale), benchText(y, scale), side];
    });
    container.appendChild(el("p", a.name + " does better on " + leads[0] + " and " + b.name +
      " on " + leads[1] + " of the " + shared.length + " benchmark" + (shared.length === 1 ? "" : "s") +
      " both report" + (leads[0] + leads[1] < shared.length ? "; the others are ties as shown." : ".")));
    container.appendChild(table("Benchmark results of " + names.join(" and "), names, rows));
  }

  function render(container, slugA, slugB, base) {
    return load(base).then(function (data) {
      var bySlug = {};
      data[0].forEach(function (m) { bySlug[m.slug] = m; });
      if (!bySlug[slugA] || !bySlug[slugB]) return false;
      draw(container, bySlug[slugA], bySlug[slugB], data[0], data[1], base);
      container.hidden = false;
      return true;
    });
  }

  window.VersusLive = {render: render, benchText: benchText, usd: usd};

  function fromNotFoundPage() {
    var box = document.getElementById("not-compared");
    var live = document.getElementById("live-compare");
    if (!box || !live || box.hidden || !box.getAttribute("data-a")) return;
    render(live, box.getAttribute("data-a"), box.getAttribute("data-b"),
           live.getAttribute("data-base")).catch(function () { live.hidden = true; });
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", fromNotFoundPage);
  else fromNotFoundPage();
})();
