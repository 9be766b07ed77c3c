"""A corpus of hostile inputs for every place a reader or editor's text reaches a page.

Each payload, if it ever ran, would call a dialog (alert/confirm/prompt) and set `window.__xss`, and
each one that tries to forge structure carries MARKER in the id, class or data attribute it forges,
so `tests/xss_checks.py` can tell the payload's leftovers from the page's own markup.
Sources of the shapes: OWASP's XSS filter evasion cheat sheet, and the published mutation-XSS
bypasses of HTML sanitisers (DOMPurify 2.0.0/2.0.17, the noscript/style/MathML namespace
confusions, Google's 2019 search box mXSS).
"""

from typing import NamedTuple

__all__ = ["HOSTILE_URLS", "MARKER", "PAYLOADS", "Payload", "readable"]

MARKER = "xss7q"
RUN = "alert(1);window.__xss=1"


class Payload(NamedTuple):
    name: str
    text: str

    def __str__(self) -> str:  # pytest ids
        return self.name


_PAYLOADS = [
    # Script elements
    ("script tag", f"<script>{RUN}</script>"),
    ("script mixed case", f"<ScRiPt>{RUN}</sCrIpT>"),
    ("script with src", f"<script src=//evil.example/{MARKER}.js></script>"),
    ("script split by null", f"<scr\x00ipt>{RUN}</scr\x00ipt>"),
    ("script nested in script", f"<scr<script>ipt>{RUN}</scr</script>ipt>"),
    ("script closing a string", f"</script><script>{RUN}</script>"),
    ("script unclosed", f"<script>{RUN}"),
    # Event handlers
    ("img onerror", f'<img src=x onerror="{RUN}" id="{MARKER}">'),
    ("img onerror no quotes", "<img src=x onerror=alert(1)//>"),
    ("svg onload", f"<svg onload={RUN}>"),
    ("svg onload slash", "<svg/onload=alert(1)>"),
    ("body onload", f"<body onload={RUN}>"),
    ("details ontoggle", f"<details open ontoggle={RUN}>"),
    ("input autofocus onfocus", f"<input autofocus onfocus={RUN}>"),
    ("a onmouseover", f'<a onmouseover="{RUN}" href="#">hover</a>'),
    ("video source onerror", f"<video><source onerror={RUN}></video>"),
    ("marquee onstart", f"<marquee onstart={RUN}>"),
    ("handler with tab before =", f"<img src=x onerror\t=\t{RUN}>"),
    # Dangerous URLs
    ("javascript href", f'<a href="javascript:{RUN}">click</a>'),
    ("javascript mixed case", '<a href="JaVaScRiPt:alert(1)">click</a>'),
    ("javascript with tab", '<a href="jav\tascript:alert(1)">click</a>'),
    ("javascript with newline entity", '<a href="jav&#x0A;ascript:alert(1)">click</a>'),
    (
        "javascript decimal entities",
        '<a href="&#106;&#97;&#118;&#97;&#115;&#99;&#114;&#105;&#112;&#116;&#58;alert(1)">x</a>',
    ),
    (
        "javascript hex entities no semicolons",
        '<a href="&#x6A&#x61&#x76&#x61&#x73&#x63&#x72&#x69&#x70&#x74&#x3A;alert(1)">x</a>',
    ),
    ("javascript zero-width space", '<a href="java\u200bscript:alert(1)">x</a>'),
    ("javascript soft hyphen", '<a href="java\u00adscript:alert(1)">x</a>'),
    ("javascript leading spaces and controls", '<a href=" \x01\x0fjavascript:alert(1)">x</a>'),
    ("javascript entity colon", '<a href="javascript&colon;alert(1)">x</a>'),
    ("vbscript href", '<a href="vbscript:msgbox(1)">x</a>'),
    ("data text/html href", '<a href="data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==">x</a>'),
    ("data url with entities", '<a href="&#100;ata:text/html,&lt;script&gt;alert(1)&lt;/script&gt;">x</a>'),
    ("iframe src javascript", f"<iframe src=javascript:{RUN}></iframe>"),
    ("iframe srcdoc", f'<iframe srcdoc="&lt;script&gt;parent.{RUN}&lt;/script&gt;"></iframe>'),
    ("object data", '<object data="javascript:alert(1)"></object>'),
    ("embed src", '<embed src="data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9YWxlcnQoMSk+">'),
    ("form action", '<form action="javascript:alert(1)"><button>go</button></form>'),
    ("button formaction", '<form><button formaction="javascript:alert(1)">go</button></form>'),
    ("meta refresh", '<meta http-equiv="refresh" content="0;url=javascript:alert(1)">'),
    ("base href hijack", '<base href="javascript:alert(1)//">'),
    # SVG and MathML mutation shapes
    ("svg xlink href", '<svg><a xlink:href="javascript:alert(1)"><text x="20" y="20">x</text></a></svg>'),
    (
        "svg animate href",
        '<svg><a><animate attributeName="href" values="javascript:alert(1)"/><text>x</text></a></svg>',
    ),
    ("svg script", f"<svg><script>{RUN}</script></svg>"),
    ("svg style mxss", f'<svg></p><style><a id="</style><img src=1 onerror={RUN}>">'),
    ("math mglyph style mxss", f"<math><mtext><table><mglyph><style><img src=x onerror={RUN}>"),
    (
        "math mtext style mxss",
        "<math><mtext><h1><a><h6></a></h6><mglyph><svg><mtext><style>"
        f'<a title="</style><img src onerror={RUN}>">',
    ),
    ("noscript title mxss", f'<noscript><p title="</noscript><img src=x onerror={RUN}>">'),
    ("form in form mxss", f"<form><math><mtext></form><form><mglyph><style></math><img src onerror={RUN}>"),
    ("template mxss", f"<template><style></template><img src=x onerror={RUN}>"),
    ("textarea breakout", f"</textarea><script>{RUN}</script>"),
    ("title breakout", f"</title><script>{RUN}</script>"),
    ("comment breakout", f"--><script>{RUN}</script><!--"),
    ("cdata in svg", f"<svg><![CDATA[><image xlink:href=x onerror={RUN}>]]></svg>"),
    # Unclosed and nested tags
    ("unclosed img", f"<img src=x onerror={RUN} "),
    ("unclosed attribute", f'<a href="x onmouseover={RUN} '),
    ("nested bold", f'<b><i><u><s id="{MARKER}">deep</u></i></b>'),
    ("doubled brackets", f"<<script>{RUN}//<</script>"),
    # Attribute breakouts
    ("double quote breakout", f'" onmouseover="{RUN}" x="'),
    ("single quote breakout", f"' onfocus='{RUN}' autofocus '"),
    ("tag breakout", f'"><script>{RUN}</script>'),
    ("backtick breakout", f"`><img src=x onerror={RUN}>"),
    ("json breakout", f'"}}</script><script>{RUN}</script>'),
    # Markdown-style links
    ("markdown javascript link", "[click me](javascript:alert(1))"),
    ("markdown image onerror", '![x](x" onerror="alert(1))'),
    ("markdown data link", "[x](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)"),
    ("autolink javascript", "<javascript:alert(1)>"),
    # Forged structure
    ("forged id", f'<p id="{MARKER}">I am the page now</p>'),
    ("forged class", f'<span class="staff-badge {MARKER}">Staff</span>'),
    ("forged data attribute", f'<div data-{MARKER}="1" data-action="{MARKER}">x</div>'),
    ("forged style", f'<p style="position:fixed;inset:0;background:url(//evil.example/{MARKER})">x</p>'),
    ("forged form field", f'<input name="{MARKER}" type="hidden" value="1">'),
    ("custom element", f"<{MARKER}-el>x</{MARKER}-el>"),
    # Characters that change how text reads
    ("bidi override", f"\u202eevil\u202c {MARKER} \u2066text\u2069"),
    ("nul and controls", f"a\x00b\x01c\x1b[31m {MARKER}"),
]

PAYLOADS: list[Payload] = [Payload(name, text) for name, text in _PAYLOADS]

# Link targets as a person would type them into a URL field or a link dialog (no markup around).
HOSTILE_URLS: list[str] = [
    "javascript:alert(1);window.__xss=1",
    "JaVaScRiPt:alert(1)",
    " javascript:alert(1)",
    "\x01\x0fjavascript:alert(1)",
    "jav\tascript:alert(1)",
    "jav\nascript:alert(1)",
    "java\u200bscript:alert(1)",
    "java\u00adscript:alert(1)",
    "\u200bjavascript:alert(1)",
    "javascript&colon;alert(1)",
    "&#106;avascript:alert(1)",
    "vbscript:msgbox(1)",
    "VBScript:msgbox(1)",
    "data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==",
    "data:text/html,<script>alert(1)</script>",
    "DATA:image/svg+xml,<svg onload=alert(1)>",
    'https://example.org/" onmouseover="alert(1)',
    "https://example.org/'><script>alert(1)</script>",
]


def readable(text: str) -> str:
    """A payload as a form accepts it: Django's forms refuse NUL characters
    (ProhibitNullCharactersValidator), so a payload is sent without them."""
    return text.replace("\x00", "")
