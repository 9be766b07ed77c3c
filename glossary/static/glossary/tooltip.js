/*
 * Glossary tooltips: the WAI-ARIA tooltip pattern, meeting WCAG 2.2 SC 1.4.13.
 * A term (a[data-term]) shows its tooltip (aria-describedby) on hover and on keyboard focus.
 * The tooltip stays while the pointer is on the term or on the tooltip itself (hoverable) and
 * until focus or pointer leaves (persistent); Escape hides it without moving focus (dismissible).
 * Without this script the term is a plain link to its glossary page.
 */
(function () {
  "use strict";
  var HIDE_DELAY = 300;
  var current = null; // {link, tip}
  var hideTimer = null;

  function tipFor(link) {
    var id = link.getAttribute("aria-describedby");
    return id ? document.getElementById(id) : null;
  }

  function place(link, tip) {
    // One tooltip per term per page: it moves next to the occurrence in use.
    var wrapper = link.parentNode;
    if (tip.parentNode !== wrapper) wrapper.appendChild(tip);
    tip.style.left = "";
    tip.hidden = false;
    // Keep it on screen: slide it left as far as it overflows, never past the left edge.
    var margin = 8;
    var box = tip.getBoundingClientRect();
    var overflow = box.right - (document.documentElement.clientWidth - margin);
    if (overflow > 0) tip.style.left = -Math.min(overflow, box.left - margin) + "px";
  }

  function show(link) {
    clearTimeout(hideTimer);
    var tip = tipFor(link);
    if (!tip) return;
    if (current && current.link !== link) hide();
    place(link, tip);
    current = { link: link, tip: tip };
  }

  function hide() {
    clearTimeout(hideTimer);
    if (current) current.tip.hidden = true;
    current = null;
  }

  function hideSoon() {
    clearTimeout(hideTimer);
    hideTimer = setTimeout(function () {
      // Keep it while the term still has keyboard focus.
      if (current && document.activeElement === current.link) return;
      hide();
    }, HIDE_DELAY);
  }

  function termLink(node) {
    return node && node.closest ? node.closest("a[data-term]") : null;
  }

  function wrapperOf(node) {
    return node && node.closest ? node.closest(".glossary-term") : null;
  }

  document.addEventListener("focusin", function (event) {
    var link = termLink(event.target);
    if (link) show(link);
  });
  document.addEventListener("focusout", function (event) {
    if (termLink(event.target) && current && current.link === event.target) hide();
  });
  document.addEventListener("mouseover", function (event) {
    var wrapper = wrapperOf(event.target);
    if (!wrapper) return;
    var link = wrapper.querySelector("a[data-term]");
    if (link) show(link);
  });
  document.addEventListener("mouseout", function (event) {
    var wrapper = wrapperOf(event.target);
    if (!wrapper || wrapper.contains(event.relatedTarget)) return;
    hideSoon();
  });
  document.addEventListener("keydown", function (event) {
    if ((event.key === "Escape" || event.key === "Esc") && current) {
      hide(); // focus stays where it is
    }
  });
})();
