"""Content-Security-Policy: enforced on public pages, report-only on the editors' admin, whose
violations are posted to `csp_report` and logged.

Public pages get one fixed policy with no nonce, so a page cached whole for anonymous readers
replays the same bytes to everyone and stays valid. Wagtail's admin runs inline code, so there
the same directives are only reported (README, "Security"): an enforced policy would break
editing, while a report-only one shows in the browser console what it would block and sends each
violation to us, so a script injected into the admin would show up in the logs.

Framing: nothing may be framed (`X-Frame-Options: DENY`, `frame-ancestors 'none'`) except the
admin's previews, which the page editor shows in an iframe of its own: they are framed by our own
origin only (`SAMEORIGIN`, `frame-ancestors 'self'`). A preview is rendered twice over: Wagtail
serves the page to a dummy request for the page's own public path (`request.is_preview`), through
every middleware, so that inner response gets the public, enforced policy, framable by us; the
admin view around it is marked `SAMEORIGIN` by Wagtail. `may_be_framed_by_us` is that one rule.
"""

import json
import logging

from csp.middleware import CSPMiddleware, PolicyParts
from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from .http import client_ip

__all__ = ["SiteCSPMiddleware", "csp_report", "is_report_only_path", "may_be_framed_by_us", "violations"]

logger = logging.getLogger("core.csp")

# A browser's report is well under 2 KB; anything far larger is not a report.
MAX_REPORT_BYTES = 8 * 1024
# Logged fields, each cut to this length: enough to find the script, too little to flood the log.
MAX_FIELD_CHARS = 300
# (field in the report-uri format, field in the Reporting API's body), in the order they are logged.
_FIELDS = (
    ("document-uri", "documentURL"),
    ("effective-directive", "effectiveDirective"),
    ("violated-directive", "effectiveDirective"),
    ("blocked-uri", "blockedURL"),
    ("source-file", "sourceFile"),
    ("line-number", "lineNumber"),
    ("script-sample", "sample"),
)


def is_report_only_path(path: str) -> bool:
    """True under the admin prefix (editing screens and previews), where the policy only reports."""
    return path.startswith(tuple(settings.REPORT_ONLY_CSP_PREFIXES))


def may_be_framed_by_us(request: HttpRequest, response: HttpResponseBase) -> bool:
    """True for an admin preview (the editor's preview panel is an iframe of the same origin).

    Either Wagtail's dummy request rendering the previewed page (`is_preview`, set only by
    Wagtail's preview handler; `Page.serve` sets it False), or the admin view around it, which
    Wagtail marks `X-Frame-Options: SAMEORIGIN`. Outside the admin that header is not honoured,
    so a public view can never loosen framing by setting it.
    """
    if getattr(request, "is_preview", False) is True:
        return True
    return is_report_only_path(request.path_info) and response.get("X-Frame-Options") == "SAMEORIGIN"


class SiteCSPMiddleware(CSPMiddleware):
    """django-csp sending CONTENT_SECURITY_POLICY on public paths and
    CONTENT_SECURITY_POLICY_REPORT_ONLY on the admin (a preview's admin response also carries the
    previewed page's own enforced policy); the admin's
    responses also name the report endpoint for the Reporting API (`Reporting-Endpoints`)."""

    def get_policy_parts(
        self, request: HttpRequest, response: HttpResponseBase, report_only: bool = False
    ) -> PolicyParts:
        if report_only != is_report_only_path(request.path_info):
            # An empty config builds an empty policy, and django-csp then sets no header.
            return PolicyParts(config={})
        parts = super().get_policy_parts(request, response, report_only=report_only)
        if may_be_framed_by_us(request, response):
            parts.replace = {**(parts.replace or {}), "frame-ancestors": ["'self'"]}
        return parts

    def process_response(self, request: HttpRequest, response: HttpResponseBase) -> HttpResponseBase:
        if may_be_framed_by_us(request, response):
            response["X-Frame-Options"] = "SAMEORIGIN"
        elif response.get("X-Frame-Options") == "SAMEORIGIN":
            response["X-Frame-Options"] = "DENY"  # framing is loosened for admin previews only
        response = super().process_response(request, response)
        if is_report_only_path(request.path_info) and "Reporting-Endpoints" not in response:
            response["Reporting-Endpoints"] = f'{settings.CSP_REPORT_GROUP}="{settings.CSP_REPORT_PATH}"'
        return response


def violations(body: bytes) -> list[dict] | None:
    """The violations in a report body, each as {field: short string}; None if it is not a report.

    Browsers send either the report-uri format ({"csp-report": {...}}) or the Reporting API's
    (a list of {"type": "csp-violation", "body": {...}}); anything else is junk.
    """
    try:
        data = json.loads(body)
    except (ValueError, RecursionError):  # UnicodeDecodeError is a ValueError
        return None
    if isinstance(data, dict) and isinstance(data.get("csp-report"), dict):
        raw = [(data["csp-report"], 0)]
    elif isinstance(data, list):
        raw = [
            (item["body"], 1)
            for item in data
            if isinstance(item, dict)
            and item.get("type") == "csp-violation"
            and isinstance(item.get("body"), dict)
        ]
    else:
        return None
    if not raw:
        return None
    found = []
    for report, style in raw:
        fields = {}
        for names in _FIELDS:
            value = report.get(names[style])
            if value is not None and names[0] not in fields:
                fields[names[0]] = str(value)[:MAX_FIELD_CHARS]
        found.append(fields)
    return found


def _over_limit(address: str) -> bool:
    """Count this address's reports in the shared cache: at most CSP_REPORTS_PER_MINUTE a minute."""
    key = f"csp-report:{address or 'unknown'}"
    cache.add(key, 0, timeout=60)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=60)
        count = 1
    return count > settings.CSP_REPORTS_PER_MINUTE


@csrf_exempt  # browsers post reports without a token, and a report changes nothing
@require_POST
def csp_report(request: HttpRequest) -> HttpResponse:
    """Log what the admin's report-only policy would have blocked: 204, whatever the body says
    (400 if it is not a report, 413 if far too large, 429 if one address sends too many)."""
    try:
        length = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        length = 0
    if length > MAX_REPORT_BYTES:
        return HttpResponse(status=413)
    if _over_limit(client_ip(request)):
        return HttpResponse(status=429, headers={"Retry-After": "60"})
    body = request.read(MAX_REPORT_BYTES + 1)  # a body without Content-Length is cut here too
    if len(body) > MAX_REPORT_BYTES:
        return HttpResponse(status=413)
    found = violations(body)
    if found is None:
        return HttpResponse(status=400)
    for fields in found:
        # %r keeps what the browser (or anyone posting here) wrote on one line, quoted.
        logger.warning("CSP violation in the admin (report-only): %r", fields)
    return HttpResponse(status=204)
