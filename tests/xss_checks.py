"""Reusable checks that a rendered page carries no live payload, two ways.

`assert_html_safe` parses the server's HTML with Python's html.parser (via BeautifulSoup), which is
fast and runs everywhere. `assert_no_xss_in_browser` loads the page in Chromium, whose HTML parser
is the one that matters (mutation XSS lives in the differences), and checks both what a payload
*does* (a dialog, `window.__xss`) and what it *leaves* (handler attributes, script elements,
dangerous URLs, forged ids/classes/data attributes) in the live DOM.

The comments and glossary tests import these with the corpus in `xss_payloads.py`.
"""

import json
import re
import unicodedata

from bs4 import BeautifulSoup

from tests.xss_payloads import MARKER

__all__ = [
    "CSP_LISTENER",
    "assert_html_safe",
    "assert_no_xss_in_browser",
    "csp_violations",
    "html_problems",
    "url_is_safe",
]

SAFE_SCHEMES = {"http", "https", "mailto"}
URL_ATTRIBUTES = {"href", "src", "action", "formaction", "xlink:href", "data", "poster", "background", "ping"}
# Elements that have no business in content a reader or editor supplies.
FORBIDDEN_TAGS = {"iframe", "frame", "frameset", "object", "embed", "applet", "base", "portal", "style"}
# Attributes that name or restyle page structure: a payload must never set one.
FORGEABLE = re.compile(r"^(id|class|name|style|for|form|is|slot|role|xmlns(:.+)?|data-.*|aria-.*)$", re.I)
JSON_LD = "application/ld+json"
_SCHEME = re.compile(r"^([a-z][a-z0-9+.\-]*):", re.I)
# What browsers drop from URLs (tabs, newlines, C0 controls) plus what some ignore or render as
# nothing (zero-width characters, soft hyphen, bidi marks): all removed before reading the scheme.
_INVISIBLE = re.compile(r"[\x00-\x20\x7f\u00ad\u180e\u200b-\u200f\u2028-\u202e\u2060-\u2064\ufeff]")


def url_is_safe(url: str) -> bool:
    """True for a relative URL or an absolute http, https or mailto one.

    Stricter than a browser: `java\u200bscript:` is harmless to Chromium but still refused here,
    because the next renderer (a feed reader, an email client) may be less careful.
    """
    cleaned = unicodedata.normalize("NFKC", _INVISIBLE.sub("", url))
    match = _SCHEME.match(cleaned)
    if not match:
        return True  # relative, or protocol-relative (which inherits http/https)
    return match.group(1).lower() in SAFE_SCHEMES


def _script_is_allowed(tag) -> bool:
    if (tag.get("type") or "").strip().lower() == JSON_LD:
        return True
    # Our own static scripts: an external same-origin file with no inline code.
    src = tag.get("src") or ""
    return src.startswith("/static/") and not tag.get_text(strip=True)


def html_problems(html: str, payload_marker: str = MARKER) -> list[str]:
    """Everything in `html` that could run script or forge structure, as readable lines."""
    soup = BeautifulSoup(html, "html.parser")
    problems = []
    for tag in soup.find_all(True):
        name = tag.name.lower()
        if name == "script" and not _script_is_allowed(tag):
            problems.append(f"script element: {str(tag)[:120]}")
        if name in FORBIDDEN_TAGS:
            problems.append(f"<{name}> element: {str(tag)[:120]}")
        if name == "meta" and tag.get("http-equiv"):
            problems.append(f"meta http-equiv: {str(tag)[:120]}")
        if payload_marker.lower() in name:
            problems.append(f"element made by the payload: <{name}>")
        if name == "script" and (tag.get("type") or "").lower() == JSON_LD:
            text = tag.string or ""
            if "</" in text.lower():
                problems.append("JSON-LD can close its script element")
        for attribute, value in tag.attrs.items():
            value = " ".join(value) if isinstance(value, list) else str(value)
            lowered = attribute.lower()
            if lowered.startswith("on"):
                problems.append(f"handler attribute {attribute}= on <{name}>")
            if lowered in URL_ATTRIBUTES and not url_is_safe(value):
                problems.append(f"unsafe URL in {attribute}= on <{name}>: {value[:80]!r}")
            if lowered == "srcset" and not all(
                url_is_safe(c.strip().split(" ")[0]) for c in value.split(",")
            ):
                problems.append(f"unsafe URL in srcset on <{name}>")
            if FORGEABLE.match(lowered) and payload_marker.lower() in value.lower():
                problems.append(f"forged {attribute}= on <{name}>: {value[:80]!r}")
            if lowered == "style" and re.search(r"url\(|expression\(|@import", value, re.I):
                problems.append(f"style attribute loading something on <{name}>")
    return problems


def assert_html_safe(html: str, payload_marker: str = MARKER) -> None:
    """Fail with every problem found: no script (JSON-LD aside), no on* handler, no URL whose scheme
    is not http/https/mailto, no forbidden element, no id/class/data-* carrying the payload's marker."""
    problems = html_problems(html, payload_marker)
    assert problems == [], "\n".join(problems)


# Installed before any page script runs (page.add_init_script): records what the policy blocked.
CSP_LISTENER = """
window.__cspViolations = [];
document.addEventListener('securitypolicyviolation', (event) => {
  window.__cspViolations.push({directive: event.effectiveDirective, blocked: event.blockedURI,
                               disposition: event.disposition, line: event.lineNumber});
});
"""


def csp_violations(page) -> list[dict]:
    return page.evaluate("window.__cspViolations || []")


# Run in the page after load: the browser's own DOM, after its parser (and any mutation) ran.
_DOM_PROBLEMS = """
(marker) => {
  const safeSchemes = new Set(['http:', 'https:', 'mailto:']);
  const urlAttributes = new Set(%(url_attributes)s);
  const forbidden = new Set(%(forbidden)s);
  const forgeable = /%(forgeable)s/i;
  const problems = [];
  const lowerMarker = marker.toLowerCase();
  for (const el of document.querySelectorAll('*')) {
    const tag = el.localName.toLowerCase();
    if (tag === 'script') {
      const type = (el.getAttribute('type') || '').trim().toLowerCase();
      const src = el.getAttribute('src') || '';
      if (type !== 'application/ld+json' && !(src.startsWith('/static/') && !el.textContent.trim())) {
        problems.push('script element: ' + el.outerHTML.slice(0, 120));
      }
    }
    if (forbidden.has(tag)) problems.push('<' + tag + '> element');
    if (tag.includes(lowerMarker)) problems.push('element made by the payload: <' + tag + '>');
    for (const attr of el.attributes) {
      const name = attr.name.toLowerCase();
      if (name.startsWith('on')) problems.push('handler ' + name + '= on <' + tag + '>');
      if (forgeable.test(name) && attr.value.toLowerCase().includes(lowerMarker)) {
        problems.push('forged ' + name + '= on <' + tag + '>: ' + attr.value.slice(0, 80));
      }
      if (urlAttributes.has(name) && attr.value.trim()) {
        let protocol;
        try { protocol = new URL(attr.value, document.baseURI).protocol; } catch (e) { protocol = 'invalid'; }
        if (protocol !== 'invalid' && !safeSchemes.has(protocol)) {
          problems.push('unsafe URL ' + name + '= on <' + tag + '>: ' + attr.value.slice(0, 80));
        }
      }
    }
  }
  return problems;
}
"""


def _dom_problems_script() -> str:
    return _DOM_PROBLEMS % {
        "url_attributes": json.dumps(sorted(URL_ATTRIBUTES)),
        "forbidden": json.dumps(sorted(FORBIDDEN_TAGS)),
        "forgeable": FORGEABLE.pattern.replace("/", "\\/"),
    }


def assert_no_xss_in_browser(page, url: str, payload_marker: str = MARKER) -> None:
    """Load `url` in Chromium and fail if a payload ran or left anything live in the DOM.

    Payloads in the corpus call alert()/confirm()/prompt() and set `window.__xss`; both are
    checked, after hovering and focusing every link and form control so that mouse and focus
    handlers would have had their chance.
    """
    dialogs = []

    def on_dialog(dialog) -> None:
        dialogs.append(f"{dialog.type}: {dialog.message}")
        dialog.dismiss()

    page.on("dialog", on_dialog)
    try:
        response = page.goto(url)
        assert response is not None and response.status < 500, (
            f"{url} answered {response and response.status}"
        )
        page.wait_for_load_state("load")
        page.evaluate(
            """() => { for (const el of document.querySelectorAll('a, button, input, textarea, details')) {
                 el.dispatchEvent(new MouseEvent('mouseover', {bubbles: true})); el.focus(); } }"""
        )
        page.wait_for_timeout(150)
        ran = page.evaluate("typeof window.__xss === 'undefined' ? null : String(window.__xss)")
        dom = page.evaluate(_dom_problems_script(), payload_marker)
    finally:
        page.remove_listener("dialog", on_dialog)
    assert dialogs == [], f"a payload opened a dialog: {dialogs}"
    assert ran is None, f"a payload set window.__xss = {ran!r}"
    assert dom == [], "\n".join(dom)
