/* Versus: the compare picker. Goes straight to the comparison of the two chosen models, in
   either order, or says so when the site has no page for that pair. Without this file the
   form opens the list of all comparisons. Which pairs have a page comes from search/index.json. */
(function () {
  "use strict";

  var pairs = {};

  function loadPairs(form) {
    var url = form.getAttribute("data-search-index");
    if (!pairs[url]) {
      pairs[url] = fetch(url).then(function (response) {
        if (!response.ok) throw new Error("HTTP " + response.status);
        return response.json();
      }).then(function (data) {
        var known = {};
        data.c.forEach(function (pair) { known[data.m[pair[0]][1] + " " + data.m[pair[1]][1]] = true; });
        return known;
      });
    }
    return pairs[url];
  }

  function say(form, parts) {
    var message = form.querySelector(".picker-message");
    message.textContent = "";
    parts.forEach(function (part) {
      if (typeof part === "string") {
        message.appendChild(document.createTextNode(part));
      } else {
        var link = document.createElement("a");
        link.href = part.href;
        link.textContent = part.text;
        message.appendChild(link);
      }
    });
  }

  function nameOf(select) {
    return select.options[select.selectedIndex].text;
  }

  function picker(form) {
    var first = form.querySelector("select[name=a]");
    var second = form.querySelector("select[name=b]");
    var base = form.getAttribute("data-base");

    var live = form.nextElementSibling && form.nextElementSibling.classList.contains("live-compare")
      ? form.nextElementSibling : null;
    function clear() {
      say(form, []);
      if (live) { live.hidden = true; live.textContent = ""; }
    }
    first.addEventListener("change", clear);
    second.addEventListener("change", clear);
    first.addEventListener("focus", function () { loadPairs(form).catch(function () {}); });

    form.addEventListener("submit", function (event) {
      event.preventDefault();
      var a = first.value, b = second.value;
      if (!a || !b) {
        say(form, ["Choose two models to compare."]);
        (a ? second : first).focus();
        return;
      }
      if (a === b) {
        say(form, ["Choose two different models."]);
        second.focus();
        return;
      }
      // Comparison pages live at compare/<a>-vs-<b>/ with a before b by slug.
      var low = a < b ? a : b, high = a < b ? b : a;
      var target = base + "compare/" + low + "-vs-" + high + "/";
      loadPairs(form).then(function (known) {
        if (known[low + " " + high]) {
          window.location.href = target;
        } else {
          say(form, ["There is no comparison page of " + nameOf(first) + " and " + nameOf(second) +
            "; their figures side by side are below. See ", { href: base + "models/" + a + "/", text: nameOf(first) },
            " and ", { href: base + "models/" + b + "/", text: nameOf(second) },
            " on their own pages, or ", { href: base + "compare/", text: "all comparisons" }, "."]);
          if (live && window.VersusLive) {
            window.VersusLive.render(live, a, b, base).catch(function () { live.hidden = true; });
          }
        }
      }, function () {
        window.location.href = target; // without the list, let the server answer
      });
    });
  }

  document.querySelectorAll("form.picker").forEach(picker);
})();
