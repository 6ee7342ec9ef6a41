/* veille web UI — written for this project (Apache-2.0). No dependencies.
 * Article page: click a highlight to show its records; toggle highlight layers.
 * Network: hovering a node keeps only its edges in view.
 * Data is read from a JSON block and always written with textContent: never parsed as HTML. */
(function () {
  "use strict";

  function el(tag, cls, text) {
    var node = document.createElement(tag);
    if (cls) node.className = cls;
    if (text !== undefined && text !== null) node.textContent = String(text);
    return node;
  }

  function safeLink(href) {
    // Only links built by the server to its own pages ("/claims/1"), never another origin or scheme.
    return typeof href === "string" && href.charAt(0) === "/" && href.charAt(1) !== "/" && href.indexOf("\\") < 0;
  }

  function articlePage() {
    var data = document.getElementById("facts");
    var text = document.getElementById("article-text");
    var panel = document.getElementById("detail");
    if (!data || !text || !panel) return;
    var facts = JSON.parse(data.textContent || "{}");
    var selected = [];

    function clearSelection() {
      selected.forEach(function (n) { n.classList.remove("sel"); });
      selected = [];
    }

    function showPlaceholder() {
      clearSelection();
      panel.replaceChildren(el("p", "placeholder", "Select a highlighted passage."));
    }

    function select(refs) {
      clearSelection();
      var box = document.createDocumentFragment();
      var close = el("button", "close", "×");
      close.type = "button";
      close.setAttribute("aria-label", "Close");
      close.addEventListener("click", showPlaceholder);
      box.appendChild(close);
      refs.forEach(function (ref) {
        var fact = facts[ref];
        if (!fact) return;
        var block = el("div", "fact");
        block.dataset.ref = ref;
        block.appendChild(el("div", "kind", fact.kind));
        block.appendChild(el("h3", null, fact.title));
        if (fact.fields && fact.fields.length) {
          var dl = el("dl");
          fact.fields.forEach(function (pair) {
            dl.appendChild(el("dt", null, pair[0]));
            dl.appendChild(el("dd", null, pair[1]));
          });
          block.appendChild(dl);
        }
        if (fact.evidence) block.appendChild(el("blockquote", null, fact.evidence));
        if (safeLink(fact.link)) {
          var a = el("a", null, fact.kind === "Claim" ? "Provenance graph →" : "More →");
          a.href = fact.link;
          block.appendChild(a);
        }
        box.appendChild(block);
      });
      if (refs.length) {
        // Show where the first (most specific) fact lies in the text.
        text.querySelectorAll(".hl").forEach(function (seg) {
          if ((" " + seg.dataset.refs + " ").indexOf(" " + refs[0] + " ") >= 0) {
            seg.classList.add("sel");
            selected.push(seg);
          }
        });
      }
      panel.replaceChildren(box);
    }

    function refsOf(seg) {
      // The server lists the most specific fact first (a denial, then the shortest span).
      return (seg.dataset.refs || "").split(" ").filter(Boolean);
    }

    text.addEventListener("click", function (ev) {
      var seg = ev.target.closest(".hl");
      if (seg) select(refsOf(seg));
    });
    text.addEventListener("keydown", function (ev) {
      var seg = ev.target.closest(".hl");
      if (seg && (ev.key === "Enter" || ev.key === " ")) {
        ev.preventDefault();
        select(refsOf(seg));
      }
    });
    document.querySelectorAll("[data-ref]").forEach(function (link) {
      link.addEventListener("click", function (ev) {
        var anchor = document.getElementById("m-" + link.dataset.ref);
        if (!anchor) return;
        ev.preventDefault();
        select([link.dataset.ref]);
        var first = anchor.nextElementSibling;
        while (first && !first.classList.contains("hl")) first = first.nextElementSibling;
        var target = first || anchor;
        target.scrollIntoView({ block: "center", behavior: "smooth" });
        target.classList.remove("flash");
        void target.offsetWidth;
        target.classList.add("flash");
      });
    });
    document.querySelectorAll("#legend input[data-layer]").forEach(function (box) {
      function apply() { text.classList.toggle("hide-" + box.dataset.layer, !box.checked); }
      box.addEventListener("change", apply);
      apply();
    });
    if (location.hash.indexOf("#m-") === 0) {
      var ref = location.hash.slice(3);
      if (facts[ref]) select([ref]);
    }
  }

  function networkPage() {
    var svg = document.getElementById("network");
    if (!svg) return;
    var edges = svg.querySelectorAll(".edge");
    svg.querySelectorAll(".node").forEach(function (node) {
      var code = node.dataset.code;
      node.addEventListener("mouseenter", function () {
        svg.classList.add("focus");
        node.classList.add("on");
        edges.forEach(function (edge) {
          var ends = (edge.dataset.ends || "").split(" ");
          if (ends.indexOf(code) >= 0) edge.classList.add("on");
        });
      });
      node.addEventListener("mouseleave", function () {
        svg.classList.remove("focus");
        node.classList.remove("on");
        edges.forEach(function (edge) { edge.classList.remove("on"); });
      });
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    articlePage();
    networkPage();
  });
})();
