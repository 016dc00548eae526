/* Send a first-time reader straight to the language their browser asks for (nginx does this before the page
 * is sent, from Accept-Language; this is for servers that do not). The languages are the page's links. */
(function () {
  "use strict";
  var codes = Array.prototype.map.call(document.querySelectorAll("a[hreflang]"), function (a) {
    return a.getAttribute("hreflang");
  });
  var wanted = (navigator.languages || [navigator.language || ""]).map(function (l) { return l.toLowerCase(); });
  for (var i = 0; i < wanted.length; i++) {
    var w = wanted[i];
    var pick = codes.filter(function (c) {
      var lc = c.toLowerCase();
      return w === lc || w.split("-")[0] === lc.split("-")[0] && (lc !== "zh-hans" || !/-(hant|tw|hk|mo)/.test(w));
    })[0];
    if (pick) { location.replace(pick + "/"); return; }
  }
})();
