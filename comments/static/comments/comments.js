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

  // "This helped": the counts in the page are as of its render; the current ones come from a
  // small JSON answer cached for seconds (comments/helpful_views.py), never by re-rendering the page.
  var countsUrl = section.getAttribute("data-helpful-counts");
  function showCount(pk, count) {
    var number = section.querySelector('[data-helpful-count="' + pk + '"]');
    if (!number) return;
    number.textContent = String(count);
    number.parentNode.hidden = !count;
  }
  if (countsUrl && section.querySelector("[data-helpful]")) {
    fetch(countsUrl, { headers: { Accept: "application/json" }, credentials: "same-origin" })
      .then(function (response) {
        if (!response.ok) throw new Error(String(response.status));
        return response.json();
      })
      .then(function (data) {
        Object.keys(data.counts || {}).forEach(function (pk) {
          showCount(pk, data.counts[pk]);
        });
      })
      .catch(function () {});
  }

  // A mark needs a token made for this reader (like a report): fetch it, post it, show the count.
  // Any failure submits the form as it is, which works without us.
  function helped(button) {
    var form = button.closest("form");
    var pk = button.getAttribute("data-helpful");
    var headers = { Accept: "application/json" };
    var csrf = section.querySelector("input[name=csrfmiddlewaretoken]");
    if (csrf) headers["X-CSRFToken"] = csrf.value;
    button.disabled = true;
    fetch(form.action + "token/", { headers: { Accept: "application/json" }, credentials: "same-origin" })
      .then(function (response) {
        if (!response.ok) throw new Error(String(response.status));
        return response.json();
      })
      .then(function (data) {
        var body = new URLSearchParams();
        body.set("token", data.token);
        return fetch(form.action, { method: "POST", headers: headers, body: body, credentials: "same-origin" });
      })
      .then(function (response) {
        return response.json().then(function (data) {
          return { ok: response.ok, data: data };
        });
      })
      .then(function (result) {
        var data = result.data;
        if (result.ok) {
          showCount(pk, data.count);
          button.setAttribute("aria-pressed", "true");
        }
        if (status) status.textContent = data.message || data.error || "";
      })
      .catch(function () {
        form.submit();
      });
  }

  section.addEventListener("submit", function (event) {
    var button = event.submitter && event.submitter.closest("[data-helpful]");
    if (!button) button = event.target.querySelector("[data-helpful]");
    if (button && event.target.classList.contains("comment__helpful")) {
      event.preventDefault();
      helped(button);
    }
  });

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
