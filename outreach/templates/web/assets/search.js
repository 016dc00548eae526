/* The site's search, run in a Web Worker by the theme's search box (it speaks the theme's worker protocol:
 * SETUP 0 → READY 1, QUERY 2 → RESULT 3).
 *
 * The index and the query go through the same code, so they are always cut into words the same way:
 * - Latin script (Vietnamese, English): lower case, without diacritics ("ket nap" finds "kết nạp"); a word
 *   matches a whole word, never a prefix of a short one ("to" does not find "tóm"); English also matches
 *   plural and -ed/-ing forms; a long last word also matches as a prefix, while the reader types.
 * - Scripts written without spaces between words (Chinese, Japanese, Korean, Thai …, as the language records
 *   say): a term is found wherever it occurs in the text (no dictionary, so nothing the index cut
 *   differently from the query); a long term is also matched by its two-character pieces.
 * Ranking: every word weighs by how rare it is; a section that has all the words beats one that has some; the
 * words next to each other in the reader's order (the phrase) count far more than the words scattered; a title
 * counts more than the body, but not so much that a title holding one word beats a body holding the phrase.
 */
"use strict";

var SETUP = 0, READY = 1, QUERY = 2, RESULT = 3;
var DOCS = [];
var VOCAB = new Map(); // word → number of sections that hold it
var LANG = "en";
/* the characters of scripts written without spaces between words (Chinese, Japanese, Korean …), a regular
 * expression class: the build writes it from the languages of the site (content/languages.yaml, "unspaced") */
var UNSPACED = "";
var HAN = UNSPACED ? new RegExp("[" + UNSPACED + "]") : /(?!)/;
var WORD = /[\p{L}\p{N}]+/gu;
var foldCache = new Map();

/* One character to its searchable form: lower case, and for Latin letters without diacritics (đ → d).
 * Always one character for one, so positions in the folded text are positions in the original. */
function foldChar(ch) {
  var hit = foldCache.get(ch);
  if (hit !== undefined) return hit;
  var out = ch.toLowerCase();
  if (out.length !== 1) out = ch;
  var code = out.charCodeAt(0);
  if (code >= 0xc0 && (code < 0x250 || (code >= 0x1e00 && code < 0x1f00))) {
    var base = out === "đ" ? "d" : out.normalize("NFD").replace(/[\u0300-\u036f]/g, "");
    if (base.length === 1) out = base;
  }
  foldCache.set(ch, out);
  return out;
}

function fold(text) {
  var out = "";
  for (var i = 0; i < text.length; i++) out += foldChar(text[i]);
  return out;
}

var ENTITIES = { amp: "&", lt: "<", gt: ">", quot: "\"", apos: "'", nbsp: " ", "#39": "'" };

function plain(html) {
  return String(html || "")
    .replace(/<[^>]*>/g, " ")
    .replace(/&(#?\w+);/g, function (all, name) {
      if (name in ENTITIES) return ENTITIES[name];
      if (name[0] === "#") return String.fromCodePoint(name[1] === "x" ? parseInt(name.slice(2), 16) : +name.slice(1));
      return all;
    })
    .replace(/\s+/g, " ").trim().normalize("NFC");
}

function escapeHtml(text) {
  return text.replace(/[&<>"]/g, function (ch) {
    return { "&": "&amp;", "<": "&lt;", ">": "&gt;", "\"": "&quot;" }[ch];
  });
}

/* English endings, so that "unions" finds "union" and "joined" finds "join". */
function stem(word) {
  if (LANG !== "en" || word.length < 4) return word;
  if (/ies$/.test(word) && word.length > 4) return word.slice(0, -3) + "y";
  if (/ing$/.test(word) && word.length > 5) return word.slice(0, -3);
  if (/ed$/.test(word) && word.length > 4) return word.slice(0, -2);
  if (/(ch|sh|x|ss)es$/.test(word)) return word.slice(0, -2);
  if (/[^s]s$/.test(word)) return word.slice(0, -1);
  return word;
}

function tokens(folded) {
  var list = [];
  var match;
  WORD.lastIndex = 0;
  while ((match = WORD.exec(folded))) {
    if (!HAN.test(match[0])) list.push({ t: match[0], s: match.index, e: match.index + match[0].length });
  }
  return list;
}

var PLAIN = false;

function field(text) {
  /* the zero-width spaces the theme puts between Chinese words (jieba) would split terms apart */
  var shown = (PLAIN ? String(text || "").normalize("NFC") : plain(text)).replace(/\u200b/g, "");
  var folded = fold(shown);
  return { shown: shown, folded: folded, tokens: tokens(folded) };
}

function setup(index) {
  LANG = ((index.config && index.config.lang) || ["en"])[0];
  PLAIN = !!(index.config && index.config.plain);  /* markup already taken out at build time */
  DOCS = index.docs.map(function (doc) {
    var hash = doc.location.indexOf("#");
    return { location: doc.location, page: hash < 0 ? doc.location : doc.location.slice(0, hash),
             title: field(doc.title), text: field(doc.text) };
  });
  VOCAB = new Map();
  DOCS.forEach(function (doc) {
    var seen = new Set();
    doc.title.tokens.concat(doc.text.tokens).forEach(function (token) { seen.add(token.t); });
    seen.forEach(function (word) { VOCAB.set(word, (VOCAB.get(word) || 0) + 1); });
  });
}

function idf(count) {
  return Math.log(1 + (DOCS.length + 1) / (count + 0.5));
}

/* ------------------------------------------------------------------------------------------------ query */

/* A word typed in Latin script: which words of the index it stands for, and how well. */
function latinTerm(word, last) {
  var quality = new Map();
  var wanted = stem(word);
  VOCAB.forEach(function (_, candidate) {
    if (candidate === word) quality.set(candidate, 1);
    else if (LANG === "en" && stem(candidate) === wanted) quality.set(candidate, 0.9);
    else if (last && word.length >= 4 && candidate.length > word.length && candidate.indexOf(word) === 0)
      quality.set(candidate, 0.6);
  });
  var count = 0;
  quality.forEach(function (_, candidate) { count = Math.max(count, VOCAB.get(candidate)); });
  return { kind: "latin", word: word, quality: quality, weight: idf(count) };
}

function occurrences(folded, needle) {
  var found = [];
  for (var at = folded.indexOf(needle); at >= 0; at = folded.indexOf(needle, at + needle.length))
    found.push({ s: at, e: at + needle.length });
  return found;
}

function hanTerm(word) {
  var pieces = [];
  if (word.length >= 3)
    for (var i = 0; i + 2 <= word.length; i++) pieces.push(word.slice(i, i + 2));
  var count = DOCS.filter(function (doc) {
    return doc.title.folded.indexOf(word) >= 0 || doc.text.folded.indexOf(word) >= 0;
  }).length;
  var pieceWeights = pieces.map(function (piece) {
    return idf(DOCS.filter(function (doc) {
      return doc.title.folded.indexOf(piece) >= 0 || doc.text.folded.indexOf(piece) >= 0;
    }).length);
  });
  return { kind: "han", word: word, pieces: pieces, pieceWeights: pieceWeights,
           weight: idf(count) };
}

function parse(query) {
  var folded = fold(query.normalize("NFC").replace(/\u200b/g, ""));
  var words = folded.match(WORD) || [];
  var terms = [];
  words.forEach(function (word, index) {
    if (HAN.test(word)) {
      /* a run that mixes scripts ("T4労働組合") is cut where the script changes */
      word.split(/(?=[\p{L}\p{N}])/u).reduce(function (runs, ch) {
        var han = HAN.test(ch);
        var last = runs[runs.length - 1];
        if (last && last.han === han) last.text += ch; else runs.push({ han: han, text: ch });
        return runs;
      }, []).forEach(function (run) {
        terms.push(run.han ? hanTerm(run.text) : latinTerm(run.text, index === words.length - 1));
      });
    } else {
      terms.push(latinTerm(word, index === words.length - 1 && !/\s$/.test(query)));
    }
  });
  return terms;
}

/* Where a term occurs in one field: [{s, e, q}] with q the quality of the match. */
function matches(term, fieldData) {
  if (term.kind === "latin") {
    var found = [];
    fieldData.tokens.forEach(function (token, position) {
      var q = term.quality.get(token.t);
      if (q) found.push({ s: token.s, e: token.e, q: q, p: position });
    });
    return found;
  }
  var whole = occurrences(fieldData.folded, term.word).map(function (m) { m.q = 1; return m; });
  if (whole.length || !term.pieces.length) return whole;
  /* no whole match: the pieces, each as much as it weighs */
  var total = term.pieceWeights.reduce(function (a, b) { return a + b; }, 0);
  var partial = [];
  term.pieces.forEach(function (piece, i) {
    occurrences(fieldData.folded, piece).forEach(function (m) {
      m.q = 0.7 * term.pieceWeights[i] / total;
      partial.push(m);
    });
  });
  return partial;
}

function saturate(x) {
  return x / (x + 1);
}

/* How many times two terms stand next to each other (in Latin script: the next word; otherwise at most two
 * characters apart, such as a particle). */
function adjacent(a, b, fieldData, han) {
  var count = 0;
  a.forEach(function (left) {
    if (b.some(function (right) {
      if (left.p !== undefined && right.p !== undefined) return right.p === left.p + 1;
      return right.s >= left.e && right.s - left.e <= (han ? 2 : 1);
    })) count++;
  });
  return count;
}

function scoreField(terms, found, fieldData) {
  var words = 0, pairs = 0, phrase = 0, matchedWeight = 0;
  terms.forEach(function (term, i) {
    var tf = found[i].reduce(function (sum, m) { return sum + m.q; }, 0);
    var best = found[i].reduce(function (max, m) { return Math.max(max, m.q); }, 0);
    words += term.weight * saturate(tf);
    matchedWeight += term.weight * best;
  });
  var chain = null;
  for (var i = 0; i + 1 < terms.length; i++) {
    var han = terms[i].kind === "han" || terms[i + 1].kind === "han";
    var next = adjacent(found[i], found[i + 1], fieldData, han);
    pairs += (terms[i].weight + terms[i + 1].weight) * saturate(next);
    /* the whole phrase: starts of term 0 from which every next term follows */
    if (chain === null) chain = found[0].slice();
    chain = chain.filter(function (start) {
      var at = start;
      for (var k = 0; k <= i; k++) {
        var step = found[k + 1].filter(function (m) {
          if (at.p !== undefined && m.p !== undefined) return m.p === at.p + 1;
          return m.s >= at.e && m.s - at.e <= 2;
        })[0];
        if (!step) return false;
        at = step;
      }
      return true;
    });
  }
  if (chain) phrase = chain.length;
  return { words: words, pairs: pairs, phrase: phrase, matched: matchedWeight };
}

function search(query) {
  var terms = parse(query);
  if (!terms.length || !DOCS.length) return { items: [] };
  var totalWeight = terms.reduce(function (sum, term) { return sum + term.weight; }, 0);
  var scored = [];
  DOCS.forEach(function (doc) {
    var inTitle = terms.map(function (term) { return matches(term, doc.title); });
    var inText = terms.map(function (term) { return matches(term, doc.text); });
    var t = scoreField(terms, inTitle, doc.title);
    var b = scoreField(terms, inText, doc.text);
    /* how much of the query the section holds, title and body together */
    var matched = 0;
    terms.forEach(function (term, i) {
      var best = inTitle[i].concat(inText[i]).reduce(function (max, m) { return Math.max(max, m.q); }, 0);
      matched += term.weight * best;
    });
    if (!matched) return;
    var coverage = matched / totalWeight;
    var multi = terms.length > 1 ? 1 : 0;
    var title = 2 * t.words * Math.pow(coverage, 3) + 3 * t.pairs + multi * 3 * totalWeight * saturate(t.phrase);
    var body = b.words * Math.pow(coverage, 3) + 1.5 * b.pairs + multi * 2 * totalWeight * saturate(b.phrase);
    scored.push({ doc: doc, score: title + body, title: title, inTitle: inTitle, inText: inText });
  });
  if (!scored.length) return { items: [] };

  /* a section of a page whose title answers the query answers it too */
  var pageTitle = new Map();
  scored.forEach(function (hit) {
    if (hit.doc.location === hit.doc.page) pageTitle.set(hit.doc.page, hit.title);
  });
  scored.forEach(function (hit) {
    if (hit.doc.location !== hit.doc.page) hit.score += 0.5 * (pageTitle.get(hit.doc.page) || 0);
  });

  /* group by page: a page ranks by its best section, helped a little by its other sections */
  var pages = new Map();
  scored.forEach(function (hit) {
    var list = pages.get(hit.doc.page) || [];
    list.push(hit);
    pages.set(hit.doc.page, list);
  });
  var groups = [];
  pages.forEach(function (hits, page) {
    hits.sort(function (a, b) { return b.score - a.score; });
    var rest = hits.slice(1).reduce(function (sum, hit) { return sum + hit.score; }, 0);
    groups.push({ page: page, hits: hits, score: hits[0].score + 0.25 * Math.min(rest, 1.5 * hits[0].score) });
  });
  groups.sort(function (a, b) { return b.score - a.score; });
  var top = groups[0].score;
  groups = groups.filter(function (group) { return group.score >= top * 0.04; }).slice(0, 30);

  var items = groups.map(function (group) {
    var list = group.hits.map(function (hit) { return item(hit, terms); });
    if (!group.hits.some(function (hit) { return hit.doc.location === group.page; })) {
      var article = DOCS.filter(function (doc) { return doc.location === group.page; })[0];
      if (article) list.push({ location: article.location, title: escapeHtml(article.title.shown), text: "",
                               score: 0, terms: {} });
    }
    list[0].score = Math.max(list[0].score, group.score);
    return list;
  });
  return { items: items, total: items.length };
}

/* ------------------------------------------------------------------------------------------------ shown */

function marked(shown, ranges) {
  ranges = ranges.slice().sort(function (a, b) { return a.s - b.s; });
  var out = "", at = 0;
  ranges.forEach(function (range) {
    if (range.s < at) return;
    out += escapeHtml(shown.slice(at, range.s)) + "<mark>" + escapeHtml(shown.slice(range.s, range.e)) + "</mark>";
    at = range.e;
  });
  return out + escapeHtml(shown.slice(at));
}

/* A piece of the section around its best match, with the matches marked. */
function teaser(fieldData, ranges) {
  var shown = fieldData.shown;
  var WIDTH = 220;
  if (!ranges.length) return escapeHtml(shown.length > WIDTH ? shown.slice(0, WIDTH).replace(/\s\S*$/, "") + " …" : shown);
  /* the densest window: the match with most other matches within the width after it */
  var sorted = ranges.slice().sort(function (a, b) { return a.s - b.s; });
  var bestStart = sorted[0].s, bestCount = 0;
  sorted.forEach(function (range) {
    var count = sorted.filter(function (other) { return other.s >= range.s && other.e <= range.s + WIDTH - 40; }).length;
    if (count > bestCount) { bestCount = count; bestStart = range.s; }
  });
  var start = Math.max(0, bestStart - 40);
  if (start > 0) {
    var space = shown.lastIndexOf(" ", start);
    start = space > start - 20 && space > 0 ? space + 1 : start;
  }
  var end = Math.min(shown.length, start + WIDTH);
  if (end < shown.length) {
    var cut = shown.indexOf(" ", end);
    end = cut > 0 && cut - end < 20 ? cut : end;
  }
  var inside = sorted.filter(function (range) { return range.s >= start && range.e <= end; })
    .map(function (range) { return { s: range.s - start, e: range.e - start }; });
  return (start > 0 ? "… " : "") + marked(shown.slice(start, end), inside) + (end < shown.length ? " …" : "");
}

function item(hit, terms) {
  var flat = function (lists) { return [].concat.apply([], lists); };
  var found = {};
  terms.forEach(function (term, i) {
    found[term.word] = hit.inTitle[i].length + hit.inText[i].length > 0;
  });
  return {
    location: hit.doc.location,
    title: marked(hit.doc.title.shown, flat(hit.inTitle)),
    text: "<p>" + teaser(hit.doc.text, flat(hit.inText)) + "</p>",
    score: hit.score,
    terms: found
  };
}

addEventListener("message", function (event) {
  var message = event.data;
  if (message.type === SETUP) {
    setup(message.data);
    postMessage({ type: READY });
  } else if (message.type === QUERY) {
    var result;
    try {
      result = search(String(message.data || ""));
    } catch (error) {
      result = { items: [] };
    }
    postMessage({ type: RESULT, data: result });
  }
});
