/* Versus: site-wide progressive enhancement, no framework, no build step.
   - Search as you type, in the header box and on the search page, from search/index.json.
   - Tables that scroll sideways become keyboard-focusable regions while they overflow.
   Every page works without this file. */
(function () {
  "use strict";

  var KINDS = ["Model", "Comparison", "Article"];
  var HEADER_LIMIT = 8;
  var PAGE_LIMIT = 50;

  // ------------------------------------------------------------------ matching

  function fold(text) {
    return text.normalize("NFKD").replace(/[\u0300-\u036f]/g, "").toLowerCase();
  }

  function words(text) {
    return fold(text).split(/[^a-z0-9]+/).filter(Boolean);
  }

  function squash(text) {
    return fold(text).replace(/[^a-z0-9]+/g, "");
  }

  // Damerau-Levenshtein (optimal string alignment) distance of a and b is at most 1.
  function withinOne(a, b) {
    if (Math.abs(a.length - b.length) > 1) return false;
    var i = 0;
    while (i < a.length && i < b.length && a[i] === b[i]) i++;
    if (i === a.length || i === b.length) return true;
    if (a.length === b.length) {
      return a.slice(i + 1) === b.slice(i + 1) ||
        (a[i] === b[i + 1] && a[i + 1] === b[i] && a.slice(i + 2) === b.slice(i + 2));
    }
    return a.length > b.length ? a.slice(i + 1) === b.slice(i) : a.slice(i) === b.slice(i + 1);
  }

  // 3: the whole word; 2: its beginning; 1: its beginning with one typo (4+ letters typed).
  function wordScore(typed, token) {
    if (token === typed) return 3;
    if (token.lastIndexOf(typed, 0) === 0) return 2;
    if (typed.length >= 4) {
      for (var n = typed.length - 1; n <= typed.length + 1 && n <= token.length; n++) {
        if (withinOne(typed, token.slice(0, n))) return 1;
      }
    }
    return 0;
  }

  // Every typed word must match some word of the entry.
  function matchEntry(entry, typed) {
    var score = 0, fuzzy = 0;
    for (var i = 0; i < typed.length; i++) {
      var best = 0;
      for (var j = 0; j < entry.tokens.length && best < 3; j++) {
        best = Math.max(best, wordScore(typed[i], entry.tokens[j]));
      }
      if (!best) return null;
      score += best;
      if (best === 1) fuzzy++;
    }
    return { entry: entry, score: score, fuzzy: fuzzy };
  }

  // Exact before typo-tolerant; then models, comparisons, articles; then closeness and length.
  function search(index, text) {
    var typed = words(text);
    if (!typed.length) return [];
    var hits = [];
    for (var i = 0; i < index.length; i++) {
      var hit = matchEntry(index[i], typed);
      if (hit) hits.push(hit);
    }
    hits.sort(function (x, y) {
      return x.fuzzy - y.fuzzy || x.entry.kind - y.entry.kind || y.score - x.score ||
        x.entry.title.length - y.entry.title.length ||
        (x.entry.title < y.entry.title ? -1 : x.entry.title > y.entry.title ? 1 : 0);
    });
    return hits.map(function (hit) { return hit.entry; });
  }

  // search/index.json: {m: [[name, slug, vendor]], c: [[i, j]], a: [[title, slug, summary, tags]]}
  function prepare(data, base) {
    var entries = [];
    var models = data.m.map(function (m) {
      var entry = { kind: 0, title: m[0], meta: m[2], url: base + "models/" + m[1] + "/",
        tokens: words(m[0] + " " + m[2]).concat([squash(m[0])]) };
      entries.push(entry);
      return entry;
    });
    data.c.forEach(function (pair) {
      var a = data.m[pair[0]], b = data.m[pair[1]];
      entries.push({ kind: 1, title: a[0] + " vs " + b[0], meta: "",
        url: base + "compare/" + a[1] + "-vs-" + b[1] + "/",
        tokens: models[pair[0]].tokens.concat(models[pair[1]].tokens, ["vs", "versus"]) });
    });
    data.a.forEach(function (a) {
      entries.push({ kind: 2, title: a[0], meta: a[2], url: base + "articles/" + a[1] + "/",
        tokens: words(a[0] + " " + a[3].join(" ")) });
    });
    return entries;
  }

  var loading = {};

  function load(root) {
    var url = root.getAttribute("data-search-index");
    var base = root.getAttribute("data-base");
    if (!loading[url]) {
      loading[url] = fetch(url).then(function (response) {
        if (!response.ok) throw new Error("HTTP " + response.status);
        return response.json();
      }).then(function (data) { return prepare(data, base); });
    }
    return loading[url];
  }

  // ------------------------------------------------------------------ results

  function span(className, text) {
    var el = document.createElement("span");
    el.className = className;
    el.textContent = text;
    return el;
  }

  function resultItem(entry) {
    var li = document.createElement("li");
    var link = document.createElement("a");
    link.href = entry.url;
    link.appendChild(span("kind", KINDS[entry.kind]));
    link.appendChild(document.createTextNode(" "));
    link.appendChild(span("title", entry.title));
    if (entry.meta) {
      link.appendChild(document.createTextNode(" "));
      link.appendChild(span("meta", entry.meta));
    }
    li.appendChild(link);
    return li;
  }

  function count(n) {
    return n === 1 ? "1 result" : n + " results";
  }

  function pageUrl(form, text) {
    return form.getAttribute("action") + "?q=" + encodeURIComponent(text.trim());
  }

  // ------------------------------------------------------------------ header box

  function headerBox(form) {
    var input = form.querySelector("input[type=search]");
    var popup = form.querySelector(".search-popup");
    var list = popup.querySelector(".search-results");
    var status = form.querySelector("[data-search-status]");

    function close() {
      popup.hidden = true;
    }

    function show() {
      var text = input.value;
      if (!words(text).length) {
        close();
        status.textContent = "";
        return;
      }
      load(form).then(function (index) {
        if (input.value !== text) return; // a newer keystroke has its own request
        var hits = search(index, text);
        list.textContent = "";
        hits.slice(0, HEADER_LIMIT).forEach(function (entry) { list.appendChild(resultItem(entry)); });
        var more = document.createElement("li");
        more.className = "more";
        var link = document.createElement("a");
        link.href = pageUrl(form, text);
        link.textContent = hits.length > HEADER_LIMIT ? "All " + count(hits.length) + " →"
          : hits.length ? "Open on the search page →" : "No match. Try the search page →";
        more.appendChild(link);
        list.appendChild(more);
        popup.hidden = false;
        status.textContent = hits.length ? count(hits.length) : "No results";
      }, function () {
        status.textContent = "Search is not available right now.";
      });
    }

    input.addEventListener("input", show);
    input.addEventListener("focus", function () {
      load(form).catch(function () {});
      if (input.value) show();
    });
    form.addEventListener("keydown", function (event) {
      var links = Array.prototype.slice.call(list.querySelectorAll("a"));
      var at = links.indexOf(document.activeElement);
      if (event.key === "ArrowDown" && !popup.hidden && links.length) {
        event.preventDefault();
        links[Math.min(at + 1, links.length - 1)].focus();
      } else if (event.key === "ArrowUp" && at >= 0) {
        event.preventDefault();
        (at === 0 ? input : links[at - 1]).focus();
      } else if (event.key === "Escape" && !popup.hidden) {
        event.preventDefault(); // the first Escape closes the list, a second one clears the box
        close();
        input.focus();
      }
    });
    form.addEventListener("focusout", function (event) {
      if (!event.relatedTarget || !form.contains(event.relatedTarget)) close();
    });
  }

  // ------------------------------------------------------------------ search page

  function searchPage(root) {
    var form = root.querySelector("form");
    var input = form.querySelector("input[type=search]");
    var list = root.querySelector(".search-results");
    var status = root.querySelector("[data-search-status]");

    function run() {
      var text = input.value;
      if (!words(text).length) {
        list.textContent = "";
        status.textContent = "";
        return;
      }
      load(root).then(function (index) {
        if (input.value !== text) return;
        var hits = search(index, text);
        list.textContent = "";
        hits.slice(0, PAGE_LIMIT).forEach(function (entry) { list.appendChild(resultItem(entry)); });
        var quoted = "“" + text.trim() + "”";
        status.textContent = !hits.length ? "No results for " + quoted + "."
          : hits.length > PAGE_LIMIT ? "The first " + PAGE_LIMIT + " of " + count(hits.length) + " for " + quoted + "."
          : count(hits.length) + " for " + quoted + ".";
      }, function () {
        status.textContent = "Search is not available right now.";
      });
    }

    input.addEventListener("input", function () {
      run();
      var query = input.value.trim();
      history.replaceState(null, "", query ? pageUrl(form, query) : form.getAttribute("action"));
    });
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      run();
    });
    input.value = new URLSearchParams(location.search).get("q") || "";
    if (input.value) run();
    else input.focus();
  }

  // ------------------------------------------------------------------ scrolling tables

  // A box that scrolls sideways must be reachable by keyboard, but only while it scrolls.
  // Wrappers (div.table-scroll) become named regions; article tables and code blocks, which
  // scroll themselves, only become focusable so that their own semantics stay intact.
  function scrollRegions() {
    var boxes = document.querySelectorAll(".table-scroll, .prose table, .prose pre");
    function update() {
      boxes.forEach(function (box) {
        var scrolls = box.scrollWidth > box.clientWidth + 1;
        var wrapper = box.classList.contains("table-scroll");
        if (scrolls && !box.hasAttribute("tabindex")) {
          box.setAttribute("tabindex", "0");
          if (wrapper) {
            var caption = box.querySelector("caption");
            box.setAttribute("role", "region");
            box.setAttribute("aria-label", (caption ? caption.textContent.trim() : "Table") +
              " (scrolls sideways)");
          }
        } else if (!scrolls && box.hasAttribute("tabindex")) {
          box.removeAttribute("tabindex");
          if (wrapper) {
            box.removeAttribute("role");
            box.removeAttribute("aria-label");
          }
        }
      });
    }
    var pending = null;
    window.addEventListener("resize", function () {
      if (pending) cancelAnimationFrame(pending);
      pending = requestAnimationFrame(update);
    });
    update();
  }

  document.querySelectorAll("form.site-search").forEach(headerBox);
  document.querySelectorAll("[data-search-page]").forEach(searchPage);
  scrollRegions();
})();
