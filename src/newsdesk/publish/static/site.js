// newsdesk: highlight the cited span named in the address (#c-START-END) on an article page.
// The pages work without this file: citations open in place (<details>) and the first part of a
// cited span is styled by CSS :target. This adds the highlight to every part of a span that was
// cut by other citations, and scrolls to it.
(function () {
  "use strict";
  function highlight() {
    var current = document.querySelectorAll("mark.cited.current");
    for (var i = 0; i < current.length; i++) current[i].classList.remove("current");
    var id = decodeURIComponent(location.hash.slice(1));
    if (!/^c-\d+-\d+$/.test(id)) return;
    var marks = document.querySelectorAll("mark.cited");
    var first = null;
    for (var j = 0; j < marks.length; j++) {
      var spans = (marks[j].getAttribute("data-spans") || "").split(" ");
      if (spans.indexOf(id) >= 0) {
        marks[j].classList.add("current");
        if (!first) first = marks[j];
      }
    }
    if (first) first.scrollIntoView({ block: "center" });
  }
  window.addEventListener("hashchange", highlight);
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", highlight);
  else highlight();
})();
