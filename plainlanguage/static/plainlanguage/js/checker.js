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

  function panel(data) {
    var root = element("div", null, "plain-language");
    root.setAttribute("data-plain-language-panel", "");
    root.appendChild(element("h2", "Plain language", "w-h3"));

    var level = section(root, "Reading level");
    var grade = element("p", "Reading grade " + data.grade + " (target " + data.target + "), " + data.formula +
      (data.ease !== null ? ", score " + data.ease : "") + ", " + data.words + " words.");
    grade.setAttribute("data-plain-language-grade", String(data.grade));
    level.appendChild(grade);
    if (data.hardest.length) {
      level.appendChild(element("p", "Hardest sentences:"));
      list(level, data.hardest, function (li, s) {
        li.textContent = "Grade " + s.grade + ", paragraph " + s.paragraph + ": “" + s.text + "”";
      });
    }
    if (data.paragraphs.length) {
      var details = element("details");
      details.appendChild(element("summary", "Grade of each paragraph"));
      list(details, data.paragraphs, function (li, p) {
        li.textContent = "Paragraph " + p.number + ": grade " + p.grade + " (" + p.words + " words) — " + p.excerpt;
      });
      level.appendChild(details);
    }

    var jargon = section(root, "Undefined jargon (" + data.undefined_count + ")");
    jargon.setAttribute("data-plain-language-jargon", "");
    if (!data.undefined.length) jargon.appendChild(element("p", "None: every acronym is defined."));
    list(jargon, data.undefined, function (li, item) {
      li.appendChild(element("strong", item.term));
      li.appendChild(document.createTextNode(" — " + item.count + "×" +
        (item.paragraphs.length ? ", paragraph " + item.paragraphs.join(", ") : ", in a heading") + " "));
      var link = element("a", "Define in the glossary");
      link.href = item.define_url;
      link.target = "_blank";
      link.rel = "noopener";
      li.appendChild(link);
    });

    var defined = section(root, "What readers will see defined");
    if (!data.defined.length) defined.appendChild(element("p", "No glossary terms."));
    list(defined, data.defined, function (li, item) {
      li.textContent = item.term + " (" + item.count + "×)";
    });

    var long = section(root, "Long sentences: over " + data.long_sentence_words + " words (" + data.long_sentence_count + ")");
    list(long, data.long_sentences, function (li, s) {
      li.textContent = s.words + " words, paragraph " + s.paragraph + ": “" + s.text + "”";
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
