/* Loaded in the page head, before the theme's scripts.
 *
 * The search index is the largest download of a page. The theme fetches it as
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
  window.fetch = function (input, init) {
    var url = typeof input === "string" ? input : (input && input.url) || "";
    if (!opened && /\/search\/search_index\.json(\?|$)/.test(String(url))) {
      return new Promise(function (resolve, reject) {
        waiting.push(function () { realFetch(input, init).then(resolve, reject); });
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
    if (!opened && /\/search\/search_index\.json(\?|$)/.test(request.outreachUrl || "")) {
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

/* Vietnamese search ignores diacritics: the index holds words folded to their base letters (see our
 * lunr.vi.min.js). The theme adds a wildcard to each typed word, and lunr does not pass wildcard words
 * through its pipeline, so the query is folded here, on its way to the search worker. */
(function () {
  "use strict";
  if (!/^vi\b/.test(document.documentElement.lang) || !window.Worker) return;
  function fold(text) {
    return text.replace(/đ/g, "d").replace(/Đ/g, "D").normalize("NFD").replace(/[\u0300-\u036f]/g, "")
      .normalize("NFC");
  }
  var post = Worker.prototype.postMessage;
  Worker.prototype.postMessage = function (message) {
    if (message && message.type === 2 && typeof message.data === "string") {
      arguments[0] = { type: message.type, data: fold(message.data) };
    }
    return post.apply(this, arguments);
  };
})();
