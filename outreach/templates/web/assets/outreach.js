/* Outreach pages: self-check quizzes with progress kept on the device, the
 * language switcher that keeps the reader's place, and offline reading. */
(function () {
  "use strict";

  var script = document.currentScript || document.querySelector('script[src*="assets/outreach.js"]');
  var root = new URL("../", script.src); // this language's site root
  var lang = document.documentElement.lang || "vi";
  var STORE = "outreach:" + lang + ":";

  function load(module) {
    try { return JSON.parse(localStorage.getItem(STORE + module)) || null; } catch (e) { return null; }
  }
  function save(module, value) {
    try { localStorage.setItem(STORE + module, JSON.stringify(value)); } catch (e) { /* private mode */ }
  }
  function format(template, values) {
    return template.replace(/%\((\w+)\)s/g, function (_, name) { return values[name]; });
  }

  /* ---------------------------------------------------------------- quizzes */

  function setUpQuiz(form) {
    var module = form.getAttribute("data-module");
    var text = form.dataset;
    var questions = Array.prototype.slice.call(form.querySelectorAll("fieldset.question"));
    var score = form.querySelector(".score");
    var results = {};

    function chosen(fieldset) {
      return Array.prototype.slice.call(fieldset.querySelectorAll("input:checked"))
        .map(function (input) { return input.value; }).sort().join(" ");
    }

    /* answers given so far, kept on the device until the quiz is done again from the start */
    var ANSWERS = module + ":answers";
    function keepAnswers() {
      var given = {};
      questions.forEach(function (fieldset) {
        if (fieldset.hasAttribute("data-answered")) given[fieldset.id] = chosen(fieldset).split(" ");
      });
      save(ANSWERS, given);
    }

    function mark(fieldset, restoring) {
      var answer = chosen(fieldset);
      if (!answer) return;
      var right = answer === fieldset.getAttribute("data-correct");
      results[fieldset.id] = right;
      var feedback = fieldset.querySelector(".feedback");
      var explanation = fieldset.querySelector(".explanation");
      var key = fieldset.querySelector(".key");
      feedback.hidden = false;
      feedback.className = "feedback " + (right ? "right" : "wrong");
      feedback.textContent = (right ? text.right : text.wrong) + " " +
        (right ? "" : (key ? key.textContent + " " : "")) + (explanation ? explanation.textContent : "");
      fieldset.setAttribute("data-answered", right ? "right" : "wrong");
      if (!restoring) keepAnswers();
      update(restoring);
    }

    function update(restoring) {
      var answered = Object.keys(results).length;
      var right = Object.keys(results).filter(function (id) { return results[id]; }).length;
      score.hidden = false;
      score.textContent = format(answered === questions.length ? text.final : text.running,
                                 { right: right, answered: answered, total: questions.length });
      if (answered === questions.length && !restoring) {
        var before = load(module) || {};
        save(module, { done: true, best: Math.max(right, before.best || 0), total: questions.length,
                       last: right });
        showBest();
      }
    }

    function showBest() {
      var best = load(module);
      var note = form.querySelector(".best");
      if (best && note) {
        note.hidden = false;
        note.textContent = format(text.best, { best: best.best, total: best.total });
      }
    }

    questions.forEach(function (fieldset) {
      var multiple = fieldset.getAttribute("data-multiple") === "true";
      if (multiple) {
        var button = document.createElement("button");
        button.type = "button";
        button.className = "md-button check";
        button.textContent = text.check;
        button.addEventListener("click", function () { mark(fieldset); });
        fieldset.querySelector(".feedback").before(button);
      } else {
        fieldset.addEventListener("change", function () { mark(fieldset); });
      }
    });

    var reset = form.querySelector("button.reset");
    reset.hidden = false;
    reset.addEventListener("click", function () {
      results = {};
      form.reset();
      questions.forEach(function (fieldset) {
        fieldset.removeAttribute("data-answered");
        fieldset.querySelector(".feedback").hidden = true;
      });
      score.hidden = true;
      save(ANSWERS, {});
      questions[0].querySelector("input").focus();
    });
    showBest();
    var given = load(ANSWERS) || {};
    questions.forEach(function (fieldset) {
      var values = given[fieldset.id];
      if (!values) return;
      values.forEach(function (value) {
        var input = fieldset.querySelector('input[value="' + value + '"]');
        if (input) input.checked = true;
      });
      mark(fieldset, true);
    });
  }

  Array.prototype.forEach.call(document.querySelectorAll("form.quiz"), setUpQuiz);

  /* ---------------------------------------------------------------- glossary terms */

  /* The first use of a glossary term on a page links to its entry on the glossary page (that is all it does
   * without JavaScript). A tap, a click or Enter opens a popover with the term and its note instead; Escape, its
   * close button or a tap elsewhere closes it. The texts come from the link's data attributes, set as text. */
  var popover = null, opener = null;

  function closeTerm(refocus) {
    if (!popover) return;
    popover.parentNode.removeChild(popover);
    popover = null;
    if (opener) {
      opener.setAttribute("aria-expanded", "false");
      opener.removeAttribute("aria-controls");
      if (refocus) opener.focus();
      opener = null;
    }
  }

  function part(tag, className, text) {
    var element = document.createElement(tag);
    if (className) element.className = className;
    if (text) element.textContent = text;
    return element;
  }

  function openTerm(link) {
    closeTerm(false);
    opener = link;
    popover = part("div", "term-popover");
    popover.id = "term-popover";
    popover.setAttribute("role", "dialog");
    popover.setAttribute("aria-label", link.getAttribute("data-term"));
    popover.tabIndex = -1;
    popover.appendChild(part("p", "term-name", link.getAttribute("data-term")));
    popover.appendChild(part("p", "term-note", link.getAttribute("data-note")));
    var more = part("a", "term-more", link.getAttribute("data-more"));
    more.href = link.href;
    popover.appendChild(more);
    var close = part("button", "term-close", "\u00d7");
    close.type = "button";
    close.setAttribute("aria-label", link.getAttribute("data-close"));
    close.addEventListener("click", function () { closeTerm(true); });
    popover.appendChild(close);
    document.body.appendChild(popover);
    /* below the term, inside the viewport (positions through the CSSOM, which the CSP allows) */
    var box = link.getBoundingClientRect();
    var width = popover.offsetWidth;
    var left = Math.max(8, Math.min(box.left, document.documentElement.clientWidth - width - 8));
    popover.style.left = (left + window.pageXOffset) + "px";
    popover.style.top = (box.bottom + window.pageYOffset + 6) + "px";
    link.setAttribute("aria-expanded", "true");
    link.setAttribute("aria-controls", popover.id);
    popover.focus();
  }

  Array.prototype.forEach.call(document.querySelectorAll("a.term"), function (link) {
    link.setAttribute("aria-haspopup", "dialog");
    link.setAttribute("aria-expanded", "false");
  });
  document.addEventListener("click", function (event) {
    var link = event.target.closest ? event.target.closest("a.term") : null;
    if (link && !(event.ctrlKey || event.metaKey || event.shiftKey || event.altKey)) {
      event.preventDefault();
      if (opener === link) closeTerm(true);
      else openTerm(link);
    } else if (popover && !popover.contains(event.target)) {
      closeTerm(false);
    }
  });
  document.addEventListener("keydown", function (event) {
    if (popover && (event.key === "Escape" || event.key === "Esc")) {
      event.preventDefault();
      closeTerm(true);
    }
  });

  /* Progress on a course page: which modules are done, and the best score. */
  Array.prototype.forEach.call(document.querySelectorAll("ol.modules li[data-module]"), function (item) {
    var best = load(item.getAttribute("data-module"));
    var list = item.parentNode;
    if (best && best.done) {
      var badge = document.createElement("span");
      badge.className = "progress-done";
      badge.textContent = format(list.getAttribute("data-done"), { best: best.best, total: best.total });
      item.appendChild(document.createTextNode(" "));
      item.appendChild(badge);
    }
  });

  /* Course cards on the home page: how far the reader is, and a button to the next module to study. */
  Array.prototype.forEach.call(document.querySelectorAll(".card.course"), function (card) {
    var modules = Array.prototype.slice.call(card.querySelectorAll(".course-modules li[data-module]"));
    if (!modules.length) return;
    var done = modules.filter(function (item) {
      var state = load(item.getAttribute("data-module"));
      return state && state.done;
    });
    if (!done.length) return;
    var box = card.querySelector(".course-progress");
    box.hidden = false;
    box.querySelector("progress").value = done.length;
    box.querySelector(".progress-text").textContent =
      format(card.getAttribute("data-progress"), { done: done.length, total: modules.length });
    var button = card.querySelector("a.continue");
    var next = modules.filter(function (item) { return done.indexOf(item) < 0; })[0];
    if (next) {
      var link = next.querySelector("a");
      button.href = link.href;
      button.textContent = format(card.getAttribute("data-continue"), { number: next.getAttribute("data-number") });
      var title = card.querySelector(".next-title");
      title.textContent = link.textContent;
      title.hidden = false;
    } else {
      button.href = card.querySelector("h3 a").href;
      button.textContent = card.getAttribute("data-finished");
    }
  });

  /* ---------------------------------------------------------------- languages */

  /* Section anchors are the same in every language: keep the reader's place. */
  document.addEventListener("click", function (event) {
    var link = event.target.closest && event.target.closest("a.md-select__link[hreflang]");
    if (link && location.hash) {
      link.href = link.href.split("#")[0] + location.hash;
    }
  }, true);

  /* ---------------------------------------------------------------- read aloud */

  /* With the browser's own speech, in the page's language, when the device has a voice for it; no control
   * otherwise. Read in sentences: some engines stop a long utterance after a few seconds. */
  var reader = document.querySelector(".read-aloud");
  var speech = window.speechSynthesis;
  function voiceFor(language) {
    var wanted = language.toLowerCase().replace("zh-hans", "zh-cn");
    var voices = speech.getVoices();
    return voices.filter(function (v) { return v.lang.toLowerCase().replace("_", "-") === wanted; })[0] ||
      voices.filter(function (v) { return v.lang.toLowerCase().split(/[-_]/)[0] === wanted.split("-")[0]; })[0];
  }
  function setUpReader() {
    var voice = voiceFor(lang);
    if (!voice || !reader.hidden) return;
    var button = reader.querySelector("button");
    var reading = false;
    function label() {
      button.textContent = reading ? reader.getAttribute("data-stop") : reader.getAttribute("data-read");
      button.setAttribute("aria-pressed", reading ? "true" : "false");
    }
    button.addEventListener("click", function () {
      speech.cancel();
      reading = !reading;
      label();
      if (!reading) return;
      var article = document.querySelector("article.md-content__inner");
      var parts = [];
      Array.prototype.forEach.call(article.querySelectorAll("h1, h2, h3, p, li, legend, label.choice"), function (el) {
        if (el.closest(".read-aloud, .keep-offline, details, .md-source-file, .pdf-links") || !el.offsetParent) return;
        if (el.tagName === "P" && el.closest("li")) return;
        var text = el.textContent.replace(/[¶#]\s*$/, "").replace(/\s+/g, " ").trim();
        if (text) parts = parts.concat(text.match(/[^.!?。！？]+[.!?。！？]*/g) || [text]);
      });
      parts.forEach(function (text, index) {
        var utterance = new SpeechSynthesisUtterance(text);
        try { utterance.voice = voice; } catch (e) { /* a voice from another engine: the language is enough */ }
        utterance.lang = voice.lang;
        if (index === parts.length - 1) utterance.onend = function () { reading = false; label(); };
        speech.speak(utterance);
      });
    });
    label();
    var heading = document.querySelector("article.md-content__inner h1");
    if (heading) heading.after(reader);
    reader.hidden = false;
  }
  if (reader && speech && window.SpeechSynthesisUtterance) {
    setUpReader();
    speech.addEventListener && speech.addEventListener("voiceschanged", setUpReader);
    window.addEventListener("pagehide", function () { speech.cancel(); });
  }

  /* ---------------------------------------------------------------- offline */

  /* What the reader's data plan allows: never more than the page in the background on a metered or unknown
   * connection, or when the browser asks to save data; the whole language at once on Wi-Fi or a cable. */
  var connection = navigator.connection || {};
  var saveData = connection.saveData === true;
  var unmetered = !saveData && (connection.type === "wifi" || connection.type === "ethernet");

  function megabytes(bytes) {  /* a no-break space: the figure and its unit stay on one line */
    var size = bytes / 1048576;
    try {
      return new Intl.NumberFormat(lang, { maximumFractionDigits: 1, minimumFractionDigits: 1 }).format(size) + "\u00a0MB";
    } catch (e) {
      return size.toFixed(1) + "\u00a0MB";
    }
  }

  var keep = document.querySelector(".keep-offline");
  var keepButton = keep && keep.querySelector("button");
  var keepNote = keep && keep.querySelector(".keep-note");

  function showStatus(message) {
    if (!keep) return;
    keep.hidden = false;
    if (message.type === "status") {
      keepButton.textContent = format(keep.getAttribute("data-label"), { size: megabytes(message.bytes) });
      keepButton.hidden = message.kept;
      keepButton.disabled = false;
      keepNote.textContent = message.kept ? keep.getAttribute("data-done") : "";
      keep.setAttribute("data-kept", message.kept ? "true" : "false");
    } else if (message.type === "progress") {
      keepButton.disabled = true;
      keepNote.textContent = format(keep.getAttribute("data-progress"), { done: message.done, total: message.total });
    } else if (message.type === "failed") {
      keepButton.disabled = false;
      keepNote.textContent = keep.getAttribute("data-failed");
    }
  }

  /* Registered once the page has loaded, so that keeping the pages never slows down reading this one. */
  function keepForOffline() {
    navigator.serviceWorker.addEventListener("message", function (event) {
      var message = event.data || {};
      showStatus(message);
      if (message.type === "status" && !message.kept && unmetered && !keepForOffline.asked) {
        keepForOffline.asked = true;
        keepForOffline.worker.postMessage({ type: "keep" });
      }
    });
    navigator.serviceWorker.register(new URL("sw.js", root).href, { scope: root.pathname })
      .then(function () { return navigator.serviceWorker.ready; })
      .then(function (registration) {
        var worker = keepForOffline.worker = registration.active;
        /* this page and what it loaded came before the worker: keep them too (the browser's cache has them) */
        var loaded = performance.getEntriesByType("resource").map(function (entry) { return entry.name; })
          .filter(function (url) { return !/search_index\.json/.test(url); });
        worker.postMessage({ type: "visited", urls: [location.href.split("#")[0]].concat(loaded) });
        worker.postMessage({ type: "status" });
        if (keepButton) {
          keepButton.addEventListener("click", function () {
            keepButton.disabled = true;
            worker.postMessage({ type: "keep" });
          });
        }
      })
      .catch(function () { /* offline reading is a bonus, never an error */ });
  }
  if ("serviceWorker" in navigator && (location.protocol === "https:" || location.hostname === "localhost" ||
                                       location.hostname === "127.0.0.1")) {
    if (document.readyState === "complete") keepForOffline();
    else window.addEventListener("load", keepForOffline);
  }
})();

/* Presentations: the arrow keys, Page Up/Down and Space move between the slides of a deck; "present" shows one
   slide at a time, full screen. Without a script the page still works: each slide links to the one before and
   after, and its notes open with their toggle. */
(function () {
  var deck = document.querySelector("[data-deck]");
  if (!deck) return;
  var slides = Array.prototype.slice.call(deck.querySelectorAll(".deck-slide"));
  var button = document.querySelector("[data-deck-present]");
  var current = Math.max(0, slides.findIndex(function (slide) { return "#" + slide.id === location.hash; }));

  function show(index, focus) {
    current = Math.max(0, Math.min(slides.length - 1, index));
    slides.forEach(function (slide, i) { slide.classList.toggle("current", i === current); });
    var slide = slides[current];
    if (!focus) return;  /* on load: the page stays where the reader is */
    if (history.replaceState) history.replaceState(null, "", "#" + slide.id);
    if (!deck.classList.contains("presenting")) slide.scrollIntoView({ block: "start" });
    slide.focus({ preventScroll: true });
  }
  function present(on) {
    deck.classList.toggle("presenting", on);
    if (on && deck.requestFullscreen) deck.requestFullscreen().catch(function () {});
    if (!on && document.fullscreenElement) document.exitFullscreen();
    show(current, true);
  }
  if (button) {
    button.parentNode.hidden = false;
    button.addEventListener("click", function () { present(true); });
  }
  document.addEventListener("fullscreenchange", function () {
    if (!document.fullscreenElement && deck.classList.contains("presenting")) present(false);
  });
  document.addEventListener("keydown", function (event) {
    var target = event.target;
    if (event.altKey || event.ctrlKey || event.metaKey ||
        (target && /^(INPUT|TEXTAREA|SELECT)$/.test(target.tagName)) || (target && target.tagName === "SUMMARY")) return;
    var inDeck = deck.classList.contains("presenting") || deck.contains(target);
    if (!inDeck) return;
    if (event.key === "ArrowRight" || event.key === "PageDown" || (event.key === " " && deck.classList.contains("presenting"))) {
      show(current + 1, true); event.preventDefault();
    } else if (event.key === "ArrowLeft" || event.key === "PageUp") {
      show(current - 1, true); event.preventDefault();
    } else if (event.key === "Escape" && deck.classList.contains("presenting")) {
      present(false);
    }
  });
  slides.forEach(function (slide, i) {
    slide.addEventListener("focusin", function () { current = i; });
  });
  show(current, false);
})();
