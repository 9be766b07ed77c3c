/* Inline reply and report for the discussion under a post. Without this script both still work:
   Reply opens a reply page, Report a confirmation page. No libraries, no inline code (CSP). */
(function () {
  "use strict";
  var section = document.getElementById("comments");
  if (!section) return;
  var status = section.querySelector("[data-comment-status]");
  // The server renders the inline reply form once, in a <template>: its ids hold a placeholder
  // (data-placeholder) that becomes the parent's id, so every open reply form has ids of its own.
  var replyTemplate = section.querySelector("template[data-reply-form]");

  function replyForm(pk) {
    var placeholder = replyTemplate.getAttribute("data-placeholder");
    var form = replyTemplate.content.querySelector("form").cloneNode(true);
    ["id", "for"].forEach(function (name) {
      form.querySelectorAll("[" + name + "]").forEach(function (el) {
        el.setAttribute(name, el.getAttribute(name).split(placeholder).join(pk));
      });
    });
    form.querySelector("[data-reply-to]").value = pk;
    return form;
  }

  // The slot a reply form opens in, under the comment's actions (made on first use: the server
  // sends no empty element per comment).
  function replySlot(link, pk) {
    var slot = section.querySelector('[data-reply-slot="' + pk + '"]');
    if (!slot) {
      slot = document.createElement("div");
      slot.className = "comment__reply-slot";
      slot.setAttribute("data-reply-slot", pk);
      link.closest("footer").after(slot);
    }
    return slot;
  }

  function openReply(link) {
    var pk = link.getAttribute("data-comment-reply");
    var slot = replySlot(link, pk);
    var open = slot.querySelector("form");
    if (open) {
      open.querySelector("textarea").focus();
      return;
    }
    var form = replyForm(pk);
    form.querySelector("[data-reply-cancel]").addEventListener("click", function () {
      form.remove();
      link.setAttribute("aria-expanded", "false");
      link.focus();
    });
    slot.appendChild(form);
    link.setAttribute("aria-expanded", "true");
    form.querySelector("textarea").focus();
  }

  // A report needs a token the server hands to this reader for this comment (a bare POST is
  // refused): fetch it, then post it. Any failure opens the report page, which works without us.
  function report(link) {
    var url = link.getAttribute("href");
    var headers = { Accept: "application/json" };
    var csrf = section.querySelector("input[name=csrfmiddlewaretoken]");
    if (csrf) headers["X-CSRFToken"] = csrf.value;
    fetch(url + "token/", { headers: { Accept: "application/json" }, credentials: "same-origin" })
      .then(function (response) {
        if (!response.ok) throw new Error(String(response.status));
        return response.json();
      })
      .then(function (data) {
        var body = new URLSearchParams();
        body.set("token", data.token);
        return fetch(url, { method: "POST", headers: headers, body: body, credentials: "same-origin" });
      })
      .then(function (response) {
        if (!response.ok) throw new Error(String(response.status));
        return response.json();
      })
      .then(function (data) {
        var note = document.createElement("span");
        note.className = "comment__reported";
        note.textContent = data.message;
        link.replaceWith(note);
        if (status) status.textContent = data.message;
      })
      .catch(function () {
        window.location.href = url;
      });
  }

  section.addEventListener("click", function (event) {
    var replyLink = event.target.closest("[data-comment-reply]");
    if (replyLink && replyTemplate) {
      event.preventDefault();
      openReply(replyLink);
      return;
    }
    var reportLink = event.target.closest("[data-comment-report]");
    if (reportLink) {
      event.preventDefault();
      report(reportLink);
    }
  });
})();
