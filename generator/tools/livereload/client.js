// Live reload for `versus serve`. The preview server adds this script to pages as it
// sends them; it is never part of a built site.
(function () {
  "use strict";
  var script = document.currentScript;
  var site = script.getAttribute("data-site");
  var root = script.src.replace(/client\.js(\?.*)?$/, "");
  var host = null;

  var STYLE =
    ":host{all:initial}" +
    ".box{position:fixed;inset:0;z-index:2147483647;overflow:auto;box-sizing:border-box;" +
    "padding:2rem;background:rgba(24,24,27,.95);color:#f4f4f5;" +
    "font:14px/1.5 ui-monospace,SFMono-Regular,Menlo,Consolas,monospace}" +
    "h1{margin:0 0 .5rem;color:#fca5a5;font:600 1.2rem/1.3 system-ui,sans-serif}" +
    "p{margin:0 0 1rem;color:#d4d4d8;font:1rem/1.4 system-ui,sans-serif}" +
    "pre{margin:0 0 1rem;padding:.75rem 1rem;white-space:pre-wrap;background:#09090b;" +
    "border-left:4px solid #ef4444}";

  function element(tag, text) {
    var node = document.createElement(tag);
    if (text !== undefined) node.textContent = text;  // text only: errors quote content
    return node;
  }

  function showProblems(errors) {
    if (!errors.length) {
      if (host) host.remove();
      host = null;
      return;
    }
    if (!host) {
      host = element("versus-problems");
      host.attachShadow({ mode: "open" });  // the site's CSS cannot reach the overlay
      document.documentElement.appendChild(host);
    }
    var box = element("div");
    box.className = "box";
    box.setAttribute("role", "alert");
    box.append(
      element("h1", errors.length === 1 ? "1 problem: the site was not rebuilt"
                                        : errors.length + " problems: the site was not rebuilt"),
      element("p", "Fix it and save: this page updates by itself. " +
                   "(Only the preview shows this; the published site never does.)"));
    errors.forEach(function (text) { box.append(element("pre", text)); });
    host.shadowRoot.replaceChildren(element("style", STYLE), box);
  }

  function update(status) {
    if (status.errors.length) return showProblems(status.errors);
    if (status.site !== site) return location.reload();
    showProblems([]);
  }

  if (window.SharedWorker) {
    // One connection for all tabs: browsers allow only six per host.
    var worker = new SharedWorker(root + "worker.js", { name: "versus-live-reload" });
    worker.port.onmessage = function (event) { update(event.data); };
    window.addEventListener("pagehide", function () { worker.port.postMessage("bye"); });
    window.addEventListener("pageshow", function (event) {
      if (event.persisted) location.reload();  // back from the cache: the worker forgot us
    });
  } else {
    var events = new EventSource(root + "events");
    events.onmessage = function (event) { update(JSON.parse(event.data)); };
  }
})();
