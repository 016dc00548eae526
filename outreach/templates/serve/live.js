// outreach serve: reload this page when a newer build of it is ready, and show the build's errors over the
// last good page until they are fixed. Served by `outreach serve` only; never part of the built site.
(function () {
  "use strict";
  var script = document.currentScript;
  var key = script.getAttribute("data-key");         // the page's language code, "root" or "preview"
  var shown = Number(script.getAttribute("data-generation"));
  var box = null;

  function builtOf(state) {
    if (key === "preview") return state.preview;
    return state.built[key] || 0;
  }

  function overlay(errors) {
    if (!errors.length) {
      if (box) { box.remove(); box = null; }
      return;
    }
    if (!box) {
      box = document.createElement("div");
      box.id = "outreach-errors";
      box.setAttribute("role", "alert");
      box.style.cssText = "position:fixed;inset:auto 0 0 0;max-height:70vh;overflow:auto;z-index:100000;" +
        "background:rgba(30,0,0,.94);color:#fff;font:13px/1.45 ui-monospace,monospace;padding:12px 16px;" +
        "border-top:4px solid #e53935;box-shadow:0 -4px 16px rgba(0,0,0,.4)";
      document.body.appendChild(box);
    }
    box.textContent = "";
    var title = document.createElement("strong");
    title.textContent = "The build failed: the page below is the last good one. Fix the file and save.";
    title.style.cssText = "display:block;margin-bottom:8px;font-family:system-ui,sans-serif";
    box.appendChild(title);
    errors.forEach(function (text) {
      var pre = document.createElement("pre");
      pre.style.cssText = "margin:0 0 10px;white-space:pre-wrap";
      pre.textContent = text;
      box.appendChild(pre);
    });
  }

  function wait(since) {
    fetch("/__outreach/wait?since=" + since, { cache: "no-store" })
      .then(function (response) { return response.json(); })
      .then(function (state) {
        if (!state.errors.length && builtOf(state) > shown) {
          location.reload();
          return;
        }
        overlay(state.errors);
        wait(state.generation);
      })
      .catch(function () { setTimeout(function () { wait(-1); }, 1000); });
  }

  wait(-1);
})();
