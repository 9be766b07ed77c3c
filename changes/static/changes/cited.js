// Each comment that the "What changed" section cites gets a small "led to a change" link to that
// change. The section is the source (data-cites-comment); comments' own markup is left to comments,
// and without JavaScript the section still links every cited comment.
(function () {
  "use strict";
  var section = document.getElementById("what-changed");
  var label = section && section.querySelector("template[data-led-to-change]");
  if (!label) return;
  var done = {};
  section.querySelectorAll("[data-cites-comment]").forEach(function (item) {
    var id = item.getAttribute("data-cites-comment");
    var comment = document.getElementById("c" + id);
    if (!comment || done[id]) return;
    done[id] = true;
    var link = document.createElement("a");
    link.className = "comment__change-link";
    link.href = "#" + item.getAttribute("data-change");
    link.textContent = label.content.textContent.trim();
    var actions = comment.querySelector(":scope > .comment__actions");
    (actions || comment).appendChild(link);
  });
})();
