/* Plain language in Wagtail's content checker (userbar, preview and live pages).
 *
 * Nothing here analyses text: the Python analysis (plainlanguage/analysis.py) computed every
 * figure. Our axe checks read its verdicts from their options, and the panel shows the analysis
 * that the userbar item wrote as JSON (#plain-language-analysis). Text goes in by textContent only.
 */
(function () {
  "use strict";
  var userbar = window.wagtail && window.wagtail.userbar;
  if (!userbar || typeof userbar.registerCheck !== "function") return;

  ["plain-language-jargon", "plain-language-reading-level", "plain-language-long-sentences"].forEach(function (rule) {
    userbar.registerCheck(rule + "-check", function (node, options) {
      return !(options && options.fails);
    });
  });

  function element(tag, text, className) {
    var node = document.createElement(tag);
    if (text !== undefined && text !== null) node.textContent = String(text);
    if (className) node.className = className;
    return node;
  }

  function section(root, title) {
    var part = element("section", null, "plain-language__section");
    part.appendChild(element("h3", title, "w-content-checker__header"));
    root.appendChild(part);
    return part;
  }

  function list(parent, items, render) {
    var ul = element("ul", null, "plain-language__list");
    items.forEach(function (item) {
      var li = element("li");
      render(li, item);
      ul.appendChild(li);
    });
    parent.appendChild(ul);
  }

  // The words come translated from the server (plainlanguage.checker.panel_labels), with named
  // placeholders filled in here: "%(grade)s" and the like.
  function t(data, key, values) {
    return String(data.labels[key]).replace(/%\((\w+)\)s/g, function (match, name) {
      return values && name in values ? String(values[name]) : match;
    });
  }

  function panel(data) {
    var root = element("div", null, "plain-language");
    root.setAttribute("data-plain-language-panel", "");
    root.appendChild(element("h2", t(data, "title"), "w-h3"));

    var level = section(root, t(data, "level"));
    var grade = element("p", t(data, "grade", { grade: data.grade, target: data.target, formula: data.formula }) +
      (data.ease !== null ? t(data, "score", { score: data.ease }) : "") + t(data, "words", { words: data.words }));
    grade.setAttribute("data-plain-language-grade", String(data.grade));
    level.appendChild(grade);
    if (data.hardest.length) {
      level.appendChild(element("p", t(data, "hardest")));
      list(level, data.hardest, function (li, s) {
        li.textContent = t(data, "hardest_item", { grade: s.grade, paragraph: s.paragraph, text: s.text });
      });
    }
    if (data.paragraphs.length) {
      var details = element("details");
      details.appendChild(element("summary", t(data, "paragraphs")));
      list(details, data.paragraphs, function (li, p) {
        li.textContent = t(data, "paragraph_item", { number: p.number, grade: p.grade, words: p.words, excerpt: p.excerpt });
      });
      level.appendChild(details);
    }

    var jargon = section(root, t(data, "jargon", { count: data.undefined_count }));
    jargon.setAttribute("data-plain-language-jargon", "");
    if (!data.undefined.length) jargon.appendChild(element("p", t(data, "no_jargon")));
    list(jargon, data.undefined, function (li, item) {
      li.appendChild(element("strong", item.term));
      li.appendChild(document.createTextNode(" — " + item.count + "×" +
        (item.paragraphs.length ? t(data, "in_paragraphs", { paragraphs: item.paragraphs.join(", ") }) : t(data, "in_heading")) + " "));
      var link = element("a", t(data, "define"));
      link.href = item.define_url;
      link.target = "_blank";
      link.rel = "noopener";
      li.appendChild(link);
    });

    var defined = section(root, t(data, "defined"));
    if (!data.defined.length) defined.appendChild(element("p", t(data, "no_terms")));
    list(defined, data.defined, function (li, item) {
      li.textContent = item.term + " (" + item.count + "×)";
    });

    var long = section(root, t(data, "long", { words: data.long_sentence_words, count: data.long_sentence_count }));
    list(long, data.long_sentences, function (li, s) {
      li.textContent = t(data, "long_item", { words: s.words, paragraph: s.paragraph, text: s.text });
    });
    return root;
  }

  function install(attempt) {
    var shadow = userbar.shadowRoot;
    var source = shadow && shadow.getElementById("plain-language-analysis");
    var content = shadow && shadow.querySelector("#checker-results .w-dialog__content");
    if (!source) return;
    if (!content) {
      if (attempt < 100) window.setTimeout(function () { install(attempt + 1); }, 50);
      return;
    }
    if (content.querySelector("[data-plain-language-panel]")) return;
    var data;
    try {
      data = JSON.parse(source.textContent);
    } catch (error) {
      return;
    }
    content.appendChild(panel(data));
  }

  if (document.readyState === "complete") install(0);
  else window.addEventListener("load", function () { install(0); });
})();
