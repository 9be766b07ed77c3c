/* Inline reply and report for the discussion under a post. Without this script both still work:
   Reply opens a reply page, Report a confirmation page. No libraries, no inline code (CSP). */
(function () {
  "use strict";
  var section = document.getElementById("comments");
  if (!section) return;
  var mainForm = section.querySelector("[data-comment-form]");
  var status = section.querySelector("[data-comment-status]");

  function renameIds(form, prefix) {
    form.querySelectorAll("[id]").forEach(function (el) {
      el.id = el.id.replace(/^id_/, prefix + "_");
    });
    form.querySelectorAll("label[for]").forEach(function (el) {
      el.htmlFor = el.htmlFor.replace(/^id_/, prefix + "_");
    });
    form.querySelectorAll("[aria-describedby]").forEach(function (el) {
      el.setAttribute("aria-describedby", el.getAttribute("aria-describedby").replace(/^id_/, prefix + "_"));
    });
  }

  function openReply(link) {
    var pk = link.getAttribute("data-comment-reply");
    var slot = section.querySelector('[data-reply-slot="' + pk + '"]');
    var open = slot.querySelector("form");
    if (open) {
      open.querySelector("textarea").focus();
      return;
    }
    var form = mainForm.cloneNode(true);
    renameIds(form, "reply" + pk);
    form.querySelector("[data-reply-to]").value = pk;
    form.querySelector("textarea").value = "";
    form.querySelectorAll(".comment-form__errors, .comment-form__error").forEach(function (el) {
      el.remove();
    });
    form.querySelectorAll("[aria-invalid]").forEach(function (el) {
      el.removeAttribute("aria-invalid");
      el.removeAttribute("aria-describedby");
    });
    form.querySelector("button[type=submit]").textContent = section.getAttribute("data-reply-label") || "Post reply";
    var cancel = document.createElement("button");
    cancel.type = "button";
    cancel.className = "button button--secondary";
    cancel.textContent = section.getAttribute("data-cancel-label") || "Cancel";
    cancel.addEventListener("click", function () {
      form.remove();
      link.setAttribute("aria-expanded", "false");
      link.focus();
    });
    form.querySelector("button[type=submit]").after(cancel);
    form.classList.add("comment-form--inline");
    slot.appendChild(form);
    link.setAttribute("aria-expanded", "true");
    form.querySelector("textarea").focus();
  }

  function report(link) {
    var url = link.getAttribute("data-comment-report");
    var headers = { Accept: "application/json" };
    var token = section.querySelector("input[name=csrfmiddlewaretoken]");
    if (token) headers["X-CSRFToken"] = token.value;
    fetch(url, { method: "POST", headers: headers, credentials: "same-origin" })
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
    if (replyLink && mainForm) {
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
