// Live reload for `workbook serve` (never part of a built site).
// The server sends "hello" on connect, "reload" after a good rebuild and
// "build-error" (JSON {errors: ["path:line:col: msg", ...]}) after a failed one.
(function () {
  "use strict";
  var script = document.currentScript;
  var events = new URL("events", script.src).href;
  // serve stamps the script URL with the build the page came from.
  var stamp = new URL(script.src).searchParams.get("v");
  var overlay = null;

  function showErrors(errors) {
    if (!overlay) {
      overlay = document.createElement("div");
      overlay.id = "workbook-overlay";
      overlay.setAttribute("role", "alert");
      overlay.style.cssText =
        "position:fixed;inset:auto 0 0 0;max-height:60vh;overflow:auto;z-index:2147483647;" +
        "background:#2b0d0b;color:#ffdcd7;font:14px/1.45 ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;" +
        "padding:1rem 1.25rem;border-top:4px solid #e5484d;box-shadow:0 -4px 24px rgba(0,0,0,.4)";
      document.body.appendChild(overlay);
    }
    overlay.textContent = "";
    var head = document.createElement("p");
    head.style.cssText = "margin:0 0 .5rem;font-weight:bold;color:#fff;background:#2b0d0b";
    head.textContent = "Build failed — showing the last good version. Fix and save:";
    var close = document.createElement("button");
    close.type = "button";
    close.textContent = "Dismiss";
    close.style.cssText = "float:right;font:inherit;color:#fff;background:#5c1d19;border:1px solid #e5484d;padding:.2rem .6rem;cursor:pointer";
    close.onclick = function () { overlay.remove(); overlay = null; };
    var list = document.createElement("pre");
    // its own background and colour: the page's stylesheet styles every pre (a light grey box
    // in the light theme), which under the overlay's pale text was unreadable
    list.style.cssText = "margin:0;padding:0;border:0;border-radius:0;max-height:none;overflow:visible;" +
      "white-space:pre-wrap;background:#2b0d0b;color:#ffdcd7;font:inherit";
    list.textContent = errors.join("\n");
    overlay.append(close, head, list);
  }

  // <html data-workbook-reload="live"> once this page listens for rebuilds ("lost" while the
  // stream is down): tests and the bench wait for it instead of sleeping.
  var root = document.documentElement;
  var source = new EventSource(events);
  source.addEventListener("hello", function (e) {
    var hello = JSON.parse(e.data);
    if (stamp && hello.build !== stamp && !overlay) {
      location.reload(); // rebuilt or restarted while loading or disconnected
      return;
    }
    root.dataset.workbookReload = "live";
  });
  source.addEventListener("error", function () { root.dataset.workbookReload = "lost"; });
  source.addEventListener("reload", function () { location.reload(); });
  source.addEventListener("build-error", function (e) {
    if (e.data) showErrors(JSON.parse(e.data).errors || []);
  });
})();
