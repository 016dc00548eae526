/* Loaded at the end of the page, before the theme's script.
 *
 * What the theme keeps in an inline script (which a strict Content-Security-Policy forbids): where this
 * language's site starts, and its small store on the device. */
var __md_scope = new URL("..", (document.currentScript || document.querySelector('script[src*="assets/early.js"]')).src);
var __md_hash = function (e) { return Array.from(e).reduce(function (h, c) { return (h << 5) - h + c.charCodeAt(0); }, 0); };
var __md_get = function (e, s, t) {
  return JSON.parse((s || localStorage).getItem((t || __md_scope).pathname + "." + e));
};
var __md_set = function (e, v, s, t) {
  try { (s || localStorage).setItem((t || __md_scope).pathname + "." + e, JSON.stringify(v)); } catch (err) { /* full */ }
};

/* The search index is the largest download of a page. The theme fetches it as
 * soon as a page opens; a worker on a cheap phone and a slow connection should
 * not pay for it until they open the search. This holds the index request back
 * until the search field is opened or focused (or the search shortcut is used).
 */
(function () {
  "use strict";
  var realFetch = window.fetch && window.fetch.bind(window);
  if (!realFetch) return;
  var opened = false;
  var waiting = [];
  function open() {
    if (opened) return;
    opened = true;
    waiting.splice(0).forEach(function (go) { go(); });
  }
  var INDEX = /\/search\/search_index\.json(\?|$)/;
  /* With no connection and no copy of the index on the device, say so instead of waiting forever. */
  function unavailable() {
    var meta = document.querySelector(".md-search-result__meta");
    var form = document.querySelector(".md-search");
    if (meta && form && form.getAttribute("data-offline")) meta.textContent = form.getAttribute("data-offline");
  }
  window.fetch = function (input, init) {
    var url = String(typeof input === "string" ? input : (input && input.url) || "");
    if (INDEX.test(url)) {
      var go = function () {
        var request = realFetch(input, init);
        request.then(function (response) { if (!response.ok) unavailable(); }, unavailable);
        return request;
      };
      if (opened) return go();
      return new Promise(function (resolve, reject) {
        waiting.push(function () { go().then(resolve, reject); });
      });
    }
    return realFetch(input, init);
  };
  /* the theme asks for the index with XMLHttpRequest: hold its send() back the same way */
  var xhrOpen = XMLHttpRequest.prototype.open;
  var xhrSend = XMLHttpRequest.prototype.send;
  XMLHttpRequest.prototype.open = function (method, url) {
    this.outreachUrl = String(url);
    return xhrOpen.apply(this, arguments);
  };
  XMLHttpRequest.prototype.send = function () {
    var request = this;
    var args = arguments;
    if (INDEX.test(request.outreachUrl || "")) {
      request.addEventListener("error", unavailable);
      request.addEventListener("load", function () { if (request.status >= 400) unavailable(); });
    }
    if (!opened && INDEX.test(request.outreachUrl || "")) {
      waiting.push(function () { xhrSend.apply(request, args); });
      return;
    }
    return xhrSend.apply(request, args);
  };
  document.addEventListener("focusin", function (event) {
    if (event.target && event.target.matches && event.target.matches("input.md-search__input")) open();
  });
  document.addEventListener("change", function (event) {
    if (event.target && event.target.id === "__search" && event.target.checked) open();
  });
  document.addEventListener("keydown", function (event) {
    if (event.key === "/" || event.key === "s" || event.key === "f") {
      var field = event.target && event.target.tagName;
      if (field !== "INPUT" && field !== "TEXTAREA") open();
    }
  });
  window.outreachOpenSearch = open;
})();
