"""Content-Security-Policy: enforced on public pages, report-only on the editors' admin.

Public pages get one fixed policy with no nonce, so a page cached whole for anonymous readers
replays the same bytes to everyone and stays valid. Wagtail's admin runs inline code, so there
the same directives are only reported (README, "Security"): an enforced policy would break
editing, while a report-only one still shows in the browser console what it would block.
"""

from csp.middleware import CSPMiddleware, PolicyParts
from django.conf import settings
from django.http import HttpRequest, HttpResponseBase

__all__ = ["SiteCSPMiddleware", "is_report_only_path"]


def is_report_only_path(path: str) -> bool:
    """True under the admin prefix (editing screens and previews), where the policy only reports."""
    return path.startswith(tuple(settings.REPORT_ONLY_CSP_PREFIXES))


class SiteCSPMiddleware(CSPMiddleware):
    """django-csp sending CONTENT_SECURITY_POLICY on public paths and
    CONTENT_SECURITY_POLICY_REPORT_ONLY on the admin, never both on one response."""

    def get_policy_parts(
        self, request: HttpRequest, response: HttpResponseBase, report_only: bool = False
    ) -> PolicyParts:
        if report_only != is_report_only_path(request.path_info):
            # An empty config builds an empty policy, and django-csp then sets no header.
            return PolicyParts(config={})
        return super().get_policy_parts(request, response, report_only=report_only)
