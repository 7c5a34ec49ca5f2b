// newsdesk static site: search in the browser over search-index.json (written by `newsdesk build`).
// Every word of the query must appear in a document; matches are marked with <mark>. Text from the
// index is only ever inserted as text nodes, never as markup.
(function () {
  "use strict";
  var WORD = /[\p{L}\p{N}_]+/gu;
  function fold(text) {
    return text.normalize("NFKD").replace(/[\u0300-\u036f]/g, "").toLowerCase();
  }
  function terms(query) {
    return (fold(query).match(WORD) || []).slice(0, 20);
  }
  function words(text) {
    var found = new Set();
    var all = fold(text).match(WORD) || [];
    for (var i = 0; i < all.length; i++) found.add(all[i]);
    return found;
  }
  function el(name, attrs, text) {
    var node = document.createElement(name);
    for (var key in attrs) node.setAttribute(key, attrs[key]);
    if (text !== undefined) node.textContent = text;
    return node;
  }
  function marked(parent, text, wanted) {
    var last = 0;
    var re = new RegExp(WORD.source, "gu");
    var match;
    while ((match = re.exec(text)) !== null) {
      if (wanted.has(fold(match[0]))) {
        parent.appendChild(document.createTextNode(text.slice(last, match.index)));
        parent.appendChild(el("mark", {}, match[0]));
        last = match.index + match[0].length;
      }
    }
    parent.appendChild(document.createTextNode(text.slice(last)));
  }
  function snippet(text, wanted) {
    var flat = text.replace(/\s+/g, " ");
    var re = new RegExp(WORD.source, "gu");
    var match, at = 0;
    while ((match = re.exec(flat)) !== null) {
      if (wanted.has(fold(match[0]))) { at = match.index; break; }
    }
    var start = Math.max(0, at - 80);
    if (start > 0) {
      var space = flat.indexOf(" ", start);
      if (space >= 0 && space < at) start = space + 1;
    }
    var piece = flat.slice(start, start + 240).replace(/\S{301,}/g, function (w) { return w.slice(0, 300) + "…"; });
    return (start > 0 ? "…" : "") + piece + (start + 240 < flat.length ? "…" : "");
  }
  function show(results, docs, query) {
    var wanted = terms(query);
    results.textContent = "";
    if (!wanted.length) return;
    var set = new Set(wanted);
    var stories = [], articles = [];
    for (var i = 0; i < docs.length; i++) {
      var doc = docs[i];
      var have = words(doc.title + " " + doc.text);
      if (wanted.every(function (t) { return have.has(t); })) (doc.type === "story" ? stories : articles).push(doc);
    }
    [["Stories", stories], ["Articles", articles]].forEach(function (group) {
      results.appendChild(el("h2", {}, group[0]));
      if (!group[1].length) {
        results.appendChild(el("p", {}, "Nothing contains every word of “" + query + "”."));
        return;
      }
      var list = el("ul", { "class": "results" });
      group[1].slice(0, 50).forEach(function (doc) {
        var item = el("li");
        var link = el("a", { href: doc.href });
        marked(link, doc.title || "(untitled)", set);
        item.appendChild(link);
        if (doc.meta) item.appendChild(el("span", { "class": "meta" }, " " + doc.meta));
        var p = el("p", { "class": "snippet" });
        marked(p, snippet(doc.text, set), set);
        item.appendChild(p);
        list.appendChild(item);
      });
      results.appendChild(list);
    });
  }
  function start() {
    var results = document.getElementById("results");
    if (!results) return;
    var query = new URLSearchParams(location.search).get("q") || "";
    var input = document.getElementById("q");
    if (input) input.value = query;
    var top = document.getElementById("site-q");
    if (top) top.value = query;
    if (!query) return;
    results.textContent = "Searching…";
    fetch(results.getAttribute("data-index"))
      .then(function (response) { return response.json(); })
      .then(function (docs) { show(results, docs, query); })
      .catch(function () { results.textContent = "The search index could not be loaded."; });
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
